"""The arguments: the index's list and legend, and a page per argument."""

from __future__ import annotations

from dataclasses import dataclass

from .argmap import SourceBadge
from .derive import Index
from .list_views import PartLink
from .model import Body, Model
from .references import PassageLine, line


SOURCE_PALETTE = 8
"""Colours the argument map gives sources; past eight, colours repeat and the letters tell them apart."""


@dataclass(frozen=True, slots=True)
class SourceMark:
    """A source as the argument map marks it: a letter, and a colour that is never the only mark."""

    source: str
    title: str
    authors: str
    letter: str
    colour: int
    """Its slot in the palette, 0 to SOURCE_PALETTE - 1."""


@dataclass(frozen=True, slots=True)
class ArgumentRef:
    """Another argument, named by its number on the map and its claim."""

    id: str
    number: int
    claim: str


@dataclass(frozen=True, slots=True)
class Bearing:
    """Arguments related one way to an argument: "Supports", "Supported by", "Opposes", "Opposed by"."""

    label: str
    relation: str
    """supports or opposes, for the sign and the style."""
    arguments: tuple[ArgumentRef, ...]


@dataclass(frozen=True, slots=True)
class Basis:
    """Which sources make an argument's claim, only raise it (hedged) or dispute it."""

    made_in: tuple[SourceMark, ...]
    raised_in: tuple[SourceMark, ...]
    disputed_in: tuple[SourceMark, ...]

    @property
    def listed(self) -> tuple[tuple[str, str, tuple[SourceMark, ...]], ...]:
        """(what the words call it, how the marks show it, the sources) of each way held, when some source holds it so."""
        ways = (("made in", "made", self.made_in), ("raised, hedged, in", "hedged", self.raised_in),
                ("disputed in", "disputed", self.disputed_in))
        return tuple(way for way in ways if way[2])


@dataclass(frozen=True, slots=True)
class ArgumentItem:
    """One line of the arguments index, in the map's reading order."""

    id: str
    number: int
    claim: str
    basis: Basis
    bears_on: tuple[Bearing, ...]
    """What it supports and opposes, by number."""


@dataclass(frozen=True, slots=True)
class ArgumentsIndexView:
    question: str
    """The question the map answers, from `site.yaml`; empty when the site names none."""
    total: int
    """How many arguments the site has, in all parts."""
    part: int
    """Which part of the map this page shows, from 0."""
    parts: tuple[PartLink, ...]
    """Every part (its key the part's number from 0, its detail the numbers of its arguments), when
    the map has more than one; empty otherwise."""
    legend: tuple[SourceMark, ...]
    """Every source this part of the map marks, in the site's source order."""
    items: tuple[ArgumentItem, ...]
    """The arguments of this part."""


@dataclass(frozen=True, slots=True)
class Named:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class ArgumentView:
    id: str
    number: int
    of: int
    """How many arguments the map has."""
    claim: str
    description: str
    """For search engines and shared links: who makes and disputes it, in words."""
    basis: Basis
    actors: tuple[Named, ...]
    motives: tuple[Named, ...]
    reasoning: Body
    map_part: str
    """The part of the map its box is in (`urls` kind `argument_maps`)."""
    evidence: tuple[PassageLine, ...]
    disputed_by: tuple[PassageLine, ...]
    bearings: tuple[Bearing, ...]
    """Supports, supported by, opposes, opposed by: those that are not empty, in that order."""


def _letters(n: int) -> str:
    """A, B, ... Z, AA, AB...: the n-th letter mark, from 0."""
    letters = ""
    while n >= 0:
        letters = chr(ord("A") + n % 26) + letters
        n = n // 26 - 1
    return letters


def source_mark(model: Model, index: Index, source_id: str) -> SourceMark:
    """How the map marks a source: by its place among the sources arguments rest on, so that a
    source keeps its letter and colour whichever arguments it makes."""
    n = index.argument_sources.index(source_id)
    source = model.sources[source_id]
    return SourceMark(source_id, source.title, " and ".join(source.authors), _letters(n), n % SOURCE_PALETTE)


def _basis(model: Model, index: Index, arg_id: str) -> Basis:
    basis = index.argument_basis[arg_id]
    return Basis(*(tuple(sorted((source_mark(model, index, s) for s in sources), key=lambda m: (len(m.letter), m.letter)))
                   for sources in (basis.made_in, basis.considered_in, basis.disputed_in)))


def _bearings(model: Model, index: Index, arg_id: str, both_ways: bool) -> tuple[Bearing, ...]:
    argument = model.arguments[arg_id]
    ways = [("Supports", "supports", argument.supports), ("Opposes", "opposes", argument.opposes)]
    if both_ways:
        place = index.argument_places[arg_id]
        ways[1:1] = [("Supported by", "supports", place.supported_by)]
        ways.append(("Opposed by", "opposes", place.opposed_by))
    return tuple(
        Bearing(label, relation, tuple(sorted((ArgumentRef(a, index.argument_places[a].number, model.arguments[a].claim) for a in ids),
                                              key=lambda r: r.number)))
        for label, relation, ids in ways if ids)


def arguments_index(model: Model, index: Index, part: str = "0") -> ArgumentsIndexView:
    maps = index.argument_maps

    def number(node) -> int:
        return index.argument_places[node.id].number

    items = tuple(ArgumentItem(node.id, number(node), model.arguments[node.id].claim, _basis(model, index, node.id),
                               _bearings(model, index, node.id, both_ways=False))
                  for node in (maps[int(part)].nodes if maps else ()))
    marked = {m.source for item in items for m in item.basis.made_in + item.basis.raised_in + item.basis.disputed_in}
    legend = tuple(source_mark(model, index, s) for s in index.source_order if s in marked)
    parts = tuple(PartLink(str(k), f"Part {k + 1}", f"{number(m.nodes[0])}–{number(m.nodes[-1])}", k == int(part))
                  for k, m in enumerate(maps)) if len(maps) > 1 else ()
    return ArgumentsIndexView(model.site.question, len(index.argument_places), int(part), parts, legend, items)


def _description(basis: Basis) -> str:
    """Who makes, raises and disputes a claim, in words: `An argument made in “A”; disputed in “B”: ...`."""
    def titles(marks: tuple[SourceMark, ...]) -> str:
        quoted = [f"“{m.title}”" for m in marks]
        return ", ".join(quoted[:-1]) + " and " + quoted[-1] if len(quoted) > 1 else quoted[0]

    held = "; ".join(f"{label} {titles(marks)}" for label, _, marks in basis.listed)
    return f"An argument {held}: its reasoning, the passages it rests on, and the arguments it supports or opposes."


def map_badges(view: ArgumentsIndexView) -> dict[str, tuple[SourceBadge, ...]]:
    """The source letters on each box of the map: filled where the source makes the claim,
    outlined where it only raises it."""
    return {item.id: tuple(SourceBadge(m.letter, m.colour, True) for m in item.basis.made_in)
            + tuple(SourceBadge(m.letter, m.colour, False) for m in item.basis.raised_in)
            for item in view.items}


def argument(model: Model, index: Index, arg_id: str) -> ArgumentView:
    arg = model.arguments[arg_id]
    basis, place = _basis(model, index, arg_id), index.argument_places[arg_id]
    return ArgumentView(
        arg_id, place.number, len(index.argument_places), arg.claim, _description(basis),
        basis, tuple(Named(a, model.actors[a].name) for a in arg.actors),
        tuple(Named(m, model.motives[m].label) for m in arg.motives), arg.body, str(place.part),
        tuple(line(model, r) for r in arg.evidence), tuple(line(model, r) for r in arg.disputed_by),
        _bearings(model, index, arg_id, both_ways=True))
