"""YAML that remembers where each value stood, so errors can name a line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from briefgen.config.yamlwalk import KeyPath, Walk, children
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
    _check_size(path, what, shown)
    text = read_text(path, what)
    lines: dict[KeyPath, int] = {}
    # Parse once (libyaml when present): the node tree gives the lines, then the data.
    loader = _Loader(text)
    node: yaml.Node | None = None
    try:
        node = loader.get_single_node()
        data = _construct(loader, node, shown, lines)
    except (yaml.YAMLError, ValueError) as exc:
        raise _load_error(exc, text, shown, node) from None
    finally:
        loader.dispose()
    return data, lines


def _check_size(path: Path, what: str, shown: str) -> None:
    if path.is_file() and path.stat().st_size > MAX_YAML_BYTES:
        raise InputError(f"{what} is too large ({path.stat().st_size // 1024} KiB)", shown,
                         hint=f"at most {MAX_YAML_BYTES // 1024} KiB")


def _construct(loader: Any, node: yaml.Node | None, shown: str,
               lines: dict[KeyPath, int]) -> Any:
    """The data of `node`, its lines walked into `lines` first (None for an empty file)."""
    if node is None:
        return None
    Walk(shown, lines).node(node, (), 0)
    return loader.construct_document(node)


def _load_error(exc: yaml.YAMLError | ValueError, text: str, shown: str,
                node: yaml.Node | None) -> InputError:
    """The one clear error for what the parser raised."""
    if isinstance(exc, yaml.MarkedYAMLError):
        return _syntax_error(exc, text, shown)
    if isinstance(exc, yaml.reader.ReaderError):
        return _reader_error(exc, text, shown)
    if isinstance(exc, yaml.YAMLError):
        return InputError(f"YAML error: {exc}", shown)
    return _value_error(exc, shown, node)


def _value_error(exc: ValueError, shown: str, node: yaml.Node | None) -> InputError:
    """A scalar YAML cannot construct, such as the date 2024-13-45."""
    line = _unconstructable_line(node) if node is not None else None
    return InputError(f"invalid value: {exc}", shown, line, hint="write dates as YYYY-MM-DD")


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, shown: str) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "invalid YAML"
    if mark is None:
        return InputError(f"YAML syntax error: {problem}", shown, None)
    if "escape code" in problem:
        problem = _bad_escape(text, mark.index) or problem
    return InputError(f"YAML syntax error: {problem}", shown, mark.line + 1)


def _reader_error(exc: yaml.reader.ReaderError, text: str, shown: str) -> InputError:
    """A character YAML does not allow, with its line."""
    # libyaml counts bytes of the UTF-8 text; the pure-Python reader counts characters.
    before = text.encode("utf-8")[: exc.position] if _Loader is not yaml.SafeLoader \
        else text[: exc.position].encode("utf-8")
    line = before.count(b"\n") + 1
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return InputError(f"character U+{code:04X} is not allowed in YAML", shown, line,
                      hint="remove it")


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
        return None if _constructs(node) else node.start_mark.line + 1
    return next((line for child in children(node) if (line := _unconstructable_line(child))),
                None)


def _constructs(node: yaml.ScalarNode) -> bool:
    try:
        yaml.SafeLoader("").construct_object(node)
    except ValueError:
        return False
    return True


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
    errors = exc.errors()
    err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    loc = _location(err)
    message, hint = _explain(err, loc, errors)
    return InputError(message, display_path(path), line_of(lines, loc), hint)


def _location(err: dict[str, Any]) -> KeyPath:
    return tuple(p for p in err["loc"] if isinstance(p, str | int))


def _explain(err: dict[str, Any], loc: KeyPath, errors: list[dict[str, Any]]) -> tuple[str, str]:
    """The message and the hint for one pydantic error."""
    if err["type"] == "extra_forbidden":
        return f"unknown key '{format_path(loc)}'", _spelling_hint(loc, errors)
    if err["type"] == "missing":
        return f"missing key '{format_path(loc)}'", "add it"
    return f"{format_path(loc)}: {err['msg']}", ""


def _missing_beside(loc: KeyPath, errors: list[dict[str, Any]]) -> list[str]:
    """The missing keys of the mapping that holds `loc`."""
    return [str(_location(e)[-1]) for e in errors
            if e["type"] == "missing" and _location(e)[:-1] == loc[:-1]]


def _spelling_hint(loc: KeyPath, errors: list[dict[str, Any]]) -> str:
    """For an unknown key: the missing key beside it that it was probably meant to be."""
    import difflib

    close = difflib.get_close_matches(str(loc[-1]), _missing_beside(loc, errors), n=1,
                                      cutoff=0.5)
    return f"did you mean '{close[0]}'?" if close else "remove it or check its spelling"
