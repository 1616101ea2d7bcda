"""`briefgen proof BRIEF -o DIR`: one self-contained HTML page an editor reads beside the
brief: the text with every bound figure marked, a table of every figure (printed text,
exact value, formula, source cells with their own text, template line, declared source),
and the typed numbers that are not bound, with what check thinks of each."""

from __future__ import annotations

import argparse
import html
from pathlib import Path

from briefgen.analysis.check.context import make_context
from briefgen.analysis.check.findings import Finding
from briefgen.analysis.check.mentions import Mention
from briefgen.analysis.check.reading import Figure, Passage
from briefgen.analysis.check.run import read_brief, run_checks
from briefgen.config.brief import load_spec
from briefgen.config.yamlpos import load_yaml
from briefgen.data import DataContext, load_data
from briefgen.fsio import atomic_output

STYLE = """body{font-family:serif;max-width:60em;margin:2em auto;line-height:1.7}
mark{background:#fde68a}mark a{color:inherit;text-decoration:none}
table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #999;padding:2px 6px;
vertical-align:top}.error{color:#b91c1c}.warning{color:#b45309}.note{color:#2563eb}
.where{color:#666;font-size:80%}"""


def _passage_html(p: Passage) -> str:
    out, pos = [], 0
    for start, end, fid in p.spans:
        out.append(html.escape(p.text[pos:start]))
        out.append(f'<mark id="t{fid}"><a href="#f{fid}">{html.escape(p.text[start:end])}'
                   f"<sup>{fid}</sup></a></mark>")
        pos = end
    out.append(html.escape(p.text[pos:]))
    tag = "h3" if p.origin == "heading" else "p"
    where = f"{p.file}:{p.line}" if p.line else p.file
    return f'<{tag}>{"".join(out)} <span class="where">{html.escape(where)}</span></{tag}>'


def _declared_sources(data: DataContext) -> dict[str, str]:
    """Each fact's `source:` as facts.yaml declares it."""
    path = data.folder / "facts.yaml"
    raw = load_yaml(path, "facts file")[0] if path.exists() else {}
    return {str(k): str(v.get("source", "")) for k, v in (raw or {}).items()
            if isinstance(v, dict) and v.get("source")}


def _declared_source(fig: Figure, data: DataContext) -> str:
    declared = _declared_sources(data)
    return "；".join(sorted({declared[s.column] for s in fig.sources
                            if s.column and s.column in declared}))


def _figure_row(fig: Figure, data: DataContext) -> str:
    cells = "<br>".join(html.escape(f"{s} = {s.text}" if s.text else str(s)) for s in fig.sources)
    where = f"{fig.file}:{fig.line}" if fig.line else fig.file
    texts = [fig.text, str(fig.value), fig.unit, fig.formula or "(cell)", fig.label]
    later = [where, fig.expression, _declared_source(fig, data)]
    cols = [f'<a href="#t{fig.id}">{fig.id}</a>', *map(html.escape, texts), cells,
            *map(html.escape, later)]  # the link and the cells are HTML already
    return f'<tr id="f{fig.id}">' + "".join(f"<td>{c}</td>" for c in cols) + "</tr>"


def _about(f: Finding, m: Mention) -> bool:
    """A finding at the typed number's line that names it."""
    return f.file == m.file and f.line == m.line and (f.text == m.shown or m.shown in f.message)


def _finding_html(f: Finding) -> str:
    return (f'<span class="{f.level}">{f.level}: {html.escape(f.message)} '
            f"{html.escape(f.suggestion)}</span>")


def _verdict(findings: list[Finding], m: Mention) -> str:
    """What check says of a typed number: its findings, else why it is not compared."""
    verdict = "；".join(_finding_html(f) for f in findings if _about(f, m))
    if verdict:
        return verdict
    return f"not a statistic ({m.why})" if m.kind in ("other", "range") else "no finding"


def _typed_rows(findings: list[Finding], mentions: list[Mention]) -> str:
    return "".join(f"<tr><td>{html.escape(m.shown)}</td><td>{html.escape(m.kind)}</td>"
                   f"<td>{html.escape(f'{m.file}:{m.line}')}</td><td>{_verdict(findings, m)}</td></tr>"
                   for m in mentions if not m.bound)


def proof_html(folder: Path) -> str:
    spec = load_spec(folder)
    data = load_data(spec.data_folder())
    reading = read_brief(spec, data)
    findings = run_checks(spec, data, reading)
    ctx = make_context(spec, data, reading)
    body = "\n".join(_passage_html(p) for p in reading.passages)
    figures = "\n".join(_figure_row(f, data) for f in reading.figures)
    typed = _typed_rows(findings, ctx.mentions)
    others = "".join(f'<li class="{f.level}">{html.escape(f.one_line())}</li>' for f in findings
                     if f.code in ("total", "identity", "range", "moved") or f.level == "note")
    title = html.escape(spec.brief.title)
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>校对：{title}'
            f"</title><style>{STYLE}</style></head><body><h1>校对稿：{title}</h1>"
            f"<h2>正文（数据绑定的数字已标出）</h2>{body}"
            f"<h2>数字清单（{len(reading.figures)}）</h2><table><tr><th>#</th><th>印出</th>"
            "<th>精确值</th><th>单位</th><th>公式</th><th>标签</th><th>来源单元格</th>"
            "<th>模板行</th><th>表达式</th><th>数据来源</th></tr>"
            f"{figures}</table><h2>手工录入的数字</h2><table><tr><th>数字</th><th>类别</th>"
            f"<th>位置</th><th>check 的判断</th></tr>{typed}</table>"
            f"<h2>数据与例外</h2><ul>{others}</ul></body></html>\n")


def cmd_proof(args: argparse.Namespace) -> int:
    page = proof_html(args.brief)
    path = args.out / f"{args.brief.resolve().name}.proof.html"
    with atomic_output(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    print(f"wrote {path}")
    return 0


def register_cli(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("proof", help="write an HTML proof: every figure with its cells")
    p.add_argument("brief", type=Path, metavar="BRIEF", help="brief folder")
    p.add_argument("-o", "--out", type=Path, default=Path("out/proof"), help="output folder")
    p.set_defaults(func=cmd_proof)
