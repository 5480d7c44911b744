"""YAML → checked :class:`Guide`: read with positions → JSON Schema → model → checks.

Each stage collects every diagnostic it can before the next one runs; a guide with
errors raises one :class:`~taqyeem_rules.errors.GuideError` that carries them all,
each with ``file:line:col``, a caret snippet and a hint.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from importlib import resources
from pathlib import Path as FsPath
from typing import Any

import attrs

from .._io import display_path, path_kind, read_text
from ..dsl import nodes as n
from ..dsl.limits import MAX_DOCUMENT_VALUES, MAX_FILE_BYTES
from ..dsl.numbers import FEEL_CONTEXT, NumberTextError, read_number
from ..dsl.parser import parse
from ..errors import Diagnostic, ExpressionSyntaxError, GuideError, PluginError
from .guide import FORMAT, Guide
from .kinds import kind_registry
from .kinds.registry import shorthand_kinds
from .model import (
    Category,
    ChecklistItem,
    Criterion,
    Expr,
    Flag,
    Input,
    Level,
    Model,
    Numbers,
    Past,
    Points,
    Provenance,
    SourceRef,
    Text,
    Tier,
)
from .schema import path_text, validate
from .yamlio import Document, Path, load_document

__all__ = [
    "ModelBuilder",
    "build_guide",
    "bundled_editions",
    "bundled_examples",
    "criteria_root",
    "load_guide",
    "normal_decimal",
    "read_guide",
    "resolve_guide_path",
    "text_of",
]

GUIDE_FILE = "guide.yaml"


def criteria_root() -> FsPath:
    """Where the bundled guides are: inside the installed package, or the source tree."""
    packaged = resources.files("taqyeem_rules").joinpath("criteria")
    if packaged.is_dir():
        return FsPath(str(packaged))
    here = FsPath(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "criteria"
        if (candidate / "README.md").is_file() and (parent / "pyproject.toml").is_file():
            return candidate
    return FsPath(str(packaged))  # pragma: no cover - a broken install


def bundled_editions() -> list[str]:
    """The editions shipped with the package, oldest first."""
    root = criteria_root()
    if not root.is_dir():  # pragma: no cover
        return []
    return sorted(p.name for p in root.iterdir() if (p / GUIDE_FILE).is_file())


def bundled_examples(edition: str) -> FsPath:
    """The folder of an edition's bundled example evidence (inside the installed package),
    e.g. ``load_evidences([bundled_examples("2024")], guide)``. The example centres are
    fictional. Raises :class:`~taqyeem_rules.errors.GuideError` (``guide.not-found``) for
    an edition that is not bundled or has no examples."""
    editions = bundled_editions()
    folder = criteria_root() / str(edition) / "examples"
    if str(edition) not in editions or not folder.is_dir() or not any(folder.glob("*.yaml")):
        with_examples = [e for e in editions if any((criteria_root() / e / "examples").glob("*.yaml"))]
        what = "no bundled edition" if str(edition) not in editions else "no bundled examples for edition"
        raise GuideError(f"{what} {edition!r}", code="guide.not-found",
                         hint="bundled editions with examples: " + ", ".join(with_examples))
    return folder


def resolve_guide_path(spec: str | os.PathLike[str]) -> FsPath:
    """An edition id (``"2024"``), a guide directory or a guide file → the guide file."""
    path = FsPath(spec)

    def kind(p: FsPath) -> str | None:
        return path_kind(p, error=GuideError, prefix="guide", what="guide")

    found = kind(path)
    if found in ("file", "other"):  # (a FIFO or a device is refused when read)
        return path
    if found == "folder" and kind(path / GUIDE_FILE) == "file":
        return path / GUIDE_FILE
    text = str(spec)
    bundled = criteria_root() / text / GUIDE_FILE
    if os.sep not in text and "/" not in text and kind(bundled) == "file":
        return bundled
    editions = bundled_editions()
    if found == "folder" and not (os.sep not in text and "/" not in text and text in editions):
        raise GuideError(
            f"the folder {text} holds no {GUIDE_FILE}",
            code="guide.not-found",
            hint=f"give the path of a guide YAML file, or of a folder with a {GUIDE_FILE}; "
                 "bundled editions: " + ", ".join(editions),
        )
    if path.suffix in (".yaml", ".yml", ".json") or os.sep in text or "/" in text:
        raise GuideError(
            f"no guide file at {text}",
            code="guide.not-found",
            hint="give an edition (" + ", ".join(editions) + ") or the path of a guide YAML file",
        )
    raise GuideError(
        f"no bundled edition {text!r}",
        code="guide.not-found",
        hint="bundled editions: " + ", ".join(editions) + "; or give the path of a guide YAML file",
    )


# ---- building the model ----------------------------------------------------------------


def normal_decimal(value: Any) -> Decimal:
    """A normalised decimal: ``20.0`` and ``20`` are the same number in a guide, and it
    is written ``Decimal('20')``, never ``Decimal('2E+1')`` (the value and its canonical
    text are the same either way)."""
    d = value if isinstance(value, Decimal) else Decimal(value)
    if d.is_zero():
        return Decimal(0)
    d = d.normalize(FEEL_CONTEXT)
    if d.as_tuple().exponent > 0 and d.adjusted() < FEEL_CONTEXT.prec:  # type: ignore[operator]
        d = d.quantize(Decimal(1), context=FEEL_CONTEXT)
    return d


def text_of(value: Any) -> Text:
    """A bilingual text from its data ``{en, ar}``."""
    return Text(en=str(value["en"]), ar=str(value["ar"]))


def _past(d: dict[str, Any]) -> Past | None:
    """An input's ``past:`` (the value in the input's evidence form; see written_value)."""
    spec = d.get("past")
    if spec is None:
        return None
    if spec == "not_applicable":
        return Past(not_applicable=True)
    from .inputs import written_value

    probe = Input(d["id"], d["type"], d["source"], Text("", ""),
                  items=tuple(ChecklistItem(it["id"], Text("", "")) for it in d.get("items", [])))
    return Past(value=written_value(probe, spec["value"]))


class ModelBuilder:
    """Builds the frozen model from a guide document (the schema has passed), keeping
    every element's position; also the ``LoadContext`` a criterion kind builds its params
    with, and what amendments build the parts they add with. Findings collect in
    :attr:`diags`."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.diags: list[Diagnostic] = []

    # ---- the LoadContext a criterion kind builds its params with ---------------------

    def span(self, path: Path) -> Any:
        return self.doc.span(path)

    def key_span(self, path: Path) -> Any:
        return self.doc.key_span(path)

    def get(self, path: Path) -> Any:
        return self._get(path)

    def has(self, path: Path) -> bool:
        value: Any = self.doc.data
        for part in path:
            if (isinstance(value, dict) and part in value) or (isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value)):
                value = value[part]
            else:
                return False
        return True

    def number(self, value: Any, path: Path | None = None) -> Decimal:
        """A normalised decimal; a number written as text (a quoted constant) is read by
        the one number reader, and one beyond the range is reported at ``path``."""
        if not isinstance(value, str):
            return normal_decimal(value)
        try:
            return normal_decimal(read_number(value.strip()))
        except NumberTextError as exc:
            self.diags.append(Diagnostic("yaml.number", exc.message, self.span(path) if path else None,
                                         "check the exponent", path=path_text(path) if path else None))
            return Decimal(0)

    def text(self, value: Any) -> Text:
        return text_of(value)

    def path_text(self, path: Path) -> str:
        return path_text(path)

    def error(self, code: str, message: str, path: Path, hint: str | None = None) -> None:
        self.diags.append(Diagnostic(code, message, self.span(path), hint, path=path_text(path)))

    def expr(self, path: Path, *, start: str = "expression") -> Expr:
        value = self._get(path)
        text = value if isinstance(value, str) else _scalar_text(value)
        span = self.span(path)
        offset = self.doc.locator(path) if isinstance(value, str) else (span.start if span else 0)
        try:
            node = parse(text, start=start, source=self.doc.source, offset=offset)
        except ExpressionSyntaxError as exc:
            for d in exc.diagnostics:
                self.diags.append(
                    Diagnostic(d.code, d.message, d.span, d.hint, d.severity, path_text(path))
                )
            node = n.UnaryTests((n.AnyTest(),)) if start == "unary_tests" else n.Null()
        return Expr(node, text, span=self.span(path))

    def _get(self, path: Path) -> Any:
        value: Any = self.doc.data
        for part in path:
            value = value[part]
        return value

    def guide(self) -> Guide:
        d = self.doc.data
        prov = d["provenance"]
        numbers = d.get("numbers", {})
        guide = Guide(
            edition=str(d["edition"]),
            title=text_of(d["title"]),
            effective_from=d["effective"]["from"],
            effective_to=d["effective"].get("to"),
            provenance=self.provenance(prov),
            numbers=attrs.evolve(self.numbers(numbers), span=self.span(("numbers",)) if numbers else None),
            points=self.points(d["points"]),
            inputs=tuple(self.input_at(("inputs", i)) for i in range(len(d["inputs"]))),
            models=tuple(
                self.model_at(("models", mid), mid) for mid in ("onsite", "remote") if mid in d["models"]
            ),
            format=d.get("format", FORMAT),
            extends=d.get("extends"),
            amendments=tuple(d.get("amendments", ())),
            source=self.doc.source,
            path=self.doc.source.name,
        )
        return guide

    def provenance(self, prov: dict[str, Any]) -> Provenance:
        return Provenance(
            status=prov["status"],
            sources=tuple(
                SourceRef(
                    title=s["title"],
                    publisher=s.get("publisher"),
                    url=s.get("url"),
                    supports=s.get("supports"),
                    accessed=s.get("accessed"),
                )
                for s in prov.get("sources", [])
            ),
            illustrative=tuple(prov.get("illustrative", [])),
            notes=prov.get("notes"),
        )

    def numbers(self, numbers: dict[str, Any]) -> Numbers:
        report = numbers.get("report", {})
        return Numbers(
            precision=int(numbers.get("precision", 34)),
            rounding=numbers.get("rounding", "half_even"),
            report_scale=int(report.get("scale", 2)),
            report_rounding=report.get("rounding", "half_up"),
        )

    def points(self, p: dict[str, Any]) -> Points:
        return Points(
            min=normal_decimal(p["min"]),
            max=normal_decimal(p["max"]),
            levels=tuple(
                Level(normal_decimal(lv["value"]), Text(en=lv["en"], ar=lv["ar"])) for lv in p.get("levels", [])
            ),
            span=self.span(("points",)),
        )

    def input_at(self, path: Path) -> Input:
        d = self._get(path)
        rng = d.get("range")
        return Input(
            id=d["id"],
            type=d["type"],
            source=d["source"],
            label=text_of(d["label"]),
            required=bool(d.get("required", True)),
            range=(
                (None if rng[0] is None else normal_decimal(rng[0]), None if rng[1] is None else normal_decimal(rng[1]))
                if rng is not None
                else None
            ),
            unit=d.get("unit"),
            items=tuple(
                ChecklistItem(it["id"], text_of(it["label"]), span=self.span((*path, "items", k)))
                for k, it in enumerate(d.get("items", []))
            ),
            of=d.get("of"),
            min_items=int(d["min_items"]) if d.get("min_items") is not None else None,
            description=text_of(d["description"]) if d.get("description") is not None else None,
            past=_past(d),
            better=d.get("better"),
            span=self.span((*path, "id")),
            path=path_text(path),
        )

    def model_at(self, path: Path, mid: str) -> Model:
        d = self._get(path)
        return Model(
            id=mid,
            label=text_of(d["label"]),
            categories=tuple(self.category((*path, "categories", k)) for k in range(len(d["categories"]))),
            tiers=tuple(self.tier((*path, "tiers", k)) for k in range(len(d.get("tiers", [])))),
            flags=tuple(self.flag((*path, "flags", k)) for k in range(len(d.get("flags", [])))),
            span=self.doc.key_span(path),
            path=path_text(path),
        )

    def category(self, path: Path) -> Category:
        d = self._get(path)
        return Category(
            id=d["id"],
            label=text_of(d["label"]),
            weight=normal_decimal(d["weight"]),
            criteria=tuple(self.criterion((*path, "criteria", k)) for k in range(len(d["criteria"]))),
            span=self.span((*path, "id")),
            path=path_text(path),
        )

    def criterion(self, path: Path) -> Criterion:
        d = self._get(path)
        kind_name, params = self.kind_params(path, d)
        return Criterion(
            id=d["id"],
            label=text_of(d["label"]),
            weight=normal_decimal(d["weight"]),
            basic=bool(d.get("basic", False)),
            applicable=self.expr((*path, "applicable")) if d.get("applicable") is not None else None,
            missing=d.get("missing", "error"),
            kind=kind_name,
            params=params,
            description=text_of(d["description"]) if d.get("description") is not None else None,
            span=self.span((*path, "id")),
            path=path_text(path),
        )

    def kind_params(self, path: Path, d: dict[str, Any]) -> tuple[str, Any]:
        """The criterion's kind and its params model, built by the kind.

        A shorthand key (``score``, ``bands``) names a built-in kind; otherwise ``kind``
        names one and ``params`` holds its settings. A kind that is not installed, or
        cannot be loaded, leaves its params as plain data: the guide's checks report it
        at the criterion (``guide.criterion-kind``), with every other finding."""
        for key, kind in shorthand_kinds().items():
            if key in d:
                return kind.name, kind.load(self, kind.shorthand_path(path))
        name = str(d.get("kind"))
        try:
            kind = kind_registry().get(name)
        except PluginError:
            kind = None
        if kind is None:
            return name, d.get("params")
        return name, kind.load(self, (*path, "params"))

    def tier(self, path: Path) -> Tier:
        d = self._get(path)
        return Tier(
            id=d["id"],
            label=text_of(d["label"]),
            min=normal_decimal(d["min"]),
            require=self.expr((*path, "require")) if d.get("require") is not None else None,
            span=self.span((*path, "id")),
            path=path_text(path),
        )

    def flag(self, path: Path) -> Flag:
        d = self._get(path)
        return Flag(
            id=d["id"],
            label=text_of(d["label"]),
            when=self.expr((*path, "when")),
            span=self.span((*path, "id")),
            path=path_text(path),
        )


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


def build_guide(doc: Document) -> tuple[Guide | None, list[Diagnostic]]:
    """Schema-validate a document and build the guide model (no semantic checks)."""
    diags = list(validate(doc))
    if diags:
        return None, diags
    builder = ModelBuilder(doc)
    guide = builder.guide()
    return guide, builder.diags


def read_guide(path: str | os.PathLike[str]) -> Document:
    """Read a guide file into a document with positions (YAML errors raise GuideError)."""
    file = FsPath(path)
    text = read_text(file, what="guide", error=GuideError, prefix="guide", limit=MAX_FILE_BYTES)
    return load_document(text, display_name(file), error=GuideError)


def display_name(file: FsPath) -> str:
    """As :func:`display_path`; a bundled guide outside the current folder is shown as
    ``criteria/2024/guide.yaml``."""
    shown = display_path(file)
    if not FsPath(shown).is_absolute():
        return shown
    try:
        return "criteria/" + str(file.resolve().relative_to(criteria_root().resolve()))
    except ValueError:
        return shown


def load_guide(path_or_edition: str | os.PathLike[str], *, check: bool = True) -> Guide:
    """Load a guide by edition (``"2024"``) or path, materialise amendments, and check it.

    Raises :class:`~taqyeem_rules.errors.GuideError` carrying every diagnostic found.
    Warnings do not stop loading; ``guide.check()`` lists them.
    """
    file = resolve_guide_path(path_or_edition)
    doc = read_guide(file)
    if isinstance(doc.data, dict) and "extends" in doc.data:
        from .amend import materialise

        guide = materialise(doc, file, load_guide)
    else:
        if not isinstance(doc.data, dict):
            raise GuideError(
                "a guide file is a mapping of keys (format, edition, title, …)",
                span=doc.span(()),
                code="guide.schema",
            )
        guide, diags = build_guide(doc)
        if diags or guide is None:
            raise GuideError(diagnostics=diags)
    if check:
        report = guide.check()
        if not report.ok:
            raise GuideError(diagnostics=report.diagnostics)
    return guide


def guide_from_canonical(data: dict[str, Any], *, name: str = "<canonical guide>") -> Guide:
    """Rebuild a guide from its canonical data (:meth:`Guide.to_canonical`, e.g. from a
    cycle record). The data goes through the same schema, limits and checks as a guide
    file before any arithmetic is done with it (a record is data from outside, like any
    file); its fingerprint is checked by the caller."""
    from ..source import Source
    from .schema import from_canonical

    if not isinstance(data, dict):
        raise GuideError(f"{name}: a canonical guide is a mapping", code="guide.canonical")
    values = _count_values(data)
    if values > MAX_DOCUMENT_VALUES:
        raise GuideError(f"{name}: the guide holds more than {MAX_DOCUMENT_VALUES:,} values",
                         code="guide.size")
    plain = from_canonical(data)
    models = plain.get("models")
    if isinstance(models, dict):  # the canonical form repeats each model's key as its id
        plain["models"] = {
            key: {k: v for k, v in m.items() if not (k == "id" and v == key)} if isinstance(m, dict) else m
            for key, m in models.items()
        }
    doc = Document(Source(name, ""), plain, {})
    guide, diags = build_guide(doc)
    if diags or guide is None:
        raise GuideError(diagnostics=diags)
    report = guide.check()
    if not report.ok:
        raise GuideError(diagnostics=report.diagnostics)
    return guide


def _count_values(data: Any) -> int:
    count, stack = 0, [data]
    while stack and count <= MAX_DOCUMENT_VALUES:
        value = stack.pop()
        count += 1
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return count


def iter_guide_files() -> Iterator[FsPath]:
    """Every bundled guide file."""
    for edition in bundled_editions():
        yield criteria_root() / edition / GUIDE_FILE
