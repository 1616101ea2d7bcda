"""`briefgen check BRIEF…`: the findings as lines or JSON; exit 1 on errors (or warnings
with --strict)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from briefgen.analysis.check.findings import ERROR, NOTE, WARNING, CheckOptions, Finding
from briefgen.analysis.check.run import check_folder
from briefgen.errors import BriefError


def register_cli(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "check", help="find typed numbers, conflicting figures, totals and shares that disagree"
    )
    p.add_argument("briefs", nargs="+", type=Path, metavar="BRIEF", help="brief folder(s)")
    p.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--factor", type=float, default=2.0,
                   help="flag figures that moved more than this factor since data.previous")
    p.add_argument("--points", type=float, default=15.0,
                   help="flag percentages that moved more than this many points")
    p.set_defaults(func=cmd_check)


def _count(findings: list[Finding], level: str) -> int:
    return sum(1 for f in findings if f.level == level)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _print_lines(findings: list[Finding], errors: int, warnings: int, notes: int) -> None:
    for f in findings:
        print(f.one_line())
    print(f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
          + (f", {notes} marked as intended" if notes else ""))


def _print_json(findings: list[Finding], errors: int, warnings: int, notes: int) -> None:
    json.dump({"findings": [f.as_dict() for f in findings], "errors": errors,
               "warnings": warnings, "notes": notes}, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_check(args: argparse.Namespace) -> int:
    if args.factor <= 1:
        raise BriefError("--factor must be more than 1")
    options = CheckOptions(factor=args.factor, pp_limit=args.points)
    findings: list[Finding] = []
    for folder in args.briefs:
        findings += check_folder(folder, options)
    errors, warnings = _count(findings, ERROR), _count(findings, WARNING)
    show = _print_json if args.format == "json" else _print_lines
    show(findings, errors, warnings, _count(findings, NOTE))
    return 1 if errors or (args.strict and warnings) else 0
