"""The load stage: a brief folder and the house file in, a validated Spec out."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from briefgen.config.house import House, load_house
from briefgen.config.yamlpos import KeyPath, load_yaml, validation_error
from briefgen.errors import DataError, InputError, display_path
from briefgen.fsio import confined
from briefgen.resources import package_templates

# The project's own templates folder (genre templates, house style, reference document).
PACKAGE_TEMPLATES = package_templates()


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AuthorSpec(Strict):
    name: str = Field(min_length=1)
    bio: str = ""


class DataSpec(Strict):
    folder: str  # relative to the brief folder, e.g. ../../data/chaoyang/2023
    previous: str | None = None  # the previous issue's data folder, for checks


class ChartSpec(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    kind: Literal["bar", "hbar", "stacked", "line", "pie", "donut", "bar_line"]
    table: str
    x: str  # the label column
    y: list[str] = Field(min_length=1)  # value columns (bars, slices, lines)
    y2: str | None = None  # bar_line: the column drawn as a line on the second axis
    title: str  # the caption after 图N
    unit: str = ""
    unit2: str = ""
    sort: Literal["none", "asc", "desc"] = "none"
    labels: bool = True
    source: str = ""
    width: float | None = Field(default=None, gt=0.1, le=1.0)  # of the text width; house default
    aspect: float | None = Field(default=None, gt=0.1, le=2.0)  # height / width; house default
    rows: list[str] | None = None  # row keys to draw, in this order (default: every row)
    highlight: list[str] = []  # row keys drawn in the accent colour (single-series bars)
    decimals: int | None = Field(default=None, ge=0, le=4)  # digits of the labels on bars

    @field_validator("y", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class SectionSpec(Strict):
    file: str | None = None  # the issue's own prose (Markdown with Jinja)
    template: str | None = None  # a genre template under templates/sections/
    params: dict[str, Any] = {}


class IgnoreSpec(Strict):
    text: str = Field(min_length=1)  # the typed text check should accept, e.g. "60%"
    reason: str = Field(min_length=1)  # why it is right; shown by check and the proof
    file: str | None = None  # the section file it is in (default: anywhere)


class CheckSpec(Strict):
    ignore: list[IgnoreSpec] = []


class BriefSpec(Strict):
    title: str = Field(min_length=1)
    # Where the title breaks, when the automatic balanced break splits a word.
    title_lines: list[str] | None = None
    date: dt.date
    issue: int = Field(ge=1)
    issue_total: int | None = Field(default=None, ge=1)
    place: str = Field(min_length=1)
    authors: list[AuthorSpec] = Field(min_length=1)
    subject: str = ""
    keywords: list[str] = []
    note: str = ""
    data: DataSpec
    charts: list[ChartSpec] = []
    sections: list[SectionSpec] = Field(min_length=1)
    params: dict[str, Any] = {}
    house: str | None = None  # another house file, relative to the brief folder
    check: CheckSpec = CheckSpec()  # intended exceptions to `briefgen check`


@dataclass
class Spec:
    """Everything later stages need from the brief folder and the house file."""

    folder: Path
    brief: BriefSpec
    house: House
    lines: dict[KeyPath, int]  # brief.yaml key path -> line, for later errors
    templates: Path
    # The folders a brief may read from: the project root, the folders named on the
    # command line, briefgen's own templates when the brief uses them.
    roots: tuple[Path, ...] = ()

    def __post_init__(self) -> None:
        if not self.roots:
            self.roots = (project_root(self.folder),)

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def brief_file(self) -> str:
        return display_path(self.folder / "brief.yaml")

    def data_folder(self) -> Path:
        """The data folder, confined to the project with its tables.yaml and facts.yaml."""
        return self._data(self.brief.data.folder, ("data", "folder"))

    def previous_folder(self) -> Path | None:
        """The previous issue's data folder (data.previous), confined likewise; None if unset."""
        name = self.brief.data.previous
        return self._data(name, ("data", "previous")) if name else None

    def _data(self, name: str, key: KeyPath) -> Path:
        folder = self.inside_project(name, key)
        for known in ("tables.yaml", "facts.yaml"):
            if (folder / known).is_symlink() or (folder / known).exists():
                confined(folder / known, self.roots, known, error=DataError)
        return folder

    def section_path(self, name: str, index: int) -> Path:
        """A section file, which must lie inside the brief folder (after links)."""
        path = (self.folder / name).resolve()
        if not path.is_relative_to(self.folder.resolve()):
            linked = " (it is a link)" if (self.folder / name).is_symlink() else ""
            raise InputError(
                f"section file '{name}' is outside the brief folder{linked}",
                self.brief_file,
                self.lines.get(("sections", index, "file")),
                hint="keep an issue's prose inside its folder",
            )
        return path

    def inside_project(self, name: str, key: KeyPath) -> Path:
        """A path from brief.yaml, which may not leave the project (links followed)."""
        path = self.folder / name
        resolved = path.resolve()
        if not any(resolved.is_relative_to(r) for r in self.roots):
            linked = " through a link" if resolved != Path(os.path.abspath(path)) else ""
            raise InputError(
                f"'{name}' leaves the project folder {display_path(self.roots[0])}{linked}",
                self.brief_file,
                self.lines.get(key),
                hint="point inside the project, or name the folder with --allow",
            )
        return resolved


def project_root(folder: Path) -> Path:
    """The project a brief belongs to: the folder that holds its `briefs/` folder."""
    folder = folder.resolve()
    for parent in [folder, *folder.parents]:
        if parent.name == "briefs":
            return parent.parent
    return folder.parent


def core_property(text: str, limit: int = 255) -> str:
    """Text cut to fit a document property (Word's core properties hold 255
    characters): whole, or cut with an ellipsis at `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def load_spec(folder: Path, house_file: Path | None = None,
              allow: Sequence[Path] = ()) -> Spec:
    """Read and validate a brief folder and its house file.

    Every file the brief names must lie, after links, inside the project or one
    of the folders in `allow` (named on the command line).
    """
    path = _brief_file(folder)
    spec_folder = folder.resolve()
    roots = (project_root(spec_folder), *(Path(a).resolve() for a in allow))
    shown = display_path(path)
    confined(path, roots, "brief file")
    raw, lines = load_yaml(path, "brief file")
    if not isinstance(raw, dict):
        raise InputError("brief.yaml must be a mapping of keys", shown, 1)
    try:
        brief = BriefSpec.model_validate(raw)
    except ValidationError as exc:
        raise validation_error(exc, path, lines) from None
    house_file, roots = _house_file(spec_folder, brief, house_file, roots, shown, lines)
    house = load_house(house_file, roots)
    _check(brief, shown, lines)
    return Spec(folder=spec_folder, brief=brief, house=house, lines=lines,
                templates=house_file.parent, roots=roots)


def _brief_file(folder: Path) -> Path:
    shown = display_path(folder)
    if not folder.exists():
        raise InputError("brief folder not found", shown)
    if not folder.is_dir():
        raise InputError("not a folder", shown, hint="name a brief folder holding brief.yaml")
    path = folder / "brief.yaml"
    if not path.exists():
        raise InputError("no brief.yaml in this folder", shown, hint="is this a brief folder?")
    return path


def _house_file(
    folder: Path, brief: BriefSpec, given: Path | None, roots: tuple[Path, ...], shown: str,
    lines: dict[KeyPath, int],
) -> tuple[Path, tuple[Path, ...]]:
    """The house file (confined unless given on the command line) and the roots with it."""
    if given is not None:
        return given, (*roots, given.resolve().parent)
    if brief.house:
        return confined(folder / brief.house, roots, "house file", shown,
                        lines.get(("house",))), roots
    house_file = project_root(folder) / "templates" / "house.yaml"
    if house_file.exists() or house_file.is_symlink():
        return confined(house_file, roots, "house file"), roots
    return PACKAGE_TEMPLATES / "house.yaml", (*roots, PACKAGE_TEMPLATES.resolve())


def _check(brief: BriefSpec, shown: str, lines: dict[KeyPath, int]) -> None:
    """What the schema cannot say: title lines, unique chart ids, sections with a source."""
    if brief.title_lines is not None and "".join(brief.title_lines) != brief.title:
        raise InputError(
            "title_lines do not spell the title",
            shown,
            lines.get(("title_lines",)),
            hint="joined together they must equal 'title'",
        )
    _check_chart_ids(brief, shown, lines)
    _check_sections(brief, shown, lines)


def _check_chart_ids(brief: BriefSpec, shown: str, lines: dict[KeyPath, int]) -> None:
    seen: set[str] = set()
    for i, chart in enumerate(brief.charts):
        if chart.id in seen:
            raise InputError(f"chart id '{chart.id}' is used twice", shown, lines.get(("charts", i)))
        seen.add(chart.id)


def _check_sections(brief: BriefSpec, shown: str, lines: dict[KeyPath, int]) -> None:
    for i, section in enumerate(brief.sections):
        if not section.file and not section.template:
            raise InputError("a section needs 'file' or 'template'", shown,
                             lines.get(("sections", i)))
