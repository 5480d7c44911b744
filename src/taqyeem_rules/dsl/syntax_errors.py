"""Syntax errors named by what went wrong, pointing at the culprit.

When Lark's parser refuses a text, :func:`name_syntax_error` names the error the way a
person would ("missing closing parenthesis", "operator without right operand", "`if`
without `then`", …), points at the culprit (the `(` never closed, the dangling
operator) and gives a hint, falling back to "expected …" in the user's words. It reads
the text with its own small tokenizer (``_LEX``: it must make sense of text that does
not parse) and the state of the tokens before the error: brackets, `if`/`then`/`else`
and `between`/`and` still open.

Every label is in the catalogue of docs/errors.md and has a labelled bad input in
``tests/dsl/fixtures/syntax_errors.txt``, with its message and position.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .words import RESERVED, UNSUPPORTED

if TYPE_CHECKING:  # Lark is loaded only once its parser has refused a text
    from lark import Lark
    from lark.exceptions import UnexpectedInput

__all__ = ["SyntaxProblem", "name_syntax_error"]


class SyntaxProblem(Exception):
    """A syntax error found while parsing (by the builder, the limits or the naming below),
    turned into an ExpressionSyntaxError with a span by the parser."""

    def __init__(
        self,
        code: str,
        message: str,
        start: int,
        end: int,
        hint: str | None = None,
        *,
        located: bool = False,
    ) -> None:
        self.code, self.message, self.start, self.end, self.hint = code, message, start, end, hint
        #: True when start/end are already offsets in the document (not in the text).
        self.located = located


# ---- the tokens before the error -------------------------------------------------------

_LEX = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>[0-9]+(?:\.[0-9]+)?|\.[0-9]+|[\u0660-\u0669]+(?:\.[\u0660-\u0669]+)?|\.[\u0660-\u0669]+)
  | (?P<str>"(?:[^"\\\n]|\\.)*")
  | (?P<name>[^\W\d]\w*)
  | (?P<op>\*\*|<=|>=|!=|\.\.|[-+*/=<>()\[\],.?!{}&|'\#;:@$%^~`])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_BINARY = {"+", "-", "*", "/", "**", "=", "!=", "<", "<=", ">", ">=", "and", "or", "between", "in"}
_COMPARISON = {"=", "!=", "<", "<=", ">", ">="}
_OPENERS = {"(": ")", "[": "]"}
_CLOSERS = {")", "]"}
_LITERAL_WORDS = {"true", "false", "null"}


class _Tok:
    __slots__ = ("end", "kind", "start", "text")

    def __init__(self, kind: str, text: str, start: int, end: int) -> None:
        self.kind, self.text, self.start, self.end = kind, text, start, end

    @property
    def is_operand_end(self) -> bool:
        if self.kind in ("num", "str"):
            return True
        if self.kind == "name":
            return self.text not in RESERVED or self.text in _LITERAL_WORDS
        return self.text in (")", "]", "?")

    @property
    def is_operand_start(self) -> bool:
        if self.kind in ("num", "str"):
            return True
        if self.kind == "name":
            return self.text not in RESERVED or self.text in _LITERAL_WORDS | {"not", "if"}
        return self.text in ("(", "[", "?")

    @property
    def is_binary(self) -> bool:
        return self.text in _BINARY


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in _LEX.finditer(text):
        kind = m.lastgroup or "other"
        if kind != "ws":
            out.append(_Tok(kind, m.group(), m.start(), m.end()))
    return out


def _q(text: str) -> str:
    return f"`{text}`"


def _cut(toks: list[_Tok], text: str, at: int) -> list[_Tok]:
    """The tokens with the one that straddles offset ``at`` split in two there."""
    out: list[_Tok] = []
    for t in toks:
        if not t.start < at < t.end:
            out.append(t)
            continue
        for start, end in ((t.start, at), (at, t.end)):
            piece = text[start:end]
            m = _LEX.match(piece)
            kind = m.lastgroup if m is not None and m.end() == len(piece) else None
            out.append(_Tok(kind or t.kind, piece, start, end))
    return out


_KEYWORD_AT = re.compile("(?:" + "|".join(sorted(RESERVED, key=len, reverse=True)) + r")(?!\w)")


_IF_HINT = "write if <condition> then <value> else <value>"
#: The text ends right after this token: (code, message, hint).
_DANGLING = {
    "then": ("syntax.missing-right-operand", "`then` needs an expression after it", _IF_HINT),
    "else": ("syntax.missing-right-operand", "`else` needs an expression after it", _IF_HINT),
    "if": ("syntax.missing-right-operand", "`if` needs an expression after it", _IF_HINT),
    ",": (
        "syntax.trailing-comma",
        "missing item after `,`",
        "remove the trailing comma or add the missing item",
    ),
    "..": ("syntax.range-bound", "range without an upper bound", "write both ends: [low..high]"),
    ".": ("syntax.path-member", "`.` without a name after it", "write checklist.item"),
}


#: A run of digits and dots that is not part of a name (digits of any script).
_DIGIT_RUN = re.compile(r"(?<!\w)\.?\d[\d.]*")


def _digit_script(ch: str) -> str:
    if "0" <= ch <= "9":
        return "ascii"
    return "arabic" if "\u0660" <= ch <= "\u0669" else "other"


def _digits(text: str) -> SyntaxProblem | None:
    """Digits the language does not read: of another script than 0-9 and ٠-٩ (`１`, `𝟏`),
    or of both in one number (`1١`)."""
    for m in _DIGIT_RUN.finditer(text):
        run = m.group().rstrip(".")
        scripts = [_digit_script(ch) for ch in run if ch != "."]
        if "other" in scripts:
            at = m.start() + next(k for k, ch in enumerate(run) if ch != "." and _digit_script(ch) == "other")
            return SyntaxProblem(
                "syntax.digits",
                f"`{text[at]}` is not a digit the language reads",
                at,
                at + 1,
                "write numbers with the digits 0-9, or the Arabic-Indic digits ٠-٩",
            )
        if len(set(scripts)) > 1:
            return SyntaxProblem(
                "syntax.mixed-digits",
                f"the number `{run}` mixes digits of two scripts",
                m.start(),
                m.start() + len(run),
                "write all its digits in 0-9 or all in ٠-٩",
            )
    return None


def name_syntax_error(text: str, exc: UnexpectedInput, start: str, grammar: Lark) -> SyntaxProblem:
    """Name a syntax error by what went wrong, and point at the culprit (``grammar`` is
    the Lark parser that raised ``exc``, whose terminals word "expected …")."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    digits = _digits(text)
    if digits is not None:
        return digits
    toks = _tokens(text)
    in_cell = start == "unary_tests"

    for t in toks:
        if t.kind == "name" and t.text in UNSUPPORTED:
            return SyntaxProblem("syntax.unsupported", UNSUPPORTED[t.text], t.start, t.end)

    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream
        ch = text[pos]
        if ch == '"':
            return SyntaxProblem(
                "syntax.unterminated-string",
                "unterminated string",
                pos,
                len(text) if "\n" not in text[pos:] else text.index("\n", pos),
                'close it with `"` on the same line (write \\" for a quote inside)',
            )
        if ch == "'":
            return SyntaxProblem(
                "syntax.single-quotes",
                "strings are written in double quotes",
                pos,
                pos + 1,
                'write "text", not \'text\'',
            )
        two = text[pos : pos + 2]
        if two in ("&&", "||") or ch in "&|":
            word = "and" if ch == "&" else "or"
            return SyntaxProblem(
                "syntax.c-operator",
                f"{_q(two if two in ('&&', '||') else ch)} is not an operator here",
                pos,
                pos + (2 if two in ("&&", "||") else 1),
                f"write `{word}`",
            )
        if ch == "!":
            return SyntaxProblem(
                "syntax.c-operator",
                "`!` is not an operator here",
                pos,
                pos + 1,
                "write not(x) for negation and != for inequality",
            )
        if ch == "{":
            return SyntaxProblem(
                "syntax.unsupported",
                "contexts `{…}` are not part of taqyeem's FEEL subset",
                pos,
                pos + 1,
                "name inputs directly; checklist items are read as checklist.item",
            )
        glued = _KEYWORD_AT.match(text, pos)
        if glued and pos and (text[pos - 1].isdigit() or text[pos - 1] == "."):
            word = glued.group()
            number = re.search(r"[\d.]+$", text[:pos]).group()  # type: ignore[union-attr]
            return SyntaxProblem(
                "syntax.missing-space",
                f"missing space between the number `{number}` and `{word}`",
                pos,
                pos + len(word),
                f"write `{number} {word}`",
            )
        return SyntaxProblem(
            "syntax.unknown-character",
            f"unexpected character {_q(ch)}",
            pos,
            pos + 1,
            None,
        )

    # UnexpectedToken / UnexpectedEOF
    if isinstance(exc, UnexpectedToken) and exc.token.type != "$END":
        tok_pos = exc.token.start_pos
        at_end = False
        # Lark's contextual lexer may split what the regex above joins (`x.5` is
        # `x` `.` `5` to Lark, `x` `.5` here): cut our tokens at Lark's token.
        toks = _cut(_cut(toks, text, tok_pos), text, exc.token.end_pos)
    else:
        tok_pos = len(text)
        at_end = True
    expected = set(getattr(exc, "expected", None) or getattr(exc, "accepts", None) or ())
    before = [t for t in toks if t.end <= tok_pos]
    prev = before[-1] if before else None
    cur = None if at_end else next((t for t in toks if t.start >= tok_pos), None)

    # Delimiters and keywords still open before the error.
    opened: list[_Tok] = []
    ifs: list[tuple[_Tok, str]] = []  # (if token, stage: "if" | "then")
    betweens: list[_Tok] = []
    for t in before:
        if t.text in _OPENERS:
            opened.append(t)
        elif t.text in _CLOSERS and opened:
            opened.pop()
        elif t.text == "if":
            ifs.append((t, "if"))
        elif t.text == "then" and ifs:
            ifs[-1] = (ifs[-1][0], "then")
        elif t.text == "else" and ifs:
            ifs.pop()
        elif t.text == "between":
            betweens.append(t)
        elif t.text == "and" and betweens:
            betweens.pop()

    def expects(*names: str) -> bool:
        return any(e in expected for e in names)

    # An `if` or `between` missing its keyword.
    if ifs and ifs[-1][1] == "if" and expects("_THEN") and (at_end or (cur and cur.text != "then")):
        t = ifs[-1][0]
        where = tok_pos if not at_end else len(text)
        return SyntaxProblem(
            "syntax.missing-then",
            "`if` without `then`",
            t.start if at_end else where,
            t.end if at_end else where + 1,
            "write if <condition> then <value> else <value>",
        )
    if ifs and ifs[-1][1] == "then" and expects("_ELSE") and (at_end or (cur and cur.text != "else")):
        t = ifs[-1][0]
        return SyntaxProblem(
            "syntax.missing-else",
            "`if … then` without `else`",
            t.start if at_end else tok_pos,
            t.end if at_end else tok_pos + 1,
            "FEEL's if always has an else branch: if <condition> then <value> else <value>",
        )
    if betweens and expects("_AND") and not (cur and cur.text == "and"):
        t = betweens[-1]
        return SyntaxProblem(
            "syntax.missing-between-and",
            "`between` without `and`",
            t.start if at_end else tok_pos,
            t.end if at_end else tok_pos + 1,
            "write x between <low> and <high>",
        )

    if at_end:
        if prev is not None and in_cell and prev.text == "," and len(before) >= 1:
            return SyntaxProblem(
                "syntax.trailing-comma", "missing test after `,`", prev.start, prev.end,
                "remove the trailing comma",
            )
        if prev is not None and (prev.is_binary or prev.text in ("not",)):
            return SyntaxProblem(
                "syntax.missing-right-operand",
                f"operator {_q(prev.text)} without right operand",
                prev.start,
                prev.end,
                "add the value it applies to, or remove the operator",
            )
        if prev is not None and prev.text in _DANGLING:
            code, message, hint = _DANGLING[prev.text]
            return SyntaxProblem(code, message, prev.start, prev.end, hint)
        if opened:
            o = opened[-1]
            if o.text == "(":
                return SyntaxProblem(
                    "syntax.missing-closing-paren",
                    "missing closing parenthesis",
                    o.start,
                    o.end,
                    "this `(` is never closed; add `)`",
                )
            return SyntaxProblem(
                "syntax.missing-closing-bracket",
                "missing closing bracket",
                o.start,
                o.end,
                "this `[` is never closed; add `]` (or `)` to end an open range)",
            )
        end = len(text)
        return SyntaxProblem(
            "syntax.unexpected-end",
            "the expression ends too early",
            max(0, end - 1),
            end,
            _expected_hint(expected, grammar),
        )

    assert cur is not None
    # Closing delimiters.
    if cur.text in _CLOSERS:
        if prev is not None and prev.text == "..":
            return SyntaxProblem(
                "syntax.range-bound",
                "range without an upper bound",
                prev.start,
                prev.end,
                "write both ends: [low..high]",
            )
        if prev is not None and prev.text == ",":
            return SyntaxProblem(
                "syntax.trailing-comma",
                "trailing comma",
                prev.start,
                prev.end,
                "remove the `,` or add the missing item",
            )
        if prev is not None and prev.is_binary:
            return SyntaxProblem(
                "syntax.missing-right-operand",
                f"operator {_q(prev.text)} without right operand",
                prev.start,
                prev.end,
                "add the value it applies to, or remove the operator",
            )
        if prev is not None and prev.text == "(" and cur.text == ")":
            return SyntaxProblem(
                "syntax.empty-parens",
                "empty parentheses",
                prev.start,
                cur.end,
                "put an expression inside, or remove them",
            )
        if not opened:
            word = "parenthesis" if cur.text == ")" else "bracket"
            return SyntaxProblem(
                f"syntax.unmatched-closing-{'paren' if cur.text == ')' else 'bracket'}",
                f"unexpected closing {word} {_q(cur.text)}",
                cur.start,
                cur.end,
                f"there is no opening {_q('(' if cur.text == ')' else '[')} for it",
            )
        o = opened[-1]
        return SyntaxProblem(
            "syntax.mismatched-delimiters",
            f"{_q(o.text)} closed by {_q(cur.text)}",
            cur.start,
            cur.end,
            f"close it with {_q(_OPENERS[o.text])}, or write a range as [a..b), (a..b]",
        )

    # Doubled equals, C-style operators spelled with valid characters.
    if cur.text == "=" and prev is not None and prev.text == "=" and prev.end == cur.start:
        return SyntaxProblem(
            "syntax.double-equals",
            "`==` is not a FEEL operator",
            prev.start,
            cur.end,
            "FEEL compares with a single `=`",
        )
    if cur.text == "==":  # pragma: no cover - the lexer splits `==`
        return SyntaxProblem("syntax.double-equals", "`==` is not a FEEL operator", cur.start, cur.end)

    # An operator where an operand should be.
    if cur.is_binary and cur.text != "-":
        if prev is None or prev.text in ("(", "[", ",", "if", "then", "else", "not"):
            if cur.text in ("<", "<=", ">", ">=") and not in_cell:
                return SyntaxProblem(
                    "syntax.test-outside-cell",
                    f"comparison test {_q(cur.text + ' …')} without a left operand",
                    cur.start,
                    cur.end,
                    "tests like `< 5` stand alone only in decision-table cells, or right after `in` (x in < 5)",
                )
            return SyntaxProblem(
                "syntax.missing-left-operand",
                f"operator {_q(cur.text)} without left operand",
                cur.start,
                cur.end,
                "add the value it applies to, or remove the operator",
            )
        if prev.is_binary:
            return SyntaxProblem(
                "syntax.missing-right-operand",
                f"operator {_q(prev.text)} without right operand (followed by {_q(cur.text)})",
                prev.start,
                prev.end,
                "two operators in a row: remove one or put a value between them",
            )
        if cur.text in _COMPARISON | {"between", "in"}:
            # a < b < c: look back for a comparison at the same nesting level.
            depth = 0
            for t in reversed(before):
                if t.text in _CLOSERS:
                    depth += 1
                elif t.text in _OPENERS:
                    if depth == 0:
                        break
                    depth -= 1
                elif depth == 0 and t.text in ("and", "or", ",", "if", "then", "else"):
                    break
                elif depth == 0 and t.text in _COMPARISON | {"between", "in"}:
                    return SyntaxProblem(
                        "syntax.chained-comparison",
                        "comparisons cannot be chained",
                        cur.start,
                        cur.end,
                        f"write `a {t.text} b and b {cur.text} c`, or use `between`",
                    )

    if cur.text == "..":
        return SyntaxProblem(
            "syntax.bare-range",
            "a range needs brackets",
            cur.start,
            cur.end,
            "write [low..high], (low..high), [low..high) or (low..high]",
        )
    if cur.text in ("then", "else") and not ifs:
        return SyntaxProblem(
            "syntax.missing-if",
            f"{_q(cur.text)} without `if`",
            cur.start,
            cur.end,
            "write if <condition> then <value> else <value>",
        )
    if in_cell and prev is not None and prev.text == "-" and cur.text == "," and len(before) == 1:
        return SyntaxProblem(
            "syntax.dash-not-alone",
            "`-` (anything) must stand alone in a cell",
            prev.start,
            prev.end,
            "remove the other tests, or remove the `-`",
        )
    if cur.text == "," and not in_cell and not opened:
        return SyntaxProblem(
            "syntax.unexpected-comma",
            "unexpected `,` outside a list or a call",
            cur.start,
            cur.end,
            "lists are written [a, b]; several tests are only allowed in decision-table cells",
        )
    if prev is not None and prev.is_operand_end and cur.is_operand_start:
        return SyntaxProblem(
            "syntax.missing-operator",
            f"missing operator between {_q(prev.text)} and {_q(cur.text)}",
            cur.start,
            cur.end,
            "add an operator such as + - * / = and or, or a `,` inside a list",
        )
    if cur.kind == "name" and cur.text in RESERVED:
        return SyntaxProblem(
            "syntax.misplaced-keyword",
            f"unexpected keyword {_q(cur.text)}",
            cur.start,
            cur.end,
            _expected_hint(expected, grammar),
        )
    return SyntaxProblem(
        "syntax.unexpected",
        f"unexpected {_q(cur.text)}",
        cur.start,
        cur.end,
        _expected_hint(expected, grammar),
    )


_TERMINAL_WORDS = {
    "NUMBER": "a number",
    "STRING": "a string",
    "NAME": "a name",
    "MULTIWORD_FUNCTION": "a function name",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "LSQB": "`[`",
    "RSQB": "`]`",
    "COMMA": "`,`",
    "DOT": "`.`",
    "PLUS": "`+`",
    "MINUS": "`-`",
    "STAR": "`*`",
    "SLASH": "`/`",
    "EQUAL": "`=`",
    "LESSTHAN": "`<`",
    "MORETHAN": "`>`",
    "QMARK": "`?`",
    "$END": "the end",
    **{f"_{w.upper()}": f"`{w}`" for w in ("and", "or", "not", "if", "then", "else", "between", "in", "true", "false", "null")},
}


def _expected_hint(expected: set[str], grammar: Lark) -> str | None:
    if not expected:
        return None
    words: set[str] = set()
    lark = grammar
    for name in expected:
        if name in _TERMINAL_WORDS:
            words.add(_TERMINAL_WORDS[name])
            continue
        try:
            pattern = lark.get_terminal(name).pattern
        except KeyError:
            continue
        if pattern.type == "str":
            words.add(_q(pattern.value))
    if not words:
        return None
    shown = sorted(words)
    if len(shown) > 8:
        shown = shown[:8] + ["…"]
    return "expected " + ", ".join(shown)

