"""The machinery every check rule shares: which mentions a MentionRule reads, that an error
marks its mention for the later rules, the options a Check needs, and WordTest."""

from __future__ import annotations

from dataclasses import replace

import pytest

from briefgen.analysis.check.context import Context, make_context
from briefgen.analysis.check.findings import ERROR, WARNING, CheckOptions, Finding
from briefgen.analysis.check.mentions import Mention
from briefgen.analysis.check.reading import Passage
from briefgen.analysis.check.rules import Check, MentionRule
from briefgen.analysis.check.run import read_brief
from briefgen.analysis.check.words import WordTest
from briefgen.config.brief import load_spec
from briefgen.data import load_data

from .conftest import ROOT, SAMPLE

PASSAGE = Passage("p.md", 3, "全市常住人口279.8万人，约六成，排名第二，增长5%。")
TYPED = Mention(PASSAGE, 6, 11, "279.8", 279.8, "万人", "万人")
ROUGH = Mention(PASSAGE, 14, 15, "六", 60.0, "%", "成", qualifier="rough")
RANK = Mention(PASSAGE, 20, 21, "二", 2.0, "", "", kind="rank")
BOUND = Mention(PASSAGE, 24, 25, "5", 5.0, "%", "%", figure=0)
RANGE = Mention(PASSAGE, 24, 25, "5", 5.0, "%", "%", kind="range")
ALL = [TYPED, ROUGH, RANK, BOUND, RANGE]


@pytest.fixture(scope="module")
def sample_context() -> Context:
    spec = load_spec(ROOT / SAMPLE)
    data = load_data(spec.data_folder())
    return make_context(spec, data, read_brief(spec, data))


def _context(sample: Context) -> Context:
    return replace(sample, mentions=list(ALL), flagged=set())


def _flag_each(level: str) -> MentionRule:
    return MentionRule(lambda ctx, m: Finding(level, "test", m.digits, m.file, m.line))


def _read(rule: MentionRule, ctx: Context) -> list[Mention]:
    return [m for m in ctx.mentions if rule.reads(m, ctx)]


def test_a_rule_reads_typed_numbers_counts_and_ranks_by_default(sample_context: Context) -> None:
    ctx = _context(sample_context)
    assert _read(_flag_each(ERROR), ctx) == [TYPED, ROUGH, RANK]


def test_a_rule_declares_kinds_bound_and_exact(sample_context: Context) -> None:
    ctx = _context(sample_context)
    every = MentionRule(_flag_each(ERROR).find, kinds=None, bound=None)
    assert _read(every, ctx) == ALL
    assert _read(replace(every, bound=True), ctx) == [BOUND]
    assert _read(replace(every, kinds=("rank",)), ctx) == [RANK]
    assert _read(replace(every, exact=True), ctx) == [TYPED, RANK, BOUND, RANGE]


def test_an_error_marks_its_mention_for_the_later_rules(sample_context: Context) -> None:
    ctx = _context(sample_context)
    first = replace(_flag_each(ERROR), kinds=("rank",))
    assert [f.message for f in first.run(ctx)] == ["二"]
    assert ctx.flagged == {id(RANK)}
    later = _flag_each(ERROR)
    assert _read(later, ctx) == [TYPED, ROUGH]
    assert _read(replace(later, after_errors=False), ctx) == [TYPED, ROUGH, RANK]


def test_a_warning_marks_nothing(sample_context: Context) -> None:
    ctx = _context(sample_context)
    found = _flag_each(WARNING).run(ctx)
    assert [(f.message, f.file, f.line) for f in found] == [
        ("279.8", "", None), ("六", "", None), ("二", "", None)]
    assert ctx.flagged == set()


def test_a_mention_the_rule_finds_nothing_in_gives_no_finding(sample_context: Context) -> None:
    ctx = _context(sample_context)
    rule = MentionRule(lambda ctx, m: None if m.qualifier else Finding(ERROR, "t", m.digits))
    assert [f.message for f in rule.run(ctx)] == ["279.8", "二"]
    assert ctx.flagged == {id(TYPED), id(RANK)}


def test_a_check_runs_when_the_options_it_needs_are_on() -> None:
    def nothing(ctx: Context) -> list[Finding]:
        return []

    stale = Check(nothing, needs=("previous",))
    moved = Check(nothing, needs=("warnings", "previous"))
    assert Check(nothing).wanted(CheckOptions(previous=False, warnings=False))
    assert stale.wanted(CheckOptions(warnings=False))
    assert not stale.wanted(CheckOptions(previous=False))
    assert moved.wanted(CheckOptions())
    assert not moved.wanted(CheckOptions(warnings=False))


def test_a_word_test_wants_one_word_and_none_of_the_others() -> None:
    share = WordTest(("占", "比重"), ("增长", "全国"))
    assert share("冶金产值占")
    assert share("比重为")
    assert not share("比重增长")
    assert not share("全国占")
    assert not share("产值为")
    assert WordTest(("率",))("城镇化率")
