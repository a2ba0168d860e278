"""The pages that list: the timeline, the actors, the motives, the sources and the corrections."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .derive import Index
from .model import Model
from .parts import source_pages
from .references import Citing, citing, plural
from .typography import quoted, shorten


@dataclass(frozen=True, slots=True)
class PartLink:
    """A page of a list (or of the argument map) cut into pages, as its navigation names it."""

    key: str
    """`parts.Part.key`, for `url_for("timeline_parts", key)` or `url_for("source_pages", key)`; a
    part of the map's number, for `url_for("argument_maps", key)`."""
    label: str
    """"2024", "Page 2", "Part 2"."""
    detail: str
    """What it holds: "42 events", "3 May 2025 to 12 January 2025", "41–80"."""
    current: bool
    """It is the page showing the navigation."""


@dataclass(frozen=True, slots=True)
class EventRow:
    """An event as one compact row: its date, title and actors; the rest folded under `more`."""

    event: str
    more: str
    """What the fold holds: "Description, 2 passages of evidence"; "" when there is nothing to fold."""


@dataclass(frozen=True, slots=True)
class TimelineView:
    heading: str
    """"Timeline", or "Timeline: 2024" on a year's page."""
    span: str
    """How many events, over which years: "20 events, 1996 to 2025" (the whole timeline)."""
    filters: tuple[tuple[str, str, int], ...]
    """(actor id, name, number of events) for the filter by actor, in actor order: the events of
    this page (none on the first page of a timeline cut by year, which lists no event in full)."""
    years: tuple[tuple[int, tuple[EventRow, ...]], ...]
    """(year, its events in timeline order), earliest first: the events this page holds."""
    holds: str
    """On a year's page, which of the events it holds: "the 41 of 2024"; else ""."""
    parts: tuple[PartLink, ...]
    """The timeline's pages by year, earliest first; () when it is one page."""
    folded: bool
    """There are more pages than a reader scans at a glance (FOLD_PARTS): the list of them is
    folded, except on the first page, which lists no event but them."""
    previous: PartLink | None
    next: PartLink | None
    latest: tuple[str, ...]
    """On the first page of a timeline cut by year: the latest events, newest first, each linking
    to its year's page."""


LATEST_EVENTS = 8
"""How many of the latest events the first page of a timeline cut by year lists."""
FOLD_PARTS = 12
"""A list cut into more pages than this folds the list of its pages (the steps to the pages
before and after stay in view)."""


def _event_row(model: Model, index: Index, event_id: str) -> EventRow:
    event = model.events[event_id]
    cited = len(event.evidence)
    more = [what for what, shown in (("description", not event.body.empty),
                                     (plural(cited, "passage") + " of evidence" if cited else "no passage of evidence", True),
                                     ("what came before", bool(event.after)),
                                     ("what cites it", bool(index.cited_by.get(f"events/{event_id}")))) if shown]
    return EventRow(event_id, ", ".join(more).capitalize())


def timeline(model: Model, index: Index, key: str = "") -> TimelineView:
    """The timeline's page `key` (a `parts.Part.key`; "" for its first page)."""
    years_all = sorted({model.events[e].date.year for e in index.timeline})
    span = plural(len(index.timeline), "event")
    if years_all:
        span += f", {years_all[0]}" + (f" to {years_all[-1]}" if years_all[-1] != years_all[0] else "")
    cut = index.timeline_parts
    # The page's place among the parts; None on the first page of a timeline cut by year.
    here = next((k for k, part in enumerate(cut) if part.key == key), None)
    shown = cut[here].ids if here is not None else ()
    years: dict[int, list[EventRow]] = defaultdict(list)
    involved: dict[str, int] = defaultdict(int)
    for event_id in shown:
        event = model.events[event_id]
        years[event.date.year].append(_event_row(model, index, event_id))
        for actor in event.actors:
            involved[actor] += 1
    filters = tuple((a, model.actors[a].name, involved[a]) for a in index.actor_order if a in involved)
    rows = tuple((year, tuple(events)) for year, events in sorted(years.items()))
    links = tuple(PartLink(part.key, part.label, plural(len(part.ids), "event"), k == here) for k, part in enumerate(cut))
    if cut[0].key == "":  # one page
        return TimelineView("Timeline", span, filters, rows, "", (), False, None, None, ())
    if here is None:
        return TimelineView("Timeline", span, (), (), "", links, False, None, None, tuple(reversed(index.timeline[-LATEST_EVENTS:])))
    year = cut[here].label
    return TimelineView(f"Timeline: {year}", span, filters, rows, f"the {len(shown)} of {year}", links, len(links) > FOLD_PARTS,
                        links[here - 1] if here else None, links[here + 1] if here + 1 < len(links) else None, ())


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
    """The names of the actors its passages attribute it to, in actor order, up to CARD_ACTORS,
    then how many more ("and 240 more"); the motive's page ranks them all."""


CARD_ACTORS = 8


def motives(model: Model, index: Index) -> tuple[MotiveCard, ...]:
    cards = []
    for m in index.motive_order:
        motive = model.motives[m]
        names = [model.actors[a].name for a in index.actor_order if index.matrix.get((a, m))]
        if len(names) > CARD_ACTORS:
            names[CARD_ACTORS:] = [f"and {len(names) - CARD_ACTORS} more"]
        cards.append(MotiveCard(m, motive.label, motive.group, "" if motive.body.empty else shorten(motive.body.text, 160),
                                plural(len(index.by_motive.get(m, ())), "passage"), tuple(names)))
    return tuple(cards)


@dataclass(frozen=True, slots=True)
class SourceCard:
    """A source on the list of sources."""

    source: str
    passages: str
    """"33 annotated passages"."""
    corrections: str
    """"6 corrections", or ""."""


@dataclass(frozen=True, slots=True)
class SourcesView:
    summary: str
    """What the list holds, and on a list of several pages which articles this page holds."""
    cards: tuple[SourceCard, ...]
    """This page's sources, newest first."""
    pages: tuple[PartLink, ...]
    """The list's pages, newest first, each with the dates it covers; () when it is one page."""
    folded: bool
    """There are more pages than FOLD_PARTS: the list of them is folded."""
    previous: PartLink | None
    """The page of newer sources."""
    next: PartLink | None
    """The page of older sources."""


def source_card(index: Index, source_id: str) -> SourceCard:
    fixed = index.corrections_by_source.get(source_id, ())
    return SourceCard(source_id, plural(len(index.by_source.get(source_id, ())), "annotated passage"),
                      plural(len(fixed), "correction") if fixed else "")


def _published_span(model: Model, ids: tuple[str, ...]) -> str:
    newest, oldest = model.sources[ids[0]].published.display(), model.sources[ids[-1]].published.display()
    return newest if newest == oldest else f"{newest} to {oldest}"


def sources(model: Model, index: Index, key: str = "") -> SourcesView:
    """The page `key` of the list of sources (a `parts.Part.key`; "" for its first page)."""
    cut = source_pages(index.source_order)
    here = next(k for k, part in enumerate(cut) if part.key == key)
    cards = tuple(source_card(index, s) for s in cut[here].ids)
    if len(cut) == 1:
        return SourcesView("The articles this site reads, newest first.", cards, (), False, None, None)
    links = tuple(PartLink(part.key, part.label, _published_span(model, part.ids), k == here) for k, part in enumerate(cut))
    summary = (f"The {len(index.source_order):,} articles this site reads, newest first, in {len(cut)} pages; this one holds "
               f"{plural(len(cards), 'article')} published {links[here].detail.replace(' to ', ' back to ')}.")
    return SourcesView(summary, cards, links, len(links) > FOLD_PARTS, links[here - 1] if here else None, links[here + 1] if here + 1 < len(links) else None)


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
