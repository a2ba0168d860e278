"""Quote anchoring: find an annotation's passage in its source, as a W3C TextQuoteSelector would.

Matching ignores differences in whitespace and in typographic quotes and apostrophes; the
anchor itself is reported in the source's own plain-text coordinates.
"""

from __future__ import annotations

import bisect
import collections
import dataclasses
import difflib
import heapq
import re
from dataclasses import dataclass
from typing import Callable, Iterable

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


class Anchors:
    """Anchors quotes, and remembers every result.

    A build makes a fresh one. `serve` keeps one across rebuilds: an unchanged quote in an
    unchanged source is not searched again, and its anchored annotation stays the same object,
    so the rebuild can tell by identity what did not change. `tidy()` drops what belongs to
    source texts no longer in use.
    """

    def __init__(self) -> None:
        self._results: dict[tuple[bytes, str, str, str], object] = {}
        self._annotations: dict[str, tuple[object, object, object, bytes]] = {}
        """ref -> (annotation, anchor, anchored annotation, the source text it was anchored in)."""
        self._added = 0
        """Entries added since the last tidy: how much of what is kept may be garbage."""
        self._text: tuple[bytes, str, NormalisedText | None] = (b"", "", None)
        """The last source text searched, decoded and normalised. Annotations come source by
        source, so one is enough; `serve` searches again only for edited quotes, so keeping every
        source's (at N=5000, 45 MiB for as long as it serves) would save it little."""

    def anchor(self, plain: bytes, quote: str, prefix: str = "", suffix: str = ""):
        """`anchor_quote` in the source text whose UTF-8 is `plain` (a source's `body.plain`): an
        Anchor, or NotFound / Ambiguous / ContextMismatch."""
        key = (plain, quote, prefix, suffix)
        result = self._results.get(key)
        if result is None:
            if self._text[0] is not plain:
                original = plain.decode()
                self._text = (plain, original, NormalisedText.of(original))
            _, original, source = self._text
            result = self._results[key] = anchor_quote(source, original, quote, prefix, suffix)
            self._added += 1
        return result

    def annotated(self, ref: str, annotation, anchor: Anchor, plain: bytes):
        """`dataclasses.replace(annotation, anchor=anchor)`, the same object as last time when neither changed."""
        kept = self._annotations.get(ref)
        if kept is not None and kept[0] is annotation and kept[1] is anchor:
            if kept[3] is not plain:  # the source was parsed again into an equal text: `reuse` looks for this one
                self._annotations[ref] = (annotation, anchor, kept[2], plain)
            return kept[2]
        anchored = dataclasses.replace(annotation, anchor=anchor)
        self._annotations[ref] = (annotation, anchor, anchored, plain)
        self._added += 1
        return anchored

    def reuse(self, ref: str, annotation, plain: bytes):
        """The anchored annotation made last time from this same annotation and this same source
        text (the same objects, so `anchor` would give the same result); None otherwise."""
        kept = self._annotations.get(ref)
        if kept is None or kept[0] is not annotation or kept[3] is not plain:
            return None
        return kept[2]

    def tidy(self, texts_in_use: Callable[[], Iterable[bytes]]) -> None:
        """Keep only the results and anchored annotations of the source texts in use (a
        deleted annotation or an edited source's old text is let go). Only once a quarter as many
        entries as are kept have come in since the last tidy: a rebuild after one edit need not
        walk them all, and what is dropped late is at most that quarter."""
        if self._added <= max(64, len(self._annotations) // 4):
            return
        used = {id(text) for text in texts_in_use()}
        self._results = {k: r for k, r in self._results.items() if id(k[0]) in used}
        self._annotations = {ref: kept for ref, kept in self._annotations.items() if id(kept[3]) in used}
        self._text = (b"", "", None)
        self._added = 0
