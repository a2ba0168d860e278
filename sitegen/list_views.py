"""The pages that list: the timeline, the actors, the motives, the sources and the corrections."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .derive import Index
from .model import Model
from .references import Citing, citing, plural
from .typography import quoted, shorten


@dataclass(frozen=True, slots=True)
class TimelineView:
    span: str
    """How many events, over which years: "20 events, 1996 to 2025"."""
    filters: tuple[tuple[str, str, int], ...]
    """(actor id, name, number of events) for the filter by actor, in actor order."""
    years: tuple[tuple[int, tuple[str, ...]], ...]
    """(year, its event ids in timeline order), earliest first."""


def timeline(model: Model, index: Index) -> TimelineView:
    years: dict[int, list[str]] = defaultdict(list)
    for event_id in index.timeline:
        years[model.events[event_id].date.year].append(event_id)
    span = plural(len(index.timeline), "event")
    if years:
        first, last = min(years), max(years)
        span += f", {first}" + (f" to {last}" if last != first else "")
    filters = tuple((a, model.actors[a].name, len(index.events_by_actor[a]))
                    for a in index.actor_order if a in index.events_by_actor)
    return TimelineView(span, filters, tuple((year, tuple(ids)) for year, ids in sorted(years.items())))


@dataclass(frozen=True, slots=True)
class ActorCard:
    """An actor on the list of actors."""

    actor: str
    name: str
    kind: str
    primary: bool
    position: str
    passages: str
    """"3 passages about it, 1 passage involving it"."""
    sources: str
    """How many sources its page rests on: "2 sources"; "" when it is one (the page says so in bold)."""


def actors(model: Model, index: Index) -> tuple[ActorCard, ...]:
    cards = []
    for actor_id in index.actor_order:
        actor, rests_on = model.actors[actor_id], index.actor_sources.get(actor_id, ())
        cards.append(ActorCard(
            actor_id, actor.name, actor.kind, actor.primary, actor.position or "Position not stated in the sources.",
            f"{plural(len(index.by_actor.get(actor_id, ())), 'passage')} about it, "
            f"{plural(len(index.involving.get(actor_id, ())), 'passage')} involving it",
            "" if len(rests_on) == 1 else plural(len(rests_on), "source")))
    return tuple(cards)


@dataclass(frozen=True, slots=True)
class MotiveCard:
    """A motive on the list of motives."""

    motive: str
    label: str
    group: str
    definition: str
    """The start of its definition, or ""."""
    passages: str
    attributed_to: tuple[str, ...]
    """The names of the actors its passages attribute it to, in actor order."""


def motives(model: Model, index: Index) -> tuple[MotiveCard, ...]:
    return tuple(
        MotiveCard(m, motive.label, motive.group, "" if motive.body.empty else shorten(motive.body.text, 160),
                   plural(len(index.by_motive.get(m, ())), "passage"),
                   tuple(model.actors[a].name for a in index.actor_order if index.matrix.get((a, m))))
        for m in index.motive_order for motive in (model.motives[m],))


@dataclass(frozen=True, slots=True)
class SourceCard:
    """A source on the list of sources (and on the corrections page, by the corrections in it)."""

    source: str
    passages: str
    """"33 annotated passages"."""
    corrections: str
    """"6 corrections", or ""."""


def sources(model: Model, index: Index) -> tuple[SourceCard, ...]:
    """Every source, newest first."""
    return tuple(SourceCard(s, plural(len(index.by_source.get(s, ())), "annotated passage"),
                            plural(len(index.corrections_by_source[s]), "correction") if index.corrections_by_source.get(s) else "")
                 for s in index.source_order)


@dataclass(frozen=True, slots=True)
class CorrectionEntry:
    """A passage that states a fact wrongly, and what corrects it."""

    ref: str
    number: int
    """Its number in its source."""
    excerpt: str
    correction: str
    cited_by: tuple[Citing, ...]


@dataclass(frozen=True, slots=True)
class CorrectionsView:
    summary: str
    """How many corrections in how many sources, or that there is none."""
    sources: tuple[tuple[str, tuple[CorrectionEntry, ...]], ...]
    """(source id, its corrections in reading order), newest source first."""


def corrections(model: Model, index: Index) -> CorrectionsView:
    by_source = index.corrections_by_source
    summary = (f"{plural(len(index.corrections), 'correction')} in {plural(len(by_source), 'source')}, by source and in "
               "reading order." if index.corrections else "No correction so far.")

    def entry(ref: str) -> CorrectionEntry:
        ann = model.annotations[ref]
        return CorrectionEntry(ref, index.passage_number[ref], quoted(ann.anchor.exact, 120), ann.correction,
                               citing(model, index, f"annotations/{ref}"))

    return CorrectionsView(summary, tuple((s, tuple(entry(r) for r in by_source[s])) for s in index.source_order if by_source.get(s)))
