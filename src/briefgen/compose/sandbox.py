"""The template sandbox: what a template may touch, and how much work it may do.

Templates see values only: briefgen's data proxies (Value, Row, DataTable, Facts,
Tables) through an allow-list of their documented attributes, the brief's plain
fields, and what Jinja's immutable sandbox permits on str, int, float, list and
dict. Every file a template includes resolves, after symlinks, inside the
brief's folder or the templates folder. Caps bound output size, `range`
length and total iterations, macro recursion, string and list sizes, and
exponents; a number that overflows is an error, never `inf`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import Context, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import BaseModel

from briefgen.compose.arith import binop, unop
from briefgen.compose.marks import OPEN, strip_marks
from briefgen.data import DataTable, Facts, Row, Tables, Value
from briefgen.errors import TemplateError, display_path

MAX_OUTPUT = 4_000_000  # characters one template may print
MAX_RANGE = 10_000  # items in one range()
MAX_STEPS = 200_000  # range() items one brief may iterate over in all
MAX_DEPTH = 40  # nested macro calls
MAX_STRING = 1_000_000  # characters (or items) a string or list may have
MAX_INT_BITS = 4_000  # an integer beyond ~1200 digits is no statistic

# The documented surface of each data class (README: "Figures come from the data").
ALLOWED: dict[type, frozenset[str]] = {
    Value: frozenset({"value", "unit", "label", "decimals", "is_number", "number", "text",
                      "is_missing"}),
    Row: frozenset({"key", "share", "rank", "change", "change_pct"}),
    DataTable: frozenset({"name", "title", "key", "columns", "rows", "row", "column", "sum",
                          "share", "rank", "sorted", "top", "year", "prev_year"}),
    Facts: frozenset({"items"}),
    Tables: frozenset({"items"}),
}
PLAIN = (str, int, float, bool, list, tuple, dict, date, type(None), LoopContext, Macro,
         jinja2.Undefined)
REMOVED_GLOBALS = ("lipsum", "cycler", "joiner", "namespace")


class Budget:
    """Work one compose run may still do: range() items, macro depth."""

    def __init__(self) -> None:
        self.steps = 0
        self.depth = 0

    def reset(self) -> None:
        self.steps = 0
        self.depth = 0

    def step(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > MAX_STEPS:
            raise TemplateError(f"loops run more than {MAX_STEPS} times in all")


class ConfinedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader whose files must lie, after symlinks, inside its folders."""

    def __init__(self, folders: Sequence[Path]) -> None:
        super().__init__([str(f) for f in folders], encoding="utf-8-sig")
        self.roots = [f.resolve() for f in folders]

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real.is_relative_to(root) for root in self.roots):
            raise TemplateError(
                f"template '{template}' resolves to {display_path(real)}, outside the brief "
                "and templates folders", hint="keep included files inside the brief folder",
            )
        return source, filename, uptodate


def _is_int(x: Any) -> bool:
    """A whole number (a bool is not one here)."""
    return isinstance(x, int) and not isinstance(x, bool)


def _counted_range(budget: Budget) -> Callable[..., Iterator[int]]:
    def capped_range(*args: int) -> Iterator[int]:
        if not all(_is_int(a) for a in args):
            raise TemplateError("range() takes whole numbers")
        items = range(*args)
        if len(items) > MAX_RANGE:
            raise TemplateError(f"range() of {len(items)} items is over the cap of {MAX_RANGE}")
        for i in items:
            budget.step()
            yield i

    return capped_range


def _too_big(x: Any) -> str | None:
    """Why a result is too large to keep, or None."""
    if _too_long(x):
        return f"a text or list of {len(x)} items is over the cap of {MAX_STRING}"
    if _is_int(x) and x.bit_length() > MAX_INT_BITS:
        return "a number with more than 1200 digits"
    if _not_finite(x):
        return "a number overflowed (the result is not finite)"
    return None


def _too_long(x: Any) -> bool:
    return isinstance(x, str | list | tuple | dict) and len(x) > MAX_STRING


def _not_finite(x: Any) -> bool:
    return isinstance(x, float) and not math.isfinite(x)


def _check_size(x: Any) -> Any:
    problem = _too_big(x)
    if problem:
        raise TemplateError(problem)
    return x


def _big_int_args(args: Sequence[Any], kwargs: dict[str, Any]) -> bool:
    values = list(args) + list(kwargs.values())
    return any(_is_int(v) and abs(v) > MAX_STRING for v in values)


def _oversize(v: Any) -> bool:
    """A text or list argument over the cap on its own."""
    return isinstance(v, str | list | tuple) and len(v) > MAX_STRING


def _growth(values: list[Any]) -> int:
    """The most a string operation can multiply its text by: its longest text or largest size."""
    texts = [len(v) for v in values if isinstance(v, str)]
    sizes: list[int] = [abs(v) for v in values if _is_int(v)]
    return max([1, *texts, *sizes])


def _blows_up(text: Any, args: Sequence[Any], kwargs: dict[str, Any]) -> bool:
    """Whether a string operation on `text` could make more than the cap (before it runs).

    replace, expandtabs, indent, center and the like make at most len(text) times their
    largest text or size argument; a str argument (a macro's or a method's) over the cap
    is refused outright.
    """
    values = list(args) + list(kwargs.values())
    if any(_oversize(v) for v in values):
        return True
    if not isinstance(text, str):
        return False
    return len(text) * _growth(values) > 4 * MAX_STRING


def _plain(x: Any) -> Any:
    """A captured output (a macro's, a {% set %} block's) without figure marks."""
    return strip_marks(x) if isinstance(x, str) and OPEN in x else x


def _guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in filter that refuses size arguments beyond the cap and oversize results."""

    def guarded(*args: Any, **kwargs: Any) -> Any:
        args = tuple(_plain(a) for a in args)
        if _big_int_args(args[1:], kwargs) or (args and _blows_up(args[0], args[1:], kwargs)):
            raise TemplateError(f"filter '{name}': a size over the cap of {MAX_STRING}")
        return _check_size(func(*args, **kwargs))

    guarded.__dict__.update(getattr(func, "__dict__", {}))  # keeps Jinja's pass_context marks
    guarded.__name__ = getattr(func, "__name__", name)
    return guarded


def _allowed_names(obj: Any) -> frozenset[str] | None:
    """The attributes a data object shows templates (None: not a data object)."""
    return next((names for cls, names in ALLOWED.items() if isinstance(obj, cls)), None)


def _is_data_name(obj: Any, value: Any) -> bool:
    """A row's column, a fact or a table, read by its name."""
    return isinstance(obj, Row | Facts | Tables) and isinstance(value, Value | DataTable)


class BriefEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, narrowed to values and bounded in work."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    intercepted_unops = frozenset({"-", "+"})

    def __init__(self, folders: Sequence[Path], **options: Any) -> None:
        super().__init__(loader=ConfinedLoader(folders), **options)
        self.budget = Budget()
        for name in REMOVED_GLOBALS:
            self.globals.pop(name, None)
        self.globals["range"] = _counted_range(self.budget)
        for name, func in list(self.filters.items()):
            self.filters[name] = _guard_filter(name, func)

    # -- what a template may read and call ------------------------------------
    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_"):
            return False
        names = _allowed_names(obj)
        if names is not None:
            return attr in names or _is_data_name(obj, value)
        if isinstance(obj, BaseModel):
            return attr in type(obj).model_fields
        if isinstance(obj, PLAIN):
            return super().is_safe_attribute(obj, attr, value)
        return False

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        __self._check_arguments(__obj, args, kwargs)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str) and OPEN in owner:  # a str method on captured output
            __obj = getattr(strip_marks(owner), __obj.__name__)
            args = tuple(_plain(a) for a in args)
        if isinstance(__obj, Macro):
            return __self._call_macro(__context, __obj, args, kwargs)
        return _check_size(super().call(__context, __obj, *args, **kwargs))

    def _check_arguments(self, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """Refuse, before the call runs, a size argument or a string result over the cap."""
        exempt = isinstance(obj, Macro) or obj is self.globals.get("range")
        if _big_int_args(args, kwargs) and not exempt:
            raise TemplateError(f"a size over the cap of {MAX_STRING}")
        if _blows_up(getattr(obj, "__self__", None), args, kwargs):
            raise TemplateError(f"a text over the cap of {MAX_STRING} characters")

    def _call_macro(self, context: Context, macro: Macro, args: tuple[Any, ...],
                    kwargs: dict[str, Any]) -> Any:
        """A macro call, counted against the nesting cap."""
        self.budget.depth += 1
        try:
            if self.budget.depth > MAX_DEPTH:
                raise TemplateError(
                    f"macros nest deeper than {MAX_DEPTH} (a macro that calls itself?)")
            return _check_size(super().call(context, macro, *args, **kwargs))
        finally:
            self.budget.depth -= 1

    # -- arithmetic, bounded ---------------------------------------------------
    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        return _check_size(binop(operator, _plain(left), _plain(right)))

    def call_unop(self, context: Context, operator: str, arg: Any) -> Any:
        return unop(operator, arg)

    # -- no `self` -------------------------------------------------------------
    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for node in tree.find_all(nodes.Name):
            if node.name == "self":
                raise jinja2.TemplateSyntaxError(
                    "'self' is not available in briefgen templates", node.lineno, name, filename)
        return tree
