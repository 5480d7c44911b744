"""The one registry of criterion kinds, filled from the entry-point group
``taqyeem_rules.criteria``.

The built-in kinds are registered through that same group in the package's
``pyproject.toml``, exactly as a third party registers one::

    [project.entry-points."taqyeem_rules.criteria"]
    survey = "taqyeem_rules.guide.kinds.survey:KIND"

An entry point names a :class:`~taqyeem_rules.guide.kinds.base.CriterionKind` instance
(or class, or a module with ``KIND``). Entry points are read lazily: the built-in names
from this package's own metadata, others from every installed distribution, the first
time a guide names a kind that is not known yet. When the package runs from a source
tree without installed metadata (a checkout on ``sys.path``), the built-ins are found
from :data:`BUILTIN_ENTRY_POINTS`, which a test holds equal to ``pyproject.toml``.

For in-process use, :func:`register_kind` (or the :func:`criterion_kind` decorator on
a class) adds a kind directly.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from ...codes import code_problem, code_registry
from ...errors import PluginError
from .base import CriterionKind

__all__ = [
    "BUILTIN_ENTRY_POINTS",
    "ENTRY_POINT_GROUP",
    "KindInfo",
    "KindRegistry",
    "criterion_kind",
    "kind_registry",
    "register_kind",
    "shorthand_kinds",
]

ENTRY_POINT_GROUP = "taqyeem_rules.criteria"
DISTRIBUTION = "taqyeem-rules"

#: The built-in kinds, as ``pyproject.toml`` registers them (used only when the
#: package's metadata is not installed).
BUILTIN_ENTRY_POINTS: dict[str, str] = {
    "assessors": "taqyeem_rules.guide.kinds.assessors:KIND",
    "bands": "taqyeem_rules.guide.kinds.bands:KIND",
    "expression": "taqyeem_rules.guide.kinds.expression:KIND",
    "survey": "taqyeem_rules.guide.kinds.survey:KIND",
    "tawasul": "taqyeem_rules.guide.kinds.tawasul:KIND",
}


@attrs.frozen
class KindInfo:
    """A loaded kind and where it comes from (``builtin`` kinds are not plugins)."""

    kind: CriterionKind
    plugin: str
    version: str
    builtin: bool


def _as_kind(obj: Any) -> CriterionKind | None:
    if isinstance(obj, CriterionKind):
        return obj
    if isinstance(obj, type) and issubclass(obj, CriterionKind):
        return obj()
    inner = getattr(obj, "KIND", None)
    return inner if isinstance(inner, CriterionKind) else None


def _codes_error(kind: CriterionKind) -> PluginError | None:
    """A kind's declared error codes (:attr:`CriterionKind.codes`) must be codes with a
    one-line meaning each."""
    codes = getattr(kind, "codes", {})
    if not isinstance(codes, Mapping):
        return PluginError(f"criterion kind `{kind.name}`: `codes` must map each error code to its meaning",
                           code="plugin.kind-codes", hint='e.g. codes = {"guide.my-check": "what it means"}')
    for code, meaning in codes.items():
        problem = code_problem(code, meaning)
        if problem is not None:
            return PluginError(f"criterion kind `{kind.name}` declares {problem}", code="plugin.kind-codes",
                               hint='e.g. codes = {"guide.my-check": "what it means"}')
    return None


def _load_value(value: str) -> Any:
    module, _, attr = value.partition(":")
    obj: Any = importlib.import_module(module.strip())
    for part in attr.strip().split(".") if attr.strip() else ():
        obj = getattr(obj, part)
    return obj


class KindRegistry:
    """Criterion kinds by name: the built-ins, in-process registrations, entry points."""

    def __init__(self, *, entry_points: bool = True) -> None:
        self._kinds: dict[str, KindInfo] = {}
        self._failed: dict[str, PluginError] = {}
        self._use_entry_points = entry_points
        self._builtin_eps: dict[str, tuple[str, Any]] | None = None
        self._other_eps: dict[str, Any] | None = None
        #: Bumped whenever the set of kinds changes (assembled schemas depend on it).
        self.version = 0

    # ---- entry points --------------------------------------------------------------

    def _builtins(self) -> dict[str, tuple[str, Any]]:
        """Built-in names → (value, entry point or None), from this package's metadata."""
        if self._builtin_eps is None:
            found: dict[str, tuple[str, Any]] = {}
            try:
                dist = importlib.metadata.distribution(DISTRIBUTION)
                for ep in dist.entry_points:
                    if ep.group == ENTRY_POINT_GROUP and ep.name in BUILTIN_ENTRY_POINTS:
                        found[ep.name] = (ep.value, ep)
            except importlib.metadata.PackageNotFoundError:  # a source tree on sys.path
                pass
            for name, value in BUILTIN_ENTRY_POINTS.items():
                found.setdefault(name, (value, None))
            self._builtin_eps = found
        return self._builtin_eps

    def _others(self) -> dict[str, Any]:
        """Every other distribution's kinds (read once, when first needed)."""
        if self._other_eps is None:
            found: dict[str, Any] = {}
            if self._use_entry_points:
                for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
                    if ep.name not in BUILTIN_ENTRY_POINTS:
                        found.setdefault(ep.name, ep)
            self._other_eps = found
        return self._other_eps

    def _load(self, name: str) -> KindInfo | None:
        if name in self._failed:
            raise self._failed[name]
        builtin = self._builtins().get(name)
        if builtin is not None:
            value, ep = builtin
            from ..._version import __version__

            info = self._load_entry(name, value, ep, builtin=True, plugin="taqyeem_rules",
                                    version=__version__)
        else:
            ep = self._others().get(name)
            if ep is None:
                return None
            dist = getattr(ep, "dist", None)
            dist_name = dist.metadata["Name"] if dist is not None else ep.value.split(":")[0]
            dist_version = dist.version if dist is not None else "0"
            info = self._load_entry(name, ep.value, ep, builtin=False, plugin=dist_name,
                                    version=dist_version)
        self._kinds[name] = info
        self.version += 1
        return info

    def _load_entry(self, name: str, value: str, ep: Any, *, builtin: bool, plugin: str,
                    version: str) -> KindInfo:
        try:
            obj = ep.load() if ep is not None else _load_value(value)
        except Exception as exc:
            error = PluginError(
                f"cannot load the criterion kind `{name}` from {value}: {type(exc).__name__}: {exc}",
                code="plugin.kind-load",
                hint=f"fix or uninstall the distribution {plugin}",
            )
            self._failed[name] = error
            raise error from exc
        kind = _as_kind(obj)
        if kind is None or kind.name != name:
            error = PluginError(
                f"entry point {name} = {value} is not a criterion kind named `{name}`",
                code="plugin.kind-load",
                hint="point it at a CriterionKind instance whose `name` is the entry point's name",
            )
            self._failed[name] = error
            raise error
        bad_codes = _codes_error(kind)
        if bad_codes is not None:
            self._failed[name] = bad_codes
            raise bad_codes
        return KindInfo(kind, plugin, version, builtin)

    # ---- lookups ---------------------------------------------------------------------------

    def info(self, name: str) -> KindInfo | None:
        """The kind called ``name`` and its origin, loading it if needed; None when no
        kind has that name. A kind that cannot be loaded raises PluginError."""
        info = self._kinds.get(name)
        if info is None:
            info = self._load(name)
        return info

    def get(self, name: str) -> CriterionKind | None:
        info = self.info(name)
        return info.kind if info is not None else None

    def names(self) -> list[str]:
        """Every kind's name (entry points included, without loading them)."""
        return sorted(set(self._kinds) | set(self._builtins()) | set(self._others()))

    def __contains__(self, name: str) -> bool:
        return name in self._kinds or name in self._builtins() or name in self._others()

    def loaded(self) -> Iterator[KindInfo]:
        """Every kind that can be loaded (those that cannot are skipped), by name."""
        for name in self.names():
            try:
                info = self.info(name)
            except PluginError:
                continue
            if info is not None:
                yield info

    def register(self, kind: CriterionKind, *, plugin: str | None = None, version: str | None = None,
                 replace: bool = False) -> CriterionKind:
        """Add a kind in-process (a plugin; a built-in name cannot be taken)."""
        name = kind.name
        if not isinstance(name, str) or not name.isidentifier():
            raise PluginError(f"criterion kind name {name!r} is not an identifier", code="plugin.name")
        if name in BUILTIN_ENTRY_POINTS:
            raise PluginError(
                f"a plugin cannot replace the built-in criterion kind `{name}`",
                code="plugin.shadows-builtin",
                hint="give the kind another name",
            )
        bad_codes = _codes_error(kind)
        if bad_codes is not None:
            raise bad_codes
        existing = self._kinds.get(name)
        if existing is not None and not replace and existing.kind is not kind:
            raise PluginError(
                f"criterion kind `{name}` is already registered by {existing.plugin}",
                code="plugin.duplicate",
                hint="pass replace=True to replace it on purpose",
            )
        self._failed.pop(name, None)
        self._kinds[name] = KindInfo(
            kind, plugin or type(kind).__module__, version or kind.version, False
        )
        self.version += 1
        return kind

    def unregister(self, name: str) -> None:
        if name in BUILTIN_ENTRY_POINTS:
            raise PluginError(f"cannot unregister the built-in criterion kind `{name}`",
                              code="plugin.builtin")
        removed = self._kinds.pop(name, None) is not None
        removed = self._failed.pop(name, None) is not None or removed
        if removed:
            self.version += 1

    def declared_codes(self) -> Iterator[tuple[str, Mapping[str, str]]]:
        """Every loadable kind's own error codes, as ``("kind NAME", {code: meaning})``
        (the source the registry of codes reads)."""
        for info in self.loaded():
            yield f"kind {info.kind.name}", info.kind.codes

    def rescan(self) -> None:
        """Read the entry points again (after installing a distribution at run time)."""
        self._other_eps = None
        self._failed.clear()
        self.version += 1


_DEFAULT: KindRegistry | None = None


def kind_registry() -> KindRegistry:
    """The process-wide registry of criterion kinds (its kinds' error codes are part of
    the process-wide registry of codes, :func:`taqyeem_rules.codes.code_registry`)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = KindRegistry()
    return _DEFAULT


def _declared_codes() -> Iterable[tuple[str, Mapping[str, str]]]:
    return kind_registry().declared_codes()


code_registry().add_source(_declared_codes)


def register_kind(kind: CriterionKind, *, replace: bool = False) -> CriterionKind:
    """Register a criterion kind in-process (see :class:`KindRegistry.register`)."""
    return kind_registry().register(kind, replace=replace)


def criterion_kind(cls: type[CriterionKind]) -> type[CriterionKind]:
    """Class decorator: instantiate a kind and register it in-process."""
    register_kind(cls(), replace=True)
    return cls


Factory = Callable[[], CriterionKind]


def shorthand_kinds() -> dict[str, CriterionKind]:
    """The built-in kinds that have a shorthand key on the criterion (``score``,
    ``bands``), by that key, in a fixed order."""
    registry = kind_registry()
    cached = getattr(registry, "_shorthands", None)
    if cached is not None:
        return cached
    out: dict[str, CriterionKind] = {}
    for name in sorted(BUILTIN_ENTRY_POINTS):
        kind = registry.get(name)
        if kind is not None and kind.shorthand:
            out[kind.shorthand] = kind
    registry._shorthands = out  # type: ignore[attr-defined]
    return out
