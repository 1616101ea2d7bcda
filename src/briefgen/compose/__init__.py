"""The compose stage: section templates + DataContext in, marked Markdown and a ledger out.

Each section is rendered on its own in the sandbox (compose.sandbox), with a
source map from its composed lines to the files and lines the user edits
(compose.sourcemap). Every figure printed is entered in the ledger
(compose.ledger) and wrapped in marks (compose.marks) that the Markdown reader
turns into `model.Bound`. Charts are numbered in the order they are placed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError

from briefgen.compose.arith import absolute
from briefgen.compose.filters import FILTERS, Printed, as_value
from briefgen.compose.ledger import Ledger, LedgerEntry, SourceCell, TemplateLines
from briefgen.compose.marks import mark, strip_marks
from briefgen.compose.sandbox import MAX_OUTPUT, BriefEnvironment
from briefgen.compose.sourcemap import LineMap, mapped
from briefgen.compose.text import clean_text
from briefgen.config.brief import Spec
from briefgen.config.house import Labels
from briefgen.data import DataContext, NotInData, Value
from briefgen.errors import BriefError, TemplateError, display_path

__all__ = ["Composer", "ComposedSection", "Composition", "LedgerEntry", "SourceCell", "compose",
           "strip_marks"]

CHART_MARK = "chart:"
FIG_REF = re.compile(r"⟦fig:([A-Za-z0-9_-]+)⟧")
TABLE_ID = re.compile(r"[A-Za-z0-9_-]+")
CHART_IMAGE = re.compile(r"!\[[^\]]*\]\(chart:([A-Za-z0-9_-]+)\)")
_as_value = as_value  # the check stage still imports this name
USER_ERRORS = (NotInData, AttributeError, KeyError, TypeError, ValueError, ArithmeticError,
               IndexError, jinja2.TemplateError)


@dataclass
class ComposedSection:
    file: str  # the file or template it came from, as the user names it
    markdown: str  # with figure marks (strip_marks for the plain text)
    linemap: LineMap = field(default_factory=LineMap)

    @property
    def name(self) -> str:
        return self.file

    def where(self, composed_line: int) -> tuple[str, int | None]:
        """The file and line a composed line (1-based) came from."""
        file, line = self.linemap.where(composed_line)
        return file or self.file, line

    def line_of(self, composed_line: int) -> int | None:
        return self.where(composed_line)[1]


@dataclass
class Composition:
    sections: list[ComposedSection]
    ledger: list[LedgerEntry] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    chart_order: list[str] = field(default_factory=list)  # chart ids in the order placed
    warnings: list[str] = field(default_factory=list)

    @property
    def markdown(self) -> str:
        """All sections as one plain text (no marks)."""
        return "\n\n".join(strip_marks(s.markdown).strip() for s in self.sections) + "\n"


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the process (keyed by file and source
    checksum), so composing a brief again (as `check` does in a build) compiles nothing."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


class Composer:
    """One brief's sandboxed environment, filters and ledger."""

    def __init__(self, spec: Spec, data: DataContext) -> None:
        self.spec = spec
        self.data = data
        self.ledger = Ledger()
        self.section = ""
        self.line: int | None = None  # the brief.yaml line of a text being composed
        self.chart_ids = {c.id for c in spec.brief.charts}
        self.env = BriefEnvironment(
            [spec.folder, spec.templates / "sections"],
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            bytecode_cache=_COMPILED,
            finalize=jinja2.pass_context(lambda context, value: self._finalize(context, value)),
        )
        for name, func in FILTERS.items():
            self.env.filters[name] = self._filter(func)
        self.env.globals.update(facts=data.facts, tables=data.tables, chart=self.g_chart,
                                fig=self.g_fig, tab=self.g_tab, abs=absolute)

    def _filter(self, func: Any) -> Any:
        def run(context: Any, v: Any, *args: Any, **kwargs: Any) -> Any:
            out = func(v, *args, **kwargs)
            return self._record(out, out.value) if isinstance(out, Printed) else out

        return jinja2.pass_context(run)  # never folded at compile time: always recorded

    def _record(self, text: str, v: Any) -> str:
        """A hook for a figure a filter printed (the check stage marks it its own way)."""
        return text

    def _finalize(self, context: Any, value: Any) -> Any:
        if isinstance(value, Value):
            value = self._record(Printed(str(value), value, value.unit, value.decimals, ""), value)
        if isinstance(value, Printed):
            figure = self.ledger.add(str(value), value.value, value.unit, value.places,
                                     value.filter, self.section, self.line)
            return mark(figure, str(value))
        return value

    # -- globals ------------------------------------------------------------------
    def _known_chart(self, chart_id: Any) -> str:
        if not isinstance(chart_id, str) or chart_id not in self.chart_ids:
            raise TemplateError(f"chart '{chart_id}' is not declared under 'charts' in brief.yaml")
        return chart_id

    def g_chart(self, chart_id: str) -> str:
        """Place a chart here as a numbered figure."""
        return f"\n\n![{chart_id}]({CHART_MARK}{self._known_chart(chart_id)})\n\n"

    def g_tab(self, table_id: Any) -> str:
        """表N (the house's table label) for a table placed with the caption ': 标题 { #id }'
        (resolved in parse)."""
        if not isinstance(table_id, str) or not TABLE_ID.fullmatch(table_id):
            raise TemplateError(f"tab('{table_id}'): a table id is letters, digits, - and _")
        return f"⟦tab:{table_id}⟧"

    def g_fig(self, chart_id: str) -> str:
        """图N (the house's figure label) for a chart, wherever it is placed (resolved after
        all sections)."""
        return f"⟦fig:{self._known_chart(chart_id)}⟧"

    # -- rendering ----------------------------------------------------------------
    def _locate(self, frame: FrameType) -> tuple[str, int | None, list[str]]:
        lines = self.ledger.lines_for(frame)
        if lines is None:
            return self.section, None, []
        return lines.file, lines.line(frame.f_lineno), lines.source

    def render(self, source_name: str, source_path: Path, context: dict[str, Any],
               body: tuple[str, LineMap] | None = None) -> tuple[str, LineMap]:
        self.section = display_path(source_path)
        try:
            template = self.env.get_template(source_name)
            chunks, linemap = mapped(template.generate(**context), self._locate, self.section,
                                     body, MAX_OUTPUT)
            return "".join(chunks), linemap
        except BriefError as exc:
            raise self._placed(exc, exc.__traceback__) from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"template syntax error: {exc.message}",
                                display_path(exc.filename or source_path), exc.lineno) from None
        except UnicodeDecodeError as exc:
            line = exc.object[: exc.start].count(b"\n") + 1
            raise TemplateError("not UTF-8 text", self.section, line,
                                hint="save the file as UTF-8 (it may be GBK)") from None
        except RecursionError:
            raise TemplateError("the template recurses too deeply", self.section) from None
        except USER_ERRORS as exc:
            raise self._placed(_as_template_error(exc), exc.__traceback__) from None

    def _placed(self, exc: BriefError, tb: TracebackType | None) -> BriefError:
        if exc.file is not None:
            return exc
        file, line = _template_position(tb, self.section)
        return exc.replace(file=file, line=line)


def _as_template_error(exc: Exception) -> TemplateError:
    if isinstance(exc, SecurityError):
        return TemplateError(f"not allowed in a template: {exc}",
                             hint="templates may use data, filters, chart() and fig() only")
    if isinstance(exc, jinja2.UndefinedError):
        return TemplateError(f"undefined name in template: {exc.message}",
                             hint="check the spelling against facts.yaml and tables.yaml")
    if isinstance(exc, jinja2.TemplateNotFound):
        return TemplateError(f"template '{exc.name}' not found")
    message = exc.args[0] if exc.args and isinstance(exc.args[0], str) else type(exc).__name__
    return TemplateError(f"template error: {message}")


def _template_position(tb: TracebackType | None, fallback: str) -> tuple[str, int | None]:
    """The innermost template file and line an exception passed through."""
    file, line = fallback, None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename and not filename.endswith(".py") and Path(filename).is_file():
            file, line = display_path(filename), tb.tb_lineno
        tb = tb.tb_next
    return file, line


def _render_section(composer: Composer, spec: Spec, i: int,
                    base: dict[str, Any]) -> ComposedSection:
    section = spec.brief.sections[i]
    context = dict(base, section=section.params)
    text, linemap, shown = "", LineMap(), ""
    if section.file:
        path = spec.section_path(section.file, i)
        if not path.is_file():
            raise TemplateError(f"section file '{section.file}' not found", spec.brief_file,
                                spec.lines.get(("sections", i, "file")))
        name = path.relative_to(spec.folder.resolve()).as_posix()
        text, linemap = composer.render(name, path, context)
        shown = display_path(path)
    if section.template:
        name = f"{section.template}.md.j2"
        path = spec.templates / "sections" / name
        if not path.exists():
            raise TemplateError(
                f"no genre template '{section.template}'", spec.brief_file,
                spec.lines.get(("sections", i, "template")),
                hint=f"templates are in {display_path(spec.templates / 'sections')}",
            )
        text, linemap = composer.render(name, path, dict(context, body=text), (text, linemap))
        shown = shown or display_path(path)
    return ComposedSection(file=shown, markdown=text, linemap=linemap)


def compose(spec: Spec, data: DataContext, composer: Composer | None = None) -> Composition:
    composer = composer or Composer(spec, data)
    composer.env.budget.reset()
    base = {"brief": spec.brief, "place": spec.brief.place, "params": spec.brief.params}
    composition = Composition(sections=[], ledger=composer.ledger.entries)
    for i in range(len(spec.brief.sections)):
        section = _render_section(composer, spec, i, base)
        section.markdown = clean_text(section.markdown, section.where, composition.warnings)
        composition.sections.append(section)
    _number_figures(composition, spec.house.labels)
    composition.texts = _compose_texts(composer, spec, base, composition)
    return composition


def _brief_texts(spec: Spec) -> list[tuple[str, str, tuple[Any, ...]]]:
    """brief.yaml's text fields: (key in Composition.texts, text, key path in brief.yaml)."""
    brief = spec.brief
    out: list[tuple[str, str, tuple[Any, ...]]] = [
        ("title", brief.title, ("title",)), ("note", brief.note, ("note",))]
    for i, chart in enumerate(brief.charts):
        out.append((f"chart:{chart.id}:title", chart.title, ("charts", i, "title")))
    for i, author in enumerate(brief.authors):
        out.append((f"author:{i}:bio", author.bio, ("authors", i, "bio")))
    return out


def _compose_texts(composer: Composer, spec: Spec, base: dict[str, Any],
                   composition: Composition) -> dict[str, str]:
    """brief.yaml text through the same sandbox, filters and ledger; plain text out."""
    texts: dict[str, str] = {}
    for key, text, path in _brief_texts(spec):
        line = spec.lines.get(path)
        texts[key] = clean_text(_compose_text(composer, spec, base, composition.chart_order,
                                              text, line),
                                _fixed_place(spec.brief_file, line), composition.warnings)
    return texts


def _fixed_place(file: str, line: int | None) -> Callable[[int], tuple[str, int | None]]:
    def where(_composed_line: int) -> tuple[str, int | None]:
        return file, line

    return where


def _compose_text(composer: Composer, spec: Spec, base: dict[str, Any], order: list[str],
                  text: str, line: int | None) -> str:
    """One brief.yaml text composed; errors name brief.yaml and the text's line."""
    if "{{" not in text and "{%" not in text:
        return text
    composer.section, composer.line = spec.brief_file, line
    try:
        composed = composer.env.from_string(text).render(**base)
    except BriefError as exc:
        raise exc.replace(file=spec.brief_file, line=line) from None
    except (jinja2.TemplateSyntaxError, *USER_ERRORS) as exc:
        raise _as_template_error(exc).replace(file=spec.brief_file, line=line) from None
    finally:
        composer.line = None
    return strip_marks(_resolve_figures(composed, order, spec.house.labels, spec.brief_file,
                                        line))


def _resolve_figures(text: str, order: list[str], labels: Labels, file: str,
                     line: int | None) -> str:
    def number(m: re.Match[str]) -> str:
        if m.group(1) not in order:
            raise TemplateError(f"the text refers to chart '{m.group(1)}', which no section "
                                "places", file, line)
        return labels.cite("figure", order.index(m.group(1)) + 1)

    return FIG_REF.sub(number, text)


def _line_at(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _number_figures(composition: Composition, labels: Labels) -> None:
    """Number charts in the order they are placed; resolve 图N references to them."""
    order: list[str] = []
    for section in composition.sections:
        for m in CHART_IMAGE.finditer(section.markdown):
            chart_id = m.group(1)
            if chart_id in order:
                file, line = section.where(_line_at(section.markdown, m.start()))
                raise TemplateError(f"chart '{chart_id}' is placed twice", file, line)
            order.append(chart_id)
    composition.chart_order = order
    for section in composition.sections:

        def resolve(m: re.Match[str], section: ComposedSection = section) -> str:
            chart_id = m.group(1)
            if chart_id not in order:
                file, line = section.where(_line_at(section.markdown, m.start()))
                raise TemplateError(
                    f"the text refers to chart '{chart_id}', which no section places",
                    file, line, hint="add {{ chart('" + chart_id + "') }} where it belongs",
                )
            return labels.cite("figure", order.index(chart_id) + 1)

        section.markdown = FIG_REF.sub(resolve, section.markdown)


__all__ += ["TemplateLines"]
