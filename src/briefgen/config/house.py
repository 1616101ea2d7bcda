"""The house style as data: names, page, fonts by role, element styles, colours.

Both writers read this; neither writes a font, size or colour of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from briefgen.config.yamlpos import KeyPath, load_yaml, validation_error
from briefgen.errors import InputError, display_path
from briefgen.fsio import check_archive, confined

# The Chinese type scale (字号) in points.
CHINESE_SIZES: dict[str, float] = {
    "初号": 42,
    "小初": 36,
    "一号": 26,
    "小一": 24,
    "二号": 22,
    "小二": 18,
    "三号": 16,
    "小三": 15,
    "四号": 14,
    "小四": 12,
    "五号": 10.5,
    "小五": 9,
}


def points(size: float | str) -> float:
    """A size given as points or as a Chinese size name."""
    if isinstance(size, int | float):
        return float(size)
    if size in CHINESE_SIZES:
        return CHINESE_SIZES[size]
    return float(size.removesuffix("pt"))


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FontRole(Strict):
    """A role's face: the name Word writes, and candidates to embed in the PDF."""

    word: str  # the institute's face, written as-is into the .docx (w:eastAsia)
    candidates: list[str] = Field(min_length=1)  # family names or file names, best first
    # In the PDF, Latin letters, digits and ASCII punctuation of this role's text are
    # drawn by the role named here (as Word draws them in `latin_font`); None: by this
    # role's own faces.
    latin: str | None = None
    # For a role that draws Latin text: the blank between Han characters and Latin
    # letters or digits, in ems of the text (Word's 自动调整中文与西文/数字的间距).
    han_gap_em: float = Field(default=0, ge=0, le=0.5)


class ElementStyle(Strict):
    font: str  # a role name from `fonts`
    size: float
    bold: bool = False
    color: str = "text"  # a name from `colors`
    align: Literal["left", "center", "right", "justify"] = "justify"
    indent_chars: float = 0  # first-line indent in characters of this size
    space_before_lines: float = 0  # in body lines (page.line_pitch_pt), whatever line_pitch is
    space_after_lines: float = 0
    letter_spacing_em: float = 0
    line_pitch: float | None = None  # points; None = the page grid's line pitch
    keep_with_next: bool = False

    @field_validator("size", mode="before")
    @classmethod
    def _size(cls, v: float | str) -> float:
        return points(v)


class PageNumbers(Strict):
    template: str = "— {n} —"
    position: Literal["outside", "center"] = "outside"  # odd right, even left; or centred
    indent_chars: float = 1
    style: str = "page_number"


class Page(Strict):
    width_mm: float = 210
    height_mm: float = 297
    margin_top_mm: float = 37
    margin_bottom_mm: float = 35
    margin_left_mm: float = 28
    margin_right_mm: float = 26
    line_pitch_pt: float = 28.95
    chars_per_line: int = 28
    footer_distance_mm: float = 20
    numbers: PageNumbers = PageNumbers()

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - self.margin_left_mm - self.margin_right_mm


class Rule(Strict):
    color: str = "red"
    width_pt: float = 1.2
    double: bool = False  # thick-thin double rule
    space_before_pt: float = 6
    space_after_pt: float = 6


class BoardRules(Strict):
    thick_mm: float = 0.35
    thin_mm: float = 0.25
    color: str = "text"


class ChartStyle(Strict):
    # Series colours in order; neighbours differ in lightness so a greyscale print tells
    # them apart (the PDF operators draw no hatch patterns, so lightness is what separates series).
    palette: list[str] = ["1F3A5F", "A6A6A6", "C0504D", "D9D9D9", "595959", "4F81BD"]
    muted: str = "A6A6A6"  # bars that are not highlighted, when a chart highlights some
    text_color: str = "262626"
    axis_color: str = "595959"
    grid_color: str = "D9D9D9"
    font: str = "hei"  # a font role from `fonts`
    font_size_pt: float = 10.5  # 五号: tick labels and legends, at the printed size
    label_size_pt: float = 10  # the numbers on bars and points
    title_size_pt: float = 10.5
    line_width_pt: float = 1.2
    axis_width_pt: float = 0.6
    grid_width_pt: float = 0.4
    bar_width: float = 0.62  # of a category's slot
    markers: list[str] = ["o", "s", "^", "D", "v"]  # line series, so greyscale tells them apart
    dashes: list[str] = ["-", "--", "-.", ":"]
    dpi: int = Field(default=300, ge=300)
    width_ratio: float = Field(default=0.92, gt=0.1, le=1.0)
    aspect: float = Field(default=0.58, gt=0.1, le=2.0)

    @field_validator("font_size_pt", "label_size_pt", "title_size_pt", mode="before")
    @classmethod
    def _size(cls, v: float | str) -> float:
        return points(v)


class BoardRole(Strict):
    role: str
    names: list[str]


class Labels(Strict):
    """The fixed words and marks both writers print (never literals in a writer)."""

    figure: str = "图"  # 图1
    table: str = "表"  # 表1
    caption_gap: str = "\u3000"  # between 图N and the caption: a full-width space
    contact: str = "联系方式："
    role_suffix: str = "："  # 策划：
    list_bullet: str = "●"  # an unordered list item's mark, a space after it
    list_number: str = "（{n}）"  # an ordered list item's mark: {n} is its number
    missing: str = "—"  # a value the bureau did not publish
    unpublished: str = "数据未发布。"  # a chart's note: 注：沈阳市数据未发布。

    def cite(self, kind: str, number: int) -> str:
        """图2 / 表1: how the prose and a caption name a figure or a table."""
        return f"{self.figure if kind == 'figure' else self.table}{number}"

    def seq_name(self, kind: str) -> str:
        """The identifier of Word's SEQ field counting this kind (one word: no blanks)."""
        label = self.figure if kind == "figure" else self.table
        return "".join(label.split()) or kind

    def list_mark(self, ordered: bool, number: int) -> str:
        """（1） or '● ' before a list item's text."""
        return self.list_number.replace("{n}", str(number)) if ordered else f"{self.list_bullet} "


class BoardLayout(Strict):
    """How the editorial board block is laid out, by both writers alike."""

    names_per_row: int = Field(default=5, ge=1, le=12)
    label_width_em: float = Field(default=6, gt=0, le=12)  # the role column, in board-text ems


class House(Strict):
    institute: str
    series: str
    slogan: str
    board_title: str
    board: list[BoardRole]
    contact: str
    disclaimer: str
    feedback: str
    note_label: str = "注："
    bio_label: str = "作者简介："
    source_label: str = "数据来源："
    labels: Labels = Labels()
    board_layout: BoardLayout = BoardLayout()
    latin_font: str = "Times New Roman"
    page: Page = Page()
    colors: dict[str, str]
    fonts: dict[str, FontRole]
    styles: dict[str, ElementStyle]
    rule: Rule = Rule()
    board_rules: BoardRules = BoardRules()
    chart: ChartStyle = ChartStyle()
    reference_docx: str = "reference.docx"  # relative to the house file's folder

    # Filled in by load_house: the file itself (errors name it) and its folder (to find
    # the reference document). Anything house.yaml says for them is overwritten.
    file: Path = Path("house.yaml")
    folder: Path = Path(".")

    def reference_path(self) -> Path:
        """The Word reference document (it may not exist: the writer then makes one)."""
        return self.folder / self.reference_docx

    @property
    def shown(self) -> str:
        """The house file as errors name it."""
        return display_path(self.file)

    def latin_word(self, role: str) -> str:
        """The face Word writes for Latin text (w:ascii) beside a role's Chinese face:
        the `word` face of the role's `latin` role, else `latin_font`."""
        latin = self.fonts[role].latin
        return self.fonts[latin].word if latin else self.latin_font

    def style(self, name: str) -> ElementStyle:
        return self.styles[name]

    def color(self, name: str) -> str:
        """A colour by name, as RRGGBB."""
        return self.colors.get(name, name).lstrip("#").upper()


REQUIRED_STYLES = (
    "institute series slogan issue title author body heading1 heading2 heading3 heading4 "
    "caption table_caption source table note bio board_title board disclaimer page_number"
).split()


def load_house(path: Path, roots: Sequence[Path] = ()) -> House:
    """Read and validate a house file; its reference document must lie in `roots`
    (default: the house file's own folder) and pass the archive check."""
    data, lines = load_yaml(path, "house style file")
    try:
        house = House.model_validate(data or {})
    except ValidationError as exc:
        raise validation_error(exc, path, lines) from None
    _check_references(house, display_path(path), lines)
    house.file = path
    house.folder = path.parent
    _check_reference_doc(house, roots or (path.resolve().parent,), lines)
    return house


def _check_references(house: House, shown: str, lines: dict[KeyPath, int]) -> None:
    """Every style, font role and colour a style or role names is defined."""
    for name in REQUIRED_STYLES:
        if name not in house.styles:
            raise InputError(f"style '{name}' is missing under 'styles'", shown,
                             lines.get(("styles",)))
    _check_style_references(house, shown, lines)
    _check_latin_roles(house, shown, lines)


def _check_style_references(house: House, shown: str, lines: dict[KeyPath, int]) -> None:
    """Each style's font role and colour are defined."""
    for name, style in house.styles.items():
        if style.font not in house.fonts:
            raise InputError(
                f"style '{name}' uses font role '{style.font}', which 'fonts' does not define",
                shown, lines.get(("styles", name)))
        if style.color not in house.colors:
            raise InputError(
                f"style '{name}' uses colour '{style.color}', which 'colors' does not define",
                shown, lines.get(("styles", name)))


def _check_latin_roles(house: House, shown: str, lines: dict[KeyPath, int]) -> None:
    """The role a font role draws Latin text with is defined."""
    for name, role in house.fonts.items():
        if role.latin is not None and role.latin not in house.fonts:
            raise InputError(
                f"font role '{name}' draws Latin text with role '{role.latin}', "
                "which 'fonts' does not define",
                shown, lines.get(("fonts", name)))


def _check_reference_doc(house: House, roots: Sequence[Path], lines: dict[KeyPath, int]) -> None:
    path = house.reference_path()
    if not (path.exists() or path.is_symlink()):
        return
    line = lines.get(("reference_docx",))
    confined(path, roots, "reference document", house.shown, line)
    check_archive(path, "Word reference document")
