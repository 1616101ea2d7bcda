"""YAML that remembers where each value stood, so errors can name a line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from briefgen.config.yamlwalk import KeyPath, Walk
from briefgen.errors import BriefError, InputError, display_path

__all__ = ["KeyPath", "load_yaml", "read_text", "line_of", "format_path", "validation_error"]

MAX_YAML_BYTES = 2 * 2**20  # a brief, a house or a facts file is a few KiB
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(path: Path, what: str = "file") -> str:
    """A UTF-8 text file (a BOM is allowed), or one clear error."""
    shown = display_path(path)
    if not path.exists():
        raise InputError(f"{what} not found", shown, hint="check the path")
    if not path.is_file():
        raise InputError(f"{what} is not a file", shown)
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            "not UTF-8 text", shown, line, hint="save the file as UTF-8 (it may be GBK)"
        ) from None


def load_yaml(path: Path, what: str = "YAML file") -> tuple[Any, dict[KeyPath, int]]:
    """Parse a YAML file; return the data and a map from key path to line number.

    Bounded: the file's size, its nesting and what its aliases expand to are
    capped; a key given twice and a character no text should hold are errors.
    """
    shown = display_path(path)
    if path.is_file() and path.stat().st_size > MAX_YAML_BYTES:
        raise InputError(f"{what} is too large ({path.stat().st_size // 1024} KiB)", shown,
                         hint=f"at most {MAX_YAML_BYTES // 1024} KiB")
    text = read_text(path, what)
    node = None
    lines: dict[KeyPath, int] = {}
    # Parse once (libyaml when present): the node tree gives the lines, then the data.
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            Walk(shown, lines).node(node, (), 0)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or "invalid YAML"
        if mark is not None and "escape code" in problem:
            problem = _bad_escape(text, mark.index) or problem
        raise InputError(f"YAML syntax error: {problem}", shown, line) from None
    except yaml.reader.ReaderError as exc:
        # libyaml counts bytes of the UTF-8 text; the pure-Python reader counts characters.
        before = text.encode("utf-8")[: exc.position] if _Loader is not yaml.SafeLoader \
            else text[: exc.position].encode("utf-8")
        line = before.count(b"\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise InputError(f"character U+{code:04X} is not allowed in YAML", shown, line,
                         hint="remove it") from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {exc}", shown) from None
    except ValueError as exc:  # a scalar YAML cannot construct, such as the date 2024-13-45
        line = _unconstructable_line(node) if node is not None else None
        raise InputError(f"invalid value: {exc}", shown, line,
                         hint="write dates as YYYY-MM-DD") from None
    finally:
        loader.dispose()
    return data, lines


def _bad_escape(text: str, index: int) -> str | None:
    """Name the escape libyaml refused (a lone surrogate such as \\ud800)."""
    start = max(text.rfind("\\u", 0, index + 1), text.rfind("\\U", 0, index + 1))
    match = re.match(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))", text[start:]) if start >= 0 else None
    if match is None:
        return None
    code = int(match.group(1) or match.group(2), 16)
    what = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "not a character"
    return f"the escape {match.group()} is U+{code:04X}, {what}"


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
    return InputError(message, display_path(path), line_of(lines, loc), hint)
