"""A passage cited on a page other than its own, as one line; what cites an item; counted nouns."""

from __future__ import annotations

from dataclasses import dataclass

from .derive import STANCE_LABELS, Index
from .model import Model
from .typography import quoted
from .urls import title_of


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


@dataclass(frozen=True, slots=True)
class Citing:
    """An item that cites a passage, as a link: `kind` and `id` for `url_for`, what the link says."""

    kind: str
    id: str
    noun: str
    """What it is, in a word: actor, event, argument, passage..."""
    label: str
    source: str = ""
    """For a passage: its source's title."""


def citing(model: Model, index: Index, key: str) -> tuple[Citing, ...]:
    """What cites the item `key` (`annotations/<ref>`, `actors/<id>`...), as links."""
    items = []
    for c in index.cited_by.get(key, ()):
        if c.kind == "annotations":
            other = model.annotations[c.id]
            items.append(Citing(c.kind, c.id, "passage", quoted(other.anchor.exact, 60),
                                model.sources[other.source_id].title))
        else:
            items.append(Citing(c.kind, c.id, c.kind[:-1], title_of(model, c.kind, c.id)))
    return tuple(items)
