"""Excerpts: what a source with `reproduce: excerpts` shows of its text.

Such a source's page shows its annotated passages only, each with the sentence or so around it
that a passage's own page shows (`passage_view.passage_in_context`), and nothing else of the
text; passages whose contexts meet or overlap are shown as one excerpt. The whole text stays in
the model, where the quotes anchor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .passage_view import passage_in_context


@dataclass(frozen=True, slots=True)
class Excerpt:
    """One run of a source's plain text that the page shows."""

    start: int
    end: int
    """Offsets in the source's plain text."""
    refs: tuple[str, ...]
    """The passages in it, in the order they start."""


def context_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the passage `text[start:end]`, with the context its page shows, starts and ends."""
    paragraphs = passage_in_context(text, start, end)
    before = paragraphs[0].before.removeprefix("…")  # the context is cut at a word, and "…" marks the cut
    after = paragraphs[-1].after.removesuffix("…")
    first = text.rfind(before, 0, start) if before else start
    last = text.find(after, end) if after else -1
    return (first if first >= 0 else start), (last + len(after) if last >= 0 else end)


def excerpts(text: str, passages: Iterable[tuple[str, int, int]]) -> tuple[Excerpt, ...]:
    """The excerpts of `text` that show `passages` (ref, start, end) with their context, in text
    order; passages whose contexts touch share one excerpt."""
    runs: list[list] = []
    for ref, start, end in sorted(passages, key=lambda p: (p[1], -p[2])):
        first, last = context_bounds(text, start, end)
        if runs and first <= runs[-1][1] + 2:  # overlapping, or only a paragraph break apart
            runs[-1][1] = max(runs[-1][1], last)
            runs[-1][2].append(ref)
        else:
            runs.append([first, last, [ref]])
    return tuple(Excerpt(first, last, tuple(refs)) for first, last, refs in runs)


def paragraphs(text: str, excerpt: Excerpt) -> list[tuple[int, int, bool, bool]]:
    """The excerpt paragraph by paragraph: (start, end, whether text of the paragraph is left
    out before it, and after it)."""
    out = []
    at = excerpt.start
    for piece in text[excerpt.start:excerpt.end].split("\n\n"):
        start, end = at, at + len(piece)
        at = end + 2
        if not piece.strip():
            continue
        cut_before = start > 0 and text[start - 2:start] != "\n\n"
        cut_after = end < len(text) and text[end:end + 2] != "\n\n"
        out.append((start, end, cut_before, cut_after))
    return out

