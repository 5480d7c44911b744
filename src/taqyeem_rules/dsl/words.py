"""The words of the language: keywords, and FEEL words it does not have (with what to write
instead). feel.lark spells the keywords as its terminals; both parsers read them from here."""

from __future__ import annotations

__all__ = ["RESERVED", "UNSUPPORTED"]

#: Words of the language that cannot be used as names.
RESERVED = frozenset(
    {"and", "or", "not", "if", "then", "else", "between", "in", "true", "false", "null"}
)
#: FEEL words for constructs outside taqyeem's subset, with what to write instead.
UNSUPPORTED = {
    "for": "`for` loops are not part of taqyeem's FEEL subset; use sum(), count() or a list",
    "some": "`some … satisfies` is not part of taqyeem's FEEL subset; use any([...])",
    "every": "`every … satisfies` is not part of taqyeem's FEEL subset; use all([...])",
    "satisfies": "quantified expressions are not part of taqyeem's FEEL subset; use all()/any()",
    "return": "`for … return` is not part of taqyeem's FEEL subset",
    "function": "function definitions are not part of taqyeem's FEEL subset; register a plugin",
    "instance": "`instance of` is not part of taqyeem's FEEL subset; types are checked statically",
    "external": "external functions are not part of taqyeem's FEEL subset; register a plugin",
}
