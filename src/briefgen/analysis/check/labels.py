"""Which indicator a number is given for, and whether the sentence speaks of this place
and year at all: another year (2020年…), another place (凌源市…, 全国), a component
(其中炼油…) or another measure (增加值占比 vs 产值占比) is not the data's figure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefgen.analysis.check.candidates import Candidate
from briefgen.analysis.check.kinds import SPACES
from briefgen.analysis.check.mentions import Mention
from briefgen.analysis.check.words import has_any, last_of

HOME_WORDS = ("全市", "本市", "我市", "市域", "全区", "本地")
OUTSIDE_WORDS = ("全国", "全省", "省内", "国家", "全球", "世界", "东北", "全县", "各地")
MEASURES = ("增加值", "总产值", "产值", "营业收入", "营收", "利润", "利税", "税收", "投资",
            "出口", "进口", "用电量", "产量", "销售额", "就业", "从业人员", "企业数", "户数")
PLACE = re.compile(r"([\u4e00-\u9fff]{2,4}?)(市|县|区|旗|省)(?![长委政级直内外域场])")
YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
RATE = re.compile(r"[\u4e00-\u9fff]{1,8}率$")
FILLER = re.compile(r"(仅为|仅|只有|约为|约|为|是|达到|达|已达|高达|共计|共|合计|的|仍然|仍|已经|已)+$")
# A clause with these gives a share, a change or a comparison, not the indicator's level.
NOT_A_LEVEL = ("占", "比重", "份额", "增长", "下降", "提高", "降低", "高于", "低于", "比上年",
               "同比", "增速", "回落", "差距", "其中")
# A label after these is another one (全国城镇化率, 上年城镇化率).
LABEL_QUALIFIERS = OUTSIDE_WORDS + ("平均", "上年", "去年", "同期", "原")


def other_year(m: Mention, year: int | None) -> bool:
    years = [int(y) for y in YEAR.findall(m.prefix)]
    return bool(years) and year is not None and years[-1] != year


def _kind_of_place(name: str) -> bool:
    """市辖区, 县级市, 地级市: kinds of place, not a place."""
    return has_any(name, "个辖级城地各全本我该省内外和与及、")


def _is_home(name: str, home: Sequence[str]) -> bool:
    return any(h and (name in h or h in name) for h in home)


def _last_place(prefix: str, home: Sequence[str]) -> tuple[int, bool]:
    """Where the last place the text names starts, and whether it is another place (全国,
    凌源市); (-1, False) when it names none."""
    outside = max(prefix.rfind(w) for w in OUTSIDE_WORDS)
    places = [pm for pm in PLACE.finditer(prefix) if not _kind_of_place(pm.group(0))]
    if places and places[-1].start() > outside:
        return places[-1].start(), not _is_home(places[-1].group(0), home)
    return outside, outside >= 0


def other_place(m: Mention, home: Sequence[str]) -> bool:
    """The nearest place the sentence names before the number is not this one."""
    start, other = _last_place(m.prefix, home)
    if not other:
        return False
    last_home = max((m.prefix.rfind(w) for w in (*HOME_WORDS, *home) if w), default=-1)
    return last_home < start  # 全国…全市: the sentence came back home


def component(m: Mention, cand: Candidate) -> bool:
    """其中炼油产值…: after 其中, only names said after it tie the number to a value."""
    i = m.prefix.rfind("其中")
    if i < 0:
        return False
    after = m.prefix[i + 2:]
    return not any(w in after or _common(w, after) >= 3 for w in cand.words)


def other_measure(m: Mention, cand: Candidate) -> bool:
    """The clause names a measure (增加值) the value is not of (产值)."""
    lead = m.lead + m.after[:4]
    said = [w for w in MEASURES if w in lead]
    if not said:
        return False
    longest = max(said, key=len)
    text = "".join(cand.words)
    if longest == "产值" and "增加值" in lead:
        longest = "增加值"
    return longest not in text


def _common(a: str, b: str) -> int:
    """The length of the longest run of characters `a` and `b` share."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def association(m: Mention, cand: Candidate) -> int:
    """How strongly the words around a number name this value (0: not at all)."""
    window = m.lead + m.after[:6]
    local = max((_common(w, window) for w in cand.words), default=0)
    stem = re.sub(r"(数量|数)$", "", cand.label)
    if 0 < len(stem) <= 3 and stem in m.after[:5] + m.lead[-4:]:
        local = max(local, 2)  # a short indicator named after the number: 县数 and "四个县"
    if local >= 2 and cand.kind == "rank" and cand.label[:2] in m.prefix:
        local += 1  # 钼矿 … 居全省第二: the rank of the thing the sentence is about
    return local if local >= 2 else 0


def in_scope(m: Mention, cand: Candidate, home: Sequence[str], year: int | None) -> bool:
    """The sentence speaks of this place and year, of this value and not a part of it."""
    named = "".join(cand.words)
    outside_cand = has_any(named, OUTSIDE_WORDS + ("上年", "原", "前"))
    if not outside_cand and other_place(m, home):
        return False
    if other_year(m, year) and not re.search(r"(19|20)\d\d年", cand.label):
        return False
    return not component(m, cand) and not other_measure(m, cand)


def _named_label(lead: str, vocabulary: Sequence[str]) -> tuple[int, int, str] | None:
    """(start, end, label) of the data's label that ends last in the clause."""
    best = last_of(lead, vocabulary)
    if best is None:
        return None
    end, label = best
    return end - len(label), end, label


def _without_home(label: str, home: Sequence[str]) -> str:
    """朝阳市城镇化率 → 城镇化率."""
    for word in sorted(home, key=len, reverse=True):
        if word and label.startswith(word) and len(label) > len(word) + 1:
            return label[len(word):]
    return label


def _rate_word(lead: str, home: Sequence[str]) -> tuple[int, int, str] | None:
    """(start, end, label) of a word in 率 ending the clause's last run of characters."""
    run = re.search(r"[\u4e00-\u9fff]+(?=[^\u4e00-\u9fff]*$)", lead)
    if not run:
        return None
    words = FILLER.sub("", run.group(0))
    rate = RATE.search(words)
    if not rate:
        return None
    label = _without_home(rate.group(0), home)
    end = run.start() + len(words)
    return end - len(label), end, label


def mention_label(m: Mention, vocabulary: Sequence[str], home: Sequence[str]) -> str | None:
    """The indicator a number is given for, when the clause names one right before it:
    one of the data's labels, else a word in 率 (城镇化率, 覆盖率)."""
    lead = m.lead
    if has_any(lead, NOT_A_LEVEL):
        return None
    found = _named_label(lead, vocabulary) or _rate_word(lead, home)
    if found is None:
        return None
    start, end, label = found
    if len(lead[end:].strip(SPACES)) > 6:
        return None
    before = lead[:start]
    return next((w for w in LABEL_QUALIFIERS if before.endswith(w)), "") + label


def _clause_of(prefix: str, start: int, end: int) -> str:
    """The clause of the text that holds [start, end)."""
    clause_start = max(prefix.rfind(c, 0, start) for c in "。！？；;，,") + 1
    ends = [i for i in (prefix.find(c, end) for c in "，,；;") if i >= 0]
    return prefix[clause_start:min(ends, default=len(prefix))]


def _names_another(clause: str, key: str, keys: Sequence[str]) -> bool:
    """The clause names another row too (a list of sectors), not one that holds this one."""
    return any(k in clause and k != key and key not in k and k not in key for k in keys)


def subject(m: Mention, keys: Sequence[str]) -> str | None:
    """The row (a sector, a city) a number is about: the nearest row key before it in its
    sentence, unless its clause names several (a list of sectors) or 其中 comes after it."""
    prefix = m.prefix
    best = last_of(prefix, keys)
    if best is None:
        return None
    end, key = best
    if "其中" in prefix[end:]:
        return None
    if _names_another(_clause_of(prefix, end - len(key), end), key, keys):
        return None
    return key
