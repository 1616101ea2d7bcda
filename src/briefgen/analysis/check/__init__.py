"""The check stage: every number of a brief read against its data, each finding with the
file and line to edit and the likely intended value.

mentions (numbers read from prose) → candidates (values the data offers) → labels (what
a sentence speaks of) → rules (values, words, data) → findings; see run.py.
"""

from briefgen.analysis.check.cli import cmd_check, register_cli
from briefgen.analysis.check.findings import ERROR, NOTE, WARNING, CheckOptions, Finding
from briefgen.analysis.check.run import check_folder, check_spec, error_findings, read_brief

__all__ = ["ERROR", "NOTE", "WARNING", "CheckOptions", "Finding", "check_folder", "check_spec",
           "cmd_check", "error_findings", "read_brief", "register_cli"]
