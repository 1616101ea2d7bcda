"""Every number a passage holds, typed or bound, read with its unit and the words around it.

Arabic numbers (with signs, thousands commas, 下降X% as −X), Chinese numerals with
a measure word (四个县, 排名第二, 六成, 近七分之一, 一倍) and ranges (3～5年) are
read; years, dates, document numbers (〔2023〕12号), codes (ISO 9001, GB/T 29490,
PM2.5, 5G), phone numbers, 7×24小时, ordinals (第19届, 附件2) are read as what
they are (kind "other") and never compared with the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefgen.analysis.check.chinese import FRACTION, NUMERAL, RUN, chinese_value, fraction_value
from briefgen.analysis.check.kinds import SPACES, not_a_statistic
from briefgen.analysis.check.reading import Figure, Passage

ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
SENTENCE_END = "。！？；!?;\n"
CLAUSE_END = SENTENCE_END + "，,、：:（）()|【】[]"
UNITS = sorted([
    "个百分点", "百分点", "个千分点", "千分点", "%", "％", "‰",
    "万亿元", "亿元", "万元", "千元", "元", "亿美元", "万美元", "美元",
    "万人次", "人次", "万人", "人", "万户", "户", "万家", "家", "亿吨", "万吨", "吨",
    "万千瓦时", "千瓦时/平方米", "千瓦时", "万千瓦", "千瓦", "公顷", "亩", "平方公里", "平方米",
    "米/秒", "公里", "千米", "米", "小时", "周岁", "岁", "年", "个月", "天", "个", "种", "处",
    "项", "座", "所", "名", "位", "倍", "条", "件", "台", "辆", "套", "批", "次", "亿", "万",
], key=len, reverse=True)
MONEY = ("万亿元", "亿元", "万元", "千元", "元")
STAT_UNITS = ("%", "pp", "‰", "ppt", *MONEY, "万人", "万户", "万吨", "亿吨", "公顷", "万千瓦")
CN_MEASURE = ("个", "户", "家", "种", "项", "处", "座", "所", "条", "成", "倍")
UP_WORDS = ("增长", "增加", "提高", "上升", "上涨", "加快", "高于", "快于", "高出", "多出", "扩大")
DOWN_WORDS = ("下降", "减少", "降低", "回落", "下滑", "下跌", "减慢", "放缓", "低于", "慢于", "缩小")
APPROX_BEFORE = ("接近", "将近", "大约", "约", "近", "超过", "逾", "超", "不到", "不足", "多达")


@dataclass
class Mention:
    """One number of a passage."""

    passage: Passage
    start: int
    end: int
    digits: str  # as typed: "57.7", "六"
    value: float  # its magnitude in `unit`: 六成 → 60 (%), 七分之一 → 14.29 (%)
    unit: str  # normalised: "%", "pp" (个百分点), "‰", "ppt" (个千分点), "亿元", "个", ""
    unit_text: str  # as typed after the number: "个百分点", "多万吨"
    kind: str = "number"  # number, rank, count, range, other
    why: str = ""  # for kind "other": year, date, code, ordinal, reference, identifier
    negative: bool = False  # typed with a minus sign
    qualifier: str = ""  # above, below, rough, or "" for a number given exactly
    figure: int | None = None  # the ledger id when bound
    file: str = ""
    line: int | None = None

    @property
    def text(self) -> str:
        return self.passage.text

    @property
    def bound(self) -> bool:
        return self.figure is not None

    @property
    def decimals(self) -> int:
        return len(self.digits.partition(".")[2]) if self.digits[:1].isdigit() else 0

    @property
    def sentence_start(self) -> int:
        return _boundary(self.text, self.start, SENTENCE_END)

    @property
    def prefix(self) -> str:
        """The sentence up to the number."""
        return self.text[self.sentence_start:self.start]

    @property
    def sentence(self) -> str:
        stop = min((i for i in (self.text.find(c, self.end) for c in SENTENCE_END) if i >= 0),
                   default=len(self.text))
        return self.text[self.sentence_start:stop]

    @property
    def lead(self) -> str:
        """The clause before the number (from the last comma, stop or number)."""
        start = max(_boundary(self.text, self.start, CLAUSE_END), self.sentence_start)
        lead = self.text[start:self.start]
        m = re.search(r".*\d[^\d]*?", lead)
        return lead[m.end():] if m and "%" not in lead[m.end():] else lead

    @property
    def after(self) -> str:
        return self.text[self.end:self.end + 12]

    @property
    def direction(self) -> int:
        """+1 or −1 by the change or comparison word right before the number."""
        word = self.change_word
        return 1 if word in UP_WORDS else -1 if word in DOWN_WORDS else 0

    @property
    def change_word(self) -> str:
        lead = self.text[max(0, self.start - 12):self.start].rstrip(SPACES)
        lead = re.sub(r"(了|达|为|约|近|超过|逾|不到|不足|-|−|－)+$", "", lead)
        best = ""
        for word in UP_WORDS + DOWN_WORDS:
            i = lead.rfind(word)
            if i >= 0 and _governs(lead[i + len(word):]) and (not best or i > lead.rfind(best)):
                best = word
        return best

    @property
    def signed(self) -> float:
        """The value with the sign the sentence gives it: 下降3.2% → −3.2."""
        sign = -1.0 if self.negative else 1.0
        return sign * (-1.0 if self.direction < 0 else 1.0) * self.value

    @property
    def shown(self) -> str:
        """The number as the prose gives it, with its unit: 57.7%, 45.82%, 四个."""
        sign = "-" if self.negative else ""
        return f"{sign}{self.digits}{self.unit_text}"

    def where(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "text": self.shown}


def _governs(gap: str) -> bool:
    """A change word governs the number when what lies between them is short and is not
    a new clause, a target (至, 到, 为, 成) or 值 (增加值: value added, not a rise)."""
    if gap.startswith("值") or len(gap) > 10:
        return False
    return not re.search(r"[至到为成]", gap) and not re.search(r"[，,。；、]", gap)


def _boundary(text: str, pos: int, chars: str) -> int:
    return max(text.rfind(c, 0, pos) for c in chars) + 1


UNIT_NAMES = {"％": "%", "个百分点": "pp", "百分点": "pp", "个千分点": "ppt", "千分点": "ppt"}
MAGNITUDE = re.compile(r"([万亿千]?)([多余])?")
QUALIFIER_AFTER = (("above", ("以上", "之多", "多")), ("below", ("以下", "以内")),
                   ("rough", ("左右", "上下")))
QUALIFIER_BEFORE = {"超过": "above", "逾": "above", "超": "above", "多达": "above",
                    "接近": "below", "将近": "below", "近": "below", "不到": "below",
                    "不足": "below", "大约": "rough", "约": "rough"}
MINUS = ("-", "−", "－")
RANGE_AFTER = re.compile(r"\s*(?:%|％)?\s*[～~—–\-至到]\s*(\d+(?:\.\d+)?)")
COUNT_UNITS = ("个", "户", "家", "种", "项", "处", "座", "所", "条")
RANK_BEFORE = re.compile(r"(排名|排|居|列|位列|位居)[^，。；]{0,6}第$")
ONE_IS_A_WORD = ("个", "种", "项", "条", "批")  # 一个, 一种: an article, not a count


def _magnitude(stripped: str) -> tuple[str, str, bool, str]:
    """(typed 万/亿/千 with 多/余, the magnitude, whether 多/余 follows, the rest) of the text
    after a number; nothing when a unit of two characters or more starts it (万元, 千瓦)."""
    if any(stripped.startswith(u) and len(u) > 1 for u in UNITS):
        return "", "", False, stripped
    m = MAGNITUDE.match(stripped)
    assert m is not None  # every part of the pattern is optional
    return m.group(0), m.group(1), m.group(2) is not None, stripped[m.end():]


def _qualifier_after(after: str) -> str:
    """以上 / 以下 / 左右 right after the unit."""
    return next((q for q, words in QUALIFIER_AFTER if after.startswith(words)), "")


def _unit_after(text: str, end: int) -> tuple[str, str, str]:
    """(normalised unit, typed unit text, qualifier) of what follows a number."""
    rest = text[end:end + 12]
    stripped = rest.lstrip(SPACES)
    lead_space = rest[:len(rest) - len(stripped)]
    typed_mag, mag, more, tail = _magnitude(stripped)
    unit = next((u for u in UNITS if tail.startswith(u)), "")
    if not unit and mag:
        unit, mag = mag, ""  # 3万: 万 is the unit
    qualifier = _qualifier_after(tail[len(unit):].lstrip(SPACES)) or ("above" if more else "")
    full = mag + unit
    typed = (lead_space if unit in ("%", "％") else "") + typed_mag + unit
    return UNIT_NAMES.get(full, full), typed, qualifier


def _qualifier_before(text: str, start: int) -> str:
    lead = text[max(0, start - 6):start].rstrip(SPACES)
    lead = re.sub(r"[达为了]$", "", lead)
    word = next((w for w in APPROX_BEFORE if lead.endswith(w)), "")
    return QUALIFIER_BEFORE.get(word, "")


def _is_negative(text: str, start: int) -> bool:
    """A minus sign before the number that is not a hyphen (2023-12, A-3)."""
    return text[start - 1:start] in MINUS and not re.match(
        r"[0-9A-Za-z]", text[start - 2:start - 1] or " ")


def _arabic_mention(passage: Passage, start: int, end: int, digits: str) -> Mention:
    text = passage.text
    unit, unit_text, qualifier = _unit_after(text, end)
    neg = _is_negative(text, start)
    return Mention(passage, start, end, digits, float(digits.replace(",", "")), unit,
                   unit_text, negative=neg, figure=passage.figure_at(start),
                   qualifier=qualifier or _qualifier_before(text, start - int(neg)))


def _classify(mention: Mention) -> int:
    """Set what a typed number is (a range, a code …); the position reading goes on from
    (past a range's second number, else the number's own end)."""
    if mention.figure is not None:
        return mention.end
    text, end = mention.text, mention.end
    rng = RANGE_AFTER.match(text[end:end + 12])
    if rng:
        mention.kind, mention.why = "range", "range"
        mention.unit, mention.unit_text, _ = _unit_after(text, end + rng.end())
        return end + rng.end()
    why = not_a_statistic(text, mention.start, end, mention.digits, mention.unit)
    if why:
        mention.kind, mention.why = "other", why
    return end


def _number_kind(m: Mention) -> str:
    """A number after 第 is a rank, one in 个/户/家… a count."""
    if m.kind != "number":
        return m.kind
    if m.text[:m.start].rstrip(SPACES).endswith("第"):
        return "rank"
    return "count" if m.unit in COUNT_UNITS else "number"


def _arabic(passage: Passage, figures: list[Figure]) -> list[Mention]:
    out: list[Mention] = []
    skip_until = -1
    for m in ARABIC.finditer(passage.text):
        if m.start() < skip_until:
            continue  # the second number of a range
        mention = _arabic_mention(passage, m.start(), m.end(), m.group(0))
        skip_until = _classify(mention)
        mention.kind = _number_kind(mention)
        out.append(mention)
    return out


def _fractions(passage: Passage) -> list[Mention]:
    """七分之一 → 14.29%."""
    out = []
    for m in FRACTION.finditer(passage.text):
        ratio = fraction_value(m.group(0))
        if ratio is not None and passage.figure_at(m.start()) is None:
            out.append(Mention(passage, m.start(), m.end(), m.group(0), ratio * 100, "%", "",
                               qualifier=_qualifier_before(passage.text, m.start())))
    return out


def _chinese_rank(passage: Passage, m: re.Match[str], value: int) -> Mention | None:
    """排名第二, 居全省第一: a rank; 第一个百年, 第二产业: ordinals, not ranks."""
    if not RANK_BEFORE.search(passage.text[max(0, m.start() - 10):m.start()]):
        return None
    return Mention(passage, m.start(), m.end(), m.group(0), float(value), "", "", kind="rank")


def _measured(passage: Passage, m: re.Match[str], value: int, measure: str) -> Mention:
    """六成 (60%), 一倍 (a multiple, not compared), 四个 (a count)."""
    text = passage.text
    if measure == "成":
        return Mention(passage, m.start(), m.end() + 1, m.group(0), value * 10.0, "%", "成",
                       qualifier=_unit_after(text, m.end() + 1)[2]
                       or _qualifier_before(text, m.start()))
    if measure == "倍":
        return Mention(passage, m.start(), m.end() + 1, m.group(0), value * 100.0, "%", "倍",
                       kind="other", why="multiple")
    return Mention(passage, m.start(), m.end(), m.group(0), float(value), measure, measure,
                   kind="count")


def _numeral(passage: Passage, m: re.Match[str]) -> Mention | None:
    """A run of Chinese numerals as a rank or with its measure word; None for other runs."""
    text = passage.text
    value = chinese_value(m.group(0))
    if value is None or text[m.end():m.end() + 2] == "分之":
        return None
    if text[max(0, m.start() - 3):m.start()].endswith("第"):
        return _chinese_rank(passage, m, value)
    measure = next((w for w in CN_MEASURE if text[m.end():m.end() + 2].startswith(w)), "")
    if not measure or (value == 1 and measure in ONE_IS_A_WORD):
        return None
    return _measured(passage, m, value, measure)


def _chinese(passage: Passage) -> list[Mention]:
    out = _fractions(passage)
    taken = [(x.start, x.end) for x in out]
    for m in RUN.finditer(passage.text):
        if any(a <= m.start() < b for a, b in taken) or passage.figure_at(m.start()) is not None:
            continue
        mention = _numeral(passage, m)
        if mention is not None:
            out.append(mention)
    return out


def mentions_of(passage: Passage, figures: list[Figure]) -> list[Mention]:
    """Every number of a passage, in reading order, with its file and line."""
    found = _arabic(passage, figures) + _chinese(passage)
    found.sort(key=lambda x: x.start)
    for mention in found:
        mention.file = passage.file
        mention.line = passage.line
        if mention.figure is not None and 0 <= mention.figure < len(figures):
            fig = figures[mention.figure]
            mention.file, mention.line = fig.file or passage.file, fig.line or passage.line
    return found


def is_statistic(mention: Mention) -> bool:
    """A typed number that reads like a statistic (a unit statistics are given in)."""
    return mention.kind == "number" and mention.unit in STAT_UNITS


NUMERALS = NUMERAL
