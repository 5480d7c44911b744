"""Function plugins: the entry-point group ``taqyeem_rules.functions`` and a decorator.

A plugin function declares its signature, so the checker treats it like a built-in::

    from taqyeem_rules.dsl import function

    @function("bonus", params=["number", "number"], returns="number", version="1.0")
    def bonus(points, cap):
        return min(points * 2, cap)

A distribution exposes functions to every program that imports the library with an
entry point whose *name* is the function's name::

    [project.entry-points."taqyeem_rules.functions"]
    bonus = "my_package.rules:bonus"

Entry points are loaded lazily, by name, the first time an expression calls them, so a
broken plugin stops only the expressions that use it. Plugin functions must be
deterministic; their name and version are recorded in every result that used them.
"""

from __future__ import annotations

import decimal
import importlib.metadata
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..errors import PluginError, TaqyeemError
from .builtins import BUILTINS, Function, Signature
from .numbers import decimal_error
from .types import Type, normalize_value, parse_type

__all__ = ["ENTRY_POINT_GROUP", "FunctionRegistry", "default_registry", "function"]

ENTRY_POINT_GROUP = "taqyeem_rules.functions"

_VALID_RESULTS = (Decimal, int, str, list, dict, type(None))


def _checked_impl(name: str, impl: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a plugin so that it cannot slip a float (or anything else) into a score."""

    def call(ctx: Any, *args: Any) -> Any:
        try:
            # The plugin's own Decimal arithmetic uses the guide's context (34 digits,
            # half even), not whatever the calling thread has set.
            with decimal.localcontext(ctx):
                result = impl(*args)
        except decimal.DecimalException as exc:
            text = decimal_error(exc)[1]
            raise PluginError(f"plugin function {name}() failed: {text}", code="plugin.failed") from exc
        except Exception as exc:  # a plugin's own failure, reported with its name
            raise PluginError(
                f"plugin function {name}() failed: {type(exc).__name__}: {exc}",
                code="plugin.failed",
            ) from exc
        if not isinstance(result, _VALID_RESULTS):
            raise PluginError(
                f"plugin function {name}() returned a {type(result).__name__} "
                f"({result!r}); it must return a Decimal, bool, str, list or None",
                code="plugin.result-type",
                hint="build numbers with decimal.Decimal, never float",
            )
        try:  # ints become Decimals; a float, NaN or Infinity inside a list is refused too
            return normalize_value(result, where=f"the result of {name}()")
        except TaqyeemError as exc:
            raise PluginError(
                f"plugin function {name}() returned an invalid value: {exc.message}",
                code="plugin.result-type",
                hint="build numbers with decimal.Decimal, never float",
            ) from None

    call.__name__ = f"plugin_{name}"
    return call


def make_function(
    name: str,
    impl: Callable[..., Any],
    *,
    params: Sequence[str | Type] = (),
    returns: str | Type = "number",
    variadic: str | Type | None = None,
    signatures: Iterable[tuple[Sequence[str | Type], str | Type]] | None = None,
    version: str = "0",
    plugin: str | None = None,
    null_safe: bool = False,
    doc: str | None = None,
) -> Function:
    """Build a plugin :class:`Function` from a plain Python callable."""
    if not name.isidentifier():
        raise PluginError(f"plugin function name {name!r} is not an identifier", code="plugin.name")
    if signatures is not None:
        sigs = tuple(
            Signature(tuple(parse_type(p) for p in ps), parse_type(r)) for ps, r in signatures
        )
    else:
        sigs = (
            Signature(
                tuple(parse_type(p) for p in params),
                parse_type(returns),
                parse_type(variadic) if variadic is not None else None,
            ),
        )
    return Function(
        name,
        sigs,
        _checked_impl(name, impl),
        doc if doc is not None else (impl.__doc__ or "").strip(),
        null_safe=null_safe,
        pure=False,
        plugin=plugin or getattr(impl, "__module__", None) or name,
        version=str(version),
    )


class FunctionRegistry:
    """Functions by name: the built-ins, then in-process plugins, then entry points."""

    def __init__(self, *, entry_points: bool = True) -> None:
        self._functions: dict[str, Function] = dict(BUILTINS)
        #: Bumped whenever the set of functions changes (cached checks depend on it).
        self.version = 0
        self._use_entry_points = entry_points
        self._entry_points: dict[str, importlib.metadata.EntryPoint] | None = None

    def copy(self) -> FunctionRegistry:
        other = FunctionRegistry(entry_points=self._use_entry_points)
        other._functions = dict(self._functions)
        other._entry_points = self._entry_points
        return other

    def register(self, fn: Function, *, replace: bool = False) -> Function:
        if fn.name in BUILTINS:
            raise PluginError(
                f"a plugin cannot replace the built-in function {fn.name}()",
                code="plugin.shadows-builtin",
                hint="give the plugin function another name",
            )
        existing = self._functions.get(fn.name)
        if existing is not None and not replace and (existing != fn or existing.impl is not fn.impl):
            raise PluginError(
                f"function {fn.name}() is already registered by {existing.plugin}",
                code="plugin.duplicate",
                hint="pass replace=True to replace it on purpose",
            )
        self._functions[fn.name] = fn
        self.version += 1
        return fn

    def unregister(self, name: str) -> None:
        if name in BUILTINS:
            raise PluginError(f"cannot unregister the built-in {name}()", code="plugin.builtin")
        if self._functions.pop(name, None) is not None:
            self.version += 1

    def _eps(self) -> dict[str, importlib.metadata.EntryPoint]:
        if self._entry_points is None:
            found: dict[str, importlib.metadata.EntryPoint] = {}
            if self._use_entry_points:
                for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
                    found.setdefault(ep.name, ep)
            self._entry_points = found
        return self._entry_points

    def _load(self, name: str) -> Function | None:
        ep = self._eps().get(name)
        if ep is None:
            return None
        dist = getattr(ep, "dist", None)
        dist_name = dist.metadata["Name"] if dist is not None else ep.value.split(":")[0]
        dist_version = dist.version if dist is not None else "0"
        try:
            obj = ep.load()
        except Exception as exc:
            raise PluginError(
                f"cannot load the plugin function {name}() from {ep.value}: "
                f"{type(exc).__name__}: {exc}",
                code="plugin.load",
                hint=f"fix or uninstall the distribution {dist_name}",
            ) from exc
        fn = _as_function(obj, name)
        if fn is None:
            raise PluginError(
                f"entry point {name} = {ep.value} is not a taqyeem function",
                code="plugin.load",
                hint="decorate it with @taqyeem_rules.dsl.function(...)",
            )
        fn = attrs.evolve(fn, name=name, plugin=dist_name, version=dist_version)
        self._functions[name] = fn
        self.version += 1
        return fn

    def rescan(self) -> None:
        """Read the entry points again (after installing a distribution at run time)."""
        self._entry_points = None
        self.version += 1

    def get(self, name: str) -> Function | None:
        fn = self._functions.get(name)
        if fn is None:
            fn = self._load(name)
        return fn

    def names(self) -> list[str]:
        """Every callable name (entry points included, without loading them)."""
        return sorted(set(self._functions) | set(self._eps()))

    def __contains__(self, name: str) -> bool:
        return name in self._functions or name in self._eps()

    def __iter__(self) -> Iterator[Function]:
        for name in self.names():
            fn = self.get(name)
            if fn is not None:
                yield fn


def _as_function(obj: Any, name: str) -> Function | None:
    if isinstance(obj, Function):
        return obj
    return getattr(obj, "__taqyeem_function__", None)


_DEFAULT: FunctionRegistry | None = None


def default_registry() -> FunctionRegistry:
    """The process-wide registry that ``@function`` adds to and checks read by default."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = FunctionRegistry()
    return _DEFAULT


def function(
    name: str,
    *,
    params: Sequence[str | Type] = (),
    returns: str | Type = "number",
    variadic: str | Type | None = None,
    version: str = "0",
    null_safe: bool = False,
    registry: FunctionRegistry | None = None,
    register: bool = True,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: declare a plugin function and register it (in-process use).

    The decorated callable is returned unchanged, with the :class:`Function` attached
    as ``__taqyeem_function__`` so that an entry point may name it too.
    """

    def wrap(impl: Callable[..., Any]) -> Callable[..., Any]:
        fn = make_function(
            name,
            impl,
            params=params,
            returns=returns,
            variadic=variadic,
            version=version,
            null_safe=null_safe,
        )
        impl.__taqyeem_function__ = fn  # type: ignore[attr-defined]
        if register:
            (registry or default_registry()).register(fn, replace=True)
        return impl

    return wrap
