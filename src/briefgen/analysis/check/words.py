"""Small tests on words, shared by the check rules: does a text name any of a list of words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def has_any(text: str, words: Iterable[str]) -> bool:
    """Whether `text` holds any of `words` (占比, 比重 … in a clause)."""
    return any(w in text for w in words)


@dataclass(frozen=True)
class WordTest:
    """A text that holds one of `any_of` and none of `none_of` (a share, not a change)."""

    any_of: tuple[str, ...]
    none_of: tuple[str, ...] = ()

    def __call__(self, text: str) -> bool:
        return has_any(text, self.any_of) and not has_any(text, self.none_of)


def last_of(text: str, words: Iterable[str]) -> tuple[int, str] | None:
    """The word of `words` that ends last in `text`, with where it ends; None if none is there."""
    best: tuple[int, str] | None = None
    for word in words:
        i = text.rfind(word)
        if i >= 0 and (best is None or i + len(word) > best[0]):
            best = (i + len(word), word)
    return best
