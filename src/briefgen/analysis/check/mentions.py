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
from briefgen.analysis.check.reading import Figure, Passage

ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
SPACES = " \t\u3000\u00a0"
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
ORDINAL_AFTER = ("期", "届", "章", "条", "款", "次", "批", "轮", "号", "版", "页", "节", "篇",
                 "季度", "部分", "个五年", "个百年", "代", "阶段", "产业", "是")
REFERENCE_BEFORE = ("附件", "附表", "附图", "图", "表", "专栏", "条例", "第")
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
            if i < 0:
                continue
            gap = lead[i + len(word):]
            if gap.startswith("值"):
                continue  # 增加值: value added, not a rise
            if re.search(r"[至到为成]", gap) or len(gap) > 10 or re.search(r"[，,。；、]", gap):
                continue
            if not best or i > lead.rfind(best):
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


def _boundary(text: str, pos: int, chars: str) -> int:
    return max(text.rfind(c, 0, pos) for c in chars) + 1


def _unit_after(text: str, end: int) -> tuple[str, str, str]:
    """(normalised unit, typed unit text, qualifier) of what follows a number."""
    rest = text[end:end + 12]
    stripped = rest.lstrip(SPACES)
    lead_space = rest[:len(rest) - len(stripped)]
    whole_unit = next((u for u in UNITS if stripped.startswith(u) and len(u) > 1), "")
    m = re.match(r"([万亿千]?)([多余])?", stripped if not whole_unit else "")
    mag, more = (m.group(1), m.group(2)) if m else ("", None)
    tail = stripped[len(m.group(0)) if m else 0:]
    unit = next((u for u in UNITS if tail.startswith(u)), "")
    if not unit and mag:
        unit, mag = mag, ""
    typed = stripped[:len(m.group(0)) if m else 0] + unit
    full = mag + unit
    after = tail[len(unit):].lstrip(SPACES)
    qualifier = "above" if more else ""
    if after.startswith(("以上", "之多", "多")):
        qualifier = "above"
    elif after.startswith(("以下", "以内")):
        qualifier = "below"
    elif after.startswith(("左右", "上下")):
        qualifier = "rough"
    norm = {"％": "%", "个百分点": "pp", "百分点": "pp", "个千分点": "ppt", "千分点": "ppt"}
    return norm.get(full, full), (lead_space if unit in ("%", "％") else "") + typed, qualifier


def _qualifier_before(text: str, start: int) -> str:
    lead = text[max(0, start - 6):start].rstrip(SPACES)
    lead = re.sub(r"[达为了]$", "", lead)
    for word in APPROX_BEFORE:
        if lead.endswith(word):
            if word in ("超过", "逾", "超", "多达"):
                return "above"
            if word in ("接近", "将近", "近", "不到", "不足"):
                return "below"
            return "rough"
    return ""


def _other(text: str, start: int, end: int, digits: str, unit: str) -> str:
    """Why a number is not a statistic ("" when it may be one)."""
    before = text[max(0, start - 4):start]
    before_ns = before.rstrip(SPACES)
    after = text[end:end + 4]
    if re.search(r"[A-Za-z/]$", before_ns) or re.match(r"[A-Za-z]", after):
        return "code"  # ISO 9001, GB/T 29490, PM2.5, 5G
    if before.endswith(("×", "*", "x")) or after.startswith(("×", "*")):
        return "product"  # 7×24小时
    if re.search(r"\d[-.]$", before) or before.endswith(":") or after.startswith(":"):
        return "code"
    whole = "." not in digits and "," not in digits
    if whole and len(digits) == 4 and 1900 <= int(digits) <= 2100:
        if unit == "年" or after[:1] in ("—", "–", "-", "~", "～", "至", "到", "〕", "]", "）", ")", "、"):
            return "year"
        if before.endswith(("〔", "[", "（", "(")):
            return "year"
    if whole and (after.startswith(("月", "日", "号")) or unit == "个月" and False):
        return "date"
    if before_ns.endswith("第") and after.startswith(ORDINAL_AFTER):
        return "ordinal"
    if before_ns.endswith(REFERENCE_BEFORE[:-1]):
        return "reference"
    if before_ns.endswith("第") and unit in ("", "位", "名"):
        return ""
    if before_ns.endswith(("（", "(")) and after.startswith(("）", ")")):
        return "enumeration"
    if whole and (digits.startswith("0") and len(digits) > 1 or len(digits) >= 5 and not unit):
        return "identifier"  # phone numbers, hotlines (12345), postcodes
    return ""


def _arabic(passage: Passage, figures: list[Figure]) -> list[Mention]:
    text = passage.text
    out: list[Mention] = []
    skip_until = -1
    for m in ARABIC.finditer(text):
        if m.start() < skip_until:
            continue
        start, end, digits = m.start(), m.end(), m.group(0)
        figure = passage.figure_at(start)
        unit, unit_text, qualifier = _unit_after(text, end)
        neg = text[start - 1:start] in ("-", "−", "－") and not re.match(
            r"[0-9A-Za-z]", text[start - 2:start - 1] or " ")
        mention = Mention(passage, start, end, digits, float(digits.replace(",", "")), unit,
                          unit_text, negative=neg, figure=figure,
                          qualifier=qualifier or _qualifier_before(text, start - int(neg)))
        rng = re.match(r"\s*(?:%|％)?\s*[～~—–\-至到]\s*(\d+(?:\.\d+)?)", text[end:end + 12])
        if rng and figure is None:
            mention.kind, mention.why = "range", "range"
            skip_until = end + rng.end()
            mention.unit, mention.unit_text, _ = _unit_after(text, skip_until)
        elif figure is None:
            why = _other(text, start, end, digits, unit)
            if why:
                mention.kind, mention.why = "other", why
        if mention.kind == "number" and text[:start].rstrip(SPACES).endswith("第"):
            mention.kind = "rank"
        elif mention.kind == "number" and unit in ("个", "户", "家", "种", "项", "处", "座", "所", "条"):
            mention.kind = "count"
        out.append(mention)
    return out


def _chinese(passage: Passage) -> list[Mention]:
    text = passage.text
    out: list[Mention] = []
    for m in FRACTION.finditer(text):
        ratio = fraction_value(m.group(0))
        if ratio is not None and passage.figure_at(m.start()) is None:
            out.append(Mention(passage, m.start(), m.end(), m.group(0), ratio * 100, "%", "",
                               qualifier=_qualifier_before(text, m.start())))
    taken = [(x.start, x.end) for x in out]
    for m in RUN.finditer(text):
        if any(a <= m.start() < b for a, b in taken) or passage.figure_at(m.start()) is not None:
            continue
        value = chinese_value(m.group(0))
        after = text[m.end():m.end() + 2]
        before = text[max(0, m.start() - 3):m.start()]
        if value is None or text[m.end():m.end() + 2] == "分之":
            continue
        if before.endswith("第"):
            if not re.search(r"(排名|排|居|列|位列|位居)[^，。；]{0,6}第$", text[max(0, m.start() - 10):m.start()]):
                continue  # 第一个百年奋斗目标, 第二产业: ordinals, not ranks
            out.append(Mention(passage, m.start(), m.end(), m.group(0), float(value), "", "",
                               kind="rank"))
            continue
        measure = next((w for w in CN_MEASURE if after.startswith(w)), "")
        if not measure or (value == 1 and measure in ("个", "种", "项", "条", "批")):
            continue
        if measure == "成":
            out.append(Mention(passage, m.start(), m.end() + 1, m.group(0), value * 10.0, "%", "成",
                               qualifier=_unit_after(text, m.end() + 1)[2]
                               or _qualifier_before(text, m.start())))
        elif measure == "倍":
            out.append(Mention(passage, m.start(), m.end() + 1, m.group(0), value * 100.0, "%", "倍",
                               kind="other", why="multiple"))
        else:
            out.append(Mention(passage, m.start(), m.end(), m.group(0), float(value), measure,
                               measure, kind="count"))
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
