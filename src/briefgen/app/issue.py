"""`briefgen new`: the next issue from an old one and a new year's data.

The old issue's folder is copied with its prose; brief.yaml is edited as text
(its comments and layout stay as the editor wrote them): ``data.folder`` points
at the new data, ``data.previous`` at the old issue's data, the date moves on a
year and the issue number by one. Before anything is written, the brief is
composed against the new data, so a fact, table, row or column the sections
use and the new data lacks is named at once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefgen.config.brief import DataSpec, Spec, load_spec, project_root
from briefgen.config.yamlpos import KeyPath, load_yaml, read_text
from briefgen.data import DataContext, load_data
from briefgen.errors import BriefError, display_path

MISSING = re.compile(r"no fact named|no table named|has no column|has no row|is not among")


@dataclass
class NewIssue:
    folder: Path
    date: dt.date
    issue: int
    data: str  # data.folder as written into brief.yaml
    previous: str


def next_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def relative(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target.resolve(), start.resolve())).as_posix()


def new_issue(
    new: Path,
    old: Path,
    data_folder: Path,
    date: dt.date | None = None,
    issue: int | None = None,
) -> NewIssue:
    """Make the issue folder `new` from `old` and the data in `data_folder`; nothing is
    written unless every check passes."""
    if new.exists():
        raise BriefError("folder already exists", display_path(new),
                         hint="briefgen new never overwrites; choose another folder")
    spec = load_spec(old)
    if issue is not None and issue < 1:
        raise BriefError(f"--issue must be 1 or more, not {issue}")
    new_abs = new.resolve()
    data_abs = _new_data(data_folder, spec, old, project_root(new_abs))
    _compose_against(spec, load_data(data_abs), data_abs)
    result = NewIssue(
        folder=new_abs,
        date=date or next_year(spec.brief.date),
        issue=_next_number(spec, issue),
        data=relative(data_abs, new_abs),
        previous=relative(spec.data_folder(), new_abs),
    )
    _write_folder(spec.folder, new_abs, _edited_brief(spec, result))
    return result


def _next_number(spec: Spec, issue: int | None) -> int:
    """The new issue's number: as given, or the old one's plus one."""
    return issue if issue is not None else spec.brief.issue + 1


def _new_data(data_folder: Path, spec: Spec, old: Path, root: Path) -> Path:
    """The new data folder, resolved: it must exist, in the old issue's project, and be new."""
    shown = display_path(data_folder)
    if not data_folder.is_dir():
        raise BriefError("data folder not found", shown,
                         hint="name the folder holding the new facts.yaml and tables.yaml")
    data_abs = data_folder.resolve()
    if not data_abs.is_relative_to(root):
        raise BriefError(f"data folder leaves the project {display_path(root)}",
                         shown, hint="keep the data under the project's data/")
    old_data = spec.data_folder()
    if not old_data.is_relative_to(root):
        raise BriefError("the old issue's data is in another project", display_path(old),
                         hint="make the new issue in the same project as the old one")
    if data_abs == old_data.resolve():
        raise BriefError("the new issue's data is the old issue's data", shown,
                         hint="name next year's data folder (its sheets' headers may carry the new year)")
    return data_abs


def _write_folder(old_folder: Path, new_abs: Path, brief_text: str) -> None:
    """Copy the old issue with the edited brief.yaml into a staging folder, then rename it:
    the new folder appears whole or not at all."""
    staging = new_abs.parent / f".{new_abs.name}.new-{os.getpid()}"
    new_abs.parent.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copytree(old_folder, staging, ignore=shutil.ignore_patterns("__pycache__"))
        (staging / "brief.yaml").write_text(brief_text, encoding="utf-8")
        load_spec(staging)  # what was written reads back as a brief
        staging.rename(new_abs)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _compose_against(spec: Spec, data: DataContext, data_abs: Path) -> None:
    """Compose the old issue's sections against the new data; name what is missing."""
    from briefgen.compose import compose

    trial = Spec(
        folder=spec.folder,
        brief=spec.brief.model_copy(update={"data": DataSpec(folder=str(data_abs))}),
        house=spec.house,
        lines=spec.lines,
        templates=spec.templates,
    )
    try:
        compose(trial, data)  # the same errors as a build, with file and line
    except BriefError as exc:
        if MISSING.search(exc.message):
            message = exc.message.removeprefix("template error: ")
            raise exc.replace(
                message=f"the new data lacks what the brief uses: {message}",
                hint=exc.hint or f"add it to {display_path(data_abs)} or edit the section",
            ) from None
        raise
    if spec.brief.charts:
        _bind_against(trial, data)


def _bind_against(trial: Spec, data: DataContext) -> None:
    from briefgen.charts import bind_charts

    try:
        bind_charts(trial, data)
    except BriefError as exc:
        raise exc.replace(message=f"the new data does not fit the charts: {exc.message}") from None


# ---- editing brief.yaml as text ------------------------------------------------


def _edits(spec: Spec, new: NewIssue) -> list[tuple[KeyPath, Any]]:
    """The keys of brief.yaml a new issue changes, with their new values."""
    brief = spec.brief
    edits: list[tuple[KeyPath, Any]] = [
        (("date",), new.date.isoformat()),
        (("issue",), new.issue),
        (("data", "folder"), new.data),
    ]
    if brief.issue_total is not None:
        edits.append((("issue_total",), brief.issue_total + 1))
    if brief.house:
        house = (spec.folder / brief.house).resolve()
        edits.append((("house",), relative(house, new.folder)))
    return edits


def _edited_brief(spec: Spec, new: NewIssue) -> str:
    path = spec.folder / "brief.yaml"
    text = read_text(path, "brief file")
    _, lines = load_yaml(path, "brief file")
    rows = text.splitlines(keepends=True)
    for key, value in _edits(spec, new):
        line = lines.get(key)
        if line is None:
            raise BriefError(f"cannot find '{'.'.join(map(str, key))}' to edit",
                             display_path(path))
        rows[line - 1] = _set_value(rows[line - 1], str(key[-1]), _scalar(value), path, line)
    _set_previous(rows, lines, _scalar(new.previous), path)
    edited = "".join(rows)
    _verify(edited, new, spec.brief.issue_total, path)
    return edited


def _set_previous(rows: list[str], lines: dict[KeyPath, int], value: str, path: Path) -> None:
    """Point data.previous at the old data: edit it in place, or add it after data.folder."""
    line = lines.get(("data", "previous"))
    if line is not None:
        rows[line - 1] = _set_value(rows[line - 1], "previous", value, path, line)
        return
    at = lines[("data", "folder")]
    rows[at - 1] = _add_after(rows[at - 1], "folder", "previous", value)


def _reads_back_as(text: str) -> bool:
    """Whether YAML reads `text`, written plain, back as itself (a date as its ISO text)."""
    try:
        back = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    return back == text or (isinstance(back, dt.date) and back.isoformat() == text)


def _scalar(value: Any) -> str:
    """A YAML scalar for a date, number or path: plain when YAML reads it back the same."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _reads_back_as(text) and not re.search(r"[#,{}\[\]]|: ", text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _in_flow(line: str, at: int) -> bool:
    """Whether position `at` is inside a flow mapping ``{…}`` opened earlier on the line."""
    return line[: at + 1].count("{") > line[: at + 1].count("}")


def _value_span(line: str, key: str) -> tuple[int, int, bool] | None:
    """Where the value of `key` stands on `line`: (start, end, in a flow mapping)."""
    m = re.search(r"(^|[{,\s])" + re.escape(key) + r"\s*:(?=\s|$)[ \t]*", line)
    if m is None:
        return None
    flow = _in_flow(line, m.start())
    start = m.end()
    if start < len(line) and line[start] in "'\"":
        return start, _quoted_end(line, start), flow
    return start, _plain_end(line.rstrip("\r\n"), start, flow), flow


def _escaped(line: str, i: int, quote: str) -> bool:
    """Whether a two-character escape starts at `i`: '' in single quotes, \\x in double."""
    if quote == "'":
        return line[i:i + 2] == "''"
    return line[i] == "\\"


def _closing_quote(line: str, start: int) -> int:
    """The index of the quote closing the one at `start` (len(line) or more if there is none)."""
    quote = line[start]
    i = start + 1
    while i < len(line):
        if _escaped(line, i, quote):
            i += 2
        elif line[i] == quote:
            return i
        else:
            i += 1
    return i


def _quoted_end(line: str, start: int) -> int:
    return min(_closing_quote(line, start) + 1, len(line.rstrip("\r\n")))


def _plain_end(body: str, start: int, flow: bool) -> int:
    """Where a plain value ends: before a comment, or a ``,`` or ``}`` in a flow mapping."""
    stops = [len(body)]
    comment = re.search(r"\s#", body[start:])
    if comment:
        stops.append(start + comment.start())
    if flow:
        stops += [i for i in (body.find(",", start), body.find("}", start)) if i >= 0]
    return len(body[start:min(stops)].rstrip(" \t")) + start


def _set_value(line: str, key: str, value: str, path: Path, number: int) -> str:
    span = _value_span(line, key)
    if span is None:
        raise BriefError(f"cannot edit '{key}' in place", display_path(path), number,
                         hint="write it as 'key: value' on one line")
    start, end, _ = span
    return line[:start] + value + line[end:]


def _add_after(line: str, key: str, new_key: str, value: str) -> str:
    """Add `new_key: value` next to `key` (a line below it, or inside its flow mapping)."""
    start, end, flow = _value_span(line, key) or (0, 0, False)
    if flow:
        return line[:end] + f", {new_key}: {value}" + line[end:]
    indent = re.match(r"[ \t]*", line).group(0)  # type: ignore[union-attr]
    newline = "\r\n" if line.endswith("\r\n") else "\n"
    if not line.endswith(("\n", "\r")):
        line += newline
    return line + f"{indent}{new_key}: {value}   # the previous issue's data, for check{newline}"


def _verify(text: str, new: NewIssue, issue_total: int | None, path: Path) -> None:
    """The edited text must say what was meant, and nothing else may change."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError:
        raw = None
    if not _says(raw, new, issue_total):
        raise BriefError("cannot edit brief.yaml in place (an unusual layout)",
                         display_path(path), hint="copy the folder and edit date, issue and data by hand")


def _says(raw: Any, new: NewIssue, issue_total: int | None) -> bool:
    """Whether brief.yaml as read back has the new date, issue, number and data."""
    if not isinstance(raw, dict) or not isinstance(raw.get("data"), dict):
        return False
    wanted: dict[str, Any] = {"date": new.date, "issue": new.issue}
    if issue_total is not None:
        wanted["issue_total"] = issue_total + 1
    return _has(raw, wanted) and _has(raw["data"], {"folder": new.data, "previous": new.previous})


def _has(mapping: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return all(mapping.get(key) == value for key, value in wanted.items())


# ---- the command ------------------------------------------------------------------


def register_cli(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "new", help="start the next issue: copy an issue, point it at new data, advance date and number"
    )
    p.add_argument("new", type=Path, metavar="NEW", help="the new issue's folder (must not exist)")
    p.add_argument("--from", dest="old", type=Path, required=True, metavar="OLD",
                   help="the issue to start from")
    p.add_argument("--data", type=Path, required=True, metavar="DATAFOLDER",
                   help="the new year's data folder")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the new issue's date (default: a year on)")
    p.add_argument("--issue", type=int, metavar="N", help="the new issue's number (default: next)")
    p.set_defaults(func=cmd_new)


def cmd_new(args: argparse.Namespace) -> int:
    date = None
    if args.date is not None:
        try:
            date = dt.date.fromisoformat(args.date)
        except ValueError:
            raise BriefError(f"--date '{args.date}' is not a date",
                             hint="write it as YYYY-MM-DD") from None
    made = new_issue(args.new, args.old, args.data, date=date, issue=args.issue)
    print(f"wrote {display_path(made.folder)}: issue {made.issue}, {made.date.isoformat()}, "
          f"data {made.data} (previous {made.previous})")
    print(f"next: briefgen check {display_path(made.folder)}")
    return 0
