"""YAML that remembers where each value stood, so errors can name a line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from briefgen.errors import BriefError, display_path

KeyPath = tuple[str | int, ...]
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(path: Path, what: str = "file") -> str:
    """A UTF-8 text file (a BOM is allowed), or one clear error."""
    shown = display_path(path)
    if not path.exists():
        raise BriefError(f"{what} not found", shown, hint="check the path")
    if not path.is_file():
        raise BriefError(f"{what} is not a file", shown)
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BriefError(
            "not UTF-8 text", shown, line, hint="save the file as UTF-8 (it may be GBK)"
        ) from None


def load_yaml(path: Path, what: str = "YAML file") -> tuple[Any, dict[KeyPath, int]]:
    """Parse a YAML file; return the data and a map from key path to line number."""
    text = read_text(path, what)
    shown = display_path(path)
    node = None
    # Parse once (libyaml when present): the node tree gives the lines, then the data.
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or "invalid YAML"
        raise BriefError(f"YAML syntax error: {problem}", shown, line) from None
    except yaml.YAMLError as exc:
        raise BriefError(f"YAML error: {exc}", shown) from None
    except ValueError as exc:  # a scalar YAML cannot construct, such as the date 2024-13-45
        line = _unconstructable_line(node) if node is not None else None
        raise BriefError(f"invalid value: {exc}", shown, line,
                         hint="write dates as YYYY-MM-DD") from None
    finally:
        loader.dispose()
    lines: dict[KeyPath, int] = {}
    if node is not None:
        _collect_lines(node, (), lines)
    return data, lines


def _unconstructable_line(node: yaml.Node) -> int | None:
    """The line of the first scalar the safe loader cannot turn into a value."""
    if isinstance(node, yaml.ScalarNode):
        try:
            yaml.SafeLoader("").construct_object(node)
        except ValueError:
            return node.start_mark.line + 1
        return None
    children = node.value if isinstance(node, yaml.SequenceNode) else (
        [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else [])
    for child in children:
        line = _unconstructable_line(child)
        if line:
            return line
    return None


def _collect_lines(node: yaml.Node, path: KeyPath, out: dict[KeyPath, int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[path + (key,)] = key_node.start_mark.line + 1
            _collect_lines(value_node, path + (key,), out)
            out[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _collect_lines(item, path + (i,), out)


def line_of(lines: dict[KeyPath, int], path: KeyPath) -> int | None:
    """The line of the longest prefix of `path` that the file has."""
    for n in range(len(path), -1, -1):
        if path[:n] in lines:
            return lines[path[:n]]
    return None


def format_path(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def validation_error(exc: Any, path: Path, lines: dict[KeyPath, int]) -> BriefError:
    """Turn pydantic's errors into one BriefError with file, line and key path.

    A misspelt key shows up twice (an unknown key and a missing one): report the
    unknown key, naming the key it was probably meant to be.
    """
    import difflib

    errors = exc.errors()

    def location(err: dict[str, Any]) -> KeyPath:
        return tuple(p for p in err["loc"] if isinstance(p, str | int))

    err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    loc = location(err)
    kind = err["type"]
    if kind == "extra_forbidden":
        message = f"unknown key '{format_path(loc)}'"
        missing = [str(location(e)[-1]) for e in errors
                   if e["type"] == "missing" and location(e)[:-1] == loc[:-1]]
        close = difflib.get_close_matches(str(loc[-1]), missing, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else "remove it or check its spelling"
    elif kind == "missing":
        message = f"missing key '{format_path(loc)}'"
        hint = "add it"
    else:
        message = f"{format_path(loc)}: {err['msg']}"
        hint = ""
    return BriefError(message, display_path(path), line_of(lines, loc), hint)
