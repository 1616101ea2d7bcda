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
    shown_new = display_path(new)
    if new.exists():
        raise BriefError("folder already exists", shown_new,
                         hint="briefgen new never overwrites; choose another folder")
    spec = load_spec(old)
    if issue is not None and issue < 1:
        raise BriefError(f"--issue must be 1 or more, not {issue}")
    new_abs = new.resolve()
    root = project_root(new_abs)
    if not data_folder.is_dir():
        raise BriefError("data folder not found", display_path(data_folder),
                         hint="name the folder holding the new facts.yaml and tables.yaml")
    data_abs = data_folder.resolve()
    if not data_abs.is_relative_to(root):
        raise BriefError(f"data folder leaves the project {display_path(root)}",
                         display_path(data_folder), hint="keep the data under the project's data/")
    old_data = spec.data_folder()
    if not old_data.is_relative_to(root):
        raise BriefError("the old issue's data is in another project", display_path(old),
                         hint="make the new issue in the same project as the old one")
    if data_abs == old_data.resolve():
        raise BriefError("the new issue's data is the old issue's data", display_path(data_folder),
                         hint="name next year's data folder (its sheets' headers may carry the new year)")
    data = load_data(data_abs)
    _compose_against(spec, data, data_abs)

    result = NewIssue(
        folder=new_abs,
        date=date or next_year(spec.brief.date),
        issue=issue if issue is not None else spec.brief.issue + 1,
        data=relative(data_abs, new_abs),
        previous=relative(old_data, new_abs),
    )
    text = _edited_brief(spec, result)

    staging = new_abs.parent / f".{new_abs.name}.new-{os.getpid()}"
    new_abs.parent.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copytree(spec.folder, staging, ignore=shutil.ignore_patterns("__pycache__"))
        (staging / "brief.yaml").write_text(text, encoding="utf-8")
        load_spec(staging)  # what was written reads back as a brief
        staging.rename(new_abs)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return result


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
        from briefgen.charts import bind_charts

        try:
            bind_charts(trial, data)
        except BriefError as exc:
            raise exc.replace(message=f"the new data does not fit the charts: {exc.message}") from None


# ---- editing brief.yaml as text ------------------------------------------------


def _edited_brief(spec: Spec, new: NewIssue) -> str:
    path = spec.folder / "brief.yaml"
    text = read_text(path, "brief file")
    _, lines = load_yaml(path, "brief file")
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
    rows = text.splitlines(keepends=True)
    for key, value in edits:
        line = lines.get(key)
        if line is None:
            raise BriefError(f"cannot find '{'.'.join(map(str, key))}' to edit",
                             display_path(path))
        rows[line - 1] = _set_value(rows[line - 1], str(key[-1]), _scalar(value), path, line)
    previous_line = lines.get(("data", "previous"))
    if previous_line is not None:
        rows[previous_line - 1] = _set_value(rows[previous_line - 1], "previous",
                                             _scalar(new.previous), path, previous_line)
    else:
        at = lines[("data", "folder")]
        rows[at - 1] = _add_after(rows[at - 1], "folder", "previous", _scalar(new.previous))
    edited = "".join(rows)
    _verify(edited, new, brief.issue_total, path)
    return edited


def _scalar(value: Any) -> str:
    """A YAML scalar for a date, number or path: plain when YAML reads it back the same."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    try:
        back = yaml.safe_load(text)
    except yaml.YAMLError:
        back = None
    plain_ok = (back == text or (isinstance(back, dt.date) and back.isoformat() == text))
    if plain_ok and not re.search(r"[#,{}\[\]]|: ", text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _value_span(line: str, key: str) -> tuple[int, int, bool] | None:
    """Where the value of `key` stands on `line`: (start, end, in a flow mapping)."""
    m = re.search(r"(^|[{,\s])" + re.escape(key) + r"\s*:(?=\s|$)[ \t]*", line)
    if m is None:
        return None
    flow = line[: m.start() + 1].count("{") > line[: m.start() + 1].count("}")
    start = m.end()
    if start < len(line) and line[start] in "'\"":
        quote = line[start]
        i = start + 1
        while i < len(line):
            if line[i] == quote:
                if quote == "'" and line[i + 1: i + 2] == "'":
                    i += 2
                    continue
                break
            if quote == '"' and line[i] == "\\":
                i += 1
            i += 1
        return start, min(i + 1, len(line.rstrip("\r\n"))), flow
    body = line.rstrip("\r\n")
    stops = [len(body)]
    comment = re.search(r"\s#", body[start:])
    if comment:
        stops.append(start + comment.start())
    if flow:
        stops += [i for i in (body.find(",", start), body.find("}", start)) if i >= 0]
    end = min(stops)
    while end > start and body[end - 1] in " \t":
        end -= 1
    return start, end, flow


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
    ok = (
        isinstance(raw, dict)
        and raw.get("date") == new.date
        and raw.get("issue") == new.issue
        and isinstance(raw.get("data"), dict)
        and raw["data"].get("folder") == new.data
        and raw["data"].get("previous") == new.previous
        and (issue_total is None or raw.get("issue_total") == issue_total + 1)
    )
    if not ok:
        raise BriefError("cannot edit brief.yaml in place (an unusual layout)",
                         display_path(path), hint="copy the folder and edit date, issue and data by hand")


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
