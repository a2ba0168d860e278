"""A passage cited on a page other than its own, as one line; and counted nouns."""

from __future__ import annotations

from dataclasses import dataclass

from .derive import STANCE_LABELS
from .model import Model
from .typography import quoted


@dataclass(frozen=True, slots=True)
class PassageLine:
    """A passage as a one-line reference: its opening words and its source, linking to it."""

    ref: str
    excerpt: str
    """Its opening words, quoted."""
    source: str
    """Its source's title."""
    held: str
    """How its source holds it when it does not assert it ("hedged", "disputed", "words of China"), else ""."""
    corrected: bool


HELD = {stance: label for stance, label in STANCE_LABELS if stance != "asserts"}


def line(model: Model, ref: str) -> PassageLine:
    ann = model.annotations[ref]
    held = f"words of {model.actors[ann.speaker].name}" if ann.stance == "reports" else HELD.get(ann.stance, "")
    return PassageLine(ref, quoted(ann.anchor.exact, 90), model.sources[ann.source_id].title, held, bool(ann.correction))


def plural(n: int, one: str) -> str:
    return f"{n} {one if n == 1 else one + 's'}"
