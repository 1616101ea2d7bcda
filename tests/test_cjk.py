"""Chinese line breaking (clreq): atoms, the greedy breaker and its mending rules."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.typeset.cjk import (
    GLUE_SHRINK,
    NO_LINE_END,
    NO_LINE_START,
    Line,
    balanced_lines,
    break_lines,
    can_break_between,
    han_latin_glue,
    is_han,
    is_latin,
    mark_pairs,
    segment,
)
from briefgen.typeset.clreq import (
    CLOSING_MARKS,
    OPENING_MARKS,
    STOP_MARKS,
    char_width,
    may_end_line,
    may_start_line,
    splits_doubled_mark,
    splits_latin_word,
)

EM = 10.0


def widths(text: str) -> list[float]:
    return [EM / 2 if c.isascii() else EM for c in text]


def lines_of(text: str, chars: int, indent: int = 0) -> list[str]:
    w = widths(text)
    return [text[ln.start:ln.end] for ln in break_lines(text, w, (chars - indent) * EM, chars * EM)]


def atoms(text: str) -> list[str]:
    return [text[s:e] for s, e in segment(text)]


def test_numbers_keep_their_units_and_latin_words_stay_whole() -> None:
    text = "产值982.7亿元，增长4.8%，高于全国0.9个百分点，Journal of Alloys等"
    got = atoms(text)
    assert "982.7亿元" in got
    assert "4.8%" in got
    assert "0.9个百" in got or "0.9个百分" in got
    assert "Journal" in got and "Alloys" in got
    assert atoms("436 户，") == ["436 户", "，"]


def test_dashes_and_ellipses_are_one_atom() -> None:
    assert "——" in atoms("甲——乙")
    assert "……" in atoms("甲……乙")


def test_no_line_starts_with_a_closing_mark_pulled_up_when_marks_can_squeeze() -> None:
    # 9 characters fill the line exactly; the comma after them must not start line 2
    text = "一二三四五、六七八，九十甲乙丙丁"
    lines = lines_of(text, 9)
    assert lines[0] == "一二三四五、六七八，"  # pulled up: the line has two marks to squeeze
    assert all(ln[0] not in NO_LINE_START for ln in lines)


def test_a_closing_mark_is_pushed_down_with_a_character_when_nothing_can_squeeze() -> None:
    text = "一二三四五六七八九。十甲乙丙丁"
    lines = lines_of(text, 9)
    assert lines[0] == "一二三四五六七八"
    assert lines[1].startswith("九。")


def test_no_line_ends_with_an_opening_mark() -> None:
    text = "一二三四五六七八《九十》甲乙丙丁"
    lines = lines_of(text, 9)
    assert all(ln[-1] not in NO_LINE_END for ln in lines)
    assert lines[1].startswith("《")


def test_first_line_indent_shortens_the_first_line() -> None:
    text = "一" * 30
    lines = lines_of(text, 10, indent=2)
    assert [len(x) for x in lines] == [8, 10, 10, 2]


def test_a_number_with_its_unit_is_never_split() -> None:
    text = "一二三四五六七982.7亿元八九十"
    for chars in range(6, 14):
        for ln in lines_of(text, chars):
            assert not ln.endswith(("982", "982.", "982.7", "982.7亿"))
            assert not ln.startswith(("2.7", ".7", "7亿", "亿元", "元"))


def test_an_atom_longer_than_the_line_is_split_rather_than_overflowing() -> None:
    text = "网址" + "x" * 40 + "结束"
    w = widths(text)
    for ln in break_lines(text, w, 10 * EM, 10 * EM):
        assert ln.width <= 10 * EM + 1e-6


def test_spaces_at_line_edges_are_dropped() -> None:
    text = "Journal of Materials Chemistry C and Materials Research Letters"
    for ln in lines_of(text, 8):
        assert ln == ln.strip()


def test_can_break_between_and_balanced_lines_still_work() -> None:
    assert not can_break_between("一", "，")
    assert not can_break_between("（", "一")
    assert not can_break_between("—", "—")
    assert can_break_between("一", "二")
    title = "推动朝阳市培育新质生产力促进工业高质量发展的对策建议"
    lines = balanced_lines(title, 18)
    assert "".join(lines) == title
    assert len(lines) == 2 and abs(len(lines[0]) - len(lines[1])) <= 2


TEMPTING = list("一二三四五六七八九十朝阳市工业") + list("，。、；：！？）》」』】”（《「『【“") + [
    "982.7亿元", "4.8%", "12.2个百分点", "GDP", "——", "……", " ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TEMPTING), min_size=1, max_size=120), st.integers(6, 30))
def test_generated_paragraphs_never_break_badly(parts: list[str], chars: int) -> None:
    text = "".join(parts)
    w = widths(text)
    measure = chars * EM
    lines = break_lines(text, w, measure, measure)
    assert "".join(text[ln.start:ln.end] for ln in lines).replace(" ", "") == text.replace(" ", "")
    for k, ln in enumerate(lines):
        s = text[ln.start:ln.end]
        nxt = text[lines[k + 1].start] if k + 1 < len(lines) else None
        if nxt is None:
            continue
        # the breaker may be forced only when a whole line has no legal break at all
        legal_exists = any(
            can_break_between(text[a[1] - 1], text[b[0]])
            for a, b in zip(ln.atoms, ln.atoms[1:], strict=False)
            if not text[a[0]].isspace() and not text[b[0]].isspace()
        )
        if legal_exists:
            assert nxt not in NO_LINE_START, (s, text[lines[k + 1].start:lines[k + 1].end])
            assert s[-1] not in NO_LINE_END, s
        # a pulled-up line is over its measure by no more than its marks can squeeze
        room = sum(w[i] / 2 for i in range(ln.start, ln.end) if text[i] in "，。、；：！？）》」』】”（《「『【“")
        assert ln.width <= measure + room + 1e-6 or len(ln.atoms) == 1


# ---- Latin text among Han characters ---------------------------------------------------------


def test_latin_characters_are_ascii_and_latin_letters() -> None:
    assert all(is_latin(c) for c in "Aa09 .,%()-/é")
    assert not any(is_latin(c) for c in "中，。（）％“”·—×\u3000")
    assert is_han("中") and is_han("𠀋") and is_han("〇") and not is_han("，") and not is_han("A")


def test_a_blank_goes_where_han_and_latin_letters_or_digits_meet() -> None:
    text = "面积1969914.36公顷，在全省14个（2023年）GDP增长4.8%，436 户"
    glue = han_latin_glue(text)
    marked = [text[i - 1:i + 1] for i, g in enumerate(glue) if g]
    assert marked == ["积1", "6公", "省1", "4个", "3年", "P增", "长4"]  # not by marks or a space


def test_a_line_starting_with_latin_text_drops_the_blank_before_it() -> None:
    text = "一二三四五六七八" + "2023年"
    w = widths(text)
    glue = [2.5 if g else 0.0 for g in han_latin_glue(text)]
    lines = break_lines(text, w, 9 * EM, 9 * EM, glue)
    assert [text[ln.start:ln.end] for ln in lines] == ["一二三四五六七八", "2023年"]
    assert lines[1].width == 4 * EM / 2 + EM + 2.5  # the blank inside 2023年, not the one before
    one = break_lines(text, w, 20 * EM, 20 * EM, glue)
    assert len(one) == 1 and one[0].width == sum(w) + 5.0  # both blanks on one line


def test_the_blank_counts_when_a_line_is_filled_and_may_shrink_by_half() -> None:
    text = "一二三四五六七A八九十"
    w = widths(text)

    def first(blank: float) -> Line:
        return break_lines(text, w, 8 * EM, 8 * EM,
                           [blank if g else 0.0 for g in han_latin_glue(text)])[0]

    assert text[first(0).start:first(0).end] == "一二三四五六七A"  # 75 of 80
    fit = first(9.0)  # 7 ideographs, A and a blank of 9 shrunk to 4.5: 79.5
    assert text[fit.start:fit.end] == "一二三四五六七A"
    assert fit.width == 84.0 and fit.glue == 9.0  # the writer shrinks the blank by 4
    assert fit.width - GLUE_SHRINK * fit.glue <= 8 * EM
    pushed = first(12.0)  # shrunk to 6: 81, over
    assert text[pushed.start:pushed.end] == "一二三四五六七"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TEMPTING + ["Journal", "of", "C"]), min_size=1, max_size=100),
       st.integers(6, 30), st.floats(0, 5))
def test_generated_paragraphs_with_blanks_keep_the_rules(parts: list[str], chars: int,
                                                         blank: float) -> None:
    text = "".join(parts)
    w = widths(text)
    glue = [blank if g else 0.0 for g in han_latin_glue(text)]
    measure = chars * EM
    lines = break_lines(text, w, measure, measure, glue)
    assert "".join(text[ln.start:ln.end] for ln in lines).replace(" ", "") == text.replace(" ", "")
    for ln in lines:
        s = text[ln.start:ln.end]
        inner = sum(glue[i] for i in range(ln.start + 1, ln.end))
        assert abs(ln.width - (sum(w[ln.start:ln.end]) + inner)) < 1e-6, s
        assert abs(ln.glue - inner) < 1e-6
        room = sum(w[i] / 2 for i in range(ln.start, ln.end) if text[i] in "，。、；：！？）》」』】”（《「『【“")
        assert ln.width - GLUE_SHRINK * ln.glue <= measure + room + 1e-6 or len(ln.atoms) == 1
        if not re.search(r"[A-Za-z]\d", text):  # GDP982.7, of12.2: words, not numbers
            assert not re.search(r"982\.?$|^\.?7亿|^亿元|^%|^个百分点", s), s


# ---- consecutive marks (标点挤压) ----------------------------------------------------------------


def test_consecutive_marks_that_squeeze_are_found() -> None:
    text = "件），战略（《纲要》、“新”。”甲，“乙”（丙）（丁）"
    pairs = [text[i - 1:i + 1] for i, p in enumerate(mark_pairs(text)) if p]
    assert pairs == ["），", "（《", "》、", "、“", "”。", "。”", "，“", "”（", "）（"]
    assert not any(mark_pairs("甲，乙（丙"))  # a mark beside a Han character: nothing


def kerns(text: str) -> list[float]:
    return [-EM / 2 if p else 0.0 for p in mark_pairs(text)]


def test_a_squeezed_pair_counts_on_one_line_and_is_dropped_at_a_break() -> None:
    text = "一二三四五六七）（八九十"
    w = widths(text)
    one = break_lines(text, w, 20 * EM, 20 * EM, kern=kerns(text))
    assert len(one) == 1 and one[0].width == sum(w) - EM / 2 and one[0].kern == -EM / 2
    # 7 ideographs and ）fill 8 ems: the line breaks between ）and （, the squeeze goes
    two = break_lines(text, w, 8 * EM, 8 * EM, kern=kerns(text))
    assert [text[ln.start:ln.end] for ln in two] == ["一二三四五六七）", "（八九十"]
    assert [ln.width for ln in two] == [8 * EM, 4 * EM] and two[0].kern == two[1].kern == 0


def test_a_line_fits_more_when_its_marks_are_squeezed() -> None:
    text = "一二三四五六七），八九十"
    w = widths(text)
    lines = break_lines(text, w, 8.5 * EM, 8.5 * EM, kern=kerns(text))
    assert text[lines[0].start:lines[0].end] == "一二三四五六七），"  # 8.5 ems with ）squeezed


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TEMPTING + ["），", "。”", "，“", "》、", "）、", "（《"]),
                min_size=1, max_size=120), st.integers(6, 30))
def test_generated_paragraphs_with_squeezed_marks_keep_the_rules(parts: list[str],
                                                                 chars: int) -> None:
    text = "".join(parts)
    w = widths(text)
    kern = kerns(text)
    measure = chars * EM
    lines = break_lines(text, w, measure, measure, kern=kern)
    assert "".join(text[ln.start:ln.end] for ln in lines).replace(" ", "") == text.replace(" ", "")
    for k, ln in enumerate(lines):
        s = text[ln.start:ln.end]
        inner = sum(kern[i] for i in range(ln.start + 1, ln.end))
        assert abs(ln.width - (sum(w[ln.start:ln.end]) + inner)) < 1e-6, s  # start's dropped
        assert abs(ln.kern - inner) < 1e-6
        nxt = text[lines[k + 1].start] if k + 1 < len(lines) else None
        if nxt is not None and any(
                can_break_between(text[a[1] - 1], text[b[0]])
                for a, b in zip(ln.atoms, ln.atoms[1:], strict=False)
                if not text[a[0]].isspace() and not text[b[0]].isspace()):
            assert nxt not in NO_LINE_START, (s, text[lines[k + 1].start:lines[k + 1].end])
            assert s[-1] not in NO_LINE_END, s
        # pulled up: over by no more than the blanks its pairs have not squeezed already
        room = sum(w[i] / 2 for i in range(ln.start, ln.end) if text[i] in "，。、；：！？）》」』】”（《「『【“")
        assert ln.width <= measure + max(0.0, room + inner) + 1e-6 or len(ln.atoms) == 1


# ---- the rules one by one (clreq.py) ---------------------------------------------------------

PIECES = TEMPTING + ["\u3000", "\t", "𠀋", "Journal", "é", "2023-05", "x" * 12, "×", "——…"]
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=60).map("".join)
chars = st.sampled_from(sorted(set("".join(PIECES)) | NO_LINE_START | NO_LINE_END))


@given(chars, chars)
def test_a_break_is_refused_by_each_rule_and_allowed_when_none_applies(a: str, b: str) -> None:
    refused = (a in NO_LINE_END, b in NO_LINE_START, splits_latin_word(a, b),
               splits_doubled_mark(a, b))
    assert can_break_between(a, b) == (not any(refused))
    assert may_end_line(a) == (a not in NO_LINE_END) and may_start_line(b) == (b not in NO_LINE_START)
    if splits_latin_word(a, b):  # a Latin word or a number: ASCII letters, digits, . and %
        assert re.fullmatch(r"[A-Za-z0-9.%]{2}", a + b)
    if splits_doubled_mark(a, b):
        assert a == b and a in "—…"


@settings(max_examples=300, deadline=None)
@given(texts)
def test_atoms_cover_the_text_and_keep_words_runs_and_spaces_whole(text: str) -> None:
    spans = segment(text)
    assert [s for s, _ in spans] == [0] + [e for _, e in spans[:-1]] and spans[-1][1] == len(text)
    for s, e in spans:
        atom = text[s:e]
        assert e > s
        if atom[0].isspace():  # a run of spaces; an ideographic space stands alone
            assert atom.isspace() and (atom == "\u3000" or "\u3000" not in atom)
        elif atom[0] in "—…" and e - s > 1:
            assert atom == atom[0] * len(atom)
    for (_, e), (s, _) in zip(spans, spans[1:], strict=False):
        assert not re.fullmatch(r"[A-Za-z0-9]{2}", text[e - 1:s + 1])  # never inside a word
        assert not (text[e - 1] == text[s] and text[s] in "—…")  # never inside —— or ……
        assert not (text[e - 1].isspace() and text[s].isspace() and "\u3000" not in text[e - 1:s + 1])


@settings(max_examples=300, deadline=None)
@given(texts)
def test_a_blank_only_where_han_meets_a_letter_digit_or_per_cent(text: str) -> None:
    def word(c: str) -> bool:
        return c.isalnum() and not is_han(c) and (c.isascii() or is_latin(c)) or c in "%‰"

    for i, g in enumerate(han_latin_glue(text)):
        a, b = (text[i - 1], text[i]) if i else ("", text[i])
        assert g == (i > 0 and ((is_han(a) and word(b)) or (word(a) and is_han(b)))), (a, b)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_marks_squeeze_only_after_a_closing_or_stop_mark_or_between_opening_marks(text: str) -> None:
    closing_or_stop = CLOSING_MARKS | STOP_MARKS
    for i, p in enumerate(mark_pairs(text)):
        a, b = (text[i - 1], text[i]) if i else ("", text[i])
        expected = (a in closing_or_stop and b in closing_or_stop | OPENING_MARKS) or (
            a in OPENING_MARKS and b in OPENING_MARKS)
        assert p == (i > 0 and expected), (a, b)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TEMPTING[:-1] + ["GDP"]), min_size=1, max_size=40).map("".join),
       st.integers(8, 30))
def test_balanced_titles_spell_the_title_and_break_legally(title: str, chars: int) -> None:
    lines = balanced_lines(title, chars)
    assert "".join(lines) == title
    for a, b in zip(lines, lines[1:], strict=False):
        assert can_break_between(a[-1], b[0])
        assert sum(char_width(c) for c in a) <= chars
        assert sum(char_width(c) for c in b) >= 3  # no orphan of one or two characters
