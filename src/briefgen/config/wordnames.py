"""The names a briefgen .docx uses, shared by the Word writer and the Word reader.

Which Word style each house element uses, the names Word, LibreOffice and WPS
give those styles, and the hidden bookmarks the writer leaves for a reader.
"""

from __future__ import annotations

import re

# House element -> Word style name.
WORD_STYLES: dict[str, str] = {
    "body": "Body Text",
    "heading1": "Heading 1",
    "heading2": "Heading 2",
    "heading3": "Heading 3",
    "heading4": "Heading 4",
    "title": "Title",
    "caption": "Caption",
    "page_number": "Footer",
    "institute": "Masthead Institute",
    "series": "Masthead Series",
    "slogan": "Masthead Slogan",
    "issue": "Masthead Issue",
    "author": "Author Line",
    "table_caption": "Table Caption",
    "source": "Figure Source",
    "table": "Table Text",
    "note": "Note",
    "bio": "Author Bio",
    "board_title": "Board Title",
    "board": "Board",
    "disclaimer": "Disclaimer",
}
# The names Word and WPS show in a Chinese interface (built-in styles: Word's own
# localized names), written as w:aliases so the style pane reads 标题 1, 正文文本, 题注.
CHINESE_NAMES: dict[str, str] = {
    "Normal": "正文", "Body Text": "正文文本", "Heading 1": "标题 1", "Heading 2": "标题 2",
    "Heading 3": "标题 3", "Heading 4": "标题 4", "Title": "标题", "Caption": "题注",
    "Footer": "页脚", "Masthead Institute": "报头单位", "Masthead Series": "报头刊名",
    "Masthead Slogan": "报头口号", "Masthead Issue": "报头期号", "Author Line": "作者署名",
    "Table Caption": "表题", "Figure Source": "数据来源", "Table Text": "表格文字",
    "Note": "注释", "Author Bio": "作者简介", "Board Title": "编委会标题", "Board": "编委会",
    "Disclaimer": "声明", "Figure": "插图",
}
FIGURE_STYLE = "Figure"  # the paragraph holding a picture: centred, no fixed line height
HEADING_LEVELS = {"heading1": 0, "heading2": 1, "heading3": 2, "heading4": 3}

# Other names Word and LibreOffice give the same built-in style.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "Body Text": ("TextBody", "Text Body", "正文文本"),
    "Caption": ("题注",),
    "Footer": ("页脚",),
    "Title": ("标题",),
    "Normal": ("正文", "Default Paragraph Style", "Standard"),
}

# Hidden bookmarks (a leading underscore: Word does not list them).
BLOCK_PREFIX = "_bg_b"  # an empty bookmark at the start of body block i
BOUND_PREFIX = "_bg_f"  # around a bound figure's text: its ledger id
FIGURE_REF_PREFIX = "_Ref_fig_"  # on 图N of a figure's caption, by chart id
TABLE_REF_PREFIX = "_Ref_tab"  # on 表N of a table's caption, by number


def style_key(name: str) -> str:
    """A name compared without case and blanks: "heading 1", "Heading1", "HEADING 1"."""
    return "".join(name.split()).casefold()


def figure_ref(chart_id: str) -> str:
    """The bookmark on 图N of a figure's caption, named by the chart id (stable across
    renumbering; Word allows letters, digits and _ in a name of at most 40)."""
    return FIGURE_REF_PREFIX + re.sub(r"[^A-Za-z0-9_]", "_", chart_id)[:31]


def table_ref(number: int) -> str:
    return f"{TABLE_REF_PREFIX}{number}"


def block_name(index: int) -> str:
    """The empty bookmark at the start of body block `index`: where a reader finds it."""
    return f"{BLOCK_PREFIX}{index}"


def bound_name(figure: int) -> str:
    """The bookmark around a bound figure's text: its ledger id."""
    return f"{BOUND_PREFIX}{figure}"
