"""What each page shows, decided in Python: small frozen records the templates only loop over
and print (ordered, filtered and labelled here, never in Jinja). This module holds the home and
source pages' and names every view a page can show (`build`); an actor's and a motive's page are
in `actor_views`, the lists (timeline, actors, motives, sources, corrections) in `list_views`, a
passage's page in `passage_view`, the arguments' in `argument_views`.

Records hold ids (for links) and the words shown; they compare by value.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping

from .actor_views import actor, attributions_of, held, motive
from .argument_views import argument, arguments_index
from .derive import SOURCE_COLUMNS, Attribution, Index
from .list_views import SourceCard, actors, corrections, motives, source_card, sources, timeline
from .model import Model
from .passage_view import passage
from .references import HELD, Citing, PassageLine, citing, line, plural
from .rights import about


@dataclass(frozen=True, slots=True)
class MotiveMention:
    """A motive attributed to an actor, linking to that motive on the actor's page."""

    motive: str
    label: str
    held: str = ""
    """reported, hedged or disputed when the source does not assert it; empty when it does."""


@dataclass(frozen=True, slots=True)
class HeldBy:
    """A motive the sources hold in different ways: (how, the titles of the sources holding it so)."""

    motive: str
    label: str
    by_stance: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class OnlyPart:
    """The motives one source alone attributes; `source` is its title when the column names no source."""

    motives: tuple[MotiveMention, ...]
    source: str = ""


@dataclass(frozen=True, slots=True)
class OnlyCell:
    """One "Only ..." cell of the comparison: its parts, or the word shown when it has none."""

    label: str
    """The cell's column, for narrow screens: "Only <title>" or "Only one source"."""
    parts: tuple[OnlyPart, ...]
    empty: str
    """"none", or "not discussed" when the column's source has no passage on the actor."""


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    actor: str
    name: str
    shared: tuple[MotiveMention, ...]
    """Motives two or more sources assert."""
    only: tuple[OnlyCell, ...]
    differing: tuple[HeldBy, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Where the sources agree and differ, actor by actor."""

    source_columns: tuple[str, ...]
    """The titles of the sources with a column each, newest first; empty past `SOURCE_COLUMNS`
    sources, where one "Only one source" column names the source in each entry instead."""
    rows: tuple[ComparisonRow, ...]
    """The primary actors' rows."""
    more_rows: tuple[ComparisonRow, ...]
    """The other actors' rows."""


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """How many passages attribute one motive to one actor, and how their sources hold it."""

    motive: str
    shade: int
    """The number of passages, up to 4 (the cell's shade)."""
    lead: str
    """The strongest way a passage holds it: asserted, reported, hedged or disputed."""
    agreed: bool
    """Two or more sources assert it."""
    counts: tuple[tuple[str, int], ...]
    """(how, number of passages held so), strongest first."""
    summary: str
    """What a screen reader hears: "passages: Northland, Trade access; asserted in 1 source, ..."."""


@dataclass(frozen=True, slots=True)
class MatrixRow:
    actor: str
    name: str
    cells: tuple[MatrixCell | None, ...]
    """One per motive of the header, None where no passage attributes it."""


@dataclass(frozen=True, slots=True)
class Position:
    """An actor's position and the first passage that shows it: a primary actor's card, or a row
    of the table of the other actors."""

    actor: str
    name: str
    position: str
    evidence: PassageLine | None
    """The first passage cited for the position, as a reference (its own page shows it in full), or None."""
    more: str
    """How many more passages the actor's page cites ("2 more passages" on a card, "2 more" in a row), or ""."""


@dataclass(frozen=True, slots=True)
class HomeView:
    stats: str
    """What the site reads: how many sources, passages, actors, motives, events and arguments."""
    positions: tuple[Position, ...]
    """The primary actors, by name."""
    others: tuple[Position, ...]
    """The other actors, by name."""
    motives: tuple[tuple[str, str], ...]
    """(motive id, label) of the matrix's columns, in motive order."""
    matrix: tuple[MatrixRow, ...]
    """Actors by motive, one row per actor that some passage attributes a motive to."""
    comparison: Comparison
    oppositions: tuple["Opposition", ...]
    """Arguments that oppose another, up to HOME_OPPOSITIONS: those the sources disagree on
    first, then by argument id."""
    more_oppositions: str
    """How many more the argument map shows ("12 more oppositions"), or ""."""
    cut: str
    """What the tables leave out on a large site, said where they do, or ""."""
    sources: tuple[SourceCard, ...]
    """The newest sources, up to HOME_SOURCES."""
    all_sources: str
    """A link's words to the list of them all when there are more: "All 12 sources"; else ""."""


def _held_by(model: Model, attr: Attribution) -> HeldBy:
    return HeldBy(attr.motive, model.motives[attr.motive].label,
                  tuple((label, tuple(model.sources[s].title for s in sources)) for label, sources in attr.by_stance))


def comparison(model: Model, index: Index, actors: set[str] | None = None) -> Comparison:
    """Per actor (of `actors`, or every one): what two or more sources assert, what one source
    alone attributes (a column per source up to SOURCE_COLUMNS, else one list), and what the
    sources hold in different ways."""
    per_source = len(index.source_order) <= SOURCE_COLUMNS
    title = {s: model.sources[s].title for s in index.source_order}
    position = {s: i for i, s in enumerate(index.source_order)}
    rows = []
    for actor_id in index.actor_order:
        cells = attributions_of(index, actor_id) if actors is None or actor_id in actors else ()
        if not cells:
            continue
        singles, differing = defaultdict(list), []  # what one source alone attributes, by source
        for c in cells:
            held = c.holding()
            if len(held) == 1:
                [(source, how)] = held.items()
                singles[source].append(MotiveMention(c.motive, model.motives[c.motive].label, "" if how == "asserted" else how))
            elif set(held.values()) != {"asserted"}:
                differing.append(c)

        def alone(s: str) -> tuple[MotiveMention, ...]:
            """The motives `s` alone asserts, then those it alone holds otherwise."""
            return tuple(sorted(singles.get(s, ()), key=lambda m: bool(m.held)))

        if per_source:
            discussed = set(index.actor_sources[actor_id]) | set(index.actor_raised_in[actor_id])
            only = tuple(OnlyCell(f"Only {title[s]}", (OnlyPart(alone(s)),) if alone(s) else (),
                                  "none" if s in discussed else "not discussed")
                         for s in index.source_order)
        else:
            only = (OnlyCell("Only one source", tuple(OnlyPart(alone(s), title[s])
                                                      for s in sorted(singles, key=position.__getitem__)),
                             "none"),)
        rows.append(ComparisonRow(
            actor_id, model.actors[actor_id].name,
            tuple(MotiveMention(c.motive, model.motives[c.motive].label) for c in cells if c.agreed), only,
            tuple(_held_by(model, c) for c in differing)))
    return Comparison(tuple(title.values()) if per_source else (),
                      tuple(r for r in rows if model.actors[r.actor].primary), tuple(r for r in rows if not model.actors[r.actor].primary))


@dataclass(frozen=True, slots=True)
class Opposition:
    """One argument opposing another, with whether different sources make the two."""

    argument: str
    """The argument that opposes."""
    opposed: str
    """The argument it opposes."""
    across_sources: bool
    """True when both claims are made and no source makes both: the sources disagree."""
    made_in_both: tuple[str, ...] = ()
    """Sources that make both claims, in source order."""


def oppositions(model: Model, index: Index) -> tuple[Opposition, ...]:
    out = []
    for arg_id in sorted(model.arguments):
        for target in sorted(model.arguments[arg_id].opposes):
            one, other = index.argument_basis[arg_id].made_in, index.argument_basis[target].made_in
            both = tuple(s for s in one if s in other)
            out.append(Opposition(arg_id, target, bool(one and other and not both), both))
    return tuple(out)


HOME_ACTORS, HOME_MOTIVES, HOME_SOURCES, HOME_OPPOSITIONS = 15, 16, 5, 3
"""The most actors and motives the home page's tables show, and sources it lists: those with the
most passages (the primary actors first). Every actor and motive has its own page."""


def shown(model: Model, index: Index) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The actors and motives the home page's tables show: the primary actors, then those with the
    most passages, up to HOME_ACTORS, in actor order; and the motives most attributed to them, up
    to HOME_MOTIVES, in motive order."""
    weight = {a: sum(len(index.matrix[(a, c.motive)]) for c in attributions_of(index, a)) for a in index.actor_order}
    ranked = sorted((a for a in index.actor_order if weight[a]), key=lambda a: (not model.actors[a].primary, -weight[a]))
    actors = set(ranked[:HOME_ACTORS])
    counts = {m: sum(len(index.matrix.get((a, m), ())) for a in actors) for m in index.motive_order}
    motives = set(sorted((m for m in index.motive_order if counts[m]), key=lambda m: -counts[m])[:HOME_MOTIVES])
    return tuple(a for a in index.actor_order if a in actors), tuple(m for m in index.motive_order if m in motives)


def matrix(model: Model, index: Index, actors: tuple[str, ...], motives: tuple[str, ...]) -> tuple[MatrixRow, ...]:
    rows = []
    for actor_id in actors:
        name = model.actors[actor_id].name
        cells = []
        for m in motives:
            attr = index.attributions.get((actor_id, m))
            if attr is None:
                cells.append(None)
                continue
            n = len(index.matrix[(actor_id, m)])
            summary = f"{'passage' if n == 1 else 'passages'}: {name}, {model.motives[m].label}; {held(attr)}"
            cells.append(MatrixCell(m, min(n, 4), attr.lead, attr.agreed, attr.counts, summary))
        rows.append(MatrixRow(actor_id, name, tuple(cells)))
    return tuple(rows)


def positions(model: Model, index: Index, primary: bool) -> tuple[Position, ...]:
    """The primary actors' cards, or the other actors' rows, in actor order."""
    rows = []
    for actor_id in (a for a in index.actor_order if model.actors[a].primary == primary):
        actor = model.actors[actor_id]
        cited, more = actor.evidence, len(actor.evidence) - 1
        unstated = ("Position not stated" if primary else "Not stated") + " in the sources."
        rows.append(Position(actor_id, actor.name, actor.position or unstated, line(model, cited[0]) if cited else None,
                             "" if more < 1 else plural(more, "more passage") if primary else f"{more} more"))
    return tuple(rows)


def stats(model: Model, index: Index) -> str:
    return (f"This site reads {plural(index.facts.sources, 'source article')} closely: "
            f"{plural(len(model.annotations), 'annotated passage')}, {plural(len(model.actors), 'actor')}, "
            f"{plural(len(model.motives), 'motive')}, {plural(len(model.events), 'dated event')} and "
            f"{plural(len(model.arguments), 'argument')}.")


def home(model: Model, index: Index) -> HomeView:
    actors, motives = shown(model, index)
    opposing = sorted(oppositions(model, index), key=lambda o: not o.across_sources)
    more = len(opposing) - HOME_OPPOSITIONS
    with_cells = len({a for a, _ in index.attributions})
    attributed = sum(1 for m in index.motive_order if index.by_motive.get(m))
    cut = ""
    if len(actors) < with_cells or len(motives) < attributed:
        cut = (f"The tables show the {plural(len(actors), 'actor')} and {plural(len(motives), 'motive')} with the most "
               f"passages, of {with_cells} and {attributed}; every actor’s page lists all its motives.")
    return HomeView(stats(model, index), positions(model, index, True), positions(model, index, False)[:HOME_ACTORS],
                    tuple((m, model.motives[m].label) for m in motives),
                    matrix(model, index, actors, motives), comparison(model, index, set(actors)),
                    tuple(opposing[:HOME_OPPOSITIONS]), plural(more, "more opposition") if more > 0 else "",
                    cut, tuple(source_card(index, s) for s in index.source_order[:HOME_SOURCES]),
                    f"All {len(index.source_order)} sources" if len(index.source_order) > HOME_SOURCES else "")


@dataclass(frozen=True, slots=True)
class Note:
    """What a source page says of one passage, in its list and in its note."""

    ref: str
    number: int
    gist: str
    """The actor and the motives: "Russia: Counter-terrorism, Regional stability"."""
    held: str
    """How the source holds it, when it does not assert it (hedged, disputed, reported), else ""."""
    corrected: bool
    cited_by: tuple[Citing, ...]


@dataclass(frozen=True, slots=True)
class SourceView:
    passages: str
    """"33 annotated passages"."""
    corrections: str
    """"6 corrections", or ""."""
    notes: Mapping[str, Note]
    """Its passages by ref, in the order of the text."""


def source(model: Model, index: Index, source_id: str) -> SourceView:
    notes = []
    for ref in index.by_source.get(source_id, ()):
        ann = model.annotations[ref]
        gist = f"{model.actors[ann.actor].name}: " + ", ".join(model.motives[m].label for m in ann.motives)
        notes.append(Note(ref, index.passage_number[ref], gist, HELD.get(ann.stance, ""),
                          bool(ann.correction), citing(model, index, f"annotations/{ref}")))
    card = source_card(index, source_id)
    return SourceView(card.passages, card.corrections, {n.ref: n for n in notes})


def data(model: Model, index: Index) -> str:
    """The source whose text file the data page names as an example: the newest shown in full, or
    "" when every source is shown in excerpts (and has no file)."""
    return next((s for s in index.source_order if not model.sources[s].excerpts), "")


BUILDERS = {"home": home, "timeline": timeline, "source": source, "actors": actors, "motives": motives, "sources": sources,
            "corrections": corrections, "actor": actor, "motive": motive, "passage": passage, "arguments": arguments_index,
            "argument": argument, "about": about, "data": data}
"""The view models a page can name (`Page.view`), by name."""


def build(view: tuple[str, ...], model: Model, index: Index):
    """The view model `view` names (`("actor", "russia")`), built from `model` and `index`."""
    name, *args = view
    return BUILDERS[name](model, index, *args)
