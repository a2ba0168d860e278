"""Quote anchoring: find an annotation's passage in its source, as a W3C TextQuoteSelector would.

Matching ignores differences in whitespace and in typographic quotes and apostrophes; the
anchor itself is reported in the source's own plain-text coordinates.
"""

from __future__ import annotations

import bisect
import collections
import difflib
import heapq
import re
from dataclasses import dataclass

from .model import Anchor

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
})
_QUOTE_PAIRS = tuple((chr(k), v) for k, v in _QUOTES.items())


def fold_quotes(text: str) -> str:
    """`text.translate(_QUOTES)`, done as a few C-speed replaces (translate with a dict is slow)."""
    for typographic, plain in _QUOTE_PAIRS:
        if typographic in text:
            text = text.replace(typographic, plain)
    return text


_SPACE = re.compile(r"\s+")


def _collapse(text: str) -> str:
    """`_SPACE.sub(" ", text)`: split/join is several times faster than the regex."""
    inner = " ".join(text.split())
    if not inner:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + inner + (" " if text[-1].isspace() else "")


_LONG_SPACE = re.compile(r"\s{2,}")
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
        folded = fold_quotes(original)
        breaks, shifts = [], []
        removed = 0
        # Only runs of two or more characters shift offsets; single ones are replaced in place.
        for run in _LONG_SPACE.finditer(folded):
            removed += run.end() - run.start() - 1
            breaks.append(run.end() - removed)
            shifts.append(removed)
        return cls(_collapse(folded), tuple(breaks), tuple(shifts))

    def original_index(self, index: int) -> int:
        """Where normalised character `index` stands in the original text."""
        at = bisect.bisect_right(self.breaks, index)
        return index + (self.shifts[at - 1] if at else 0)


def normalise(text: str) -> str:
    return " ".join(fold_quotes(text).split())


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


CANDIDATES = 2000
"""At most this many runs of words are compared with a quote not found, character by character;
in a longer source they are the runs that share the most words with the quote."""

_NOT_WORD = re.compile(r"\W+")


def _closest(hay: str, needle: str) -> NotFound:
    """The run of words in `hay`, as many as the quote has, that is most like the quote."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", hay)]
    width = max(1, len(needle.split()))
    if not words:
        return NotFound("", 0.0)
    count = max(1, len(words) - width + 1)
    starts = range(count) if count <= CANDIDATES else _sharing_most_words(hay, words, needle, width, count)
    windows = []
    for i in starts:
        window = hay[words[i][0]:words[min(i + width, len(words)) - 1][1]]
        windows.append((difflib.SequenceMatcher(None, needle, window, autojunk=False).quick_ratio(), i, window))
    windows.sort(key=lambda w: (-w[0], w[1]))
    best = (0.0, "")
    for _, _, window in windows[:25]:
        ratio = difflib.SequenceMatcher(None, needle, window, autojunk=False).ratio()
        if ratio > best[0]:
            best = (ratio, window)
    return NotFound(best[1], best[0])


def _sharing_most_words(hay: str, words: list[tuple[int, int]], needle: str, width: int, count: int) -> list[int]:
    """The first words of the `CANDIDATES` runs of `width` words that share the most words with
    the quote (case and punctuation aside), a word weighing less the more often the source uses it."""
    def key(word: str) -> str:
        return _NOT_WORD.sub("", word.lower())

    wanted = {key(word) for word in needle.split()} - {""}
    keys = [key(hay[start:end]) for start, end in words]
    uses = collections.Counter(k for k in keys if k in wanted)
    weights = [1_000_000 // uses[k] if k in wanted else 0 for k in keys]
    score = sum(weights[:width])
    scores = [score]
    for i in range(1, count):
        score += weights[i + width - 1] - weights[i - 1]
        scores.append(score)
    return sorted(heapq.nsmallest(CANDIDATES, range(count), key=lambda i: (-scores[i], i)))
