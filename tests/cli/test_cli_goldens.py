"""Every command's output, in English and Arabic, against its golden file; Arabic
output that mixes in no English words; and the illustrative guide's caveat in every
command's every format."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from tests.cli.goldens import AMENDED, C1, FIX, GOLDEN, MINI, SOUND, cases, run

CASES = cases()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every command's output, in order (``record`` writes what ``replay`` reads)."""
    tmp = tmp_path_factory.mktemp("cli")
    return {name: run(argv, tmp) for name, _, argv in CASES}


@pytest.mark.parametrize("name", [name for name, _, _ in CASES])
def test_golden(name: str, outputs: dict[str, str]) -> None:
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    assert outputs[name] == expected, f"{name} changed; if intended, run python tests/cli/make_goldens.py"


def test_every_command_has_goldens_in_both_languages() -> None:
    from taqyeem_rules.cli import COMMANDS

    have = {p.name.split(".")[0] for p in GOLDEN.glob("*.ar.txt")}
    assert set(COMMANDS) - have == {"examples", "schema"}  # a path, and a JSON Schema: no words


# ---- Arabic lines mix in no English words ----------------------------------------------------------

#: Words that are not English prose: the expression language, type names, the tool and
#: option names a sentence quotes, the placeholders of the goldens.
CODES = {"if", "then", "else", "and", "or", "not", "checked", "total", "boolean", "number", "hypothesis", "H",
         "seed", "TMP", "ROOT", "taqyeem-record", "cycle.json", "guide.yaml", "tests", "fixtures", "verify",
         "Mini", "sound", "mini", "mini-amended"}


def _ids() -> set[str]:
    """Every id and key of the guides used, and the words of the test cases' names
    (labels given only in English show as given)."""
    found: set[str] = set()

    def walk(x: object) -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                found.add(str(k))
                if isinstance(v, str) and k in ("id", "name"):
                    found.update(re.findall(r"[A-Za-z0-9_]+", v))
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    for path in [MINI, AMENDED, SOUND, *map(str, (FIX / "verify" / "sound" / "tests").glob("*.yaml"))]:
        walk(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
    return found


def english_words(line: str, allowed: set[str]) -> list[str]:
    """The English words of a line that holds Arabic (code in backticks, ids, numbers,
    fingerprints and allowed words left out)."""
    if not re.search("[\u0600-\u06ff]", line):
        return []
    text = re.sub(r"`[^`]*`|--[a-z][a-z\-]*", "", line)  # code, and option names
    words = re.findall(r"[A-Za-z][A-Za-z0-9_.\-]*", text)
    return [w for w in words if w not in allowed and not all(part in allowed or not part for part in re.split(r"[.\-]", w))
            and not re.fullmatch(r"[0-9a-f]*[0-9][0-9a-f]*|[a-z0-9]+(_[a-z0-9]+)+|[A-Z]+-\d+", w)]


def test_arabic_output_mixes_in_no_english_words(outputs: dict[str, str]) -> None:
    ids = _ids()
    # an id folded over two lines of a narrow cell leaves two pieces of it
    allowed = CODES | ids | {x[:k] for x in ids if "_" in x for k in range(3, len(x))} | {
        x[k:] for x in ids if "_" in x for k in range(1, len(x) - 2)}
    mixed = [(name, line) for name, _, _ in CASES if name.endswith(".ar.txt")
             for line in outputs[name].splitlines() if english_words(line, allowed)]
    assert not mixed, "\n".join(f"{n}: {line}" for n, line in mixed)


def test_the_check_of_mixed_lines_finds_english_words() -> None:
    assert english_words("المجموع 85 (static type number)", CODES) == ["static", "type"]
    assert english_words("total 85", CODES) == []  # no Arabic: not an Arabic line


# ---- the caveat of an illustrative guide, everywhere -----------------------------------------------

CAVEAT = {"en": "Illustrative guide", "ar": "دليل توضيحي"}
COMMANDS = {  # command → (arguments, formats)
    "score": ([MINI, C1], ("table", "json", "csv", "markdown")),
    "explain": ([MINI, C1], ("tree", "text", "json")),
    "check": ([MINI], ("table", "json")),
    "diff": ([MINI, AMENDED], ("table", "markdown", "json")),
    "impact": ([MINI, AMENDED, C1, "--assume-missing", "not_applicable"], ("table", "json", "csv", "markdown")),
    "margins": ([MINI, C1], ("table", "json", "csv", "markdown")),
    "sensitivity": ([MINI, C1, "--samples", "9"], ("table", "json", "csv", "markdown")),
    "test": ([SOUND], ("table", "json", "markdown")),
    "verify": ([SOUND, "--max-examples", "3", "--property", "ranges"], ("table", "json", "markdown")),
    "record": ([MINI, C1, "--cycle", "c", "-o", "{tmp}/r.json"], ("table", "json")),
    "replay": (["{tmp}/r.json"], ("table", "json")),
}


def _says_illustrative(text: str, fmt: str, lang: str) -> bool:
    if fmt == "json":
        data = json.loads(text[: text.rindex("exit")])
        items = data if isinstance(data, list) else [data]
        return all(item.get("guide_status") == "illustrative" for item in items)
    if fmt == "csv":
        rows = text.splitlines()[:-1]
        return rows[0].endswith(",guide_status") and all(r.endswith(",illustrative") for r in rows[1:])
    if fmt in ("markdown",):
        return text.splitlines()[-2].startswith(CAVEAT[lang])  # the last line before `exit N`
    if fmt == "table" and text.startswith(("guide ", "الدليل ")):  # check: its provenance line
        return "illustrative" in text or "توضيحي" in text
    return CAVEAT[lang] in text or CAVEAT[lang].lower() in text


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_output_says_the_guide_is_illustrative(command: str, lang: str, tmp_path: Path) -> None:
    argv, formats = COMMANDS[command]
    if command == "replay":
        run(["record", MINI, C1, "--cycle", "c", "-o", "{tmp}/r.json"], tmp_path)
    for fmt in formats:
        text = run([command, *argv, "--format", fmt, "--lang", lang], tmp_path)
        if command == "check" and fmt == "table":
            assert ("provenance: illustrative" if lang == "en" else "المصدر: توضيحي") in text
            continue
        assert _says_illustrative(text, fmt, lang), f"{command} --format {fmt} --lang {lang}:\n{text}"
