"""What each aggregate page shows, decided in Python: small frozen records the templates only
loop over and print (ordered, filtered and labelled here, never in Jinja).

Records hold ids (for links) and the words shown; they compare by value, so `serve` re-renders
a page whenever what it shows changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .derive import SOURCE_COLUMNS, Attribution, Index, SourceOnly
from .model import Model
from .typography import quoted


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
    evidence: str
    """The first passage cited for the position, or "" when none is."""
    more: str
    """How many more passages the actor's page cites ("2 more passages"), or ""."""


@dataclass(frozen=True, slots=True)
class EvidenceLink:
    ref: str
    quote: str
    """The passage's opening words, quoted."""
    source: str
    """Its source's title."""
    corrected: bool


@dataclass(frozen=True, slots=True)
class OtherActor:
    """A row of the table of the other actors."""

    actor: str
    name: str
    position: str
    evidence: tuple[EvidenceLink, ...]


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


def _mentions(model: Model, only: SourceOnly) -> tuple[MotiveMention, ...]:
    """What one source alone attributes: the motives it asserts, then those it holds otherwise."""
    return (tuple(MotiveMention(m, model.motives[m].label) for m in only.motives)
            + tuple(MotiveMention(m, model.motives[m].label, held) for m, held in only.qualified))


def _held_by(model: Model, attr: Attribution) -> HeldBy:
    return HeldBy(attr.motive, model.motives[attr.motive].label,
                  tuple((label, tuple(model.sources[s].title for s in sources)) for label, sources in attr.by_stance))


def comparison(model: Model, index: Index) -> Comparison:
    per_source = len(index.source_order) <= SOURCE_COLUMNS
    title = {s: model.sources[s].title for s in index.source_order}
    rows = []
    for row in index.comparison:
        if per_source:
            only = tuple(
                OnlyCell(f"Only {title[o.source]}", (OnlyPart(_mentions(model, o)),) if o.motives or o.qualified else (),
                         "none" if o.discusses else "not discussed")
                for o in row.only)
        else:
            only = (OnlyCell("Only one source", tuple(OnlyPart(_mentions(model, o), title[o.source]) for o in row.singles),
                             "none"),)
        rows.append(ComparisonRow(
            row.actor, model.actors[row.actor].name,
            tuple(MotiveMention(m, model.motives[m].label) for m in row.shared), only,
            tuple(_held_by(model, attr) for attr in row.differing)))
    return Comparison(tuple(title.values()) if per_source else (), tuple(rows))


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
class ActorMotive:
    """One motive on an actor's page."""

    motive: str
    label: str
    passages: str
    """How many passages attribute it: "2 passages"."""
    holding: Holding
    by_source: tuple[tuple[str, tuple[str, ...]], ...]
    """(source title, its passages attributing the motive), in source order."""


@dataclass(frozen=True, slots=True)
class ActorView:
    motives: tuple[ActorMotive, ...]
    """The motives the sources attribute to the actor, most evidenced first."""


def holding(model: Model, attr: Attribution) -> Holding:
    def titles(sources):
        return tuple(model.sources[s].title for s in sources)

    stances = attr.by_stance
    if len(stances) == 1 and len(attr.asserted_in) == 1:
        return Holding(0, model.sources[attr.asserted_in[0]].title, ())
    return Holding(len(attr.asserted_in) if attr.agreed else 0, "",
                   tuple((label, titles(sources)) for label, sources in stances if not (attr.agreed and label == "asserted")))


def actor(model: Model, index: Index, actor_id: str) -> ActorView:
    source_position = {s: i for i, s in enumerate(index.source_order)}
    motives = []
    for m in index.actor_motives.get(actor_id, ()):
        refs = index.matrix[(actor_id, m)]
        groups: dict[str, list[str]] = {}
        for ref in refs:
            groups.setdefault(model.annotations[ref].source_id, []).append(ref)
        by_source = tuple((model.sources[s].title, tuple(groups[s])) for s in sorted(groups, key=source_position.__getitem__))
        motives.append(ActorMotive(m, model.motives[m].label, plural(len(refs), "passage"),
                                   holding(model, index.attributions[(actor_id, m)]), by_source))
    return ActorView(tuple(motives))


@dataclass(frozen=True, slots=True)
class MotiveActor:
    """One actor on a motive's page."""

    actor: str
    name: str
    passages: tuple[str, ...]
    """The passages attributing the motive to the actor, in reading order."""
    count: str
    """How many: "2 passages"."""
    holding: Holding


@dataclass(frozen=True, slots=True)
class MotiveView:
    stats: str
    """How many passages from how many sources discuss it, or that none does yet."""
    actors: tuple[MotiveActor, ...]
    """The actors the motive is attributed to, in actor order."""


def motive(model: Model, index: Index, motive_id: str) -> MotiveView:
    refs = index.by_motive.get(motive_id, ())
    if refs:
        sources = len({model.annotations[r].source_id for r in refs})
        stats = f"{plural(len(refs), 'passage')} from {plural(sources, 'source')} discuss this motive."
    else:
        stats = "No passage is tagged with this motive yet."
    actors = []
    for actor_id in index.actor_order:
        passages = index.matrix.get((actor_id, motive_id))
        if passages:
            actors.append(MotiveActor(actor_id, model.actors[actor_id].name, passages, plural(len(passages), "passage"),
                                      holding(model, index.attributions[(actor_id, motive_id)])))
    return MotiveView(stats, tuple(actors))


def plural(n: int, one: str) -> str:
    return f"{n} {one if n == 1 else one + 's'}"


def matrix(model: Model, index: Index) -> tuple[MatrixRow, ...]:
    rows = []
    for row in index.comparison:
        name = model.actors[row.actor].name
        cells = []
        for m in index.motive_order:
            attr = index.attributions.get((row.actor, m))
            if attr is None:
                cells.append(None)
                continue
            n = len(index.matrix[(row.actor, m)])
            held = ", ".join(f"{label} in {plural(len(sources), 'source')}" for label, sources in attr.by_stance)
            summary = f"{'passage' if n == 1 else 'passages'}: {name}, {model.motives[m].label}; {held}"
            cells.append(MatrixCell(m, min(n, 4), attr.lead, attr.agreed, attr.counts, summary))
        rows.append(MatrixRow(row.actor, name, tuple(cells)))
    return tuple(rows)


def positions(model: Model, index: Index) -> tuple[Position, ...]:
    cards = []
    for actor_id in index.primary_actors:
        actor = model.actors[actor_id]
        more = plural(len(actor.evidence) - 1, "more passage") if len(actor.evidence) > 1 else ""
        cards.append(Position(actor_id, actor.name, actor.position or "Position not stated in the sources.",
                              actor.evidence[0] if actor.evidence else "", more))
    return tuple(cards)


def others(model: Model, index: Index) -> tuple[OtherActor, ...]:
    rows = []
    for actor_id in index.other_actors:
        actor = model.actors[actor_id]
        evidence = tuple(EvidenceLink(ref, quoted(ann.anchor.exact, 70), model.sources[ann.source_id].title, bool(ann.correction))
                         for ref in actor.evidence for ann in (model.annotations[ref],))
        rows.append(OtherActor(actor_id, actor.name, actor.position or "Not stated in the sources.", evidence))
    return tuple(rows)


def stats(model: Model, index: Index) -> str:
    return (f"This site reads {plural(index.facts.sources, 'source article')} closely: "
            f"{plural(len(model.annotations), 'annotated passage')}, {plural(len(model.actors), 'actor')}, "
            f"{plural(len(model.motives), 'motive')}, {plural(len(model.events), 'dated event')} and "
            f"{plural(len(model.arguments), 'argument')}.")


def home(model: Model, index: Index) -> HomeView:
    return HomeView(stats(model, index), positions(model, index), others(model, index),
                    tuple((m, model.motives[m].label) for m in index.motive_order),
                    matrix(model, index), comparison(model, index))


BUILDERS = {"home": home, "actor": actor, "motive": motive}
"""The view models a page can name (`Page.view`), by name."""


def build(view: tuple[str, ...], model: Model, index: Index):
    """The view model `view` names (`("actor", "russia")`), built from `model` and `index`."""
    name, *args = view
    return BUILDERS[name](model, index, *args)
