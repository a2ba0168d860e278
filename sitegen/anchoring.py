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


def _collapse(text: str) -> str:
    """`text` with each run of whitespace made one space, by split and join (a regex is slower)."""
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


UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
"""Kana, CJK ideographs and Hangul: scripts written (or often written) without spaces between
words, where each character counts as a word when a quote is compared with the source."""
_WORD = re.compile(rf"[{UNSPACED}]|[^\s{UNSPACED}]+")
"""A word: one character of a script without spaces, or else a run of characters up to a space."""


def _word_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD.finditer(text)]


CANDIDATES = 2000
"""At most this many runs of words are compared with a quote not found, character by character;
in a longer source they are the runs that share the most words with the quote."""

_NOT_WORD = re.compile(r"\W+")


def _closest(hay: str, needle: str) -> NotFound:
    """The run of words in `hay`, as many as the quote has, that is most like the quote."""
    words = _word_spans(hay)
    width = max(1, len(_word_spans(needle)))
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

    wanted = {key(needle[start:end]) for start, end in _word_spans(needle)} - {""}
    keys = [key(hay[start:end]) for start, end in words]
    uses = collections.Counter(k for k in keys if k in wanted)
    weights = [1_000_000 // uses[k] if k in wanted else 0 for k in keys]
    score = sum(weights[:width])
    scores = [score]
    for i in range(1, count):
        score += weights[i + width - 1] - weights[i - 1]
        scores.append(score)
    return sorted(heapq.nsmallest(CANDIDATES, range(count), key=lambda i: (-scores[i], i)))


_TOKEN = re.compile(rf"(\s*)([{UNSPACED}]|[^\W{UNSPACED}]+|[^\w\s])")
"""A word (one character of a script without spaces) or a single sign, and the space before it."""


def differences(typed: str, source: str, context: int = 4, most: int = 3) -> tuple[str, str]:
    """`typed` and `source` (normalised) where they differ: each differing run of words and signs
    in [brackets], empty where the other text has something this one lacks, with `context` words
    (and the signs among them) around it and '…' for what is left out; at most `most` such places.

    A space before a sign counts ('first ,' differs from 'first,'). Words the source has beyond
    either end of the quote are no difference: the closest passage is only as long as the quote.
    """
    a = _TOKEN.findall(typed)
    b = _TOKEN.findall(source)

    def opcodes():
        keys = lambda tokens: [(bool(space), token) for space, token in tokens]  # noqa: E731
        return difflib.SequenceMatcher(None, keys(a), keys(b), autojunk=False).get_opcodes()

    ops = opcodes()
    if ops and ops[-1][0] == "insert":
        b = b[:ops[-1][3]]
    if ops and ops[0][0] == "insert":
        b = b[ops[0][4]:]
    if b:
        b[0] = ("", b[0][1])
    typed_pieces: list[str] = []
    source_pieces: list[str] = []
    ops = opcodes()
    changes = 0
    for index, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            head = _words(a[i1:i2], context) if index > 0 else 0
            tail = _words(a[i1:i2], context, backwards=True) if index < len(ops) - 1 and changes < most else 0
            if head + tail >= i2 - i1:
                typed_pieces.append(_joined(a[i1:i2]))
                source_pieces.append(_joined(b[j1:j2]))
            else:
                typed_pieces.append(_joined(a[i1:i1 + head]) + " …" + _joined(a[i2 - tail:i2]))
                source_pieces.append(_joined(b[j1:j1 + head]) + " …" + _joined(b[j2 - tail:j2]))
            continue
        if changes == most:
            if not typed_pieces[-1].endswith("…"):
                typed_pieces.append(" …")
                source_pieces.append(" …")
            break
        changes += 1
        space = (a[i1] if i1 < i2 else b[j1])[0]
        typed_pieces.append(f"{' ' if space else ''}[{_joined(a[i1:i2]).lstrip()}]")
        space = (b[j1] if j1 < j2 else a[i1])[0]
        source_pieces.append(f"{' ' if space else ''}[{_joined(b[j1:j2]).lstrip()}]")
    return "".join(typed_pieces).strip(), "".join(source_pieces).strip()


def _words(tokens: list, count: int, backwards: bool = False) -> int:
    """How many of `tokens`, from the start (or the end), hold their first (last) `count` words
    and the signs among them and attached to them ('first,' and '"Trade' are one word here)."""
    order = range(len(tokens) - 1, -1, -1) if backwards else range(len(tokens))
    taken = 0
    for index in order:
        word = tokens[index][1][0].isalnum() or tokens[index][1][0] == "_"
        if count == 0:
            attached = not tokens[index + 1][0] if backwards else not tokens[index][0]
            if word or not attached:
                break
        taken += 1
        count -= word
    return taken


def _joined(tokens: list) -> str:
    return "".join((" " if space else "") + token for space, token in tokens)
