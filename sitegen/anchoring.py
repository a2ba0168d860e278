"""Quote anchoring: find an annotation's passage in its source, as a W3C TextQuoteSelector would.

Matching ignores differences in whitespace and in typographic quotes and apostrophes; the
anchor itself is reported in the source's own plain-text coordinates.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass

from .model import Anchor

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
})
_SPACE = re.compile(r"\s+")
CONTEXT = 32


@dataclass(frozen=True, slots=True)
class NormalisedText:
    """A text with quotes folded and whitespace runs collapsed to one space, mapped back."""

    text: str
    breaks: tuple[int, ...]
    """Normalised offsets after which characters were removed (sorted)."""
    shifts: tuple[int, ...]
    """shifts[i]: characters removed up to and including break i."""

    @classmethod
    def of(cls, original: str) -> "NormalisedText":
        folded = original.translate(_QUOTES)
        pieces, breaks, shifts = [], [], []
        removed, last = 0, 0
        for run in _SPACE.finditer(folded):
            pieces.append(folded[last:run.start()])
            pieces.append(" ")
            last = run.end()
            extra = run.end() - run.start() - 1
            if extra:
                removed += extra
                breaks.append(run.end() - removed)
                shifts.append(removed)
        pieces.append(folded[last:])
        return cls("".join(pieces), tuple(breaks), tuple(shifts))

    def original_index(self, index: int) -> int:
        """Where normalised character `index` stands in the original text."""
        at = bisect.bisect_right(self.breaks, index)
        return index + (self.shifts[at - 1] if at else 0)


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


@dataclass(frozen=True, slots=True)
class NotFound:
    """The quote is not in the source; the closest passage and its similarity (0-1)."""

    closest: str
    similarity: float


@dataclass(frozen=True, slots=True)
class Ambiguous:
    """The quote occurs more than once and prefix/suffix do not single one out."""

    count: int
    contexts: tuple[str, ...]
    """A few words before each occurrence, to help the editor write a prefix."""


@dataclass(frozen=True, slots=True)
class ContextMismatch:
    """The quote was found, but never preceded by `prefix` / followed by `suffix`."""

    field: str
    actual: str
    """What the source has there instead."""


def anchor_quote(source: NormalisedText, original: str, quote: str, prefix: str = "", suffix: str = ""):
    """Return an Anchor, or NotFound / Ambiguous / ContextMismatch explaining why not."""
    needle = normalise(quote)
    hay = source.text
    hits = []
    at = hay.find(needle)
    while at >= 0 and needle:
        hits.append(at)
        at = hay.find(needle, at + 1)
    if not hits:
        return _closest(hay, needle)
    want_prefix, want_suffix = normalise(prefix), normalise(suffix)
    matching = [
        h for h in hits
        if (not want_prefix or hay[:h].rstrip().endswith(want_prefix))
        and (not want_suffix or hay[h + len(needle):].lstrip().startswith(want_suffix))
    ]
    if not matching:
        field, want = ("prefix", want_prefix) if want_prefix and not any(
            hay[:h].rstrip().endswith(want_prefix) for h in hits) else ("suffix", want_suffix)
        h = hits[0]
        actual = hay[max(0, h - len(want) - 1):h].strip() if field == "prefix" else hay[h + len(needle):h + len(needle) + len(want) + 1].strip()
        return ContextMismatch(field, actual)
    if len(matching) > 1:
        contexts = tuple("… " + " ".join(hay[:h].split()[-5:]) for h in matching)
        return Ambiguous(len(matching), contexts)
    h = matching[0]
    start = source.original_index(h)
    end = source.original_index(h + len(needle) - 1) + 1
    return Anchor(
        start=start,
        end=end,
        exact=original[start:end],
        prefix=original[max(0, start - CONTEXT):start],
        suffix=original[end:end + CONTEXT],
    )


def _closest(hay: str, needle: str) -> NotFound:
    """The run of words in `hay`, as many as the quote has, that is most like the quote."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", hay)]
    width = max(1, len(needle.split()))
    if not words:
        return NotFound("", 0.0)
    windows = []
    for i in range(max(1, len(words) - width + 1)):
        window = hay[words[i][0]:words[min(i + width, len(words)) - 1][1]]
        windows.append((difflib.SequenceMatcher(None, needle, window, autojunk=False).quick_ratio(), i, window))
    windows.sort(key=lambda w: (-w[0], w[1]))
    best = (0.0, "")
    for _, _, window in windows[:25]:
        ratio = difflib.SequenceMatcher(None, needle, window, autojunk=False).ratio()
        if ratio > best[0]:
            best = (ratio, window)
    return NotFound(best[1], best[0])
