"""Running the checks: read the brief once, apply every rule, honour the written exceptions."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from briefgen.analysis.check import ignore, rules_data, rules_values, rules_words
from briefgen.analysis.check.candidates import Candidate, candidates
from briefgen.analysis.check.context import Context, brief_texts, make_context
from briefgen.analysis.check.findings import ERROR, CheckOptions, Finding, sort_findings
from briefgen.analysis.check.labels import association
from briefgen.analysis.check.mentions import Mention
from briefgen.analysis.check.reading import Reading, from_blocks
from briefgen.analysis.check.rules import Check, MentionRule
from briefgen.analysis.check.values import agrees
from briefgen.compose import Composition, compose
from briefgen.config.brief import Spec, load_spec
from briefgen.data import DataContext, load_data
from briefgen.model import Document
from briefgen.model import Figure as ModelFigure
from briefgen.readers.markdown import parse_sections


def read_brief(spec: Spec, data: DataContext, composition: Composition | None = None,
               document: Document | None = None) -> Reading:
    """The brief as check reads it: the document model's blocks (Bound figures, each
    block's `where`) and the composition's ledger; composed and parsed here when the
    caller (the build) has not done it already. Charts are not drawn for this."""
    if composition is None:
        composition = compose(spec, data)
    if document is not None:
        blocks = document.body
    else:
        stand_ins = {c.id: ModelFigure(c.id, i + 1,
                                       composition.texts.get(f"chart:{c.id}:title", c.title),
                                       Path("-"))
                     for i, c in enumerate(spec.brief.charts)}
        blocks = parse_sections(composition.sections, stand_ins, spec.house.labels)
    return from_blocks(blocks, composition.ledger, spec.brief_file, brief_texts(spec))


def _last_issues(m: Mention, c: Candidate, was: Candidate | None) -> bool:
    """The typed number is the value's last issue's figure, not this one's, and its words
    name the value."""
    if was is None or was.value == c.value or agrees(m, c) or not agrees(m, was):
        return False
    return association(m, c) >= 3


def _stale_error(before: dict[str, Candidate], ctx: Context, m: Mention) -> Finding | None:
    c = next((c for c in ctx.candidates if _last_issues(m, c, before.get(c.expr))), None)
    if c is None:
        return None
    return Finding(
        ERROR, "stale", f"{m.shown} is last issue's {c.label}; this issue's data has "
        f"{c.shown(m.decimals)}", m.file, m.line, f"write {c.filter_for(m.digits)}",
        text=m.shown)


def check_stale(ctx: Context) -> list[Finding]:
    """An exact typed number that is last issue's value of the indicator its words name."""
    old = rules_data.previous_data(ctx.spec)
    if old is None:
        return []
    before = {c.expr: c for c in candidates(old, ctx.spec.brief.place)}
    return MentionRule(partial(_stale_error, before), kinds=("number",), exact=True).run(ctx)


# The checks in the order they run: an error on a number (flagged) keeps the later rules,
# and the warnings, from naming that number again.
CHECKS = (
    Check(rules_data.check_totals),
    Check(rules_data.check_ranges),
    Check(rules_data.check_identities),
    Check(rules_data.check_printed_shares),
    Check(rules_words.BOUND_DIRECTION.run),
    Check(rules_words.TYPED_TWICE.run),
    Check(rules_words.POINTS.run),
    Check(rules_values.check_conflicts),
    Check(rules_values.SHARES.run),
    Check(rules_values.SLIPS.run),
    Check(check_stale, needs=("previous",)),
    Check(rules_values.TYPED.run, needs=("warnings",)),
    Check(rules_data.check_previous, needs=("warnings", "previous")),
)


def run_checks(spec: Spec, data: DataContext, reading: Reading,
               options: CheckOptions | None = None) -> list[Finding]:
    ctx = make_context(spec, data, reading, options)
    findings = [f for check in CHECKS if check.wanted(ctx.options) for f in check.run(ctx)]
    files = sorted({p.file for p in reading.passages if p.origin != "brief.yaml"})
    marks = ignore.marks_in(reading, files) + ignore.marks_in_brief(spec)
    return sort_findings(ignore.apply(findings, marks))


def check_spec(spec: Spec, data: DataContext, options: CheckOptions | None = None,
               composition: Composition | None = None, document: Document | None = None) -> list[Finding]:
    return run_checks(spec, data, read_brief(spec, data, composition, document), options)


def check_folder(folder: Path, options: CheckOptions | None = None) -> list[Finding]:
    spec = load_spec(folder)
    data = load_data(spec.data_folder())
    return check_spec(spec, data, options)


def error_findings(spec: Spec, data: DataContext, composition: Composition | None = None,
                   document: Document | None = None) -> list[Finding]:
    """The error-level findings only: what `build` refuses to print. The pipeline passes
    its composition and document so the brief is not composed again."""
    found = check_spec(spec, data, CheckOptions(previous=False, warnings=False),
                       composition, document)
    return [f for f in found if f.level == ERROR]
