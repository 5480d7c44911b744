"""Find every error code the library's source can raise, by reading its syntax trees.

Used by ``tests/test_error_codes.py``; runnable on its own to list the codes found::

    python tests/codescan.py [SRC_FOLDER]

A string is a code *use* when it stands where a code goes:

- the value of a keyword argument named ``code`` or ``*_code`` (``code="x.y"``), and any
  string inside that value (``code=a or "x.y"``, ``code=CODES.get(k, f"x.{k}")``);
- a positional argument at the place of a parameter named ``code`` of a function, method
  or attrs class defined in the source (``Diagnostic("x.y", …)``, ``_diag("x.y", …)``,
  ``self.fail(node, "…", "x.y")``), and the default value of such a parameter;
- the value assigned to a name containing ``code`` (``code = "a" if p else "b"``,
  ``default_code = "usage"``, ``_FAILURE_CODES = {reason: "x.y"}``: a dict's values);
- one side of a comparison whose other side is ``code`` or ``….code``;
- the ``default_code`` of an error class, when that class is raised without a code;
- any other dotted string (``word.word-word``) whose first word is a code namespace (the
  caller says which: those of the registry), unless it is a message-catalogue key
  (a key of ``{"en": {key: …}}``) or a file name. This catches tables of codes such as
  ``{decimal.Overflow: ("eval.overflow", "…")}``.

A code written as an f-string (``f"{prefix}.io"``) is expanded over every string passed
to a parameter of that name anywhere in the source (``prefix="record"``) and its
defaults; ``f"scoring.{f.kind}"`` over the reasons kinds pass to ``fail(...)`` (less those
mapped to another code). An f-string that cannot be expanded is reported as a problem,
never skipped.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: A code: lowercase words joined by dots, words of letters and digits joined by hyphens.
CODE_TEXT = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*")
DOTTED = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+")
_FILE_SUFFIXES = ("yaml", "yml", "json", "toml", "lark", "csv", "md", "py", "txt")
_CODE_NAME = re.compile(r"(?i)(^|_)codes?$")


@dataclass(frozen=True)
class Use:
    """One place where a code is raised (or tested for): ``file:line`` and how it was found."""

    code: str
    file: str
    line: int
    how: str

    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Scan:
    """What :func:`scan` found: the uses, and f-strings it could not expand."""

    uses: list[Use] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def codes(self) -> dict[str, list[Use]]:
        out: dict[str, list[Use]] = defaultdict(list)
        for u in self.uses:
            out[u.code].append(u)
        return dict(sorted(out.items()))


def _callee(call: ast.Call) -> str | None:
    f = call.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return None


def _is_code_name(name: str) -> bool:
    return bool(_CODE_NAME.search(name))


def _positional_params(args: ast.arguments, *, method: bool) -> list[str]:
    names = [a.arg for a in [*args.posonlyargs, *args.args]]
    return names[1:] if method and names else names


def _is_code_ref(node: ast.AST) -> bool:
    """``code`` or ``anything.code``."""
    return (isinstance(node, ast.Name) and node.id == "code") or (
        isinstance(node, ast.Attribute) and node.attr == "code"
    )


def _strings(node: ast.AST) -> Iterator[ast.Constant | ast.JoinedStr]:
    """Every string constant and f-string in an expression (not inside f-strings)."""
    if isinstance(node, ast.JoinedStr):
        yield node
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
        return
    for child in ast.iter_child_nodes(node):
        yield from _strings(child)


class _Module:
    def __init__(self, path: Path, rel: str) -> None:
        self.rel = rel
        self.tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        self.parent: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parent[child] = node


def _enclosing_function(mod: _Module, node: ast.AST) -> str | None:
    p = mod.parent.get(node)
    while p is not None and not isinstance(p, (ast.FunctionDef, ast.AsyncFunctionDef)):
        p = mod.parent.get(p)
    return p.name if p is not None else None


@dataclass
class _Signature:
    positional: list[str]
    keyword: list[str]
    defaults: dict[str, ast.expr]


def _signature(node: ast.FunctionDef | ast.AsyncFunctionDef, *, method: bool) -> _Signature:
    a = node.args
    positional = [*a.posonlyargs, *a.args]
    defaults = dict(zip((x.arg for x in positional[len(positional) - len(a.defaults):]), a.defaults))
    defaults.update((x.arg, d) for x, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None)
    names = [x.arg for x in positional]
    return _Signature(names[1:] if method and names else names, [x.arg for x in a.kwonlyargs], defaults)


def _template_text(node: ast.JoinedStr) -> bool:
    """An f-string that can be a code: its fixed parts have no spaces."""
    return all(not (isinstance(v, ast.Constant) and re.search(r"\s", str(v.value))) for v in node.values)


#: The registry itself lists every code; it raises none.
REGISTRY_MODULE = "taqyeem_rules/codes.py"


def scan(src: Path, namespaces: Iterable[str] = ()) -> Scan:
    """Every code use in the ``.py`` files under ``src`` (a package folder), but for the
    registry of codes, and a criterion kind's ``codes = {…}`` (a declaration, not a use)."""
    namespaces = frozenset(namespaces)
    modules = [_Module(p, p.relative_to(src.parent).as_posix()) for p in sorted(src.rglob("*.py"))]
    modules = [m for m in modules if m.rel != REGISTRY_MODULE]

    # ---- pass 1: what the source defines --------------------------------------------------
    code_params: dict[str, set[int]] = defaultdict(set)  # callee name -> positions of `code`
    signatures: dict[str, list[_Signature]] = defaultdict(list)
    calls: list[tuple[_Module, ast.Call, str | None]] = []  # (module, call, enclosing function)
    message_keys: set[str] = set()
    default_code: dict[str, str] = {}
    bases: dict[str, list[str]] = {}
    fail_reasons: set[str] = set()
    mapped_reasons: set[str] = set()
    for mod in modules:
        for node in ast.walk(mod.tree):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = [b.id for b in node.bases if isinstance(b, ast.Name)]
                fields: list[str] = []
                for stmt in node.body:
                    if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                            and isinstance(stmt.targets[0], ast.Name)
                            and stmt.targets[0].id == "default_code"
                            and isinstance(stmt.value, ast.Constant)):
                        default_code[node.name] = stmt.value.value
                    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                        if "ClassVar" not in ast.unparse(stmt.annotation):
                            fields.append(stmt.target.id)
                    if isinstance(stmt, ast.FunctionDef) and stmt.name == "__init__":
                        sig = _signature(stmt, method=True)
                        fields = sig.positional
                        signatures[node.name].append(sig)
                for i, name in enumerate(fields):
                    if _is_code_name(name):
                        code_params[node.name].add(i)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                method = isinstance(mod.parent.get(node), ast.ClassDef)
                sig = _signature(node, method=method)
                if node.name != "__init__":
                    signatures[node.name].append(sig)
                    for i, name in enumerate(sig.positional):
                        if _is_code_name(name):
                            code_params[node.name].add(i)
            elif isinstance(node, ast.Call):
                calls.append((mod, node, _enclosing_function(mod, node)))
                # A criterion kind's compile-time failure (``cc.fail("reason")`` in the
                # kinds and the model compiler; `verify` has a `fail` of its own).
                if (_callee(node) == "fail" and node.args and isinstance(node.args[0], ast.Constant)
                        and isinstance(node.args[0].value, str)
                        and (mod.rel.startswith("taqyeem_rules/guide/kinds/")
                             or mod.rel == "taqyeem_rules/engine/compile.py")):
                    fail_reasons.add(node.args[0].value)
            elif isinstance(node, ast.Dict):
                keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
                if "en" in keys:
                    for k, v in zip(node.keys, node.values):
                        if isinstance(k, ast.Constant) and k.value in ("en", "ar") and isinstance(v, ast.Dict):
                            message_keys.update(
                                kk.value for kk in v.keys
                                if isinstance(kk, ast.Constant) and isinstance(kk.value, str)
                            )
            elif isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Name) and t.id == "_FAILURE_CODES" and isinstance(node.value, ast.Dict):
                        mapped_reasons.update(
                            k.value for k in node.value.keys if isinstance(k, ast.Constant)
                        )

    def default_of(cls: str) -> str | None:
        seen = set()
        while cls not in default_code and cls in bases and cls not in seen:
            seen.add(cls)
            parents = [b for b in bases[cls] if b in default_code or b in bases]
            if not parents:
                return None
            cls = parents[0]
        return default_code.get(cls)

    calls_of: dict[str, list[tuple[ast.Call, str | None]]] = defaultdict(list)
    for _mod, call, caller in calls:
        calls_of[_callee(call) or ""].append((call, caller))

    def values(function: str | None, param: str, seen: frozenset[tuple[str, str]] = frozenset()) -> set[str]:
        """Every string the parameter ``param`` of ``function`` can be given: its default, the
        constants its callers pass, and what their callers pass on (``prefix=prefix``)."""
        if function is None or (function, param) in seen:
            return set()
        seen = seen | {(function, param)}
        out: set[str] = set()
        for sig in signatures.get(function, ()):
            d = sig.defaults.get(param)
            if isinstance(d, ast.Constant) and isinstance(d.value, str):
                out.add(d.value)
        for call, caller in calls_of.get(function, ()):
            args: list[ast.expr] = [kw.value for kw in call.keywords if kw.arg == param]
            for sig in signatures.get(function, ()):
                if param in sig.positional and sig.positional.index(param) < len(call.args):
                    args.append(call.args[sig.positional.index(param)])
            while args:
                arg = args.pop()
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    out.add(arg.value)
                elif isinstance(arg, ast.Name):
                    out |= values(caller, arg.id, seen)
                elif isinstance(arg, ast.IfExp):  # "flag" if … else "category"
                    args += [arg.body, arg.orelse]
        return out

    # ---- pass 2: the uses -------------------------------------------------------------------
    out = Scan()

    def candidates(mod: _Module, part: ast.expr, function: str | None) -> set[str] | None:
        if isinstance(part, ast.Constant):
            return {str(part.value)}
        if isinstance(part, ast.FormattedValue):
            return candidates(mod, part.value, function)
        if isinstance(part, ast.Name):
            return values(function, part.id) or None
        if isinstance(part, ast.IfExp):
            a, b = candidates(mod, part.body, function), candidates(mod, part.orelse, function)
            return a | b if a is not None and b is not None else None
        return None

    def expand(mod: _Module, node: ast.JoinedStr, how: str) -> None:
        text = ast.unparse(node)
        parts = node.values
        function = _enclosing_function(mod, node)
        if (len(parts) == 2 and isinstance(parts[0], ast.Constant) and parts[0].value == "scoring."
                and isinstance(parts[1], ast.FormattedValue) and isinstance(parts[1].value, ast.Attribute)):
            # A kind's failure: ScoringError `scoring.REASON` for cc.fail("REASON").
            for reason in sorted(fail_reasons - mapped_reasons):
                out.uses.append(Use("scoring." + reason, mod.rel, node.lineno, f"{how} {text}"))
            return
        texts = [""]
        for part in parts:
            found = candidates(mod, part, function)
            if found is None:
                out.problems.append(f"{mod.rel}:{node.lineno}: cannot expand the code {text}")
                return
            texts = [t + c for t in texts for c in sorted(found)]
        for code in texts:
            if CODE_TEXT.fullmatch(code):
                out.uses.append(Use(code, mod.rel, node.lineno, f"{how} {text}"))
            else:
                out.problems.append(f"{mod.rel}:{node.lineno}: {text} expands to {code!r}, not a code")

    def add(mod: _Module, node: ast.AST, how: str, *, dotted: bool = False) -> None:
        if isinstance(node, ast.Dict):
            for v in node.values:
                add(mod, v, how, dotted=dotted)
            return
        for s in _strings(node):
            seen.add(id(s))
            if isinstance(s, ast.JoinedStr):
                if _template_text(s):
                    expand(mod, s, how)
            elif (DOTTED if dotted else CODE_TEXT).fullmatch(s.value):
                out.uses.append(Use(s.value, mod.rel, s.lineno, how))

    for mod in modules:
        seen: set[int] = set()
        for node in ast.walk(mod.tree):
            if isinstance(node, ast.Call):
                for kw in node.keywords:
                    if kw.arg and _is_code_name(kw.arg):
                        add(mod, kw.value, f"{kw.arg}=")
                name = _callee(node)
                for i in sorted(code_params.get(name or "", ())):
                    if i < len(node.args):
                        add(mod, node.args[i], f"{name}() argument {i + 1}")
                cls_default = default_of(name) if name else None
                if (cls_default is not None and not any(kw.arg == "code" for kw in node.keywords)
                        and (node.args or any(kw.arg == "message" for kw in node.keywords))):
                    out.uses.append(Use(cls_default, mod.rel, node.lineno, f"{name}() without a code"))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                sig = _signature(node, method=False)
                for arg, default in sig.defaults.items():
                    if _is_code_name(arg):
                        add(mod, default, f"default of {arg}")
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                if "codes" in names and node.value is not None:  # a kind's declaration
                    seen.update(id(s) for s in _strings(node.value))
                    continue
                if node.value is not None and any(_is_code_name(t) for t in names) and "default_code" not in names:
                    add(mod, node.value, "assigned to a code", dotted=True)
            elif isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(_is_code_ref(s) for s in sides):
                    for s in sides:
                        if not _is_code_ref(s):
                            add(mod, s, "compared with a code", dotted=True)
        # The backstop: dotted strings of a code namespace anywhere else.
        for node in ast.walk(mod.tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in seen
                    and DOTTED.fullmatch(node.value) and node.value.split(".")[0] in namespaces
                    and node.value not in message_keys
                    and node.value.rsplit(".", 1)[-1] not in _FILE_SUFFIXES):
                parent = mod.parent.get(node)
                if isinstance(parent, ast.keyword) and parent.arg == "path":
                    continue  # a place in a document (`numbers.precision`), not a code
                out.uses.append(Use(node.value, mod.rel, node.lineno, "a string of a code namespace"))
    return out


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "src" / "taqyeem_rules"
    result = scan(src)
    for code, uses in result.codes().items():
        print(f"{code:40} {uses[0].where():40} {uses[0].how}" + (f" (+{len(uses) - 1})" if len(uses) > 1 else ""))
    for p in result.problems:
        print("PROBLEM", p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
