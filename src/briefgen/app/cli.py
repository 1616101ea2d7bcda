"""The command line: `briefgen build|fonts|check|diff|new|reference-doc`.

Errors a user can cause print one line and exit 2; anything else is a bug.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.errors import BriefError, InputError

if TYPE_CHECKING:
    from briefgen.forking import Helper

EXIT_USER_ERROR = 2

Command = Callable[[argparse.Namespace], int]
Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


def _import_drawing() -> None:
    from briefgen.charts.draw import import_drawing

    import_drawing()


def cmd_build(args: argparse.Namespace) -> int:
    if args.jobs is None:
        args.jobs = _default_jobs(len(args.briefs))
    if len(args.briefs) == 1 and args.jobs == 1 and not args.no_cache:
        from briefgen.forking import start_waiting

        # forked before the build's own imports: it imports matplotlib meanwhile
        with start_waiting(_import_drawing) as drawer:
            return _build(args, drawer)
    return _build(args, None)


def _default_jobs(briefs: int) -> int:
    """One brief: one job (its helpers use the other cores); several: one per core."""
    if briefs < 2:
        return 1
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(briefs, cores or 1))


def _build(args: argparse.Namespace, drawer: Helper | None) -> int:
    from briefgen.app.pipeline import build

    formats = [args.format] if args.format != "both" else ["docx", "pdf"]
    if args.jobs < 1:
        raise InputError(f"--jobs must be 1 or more, not {args.jobs}")
    if len(args.briefs) > 1 or args.jobs > 1:
        from briefgen.app.batch import build_many

        return build_many(args.briefs, args.out, formats, jobs=args.jobs,
                          use_cache=not args.no_cache, reference_doc=args.reference_doc,
                          allow=args.allow)
    for path in build(args.briefs[0], args.out, formats, use_cache=not args.no_cache,
                      reference_doc=args.reference_doc, allow=args.allow,
                      reject=args.reject, drawer=drawer):
        print(f"wrote {path}")
    return 0


def cmd_reference_doc(args: argparse.Namespace) -> int:
    from briefgen.writers.docx.refdoc import write_fontconfig, write_reference_doc

    if args.fontconfig:
        print(f"wrote {write_fontconfig(args.house, args.fontconfig)}")
        return 0
    path = write_reference_doc(args.house, args.out)
    print(f"wrote {path}")
    return 0


def _parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefgen",
        description="Build policy briefs (调研报告) in the institute's house style, as Word and PDF.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="build one or more briefs into .docx and .pdf")
    p.add_argument("briefs", nargs="+", type=Path, help="brief folder(s) holding brief.yaml")
    p.add_argument("-o", "--out", type=Path, default=Path("out"), help="output folder (default: out)")
    p.add_argument("--format", choices=["docx", "pdf", "both"], default="both")
    p.add_argument("--jobs", type=int, default=None,
                   help="build this many briefs in parallel (default: one per core)")
    p.add_argument("--no-cache", action="store_true", help="redraw charts and re-subset fonts")
    p.add_argument(
        "--reference-doc", type=Path, metavar="DOCX",
        help="take the Word styles from this document instead of the house's reference.docx",
    )
    p.add_argument(
        "--allow", type=Path, action="append", default=[], metavar="FOLDER",
        help="let the brief read files in this folder outside the project (repeatable)",
    )
    p.add_argument("--reject", action="store_true",
                   help="for an edited .docx: refuse its tracked changes (default: accept them)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("reference-doc", help="write the Word reference document from house.yaml")
    p.add_argument("--house", type=Path, default=Path("templates/house.yaml"))
    p.add_argument("-o", "--out", type=Path, default=Path("templates/reference.docx"))
    p.add_argument(
        "--fontconfig", type=Path, metavar="FILE",
        help="instead, write a fontconfig file mapping the house faces to free substitutes "
        "(for previewing .docx files in LibreOffice on Linux)",
    )
    p.set_defaults(func=cmd_reference_doc)

    for register in _extra_commands(argv):
        register(sub)
    return parser


# Commands that live in their own modules, each with a `register_cli`: only the module
# of the command being run is imported, so `briefgen build` loads none of them.
EXTRA_COMMANDS = {
    "fonts": "briefgen.fonts.command",
    "check": "briefgen.analysis.check.cli",
    "diff": "briefgen.analysis.diff",
    "new": "briefgen.app.issue",
    "absorb": "briefgen.app.absorb",
    "preview": "briefgen.app.preview",
    "proof": "briefgen.analysis.proof",
}
OWN_COMMANDS = ("build", "reference-doc")


def _command_name(argv: Sequence[str]) -> str | None:
    """The command being run: the first argument that is not an option."""
    return next((a for a in argv if not a.startswith("-")), None)


def _extra_commands(argv: Sequence[str]) -> list[Register]:
    """The register_cli of the command being run; of every command for the general help
    or an unknown command (argparse then lists them all)."""
    import importlib

    name = _command_name(argv)
    if name in OWN_COMMANDS:
        return []
    modules = [EXTRA_COMMANDS[name]] if name in EXTRA_COMMANDS else EXTRA_COMMANDS.values()
    return [importlib.import_module(m).register_cli for m in modules]


def _quiet_unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """A file a failed write left open (zipfile's __del__ on a full disk) fails again
    when it is collected: the error was already reported in one line."""
    if isinstance(unraisable.exc_value, OSError):
        return
    sys.__unraisablehook__(unraisable)


def main(argv: Sequence[str] | None = None) -> int:
    sys.unraisablehook = _quiet_unraisable
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = _parser(argv)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except BriefError as exc:
        print(f"briefgen: error: {exc.one_line()}", file=sys.stderr)
        return EXIT_USER_ERROR


if __name__ == "__main__":
    sys.exit(main())
