"""The compose stage: section templates + DataContext in, Markdown out.

Templates run in Jinja2's sandbox with undefined names as errors. Every number
a template prints goes through a filter here, which records the value and the
text it became, so `check` can trace each figure of the prose to its cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from briefgen.config.brief import Spec
from briefgen.data import DataContext, NotInData, Value
from briefgen.errors import BriefError, display_path
from briefgen.numbers import chinese_date, chinese_number, fixed

CHART_MARK = "chart:"
FIG_REF = re.compile(r"⟦fig:([A-Za-z0-9_-]+)⟧")
CHART_IMAGE = re.compile(r"!\[[^\]]*\]\(chart:([A-Za-z0-9_-]+)\)")


@dataclass
class Traced:
    """A figure printed by a filter: the text as it stands in the prose, and its value."""

    text: str
    value: Value
    section: str


@dataclass
class ComposedSection:
    name: str  # the file or template it came from, as the user names it
    markdown: str


@dataclass
class Composition:
    sections: list[ComposedSection]
    trace: list[Traced] = field(default_factory=list)
    chart_order: list[str] = field(default_factory=list)  # chart ids in the order placed

    @property
    def markdown(self) -> str:
        return "\n\n".join(s.markdown.strip() for s in self.sections) + "\n"


def _number(v: Any) -> float:
    if isinstance(v, Value):
        return v.number()
    return float(v)


def _as_value(v: Any) -> Value:
    return v if isinstance(v, Value) else Value(float(v), label=str(v))


def _digits(v: Any, decimals: int | None) -> str:
    """A value's digits: as many places as the value carries (as typed for a cell), or given."""
    x = _number(v)
    if decimals is None:
        if isinstance(v, Value) and not v.formula:
            return str(v)
        decimals = v.decimals if isinstance(v, Value) and v.decimals is not None else 1
    return fixed(x, decimals)


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
    """One brief's Jinja environment, filters and trace."""

    def __init__(self, spec: Spec, data: DataContext) -> None:
        self.spec = spec
        self.data = data
        self.trace: list[Traced] = []
        self.section = ""
        self.chart_ids = {c.id for c in spec.brief.charts}
        self.env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader(
                [str(spec.folder), str(spec.templates / "sections")], encoding="utf-8-sig"
            ),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            bytecode_cache=_COMPILED,
        )
        self.env.filters.update(
            num=self.f_num,
            q=self.f_quantity,
            yi=self.f_yi,
            pct=self.f_pct,
            pp=self.f_pp,
            growth=self.f_growth,
            higher=self.f_higher,
            rank=self.f_rank,
            cn=self.f_cn,
            zhdate=chinese_date,
        )
        self.env.globals.update(
            facts=data.facts,
            tables=data.tables,
            chart=self.g_chart,
            fig=self.g_fig,
        )

    # -- filters: each records what it printed ------------------------------------
    def _record(self, text: str, v: Any) -> str:
        self.trace.append(Traced(text=text, value=_as_value(v), section=self.section))
        return text

    def f_num(self, v: Any, decimals: int | None = None) -> str:
        """982.7 — the digits alone."""
        return self._record(_digits(v, decimals), v)

    def f_quantity(self, v: Any, decimals: int | None = None) -> str:
        """279.8万人 — digits and the value's unit."""
        unit = v.unit if isinstance(v, Value) else ""
        return self._record(_digits(v, decimals) + unit, v)

    def f_yi(self, v: Any, decimals: int | None = None) -> str:
        """982.7亿元 — money in 亿元 (converted from 万元 or 元 when the data says so)."""
        x = _number(v)
        unit = v.unit if isinstance(v, Value) else "亿元"
        scale = {"亿元": 1, "万元": 1e-4, "元": 1e-8}.get(unit)
        if scale is None:
            raise ValueError(f"yi: {getattr(v, 'label', v)} is in '{unit}', not money")
        if scale != 1 and decimals is None:
            decimals = 1
        digits = _digits(v, decimals) if scale == 1 else fixed(x * scale, decimals or 1)
        return self._record(digits + "亿元", v)

    def f_pct(self, v: Any, decimals: int | None = None) -> str:
        """57.7% — a value in percent."""
        return self._record(_digits(v, decimals) + "%", v)

    def f_pp(self, v: Any, decimals: int | None = None) -> str:
        """0.9个百分点 — a difference of percentages, without its sign (prose says 高于/低于)."""
        return self._record(_digits(abs(_as_value(v)), decimals) + "个百分点", v)

    def f_growth(self, v: Any, decimals: int | None = None) -> str:
        """增长4.8% / 下降2.1% / 持平 — a rate of change by its sign."""
        x = _number(v)
        digits = _digits(abs(_as_value(v)), decimals)
        if float(digits) == 0:
            return self._record("持平", v)
        word = "增长" if x > 0 else "下降"
        return self._record(f"{word}{digits}%", v)

    def f_higher(self, v: Any) -> str:
        """高于 / 低于 by the sign of a difference."""
        return "高于" if _number(v) >= 0 else "低于"

    def f_rank(self, v: Any) -> str:
        """第8 — a rank."""
        return self._record(f"第{int(_number(v))}", v)

    def f_cn(self, v: Any) -> str:
        """八 — a small whole number in Chinese characters."""
        return self._record(chinese_number(int(_number(v))), v)

    # -- globals ------------------------------------------------------------------
    def g_chart(self, chart_id: str) -> str:
        """Place a chart here as a numbered figure."""
        if chart_id not in self.chart_ids:
            raise KeyError(f"chart '{chart_id}' is not declared under 'charts' in brief.yaml")
        return f"\n\n![{chart_id}]({CHART_MARK}{chart_id})\n\n"

    def g_fig(self, chart_id: str) -> str:
        """图N for a chart, wherever it is placed (resolved after all sections)."""
        if chart_id not in self.chart_ids:
            raise KeyError(f"chart '{chart_id}' is not declared under 'charts' in brief.yaml")
        return f"⟦fig:{chart_id}⟧"

    # -- rendering ----------------------------------------------------------------
    def render(self, source_name: str, source_path: Path, context: dict[str, Any]) -> str:
        self.section = display_path(source_path)
        try:
            template = self.env.get_template(source_name)
            return template.render(**context)
        except jinja2.TemplateSyntaxError as exc:
            raise BriefError(
                f"template syntax error: {exc.message}", self.section, exc.lineno
            ) from None
        except SecurityError as exc:
            line = _template_line(exc.__traceback__, source_path)
            raise BriefError(
                f"not allowed in a template: {exc}", self.section, line,
                hint="templates may use data, filters and chart() only",
            ) from None
        except jinja2.UndefinedError as exc:
            line = _template_line(exc.__traceback__, source_path)
            raise BriefError(
                f"undefined name in template: {exc.message}", self.section, line,
                hint="check the spelling against facts.yaml and tables.yaml",
            ) from None
        except UnicodeDecodeError as exc:
            line = exc.object[: exc.start].count(b"\n") + 1
            raise BriefError(
                "not UTF-8 text", self.section, line, hint="save the file as UTF-8 (it may be GBK)"
            ) from None
        except jinja2.TemplateNotFound as exc:
            raise BriefError(f"template '{exc.name}' not found", self.spec.brief_file) from None
        except (NotInData, AttributeError, KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
            line = _template_line(exc.__traceback__, source_path)
            message = exc.args[0] if exc.args else type(exc).__name__
            raise BriefError(f"template error: {message}", self.section, line) from None


def _template_line(tb: TracebackType | None, source_path: Path) -> int | None:
    """The template line an exception came from (Jinja keeps it in the traceback)."""
    line = None
    wanted = str(source_path.resolve())
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename and str(Path(filename).resolve()) == wanted:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def compose(spec: Spec, data: DataContext, composer: Composer | None = None) -> Composition:
    composer = composer or Composer(spec, data)
    base = {
        "brief": spec.brief,
        "place": spec.brief.place,
        "params": spec.brief.params,
    }
    sections: list[ComposedSection] = []
    for i, section in enumerate(spec.brief.sections):
        context = dict(base, section=section.params)
        body = ""
        if section.file:
            path = spec.section_path(section.file, i)
            if not path.exists():
                raise BriefError(
                    f"section file '{section.file}' not found",
                    spec.brief_file,
                    spec.lines.get(("sections", i, "file")),
                )
            name = path.relative_to(spec.folder).as_posix()
            body = composer.render(name, path, context)
            shown = section.file
        if section.template:
            name = f"{section.template}.md.j2"
            path = spec.templates / "sections" / name
            if not path.exists():
                raise BriefError(
                    f"no genre template '{section.template}'",
                    spec.brief_file,
                    spec.lines.get(("sections", i, "template")),
                    hint=f"templates are in {display_path(spec.templates / 'sections')}",
                )
            body = composer.render(name, path, dict(context, body=body))
            shown = section.template
        sections.append(ComposedSection(name=shown, markdown=body))

    composition = Composition(sections=sections, trace=composer.trace)
    _number_figures(composition, spec)
    return composition


def _number_figures(composition: Composition, spec: Spec) -> None:
    """Number charts in the order they are placed; resolve 图N references to them."""
    order: list[str] = []
    for section in composition.sections:
        for chart_id in CHART_IMAGE.findall(section.markdown):
            if chart_id in order:
                raise BriefError(f"chart '{chart_id}' is placed twice", section.name)
            order.append(chart_id)
    composition.chart_order = order
    for section in composition.sections:

        def resolve(m: re.Match[str], section: ComposedSection = section) -> str:
            chart_id = m.group(1)
            if chart_id not in order:
                raise BriefError(
                    f"the text refers to chart '{chart_id}', which no section places",
                    section.name,
                    hint="add {{ chart('" + chart_id + "') }} where it belongs",
                )
            return f"图{order.index(chart_id) + 1}"

        section.markdown = FIG_REF.sub(resolve, section.markdown)
