"""The examples of the documentation, run: the documented output must be what the library
prints today. The documents: README.md, docs/tutorial.md, docs/api.md, docs/language.md,
docs/errors.md, docs/guide-format.md, docs/plugins.md and docs/testing.md.

What the test recognises in a document (fenced code blocks, in the order they appear):

- a block whose first line starts with ``$ taqyeem`` — every ``$ taqyeem …`` line is run
  in-process (:func:`taqyeem_rules.cli.main`, standard output and error captured together,
  as a terminal shows them) and its output must be the lines that follow it, up to the
  next ``$`` line. ``"$(taqyeem …)"`` in a command is replaced by what that command
  prints (one line, e.g. ``"$(taqyeem examples 2024)"``, the folder of the bundled
  examples). ``2>&1`` is accepted (output is always captured together),
  ``>/dev/null`` discards standard output (what goes to standard error still shows), and
  a trailing ``; echo "exit $?"`` adds the line ``exit N`` with the exit status; the
  version of hypothesis a ``verify`` report names compares equal to any version;
- a block whose first line starts with ``>>>`` — a doctest. The blocks of one document
  share one namespace, in order;
- a block whose first line is a YAML comment naming a file, ``# guide.yaml`` — that file,
  exactly as shown (the comment is its first line);
- ``# guide.yaml, line 12``, ``# guide.yaml, lines 12-14`` or ``# guide.yaml, after
  line 12`` — the rest of the block replaces those lines of the file last shown in full
  (or is inserted after the line), for the next runnable block only. Several such blocks
  may change one file for the same step; their line numbers are all those of the file as
  shown in full;
- ``<!-- file: NAME -->`` on the line before a block — the block is the file NAME (for
  JSON and CSV, which have no comments);
- ``<!-- not-tested: reason -->`` on the line before a block — the block is not run (it
  needs a plugin distribution, a specific machine, …). A reason is required.

The runnable blocks of one document run in order in one temporary folder (the current
directory), where the files are written, so a later command can read what an earlier
one wrote. Any other block holding a ``$ taqyeem`` or ``>>>`` line is an error here: a
runnable-looking example that would silently not be checked. Trailing spaces at the ends
of lines are not compared (editors strip them).

After an intended change of output, rewrite the console examples of a document with what
the library prints now, then read the diff before committing it::

    python tests/test_docs.py docs/tutorial.md        (or README.md, docs/api.md, …)

(doctest blocks are run, not rewritten: fix those by hand.)
"""

from __future__ import annotations

import contextlib
import difflib
import doctest
import io
import re
import shlex
from pathlib import Path

import attrs
import pytest

from shared import ROOT
from taqyeem_rules import cli
from taqyeem_rules.dsl import plugins

DOCS = ROOT / "docs"
#: Paths relative to docs/ (the README is one folder up).
DOCUMENTS = ("../README.md", "tutorial.md", "api.md", "language.md", "errors.md", "guide-format.md", "plugins.md",
             "testing.md")

_FENCE = re.compile(r"^( *)(```+|~~~+)(.*)$")
_NOT_TESTED = re.compile(r"^<!--\s*not-tested:\s*(\S.*?)\s*-->$")
_FILE_COMMENT = re.compile(r"^<!--\s*file:\s*(\S+)\s*-->$")
_FILE_NAME = re.compile(r"^# ([\w./-]+\.(?:ya?ml|json|csv))$")
_FILE_PATCH = re.compile(
    r"^# ([\w./-]+\.(?:ya?ml|json|csv)), (?:(after) line (\d+)|lines? (\d+)(?:-(\d+))?)$"
)
_EXIT = '; echo "exit $?"'
#: The README's markers for CI (.ci/run reads the command after each): not examples.
_README_MARKER = re.compile(r"^<!--\s*(main|test)-command\s*-->$")
_SUBSTITUTION = re.compile(r'"\$\((taqyeem [^()"]*)\)"')


@attrs.frozen
class Block:
    """A fenced code block: where it starts (the line after the fence) and its lines."""

    doc: str
    line: int
    info: str
    lines: tuple[str, ...]
    not_tested: str | None = None
    file: str | None = None

    @property
    def where(self) -> str:
        return f"{_shown(self.doc)}:{self.line}"

    @property
    def kind(self) -> str:
        first = self.lines[0] if self.lines else ""
        if self.not_tested is not None:
            return "not-tested"
        if self.file is not None or _FILE_NAME.match(first):
            return "file"
        if _FILE_PATCH.match(first):
            return "patch"
        if first.startswith("$ taqyeem"):
            return "console"
        if first.startswith(">>>"):
            return "pycon"
        return "other"


def _shown(doc: str) -> str:
    """A document's path as people know it: README.md, docs/tutorial.md."""
    return str((DOCS / doc).resolve().relative_to(ROOT))


def blocks(doc: str) -> list[Block]:
    """Every fenced block of a document, with the HTML comment right before it."""
    text = (DOCS / doc).read_text(encoding="utf-8").split("\n")
    out: list[Block] = []
    k = 0
    while k < len(text):
        m = _FENCE.match(text[k])
        if not m:
            k += 1
            continue
        indent, fence, info = len(m.group(1)), m.group(2), m.group(3).strip()
        before = text[k - 1].strip() if k else ""
        start = k + 1
        k += 1
        while k < len(text) and not text[k].lstrip(" ").startswith(fence):
            k += 1
        # A block inside a list item is indented: its lines lose that indentation.
        body = tuple(
            line[indent:] if line[:indent].strip() == "" else line for line in text[start:k]
        )
        nt = _NOT_TESTED.match(before)
        fc = _FILE_COMMENT.match(before)
        if before.startswith("<!--") and not (nt or fc) and not _README_MARKER.match(before):
            raise AssertionError(f"{_shown(doc)}:{start}: unknown marker {before!r}")
        out.append(
            Block(
                doc, start + 1, info, body, nt.group(1) if nt else None, fc.group(1) if fc else None
            )
        )
        k += 1
    return out


# ---- running ---------------------------------------------------------------------------------


def run_command(command: str) -> str:
    """Run one ``taqyeem …`` command line in-process; its output as a terminal shows it."""
    show_exit = command.endswith(_EXIT)
    if show_exit:
        command = command[: -len(_EXIT)]
    command = _SUBSTITUTION.sub(lambda m: shlex.quote(run_command(m.group(1)).strip()), command)
    argv = shlex.split(command)
    assert argv[0] == "taqyeem", command
    quiet = ">/dev/null" in argv  # standard output discarded: only what goes to stderr shows
    argv = [a for a in argv[1:] if a not in ("2>&1", ">/dev/null")]
    buffer = io.StringIO()
    with (
        contextlib.redirect_stdout(io.StringIO() if quiet else buffer),
        contextlib.redirect_stderr(buffer),
    ):
        status = cli.main(argv)
    out = buffer.getvalue()
    if show_exit:
        out += f"exit {status}\n"
    return out


def console_examples(block: Block) -> list[tuple[int, str, list[str]]]:
    """(line, command, expected output lines) for each ``$`` line of a console block."""
    out: list[tuple[int, str, list[str]]] = []
    for k, line in enumerate(block.lines):
        if line.startswith("$ "):
            out.append((block.line + k, line[2:], []))
        else:
            out[-1][2].append(line)
    return out


#: The version of hypothesis a `verify` report names: the documents show the version they
#: were written with, and any version compares equal (a seed reproduces a run within one).
_HYPOTHESIS_VERSION = re.compile(r"hypothesis \d+\.\d+\.\d+")


def _norm(text: str) -> list[str]:
    return [_HYPOTHESIS_VERSION.sub("hypothesis X.Y.Z", line.rstrip()) for line in text.rstrip("\n").split("\n")]


class _Checker(doctest.OutputChecker):
    """doctest's comparison, ignoring trailing spaces at the ends of lines."""

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        strip = "\n".join(line.rstrip() for line in want.split("\n"))
        return super().check_output(
            strip, "\n".join(line.rstrip() for line in got.split("\n")), optionflags
        )


class _Files:
    """The files a document has shown so far, and the changes shown for the next step."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.full: dict[str, str] = {}
        #: name → [(first line, last line, new lines)]; an insertion after line n is (n + 1, n).
        self.changes: dict[str, list[tuple[int, int, list[str]]]] = {}
        self.written: dict[str, str] = {}

    def add(self, block: Block) -> None:
        first = block.lines[0]
        if block.kind == "file":
            name = block.file or _FILE_NAME.match(first).group(1)  # type: ignore[union-attr]
            self.full[name] = "\n".join(block.lines) + "\n"
            self.changes.pop(name, None)
            return
        m = _FILE_PATCH.match(first)
        assert m is not None
        name = m.group(1)
        assert name in self.full, f"{block.where}: {name} is changed before it is shown in full"
        size = self.full[name].count("\n")
        if m.group(2):
            a = int(m.group(3)) + 1
            b = a - 1
        else:
            a = int(m.group(4))
            b = int(m.group(5) or a)
        assert 1 <= a <= b + 1 <= size + 1, f"{block.where}: {name} has no line(s) {a}-{b}"
        self.changes.setdefault(name, []).append((a, b, list(block.lines[1:])))

    def text(self, name: str) -> str:
        """The file with this step's changes; their line numbers are those of the file as
        shown in full, whatever the other changes insert or remove."""
        lines = self.full[name].split("\n")
        changes = sorted(self.changes.get(name, ()), key=lambda c: (c[0], c[1]), reverse=True)
        for (a, b, _), (c, _d, _) in zip(changes[1:], changes, strict=False):
            assert b < c, f"changes of {name} overlap (lines {a}-{b} and from {c})"
        for a, b, new in changes:
            lines[a - 1 : b] = new
        return "\n".join(lines)

    def write(self) -> None:
        for name in self.full:
            text = self.text(name)
            path = self.folder / name
            if self.written.get(name) != text or not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                self.written[name] = text
        self.changes.clear()


def run_document(doc: str, folder: Path) -> tuple[int, list[str]]:
    """Run every example of ``doc`` in ``folder``: (examples run, failure reports)."""
    files = _Files(folder)
    failures: list[str] = []
    count = 0
    globs: dict[str, object] = {"__name__": "docs"}
    runner = doctest.DocTestRunner(checker=_Checker(), optionflags=doctest.REPORT_UDIFF)
    parser = doctest.DocTestParser()
    for block in blocks(doc):
        kind = block.kind
        if kind in ("file", "patch"):
            files.add(block)
            continue
        if kind == "other":
            for line in block.lines:
                assert not line.startswith(("$ taqyeem", ">>>")), (
                    f"{block.where}: a runnable-looking line that is not the first line of its "
                    "block; start the block with it, or mark the block <!-- not-tested: reason -->"
                )
            continue
        if kind == "not-tested":
            files.changes.clear()  # the changes shown were for this example
            continue
        files.write()
        if kind == "console":
            for line, command, expected in console_examples(block):
                count += 1
                got = _norm(run_command(command))
                want = _norm("\n".join(expected))
                if got != want:
                    diff = "\n".join(
                        difflib.unified_diff(want, got, "documented", "actual", lineterm="")
                    )
                    failures.append(f"{_shown(doc)}:{line}: $ {command}\n{diff}")
        else:
            test = parser.get_doctest(
                "\n".join(block.lines), globs, block.where, str(DOCS / doc), block.line - 1
            )
            count += len(test.examples)
            report = io.StringIO()
            result = runner.run(test, out=report.write, clear_globs=False)
            globs = test.globs  # (a DocTest works on a copy: later blocks see these names)
            if result.failed:
                failures.append(report.getvalue())
    return count, failures


def update_document(doc: str, folder: Path) -> int:
    """Rewrite the expected output of every console example of ``doc`` with what the
    library prints now (run as in :func:`run_document`); the number of commands run."""
    path = DOCS / doc
    text = path.read_text(encoding="utf-8").split("\n")
    files = _Files(folder)
    globs: dict[str, object] = {"__name__": "docs"}
    runner = doctest.DocTestRunner(checker=_Checker(), optionflags=doctest.REPORT_UDIFF)
    parser = doctest.DocTestParser()
    rewrites: list[tuple[int, int, list[str]]] = []
    count = 0
    for block in blocks(doc):
        if block.kind in ("file", "patch"):
            files.add(block)
            continue
        if block.kind == "not-tested":
            files.changes.clear()
            continue
        if block.kind == "other":
            continue
        files.write()
        if block.kind == "console":
            indent = " " * (len(text[block.line - 2]) - len(text[block.line - 2].lstrip(" ")))
            new: list[str] = []
            for _, command, _ in console_examples(block):
                count += 1
                new.append(f"$ {command}")
                out = run_command(command)
                new += out.rstrip("\n").split("\n") if out.strip() else []
            rewrites.append((block.line - 1, block.line - 1 + len(block.lines), [indent + x if x else x for x in new]))
        else:
            test = parser.get_doctest("\n".join(block.lines), globs, block.where, str(path), block.line - 1)
            runner.run(test, out=lambda _: None, clear_globs=False)
            globs = test.globs
    for start, end, new in reversed(rewrites):
        text[start:end] = new
    path.write_text("\n".join(text), encoding="utf-8")
    return count


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary current directory, plain terminal settings, and a private copy of the
    plugin registry (the examples register functions)."""
    monkeypatch.chdir(tmp_path)
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "25")
    registry = plugins.default_registry().copy()
    registry.version = plugins.default_registry().version + 1_000_000
    monkeypatch.setattr(plugins, "_DEFAULT", registry)
    return tmp_path


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_examples(doc: str, sandbox: Path) -> None:
    count, failures = run_document(doc, sandbox)
    assert count > 0
    assert not failures, f"{len(failures)} example(s) of {_shown(doc)} differ:\n\n" + "\n\n".join(
        failures
    ) + f"\n\n(after an intended change: python tests/test_docs.py {_shown(doc)})"


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_markers_have_reasons(doc: str) -> None:
    """Every skipped block says why, and is an example (skipping prose blocks is noise)."""
    for block in blocks(doc):
        if block.not_tested is not None:
            assert any(line.startswith(("$ ", ">>>")) for line in block.lines), (
                f"{block.where}: not-tested marker on a block that is not an example"
            )


def test_recognises_the_forms() -> None:
    """The block forms documented above are told apart."""

    def kind(*lines: str, **kw: str) -> str:
        return Block("x.md", 1, "", lines, **kw).kind

    assert kind("$ taqyeem eval '1'", "1") == "console"
    assert kind(">>> 1", "1") == "pycon"
    assert kind("# guide.yaml", "a: 1") == "file"
    assert kind("# guide.yaml, lines 3-4", "a: 1") == "patch"
    assert kind("# c1.csv, after line 1", "x") == "patch"
    assert kind('{"a": 1}', file="c1.json") == "file"
    assert kind(">>> 1", not_tested="needs a plugin") == "not-tested"
    assert kind("# a comment", "x: 1") == "other"
    assert console_examples(
        Block("x.md", 10, "", ("$ taqyeem eval '1'", "1", "$ taqyeem eval '2'", "2"))
    ) == [
        (10, "taqyeem eval '1'", ["1"]),
        (12, "taqyeem eval '2'", ["2"]),
    ]


def test_substitutes_a_command_s_output() -> None:
    """``"$(taqyeem examples 2024)"`` is the folder the command prints (one argument)."""
    from taqyeem_rules import bundled_examples

    out = run_command('taqyeem score 2024 "$(taqyeem examples 2024)" --format csv')
    assert out.count("\n") == 1 + len(list(bundled_examples("2024").glob("*.yaml")))


def main(argv: list[str]) -> int:
    """``python tests/test_docs.py DOC…``: rewrite the console examples of each document."""
    import os
    import tempfile

    if not argv:
        print("usage: python tests/test_docs.py README.md | docs/NAME.md …")
        return 2
    os.environ.update(COLUMNS="80", LINES="25")
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        os.environ.pop(name, None)
    here = Path.cwd()
    for arg in argv:
        doc = os.path.relpath((here / arg).resolve(), DOCS)
        with tempfile.TemporaryDirectory() as folder:
            os.chdir(folder)
            try:
                count = update_document(doc, Path(folder))
            finally:
                os.chdir(here)
        print(f"{_shown(doc)}: {count} command(s) run, output rewritten")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))


# ---- the API reference -------------------------------------------------------------------------

#: The classes whose every public attribute and method docs/api.md must name.
_REFERENCED = ("Guide", "CheckReport", "Evidence", "Result", "CategoryResult", "CriterionResult", "Diff",
               "EffectiveWeight", "Impact", "CentreImpact", "CriterionShift", "TierTransition", "CycleRecord",
               "ReplayReport", "CentreReplay", "IntegrityFinding", "ReplayDifference", "Diagnostic")


def _api_text() -> str:
    return (DOCS / "api.md").read_text(encoding="utf-8")


def test_api_reference_documents_every_public_name() -> None:
    """Each name of ``taqyeem_rules.__all__`` has a heading of its own in docs/api.md, or a row
    of a table there (first cell)."""
    import taqyeem_rules

    documented: set[str] = set()
    for line in _api_text().split("\n"):
        if line.startswith("#"):
            documented |= set(re.findall(r"`([A-Za-z_]\w*)", line))
        elif line.startswith("| `"):
            documented |= set(re.findall(r"`([A-Za-z_]\w*)", line.split("|")[1]))
    missing = sorted(set(taqyeem_rules.__all__) - documented)
    assert missing == [], f"docs/api.md has no heading or table row for: {', '.join(missing)}"


@pytest.mark.parametrize("name", _REFERENCED)
def test_api_reference_names_every_member(name: str) -> None:
    """Every public attribute and method of the main classes is named in docs/api.md."""
    import inspect

    import taqyeem_rules

    cls = getattr(taqyeem_rules, name)
    members = {m for m in dir(cls) if not m.startswith("_")} - set(dir(Exception))
    members |= {f.name for f in getattr(cls, "__attrs_attrs__", ()) if not f.name.startswith("_")}
    members = {m for m in members if not (inspect.isclass(getattr(cls, m, None)))}
    text = _api_text()
    missing = sorted(m for m in members if f"`{m}" not in text and f".{m}" not in text and f" {m}`" not in text)
    assert missing == [], f"docs/api.md does not name {name}.{', '.join(missing)}"
