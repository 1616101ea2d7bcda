"""One bounded pass over a YAML node graph: the line of every key, caps and text checks.

The walk never goes through an alias twice, so an alias bomb costs nothing
here; it counts aliases and what they would expand to, and refuses a key given
twice, nesting too deep and characters no text should hold.
"""

from __future__ import annotations

import re
import unicodedata

import yaml

from briefgen.errors import InputError

KeyPath = tuple[str | int, ...]
MAX_YAML_DEPTH = 64
MAX_YAML_ALIASES = 100
MAX_YAML_EXPANDED = 100_000  # values, with every alias expanded

_BAD_CHARS = re.compile(
    "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ud800-\\udfff\\ufdd0-\\ufdef\\ufffe\\uffff"
    + "".join(f"\\U{p:04x}fffe\\U{p:04x}ffff" for p in range(1, 17)) + "]"
)


def first_bad_char(text: str) -> str | None:
    """The first character no brief text should hold: a control character other than
    tab and newline, a noncharacter (U+FFFE, U+FFFF, …) or a lone surrogate."""
    match = _BAD_CHARS.search(text)
    return match.group() if match else None


def char_name(ch: str) -> str:
    """A readable name for a character in an error message."""
    if 0xD800 <= ord(ch) <= 0xDFFF:
        return "a lone surrogate"
    if ord(ch) == 0:
        return "NUL"
    return unicodedata.name(ch, "a control character or noncharacter")


def bad_char_error(ch: str, file: str, line: int | None) -> InputError:
    return InputError(f"character U+{ord(ch):04X} ({char_name(ch)}) is not allowed in text",
                      file, line, hint="remove it")


class Walk:
    """Walk a composed node tree once; fill `lines` with key path -> line."""

    def __init__(self, shown: str, lines: dict[KeyPath, int]) -> None:
        self.shown, self.lines = shown, lines
        self.seen: set[int] = set()
        self.aliases = 0
        self.sizes: dict[int, int] = {}

    def node(self, node: yaml.Node, path: KeyPath, depth: int, at: int = 1) -> None:
        """Walk `node`, found at line `at` (an alias's node stands at its anchor)."""
        if id(node) in self.seen:
            self._alias(node, at)
            return
        line = node.start_mark.line + 1
        self.lines.setdefault(path, line)
        if depth > MAX_YAML_DEPTH:
            raise InputError(f"YAML nested more than {MAX_YAML_DEPTH} levels deep", self.shown,
                             line)
        self.seen.add(id(node))
        self._contents(node, path, depth, line)

    def _contents(self, node: yaml.Node, path: KeyPath, depth: int, line: int) -> None:
        if isinstance(node, yaml.ScalarNode):
            self._text(node.value, line)
        elif isinstance(node, yaml.MappingNode):
            self._mapping(node, path, depth)
        elif isinstance(node, yaml.SequenceNode):
            self._sequence(node, path, depth, line)

    def _sequence(self, node: yaml.SequenceNode, path: KeyPath, depth: int, line: int) -> None:
        for i, item in enumerate(node.value):
            self.node(item, path + (i,), depth + 1, line)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> None:
        keys: dict[object, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            key = self._key(key_node, line, keys)
            here = path + (key,) if isinstance(key, str) else path
            self.node(value_node, here, depth + 1, line)
            if isinstance(key, str):
                self.lines[here] = line

    def _key(self, key_node: yaml.Node, line: int, keys: dict[object, int]) -> object:
        """A mapping's key (None when not a scalar), checked: no key twice, no bad character."""
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key is None or key == "<<":  # a merge key may stand more than once
            return key
        if key in keys:
            raise InputError(f"key '{key}' appears twice (first at line {keys[key]})",
                             self.shown, line, hint="keep one of them")
        keys[key] = line
        self._text(key, line)
        return key

    def _alias(self, node: yaml.Node, line: int) -> None:
        self.aliases += 1
        if self.aliases > MAX_YAML_ALIASES:
            raise InputError(f"more than {MAX_YAML_ALIASES} aliases", self.shown, line,
                             hint="write the values out")
        if expanded(node, self.sizes, set()) > MAX_YAML_EXPANDED:
            raise InputError("an anchor's aliases expand too far", self.shown, line,
                             hint=f"at most {MAX_YAML_EXPANDED} values once expanded")

    def _text(self, value: str, line: int) -> None:
        bad = first_bad_char(value)
        if bad is not None:
            raise bad_char_error(bad, self.shown, line)


def expanded(node: yaml.Node, sizes: dict[int, int], stack: set[int]) -> int:
    """How many values `node` stands for with every alias expanded (memoised, capped)."""
    if id(node) in sizes:
        return sizes[id(node)]
    if id(node) in stack or len(stack) > MAX_YAML_DEPTH:
        return MAX_YAML_EXPANDED + 1  # an alias inside its own anchor
    stack.add(id(node))
    total = 1
    for child in children(node):
        total += expanded(child, sizes, stack)
        if total > MAX_YAML_EXPANDED:
            break
    stack.discard(id(node))
    sizes[id(node)] = total
    return total


def children(node: yaml.Node) -> list[yaml.Node]:
    """The nodes inside `node`: a sequence's items, a mapping's keys and values."""
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []
