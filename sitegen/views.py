"""What each page shows, decided in Python: small frozen records the templates only loop over
and print (ordered, filtered and labelled here, never in Jinja). This module holds the home,
actor, motive and source pages' and names every view a page can show (`build`); the lists
(timeline, actors, motives, sources, corrections) are in `list_views`, a passage's page in
`passage_view`, the arguments' in `argument_views`.

Records hold ids (for links) and the words shown; they compare by value.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping

from .argument_views import argument, arguments_index
from .derive import SOURCE_COLUMNS, STANCE_LABELS, Attribution, Index
from .list_views import actors, corrections, motives, sources, timeline
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
    """A primary actor's card: its position and the first passage that shows it."""

    actor: str
    name: str
    position: str
    evidence: PassageLine | None
    """The first passage cited for the position, as a reference (its own page shows it in full), or None."""
    more: str
    """How many more passages the actor's page cites ("2 more passages"), or ""."""


@dataclass(frozen=True, slots=True)
class OtherActor:
    """A row of the table of the other actors."""

    actor: str
    name: str
    position: str
    evidence: "PassageLine | None"
    """The first passage cited for the position, or None."""
    more: str
    """How many more passages the actor's page cites ("2 more"), or ""."""


@dataclass(frozen=True, slots=True)
class HomeView:
    stats: str
    """What the site reads: how many sources, passages, actors, motives, events and arguments."""
    positions: tuple[Position, ...]
    """The primary actors, by name."""
    others: tuple[OtherActor, ...]
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
    sources: tuple[str, ...]
    """The newest sources, up to HOME_SOURCES."""


def _held_by(model: Model, attr: Attribution) -> HeldBy:
    return HeldBy(attr.motive, model.motives[attr.motive].label,
                  tuple((label, tuple(model.sources[s].title for s in sources)) for label, sources in attr.by_stance))


def _cells(index: Index, actor: str) -> list[Attribution]:
    """How the sources hold each motive attributed to `actor`, in motive order."""
    return [index.attributions[(actor, m)] for m in index.motive_order if (actor, m) in index.attributions]


def comparison(model: Model, index: Index, actors: set[str] | None = None) -> Comparison:
    """Per actor (of `actors`, or every one): what two or more sources assert, what one source
    alone attributes (a column per source up to SOURCE_COLUMNS, else one list), and what the
    sources hold in different ways."""
    per_source = len(index.source_order) <= SOURCE_COLUMNS
    title = {s: model.sources[s].title for s in index.source_order}
    position = {s: i for i, s in enumerate(index.source_order)}
    rows = []
    for actor in index.actor_order:
        cells = _cells(index, actor) if actors is None or actor in actors else ()
        if not cells:
            continue
        # What one source alone attributes: the motives it asserts, then those it holds otherwise.
        single, qualified, differing = defaultdict(list), defaultdict(list), []
        for c in cells:
            held = c.holding()
            if len(held) > 1:
                if set(held.values()) != {"asserted"}:
                    differing.append(c)
                continue
            [(source, how)] = held.items()
            label = model.motives[c.motive].label
            if how == "asserted":
                single[source].append(MotiveMention(c.motive, label))
            else:
                qualified[source].append(MotiveMention(c.motive, label, how))

        def alone(s: str) -> tuple[MotiveMention, ...]:
            return tuple(single.get(s, ())) + tuple(qualified.get(s, ()))

        if per_source:
            discussed = set(index.actor_sources[actor]) | set(index.actor_raised_in[actor])
            only = tuple(OnlyCell(f"Only {title[s]}", (OnlyPart(alone(s)),) if alone(s) else (),
                                  "none" if s in discussed else "not discussed")
                         for s in index.source_order)
        else:
            only = (OnlyCell("Only one source", tuple(OnlyPart(alone(s), title[s])
                                                      for s in sorted(set(single) | set(qualified), key=position.__getitem__)),
                             "none"),)
        rows.append(ComparisonRow(
            actor, model.actors[actor].name,
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


@dataclass(frozen=True, slots=True)
class Holding:
    """How the sources hold a motive attributed to an actor, as the actor's page says it."""

    agreed: int
    """How many sources assert it, when two or more do; else 0."""
    only: str
    """The title of the one source that asserts it, when no other source holds it at all."""
    held: tuple[tuple[str, tuple[str, ...]], ...]
    """Otherwise, (how, the titles of the sources holding it so), strongest first; without the
    asserting sources when `agreed` counts them."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """Passages on one point: one shown in full, the rest as a line each."""

    lead: str
    """The passage shown in full: the one an editor marked `featured`, else the strongest."""
    more: tuple[PassageLine, ...]
    more_label: str
    """"2 more passages", or "" when there are none."""


@dataclass(frozen=True, slots=True)
class ActorMotive:
    """One motive on an actor's page."""

    motive: str
    label: str
    passages: str
    """How many passages attribute it: "2 passages"."""
    holding: Holding
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class MotiveLines:
    """A motive of an actor's page past its leading ones: a row, its passages a line each (folded)."""

    motive: str
    label: str
    passages: str
    held: str
    """How the sources hold it: "asserted in 3 sources, hedged in 1 source"."""
    lines: tuple[PassageLine, ...]


@dataclass(frozen=True, slots=True)
class Moves:
    """Another actor's moves as they bear on this one: a line per passage, up to BEARING_LINES."""

    actor: str
    name: str
    passages: str
    lines: tuple[PassageLine, ...]
    more: str
    """A link to the other actor's page: "12 more on Pakistan’s page", or "Pakistan’s page" when the lines are all."""


@dataclass(frozen=True, slots=True)
class OtherMoves:
    """Another actor whose moves bear on this one past the first BEARING_ACTORS: a name and a count."""

    actor: str
    name: str
    passages: str


@dataclass(frozen=True, slots=True)
class ActorView:
    basis: tuple[str, ...]
    """The sources its page rests on that it names, up to BASIS_SOURCES, in source order."""
    basis_more: str
    """How many more it rests on: "and 191 more", or ""."""
    position: Evidence | None
    """The passages cited for the actor's position, in the editor's order; None without any."""
    motives: tuple[ActorMotive, ...]
    """The motives the sources attribute to the actor that more sources assert, up to ACTOR_MOTIVES, in full."""
    other_motives: tuple[MotiveLines, ...]
    """The rest of them, in the same order: a row each."""
    bearing: tuple[Moves, ...]
    """The other actors whose moves bear on it, up to BEARING_ACTORS, those with more passages first."""
    bearing_others: tuple[OtherMoves, ...]
    """The rest of them, in the same order."""
    own_words: OwnWords
    """What the actor itself said, which its page shows first."""
    folded: tuple[str, str]
    """The summaries of its folded lists of events and of arguments: "17 events on the timeline",
    "16 arguments" (empty without any)."""


# -- an actor's own words (issue 24) --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OwnWords:
    """The passages that relay an actor's own words, or what was searched where there are none."""

    words: Evidence | None
    """One passage in full (the one an editor marked `featured`, else the first of the actor's
    `evidence` that relays its words, else the oldest source's first), the others a line each,
    oldest source first; None when no passage relays its words."""
    sources: str
    """How many sources relay them: "3 sources", or "" without any."""
    searched: str
    """Without any: the actor's `own_words_searched`, what the editors searched (may be empty)."""


def own_words(model: Model, index: Index, actor_id: str) -> OwnWords:
    refs = index.spoken_by.get(actor_id, ())
    if not refs:
        return OwnWords(None, "", model.actors[actor_id].own_words_searched)
    spoken = set(refs)
    lead = next((r for r in refs if model.annotations[r].featured), None) \
        or next((r for r in model.actors[actor_id].evidence if r in spoken), refs[0])
    rest = tuple(line(model, r) for r in refs if r != lead)
    sources = plural(len({model.annotations[r].source_id for r in refs}), "source")
    return OwnWords(Evidence(lead, rest, plural(len(rest), "more passage") if rest else ""), sources, "")


_STRENGTH = {stance: n for n, (stance, _) in enumerate(STANCE_LABELS)}


def evidence(model: Model, refs, choose: bool = True, lines: int | None = None) -> Evidence:
    """`refs` as one passage in full and the rest as lines (the first `lines` of them when given;
    `more_label` counts them all); with `choose`, the one in full is the passage an editor marked
    `featured`, else the first of the strongest stance."""
    lead = refs[0]
    if choose:
        lead = min(refs, key=lambda r: (not model.annotations[r].featured, _STRENGTH[model.annotations[r].stance]))
    rest = [r for r in refs if r != lead]
    return Evidence(lead, tuple(line(model, r) for r in rest[:lines]), plural(len(rest), "more passage") if rest else "")


def _rank(attr: Attribution, refs) -> tuple[int, int, int]:
    """Sorts first what more sources assert, then what more sources hold at all, then more passages."""
    return -len(attr.asserted_in), -len(attr.holding()), -len(refs)


def holding(model: Model, attr: Attribution) -> Holding:
    def titles(sources):
        return tuple(model.sources[s].title for s in sources)

    stances = attr.by_stance
    if len(stances) == 1 and len(attr.asserted_in) == 1:
        return Holding(0, model.sources[attr.asserted_in[0]].title, ())
    return Holding(len(attr.asserted_in) if attr.agreed else 0, "",
                   tuple((label, titles(sources)) for label, sources in stances if not (attr.agreed and label == "asserted")))


ACTOR_MOTIVES, BEARING_ACTORS, BEARING_LINES, BASIS_SOURCES = 4, 8, 3, 12
"""An actor's page shows the ACTOR_MOTIVES motives more sources assert of it in full (how the
sources hold each, its strongest passage, the others a line each) and the rest a row each, their
passages folded; the moves of the BEARING_ACTORS other actors with the most passages bearing on it
up to BEARING_LINES lines each (the rest on that actor's page, where every passage about it is
listed under its motives), the other actors by name; it names BASIS_SOURCES of the sources it
rests on and counts the rest. So the page grows by a line per passage about the actor, no more."""


def held(attr: Attribution) -> str:
    """How the sources hold a motive attributed to an actor: "asserted in 3 sources, hedged in 1 source"."""
    return ", ".join(f"{label} in {plural(len(sources), 'source')}" for label, sources in attr.by_stance)


def actor(model: Model, index: Index, actor_id: str) -> ActorView:
    ranked = sorted(_cells(index, actor_id), key=lambda a: _rank(a, index.matrix[(actor_id, a.motive)]))  # stable: motive order among equals
    motives, rows = [], []
    for n, attr in enumerate(ranked):
        m, refs = attr.motive, index.matrix[(actor_id, attr.motive)]
        label, count = model.motives[m].label, plural(len(refs), "passage")
        if n < ACTOR_MOTIVES:
            motives.append(ActorMotive(m, label, count, holding(model, attr), evidence(model, refs)))
        else:
            rows.append(MotiveLines(m, label, count, held(attr), tuple(line(model, r) for r in refs)))
    cited = model.actors[actor_id].evidence
    moves = defaultdict(list)  # other actor -> its passages involving this one
    for ref in index.involving.get(actor_id, ()):
        moves[model.annotations[ref].actor].append(ref)
    ranked = sorted((a for a in index.actor_order if a in moves), key=lambda a: -len(moves[a]))  # stable: actor order among equals
    bearing = []
    for other in ranked[:BEARING_ACTORS]:
        refs, name = moves[other], model.actors[other].name
        more = len(refs) - BEARING_LINES
        bearing.append(Moves(other, name, plural(len(refs), "passage"), tuple(line(model, r) for r in refs[:BEARING_LINES]),
                             f"{more} more on {name}’s page" if more > 0 else f"{name}’s page"))
    others = tuple(OtherMoves(a, model.actors[a].name, plural(len(moves[a]), "passage")) for a in ranked[BEARING_ACTORS:])
    sources = index.actor_sources.get(actor_id, ())
    return ActorView(sources[:BASIS_SOURCES], f"and {len(sources) - BASIS_SOURCES} more" if len(sources) > BASIS_SOURCES else "",
                     evidence(model, cited, choose=False) if cited else None, tuple(motives), tuple(rows), tuple(bearing), others,
                     own_words(model, index, actor_id), folded(index, actor_id))


def folded(index: Index, actor_id: str) -> tuple[str, str]:
    events, arguments = index.events_by_actor.get(actor_id, ()), index.arguments_by_actor.get(actor_id, ())
    return (plural(len(events), "event") + " on the timeline" if events else "",
            plural(len(arguments), "argument") if arguments else "")


# -- a motive's page: the actors it is attributed to, bounded at any archive size -------------

MOTIVE_ACTORS, MOTIVE_LINES = 12, 8
"""A motive's page shows its MOTIVE_ACTORS actors that more sources assert it of in full: how the
sources hold it, the strongest passage, and up to MOTIVE_LINES more a line each, the rest counted
and left to the actor's page (its section on the motive lists them all); the other actors a row
each. So the page grows with the actors, never with the passages."""


@dataclass(frozen=True, slots=True)
class MotiveActor:
    """One of the actors a motive's page shows in full."""

    actor: str
    name: str
    count: str
    """How many passages attribute the motive to the actor: "2 passages"."""
    holding: Holding
    evidence: Evidence
    """The strongest passage in full and up to MOTIVE_LINES more as lines; `more_label` counts them all."""
    elsewhere: str
    """A link to them all on the actor's page when it has more than those: "All 12 passages on
    Russia’s page", or ""."""


@dataclass(frozen=True, slots=True)
class MotiveRow:
    """One of the other actors, a row of the motive's page: a link to the motive on its page."""

    actor: str
    name: str
    count: str
    held: str
    """How the sources hold it: "asserted in 3 sources, hedged in 1 source"."""


@dataclass(frozen=True, slots=True)
class MotiveView:
    stats: str
    """How many passages from how many sources discuss it, or that none does yet."""
    actors: tuple[MotiveActor, ...]
    """The actors the motive is attributed to, up to MOTIVE_ACTORS: those more sources assert it of first."""
    others: tuple[MotiveRow, ...]
    """The rest of them, in the same order."""
    others_note: str
    """What their rows are: "40 more actors, in the same order; each links ...", or ""."""


def motive(model: Model, index: Index, motive_id: str) -> MotiveView:
    refs = index.by_motive.get(motive_id, ())
    if refs:
        sources = len({model.annotations[r].source_id for r in refs})
        stats = f"{plural(len(refs), 'passage')} from {plural(sources, 'source')} discuss this motive."
    else:
        stats = "No passage is tagged with this motive yet."
    ranked = sorted((a for a in index.actor_order if (a, motive_id) in index.matrix),
                    key=lambda a: _rank(index.attributions[(a, motive_id)], index.matrix[(a, motive_id)]))
    shown = []
    for actor_id in ranked[:MOTIVE_ACTORS]:
        passages = index.matrix[(actor_id, motive_id)]
        name, count = model.actors[actor_id].name, plural(len(passages), "passage")
        shown.append(MotiveActor(actor_id, name, count, holding(model, index.attributions[(actor_id, motive_id)]),
                                 evidence(model, passages, lines=MOTIVE_LINES),
                                 f"All {count} on {name}’s page" if len(passages) > 1 + MOTIVE_LINES else ""))
    others = []
    for actor_id in ranked[MOTIVE_ACTORS:]:
        others.append(MotiveRow(actor_id, model.actors[actor_id].name,
                                plural(len(index.matrix[(actor_id, motive_id)]), "passage"),
                                held(index.attributions[(actor_id, motive_id)])))
    note = (f"{plural(len(others), 'more actor')}, in the same order; "
            "each links to the motive’s passages on the actor’s page." if others else "")
    return MotiveView(stats, tuple(shown), tuple(others), note)


HOME_ACTORS, HOME_MOTIVES, HOME_SOURCES, HOME_OPPOSITIONS = 15, 16, 6, 3
"""The most actors and motives the home page's tables show, and sources it lists: those with the
most passages (the primary actors first). Every actor and motive has its own page."""


def shown(model: Model, index: Index) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The actors and motives the home page's tables show: the primary actors, then those with the
    most passages, up to HOME_ACTORS, in actor order; and the motives most attributed to them, up
    to HOME_MOTIVES, in motive order."""
    weight = {a: sum(len(index.matrix[(a, c.motive)]) for c in _cells(index, a)) for a in index.actor_order}
    ranked = sorted((a for a in index.actor_order if weight[a]), key=lambda a: (not model.actors[a].primary, -weight[a]))
    actors = set(ranked[:HOME_ACTORS])
    counts = {m: sum(len(index.matrix.get((a, m), ())) for a in actors) for m in index.motive_order}
    motives = set(sorted((m for m in index.motive_order if counts[m]), key=lambda m: -counts[m])[:HOME_MOTIVES])
    return tuple(a for a in index.actor_order if a in actors), tuple(m for m in index.motive_order if m in motives)


def matrix(model: Model, index: Index, actors: tuple[str, ...], motives: tuple[str, ...]) -> tuple[MatrixRow, ...]:
    rows = []
    for actor in actors:
        name = model.actors[actor].name
        cells = []
        for m in motives:
            attr = index.attributions.get((actor, m))
            if attr is None:
                cells.append(None)
                continue
            n = len(index.matrix[(actor, m)])
            summary = f"{'passage' if n == 1 else 'passages'}: {name}, {model.motives[m].label}; {held(attr)}"
            cells.append(MatrixCell(m, min(n, 4), attr.lead, attr.agreed, attr.counts, summary))
        rows.append(MatrixRow(actor, name, tuple(cells)))
    return tuple(rows)


def positions(model: Model, index: Index) -> tuple[Position, ...]:
    cards = []
    for actor_id in (a for a in index.actor_order if model.actors[a].primary):
        actor = model.actors[actor_id]
        more = plural(len(actor.evidence) - 1, "more passage") if len(actor.evidence) > 1 else ""
        cards.append(Position(actor_id, actor.name, actor.position or "Position not stated in the sources.",
                              line(model, actor.evidence[0]) if actor.evidence else None, more))
    return tuple(cards)


def others(model: Model, index: Index) -> tuple[OtherActor, ...]:
    rows = []
    for actor_id in (a for a in index.actor_order if not model.actors[a].primary):
        actor = model.actors[actor_id]
        cited = actor.evidence
        rows.append(OtherActor(actor_id, actor.name, actor.position or "Not stated in the sources.",
                               line(model, cited[0]) if cited else None, f"{len(cited) - 1} more" if len(cited) > 1 else ""))
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
    with_cells = sum(1 for a in index.actor_order if _cells(index, a))
    attributed = sum(1 for m in index.motive_order if index.by_motive.get(m))
    cut = ""
    if len(actors) < with_cells or len(motives) < attributed:
        cut = (f"The tables show the {plural(len(actors), 'actor')} and {plural(len(motives), 'motive')} with the most "
               f"passages, of {with_cells} and {attributed}; every actor’s page lists all its motives.")
    return HomeView(stats(model, index), positions(model, index), others(model, index)[:HOME_ACTORS],
                    tuple((m, model.motives[m].label) for m in motives),
                    matrix(model, index, actors, motives), comparison(model, index, set(actors)),
                    tuple(opposing[:HOME_OPPOSITIONS]), plural(more, "more opposition") if more > 0 else "",
                    cut, index.source_order[:HOME_SOURCES])


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
    fixed = index.corrections_by_source.get(source_id, ())
    return SourceView(plural(len(notes), "annotated passage"), plural(len(fixed), "correction") if fixed else "",
                      {n.ref: n for n in notes})


BUILDERS = {"home": home, "timeline": timeline, "source": source, "actors": actors, "motives": motives, "sources": sources,
            "corrections": corrections, "actor": actor, "motive": motive, "passage": passage, "arguments": arguments_index,
            "argument": argument, "about": about}
"""The view models a page can name (`Page.view`), by name."""


def build(view: tuple[str, ...], model: Model, index: Index):
    """The view model `view` names (`("actor", "russia")`), built from `model` and `index`."""
    name, *args = view
    return BUILDERS[name](model, index, *args)
