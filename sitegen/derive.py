"""Derive: everything computed from the model (backlinks, groupings, orderings), once, here.

Pages never search the model themselves; they read these indexes.
"""

from __future__ import annotations

import graphlib
import heapq
from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping

from .argmap import ArgumentMap, Place, layout_parts, places
from .model import Event, Model
from .parts import Part, timeline_parts
from .urls import link_kind

Ref = str
"""An annotation ref, `source/annotation`."""


@dataclass(frozen=True, slots=True)
class CitedBy:
    """One place that references an item: a kind and an id, for `url_for`."""

    kind: str
    """actors, motives, sources, annotations, events or arguments."""
    id: str


SOURCE_COLUMNS = 6
"""The home page compares the sources on each actor in one column per source up to this many."""


STANCE_LABELS = (("asserts", "asserted"), ("reports", "reported"), ("considers", "hedged"), ("disputes", "disputed"))
"""Each stance and the word pages use for an attribution held that way, strongest first."""


@dataclass(frozen=True, slots=True)
class Attribution:
    """How the sources hold one motive attributed to one actor: by the stance of its passages."""

    actor: str
    motive: str
    asserted_in: tuple[str, ...]
    """Sources that argue it (a passage with stance `asserts`), in source order. A source's own
    view is in one list only, the strongest of asserted, hedged and disputed."""
    considered_in: tuple[str, ...]
    """Sources that raise it hedged (`considers`) and do not assert it."""
    disputed_in: tuple[str, ...]
    """Sources that reject it (`disputes`) and neither assert nor hedge it."""
    reported_in: tuple[str, ...]
    """Sources that relay someone's words saying it (`reports`) and do not assert it."""
    counts: tuple[tuple[str, int], ...]
    """(asserted, reported, hedged or disputed; number of passages held that way), strongest
    first, only the ones with passages: what the home matrix's cell says."""

    @property
    def lead(self) -> str:
        """The strongest way any passage holds it: asserted, reported, hedged or disputed."""
        return self.counts[0][0]

    @property
    def agreed(self) -> bool:
        """Two or more sources assert it."""
        return len(self.asserted_in) > 1

    @property
    def by_stance(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(asserted, reported, hedged or disputed; the sources holding it so), non-empty ones only."""
        lists = (self.asserted_in, self.reported_in, self.considered_in, self.disputed_in)
        return tuple((label, sources) for (_, label), sources in zip(STANCE_LABELS, lists) if sources)

    def holding(self) -> dict[str, str]:
        """Source -> the strongest way its passages hold it (asserted, reported, hedged, disputed)."""
        held: dict[str, str] = {}
        for label, sources in self.by_stance:
            for source in sources:
                held.setdefault(source, label)
        return held


@dataclass(frozen=True, slots=True)
class ArgumentBasis:
    """Which sources make an argument's claim, which only raise it and which reject it."""

    made_in: tuple[str, ...]
    """Sources with an evidence passage that asserts the claim, or reports someone's words making it."""
    considered_in: tuple[str, ...]
    """Sources whose evidence passages only consider it: raised, hedged or as one explanation among others."""
    disputed_in: tuple[str, ...]
    """Sources of the passages in 'disputed_by'."""


@dataclass(frozen=True, slots=True)
class SiteFacts:
    """Site-wide facts the pages state, from the model, never written by hand."""

    sources: int
    outlets: tuple[str, ...]
    """Distinct publications (a source without one counts as its own), in order of first publication."""
    first_published: object
    """The earliest source's date (a PartialDate), or None without sources."""
    last_published: object
    """The latest source's date: when the site last took in a new article, which it gives as its
    last update (a date from the content, so two builds give the same bytes)."""


@dataclass(frozen=True, slots=True)
class Index:
    """Derived data, read-only."""

    actor_order: tuple[str, ...]
    """Primary actors first, then the others, each by name."""
    motive_order: tuple[str, ...]
    """By group, then label."""
    source_order: tuple[str, ...]
    """Newest first."""
    by_source: Mapping[str, tuple[Ref, ...]]
    """Annotations of each source, in text order."""
    by_actor: Mapping[str, tuple[Ref, ...]]
    """Passages whose `actor` is this actor."""
    involving: Mapping[str, tuple[Ref, ...]]
    """Passages that name this actor in `involves`: other actors' moves bearing on it."""
    spoken_by: Mapping[str, tuple[Ref, ...]]
    """Passages that report this actor's own words (`speaker`), oldest source first."""
    by_motive: Mapping[str, tuple[Ref, ...]]
    matrix: Mapping[tuple[str, str], tuple[Ref, ...]]
    """(actor, motive) -> passages attributing that motive to that actor."""
    attributions: Mapping[tuple[str, str], Attribution]
    """(actor, motive) -> how the sources hold that attribution, for every cell of `matrix`."""
    timeline: tuple[str, ...]
    """Event ids in date order, each after the events it names in 'after' (`timeline_order`)."""
    timeline_parts: tuple[Part, ...]
    """The timeline's pages (`parts.timeline_parts`): one on a small site, else one per year."""
    event_part: Mapping[str, str]
    """The key of the timeline page each event stands on (`Part.key`)."""
    events_by_actor: Mapping[str, tuple[str, ...]]
    arguments_by_actor: Mapping[str, tuple[str, ...]]
    arguments_by_motive: Mapping[str, tuple[str, ...]]
    argument_basis: Mapping[str, ArgumentBasis]
    """Which sources make, raise and dispute each argument."""
    argument_sources: tuple[str, ...]
    """The sources any argument rests on or is disputed in, in source order: the argument map
    letters them A, B, C... in this order, on every argument page alike."""
    cited_by: Mapping[str, tuple[CitedBy, ...]]
    """`kind/id` of an item -> the items that reference it (evidence lists and wikilinks)."""
    actor_sources: Mapping[str, tuple[str, ...]]
    """Sources an actor's page rests on: those with a passage about it or involving it that
    asserts or reports what it says. A source that only hedges or disputes is not a basis."""
    actor_raised_in: Mapping[str, tuple[str, ...]]
    """Sources whose passages on the actor only hedge or dispute what they say (no basis)."""
    passage_number: Mapping[Ref, int]
    """1-based position of each passage in its source, for the numbered markers on the source page."""
    corrections: tuple[Ref, ...]
    """Passages that carry a correction, in reading order."""
    corrections_by_source: Mapping[str, tuple[Ref, ...]]
    """`corrections`, per source."""
    argument_maps: tuple[ArgumentMap, ...]
    """The argument map's layout, computed once at build time: one map per part of at most
    `argmap.PART_SIZE` related arguments (one part on most sites)."""
    argument_places: Mapping[str, Place]
    """Each argument's number and part on the map and the arguments bearing on it, in the map's
    reading order, part by part: related arguments together, conclusions first."""
    facts: SiteFacts


def timeline_order(events: Mapping[str, Event]) -> tuple[str, ...]:
    """Event ids by date (a span by its start, then its end; a date known to the month before
    the days of that month), except that an event comes after every event in its 'after'.

    Of the events whose 'after' are all listed, the earliest by date goes next (a topological
    sort, with a heap of the ready ones), so 'after' moves an event only as far as it must. `resolve`
    has made sure there is no loop and that no event is dated wholly before one it follows.
    """
    def key(event_id: str):
        event = events[event_id]
        return (event.date, event.end or event.date, event_id)

    sorter = graphlib.TopologicalSorter({event_id: event.after for event_id, event in events.items()})
    sorter.prepare()
    ready: list = []
    order = []
    while sorter.is_active():
        for event_id in sorter.get_ready():
            heapq.heappush(ready, key(event_id))
        event_id = heapq.heappop(ready)[-1]
        order.append(event_id)
        sorter.done(event_id)
    return tuple(order)


def derive(model: Model) -> Index:
    anns = model.annotations
    actor_order = tuple(sorted(model.actors, key=lambda a: (not model.actors[a].primary, model.actors[a].name.lower(), a)))
    motive_order = tuple(sorted(model.motives, key=lambda m: (model.motives[m].group, model.motives[m].label.lower(), m)))
    by_date = sorted(model.sources, key=lambda s: (model.sources[s].published, s))
    source_order = tuple(reversed(by_date))
    source_rank = {s: i for i, s in enumerate(by_date)}

    def reading_order(ref: Ref):
        # A passage that contains another starts with it but is read (and numbered) first.
        ann = anns[ref]
        return (source_rank[ann.source_id], ann.anchor.start, -ann.anchor.end, ann.id)

    by_source, by_actor, involving, by_motive, spoken_by = (defaultdict(list) for _ in range(5))
    matrix = defaultdict(list)
    in_reading_order = sorted(anns, key=reading_order)
    for ref in in_reading_order:
        ann = anns[ref]
        by_source[ann.source_id].append(ref)
        by_actor[ann.actor].append(ref)
        for other in ann.involves:
            involving[other].append(ref)
        if ann.speaker:
            spoken_by[ann.speaker].append(ref)
        for motive in ann.motives:
            by_motive[motive].append(ref)
            matrix[(ann.actor, motive)].append(ref)

    timeline = timeline_order(model.events)
    timeline_cut = timeline_parts(timeline, lambda e: model.events[e].date.year)
    events_by_actor = defaultdict(list)
    for event_id in timeline:
        for actor in model.events[event_id].actors:
            events_by_actor[actor].append(event_id)

    arguments_by_actor, arguments_by_motive = defaultdict(list), defaultdict(list)
    argument_basis = {}

    def in_order(sources) -> tuple[str, ...]:
        return tuple(sorted(set(sources), key=source_rank.__getitem__))

    def basis(refs) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The sources of passages `refs` that assert or report what they say, and those that only hedge or dispute it."""
        made = in_order(anns[r].source_id for r in refs if anns[r].stance in ("asserts", "reports"))
        return made, tuple(s for s in in_order(anns[r].source_id for r in refs) if s not in made)

    for arg_id, argument in model.arguments.items():
        evidence_actors = {anns[r].actor for r in argument.evidence}
        for actor in sorted(set(argument.actors) | evidence_actors):
            arguments_by_actor[actor].append(arg_id)
        for motive in argument.motives:
            arguments_by_motive[motive].append(arg_id)
        disputed = in_order(anns[r].source_id for r in argument.disputed_by)
        argument_basis[arg_id] = ArgumentBasis(*basis(argument.evidence), disputed)

    argued = {s for b in argument_basis.values() for s in b.made_in + b.considered_in + b.disputed_in}
    cited_by = defaultdict(set)

    # Each kind of item, and the fields in which its items cite passages (besides their wikilinks).
    citing = (("actors", model.actors, ("evidence",)), ("motives", model.motives, ()), ("sources", model.sources, ()),
              ("annotations", anns, ()), ("events", model.events, ("evidence",)),
              ("arguments", model.arguments, ("evidence", "disputed_by")))
    for kind, records, fields in citing:
        for ident, item in records.items():
            body = item.commentary if kind == "annotations" else item.body
            for target in (*(ref for name in fields for ref in getattr(item, name)), *(link.target for link in body.wikilinks)):
                key = "/".join(link_kind(target))
                if key != f"{kind}/{ident}":  # an item does not cite itself
                    cited_by[key].add(CitedBy(kind, ident))

    actor_sources, actor_raised_in = {}, {}
    for actor in actor_order:
        actor_sources[actor], actor_raised_in[actor] = basis(by_actor.get(actor, []) + involving.get(actor, []))

    outlet_of = {s: (src.publication or src.title) for s, src in model.sources.items()}

    source_position = {s: i for i, s in enumerate(source_order)}
    attributions = {}
    for (actor, motive), refs in matrix.items():
        held = {stance: [r for r in refs if anns[r].stance == stance] for stance, _ in STANCE_LABELS}
        # A source's own view is listed once, the strongest: one that asserts a motive in one
        # passage and hedges it in another asserts it. Relaying someone's words is not a view of
        # its own, so a source may report what it hedges or disputes, but not what it asserts.
        listed: set[str] = set()
        holders: dict[str, tuple[str, ...]] = {}
        for stance in ("asserts", "considers", "disputes", "reports"):
            sources = {anns[r].source_id for r in held[stance]}
            sources -= set(holders["asserts"]) if stance == "reports" else listed
            holders[stance] = tuple(sorted(sources, key=source_position.__getitem__))
            listed |= sources

        attributions[(actor, motive)] = Attribution(
            actor, motive, asserted_in=holders["asserts"], considered_in=holders["considers"],
            disputed_in=holders["disputes"], reported_in=holders["reports"],
            counts=tuple((label, len(held[stance])) for stance, label in STANCE_LABELS if held[stance]),
        )
    passage_number = {ref: n for refs in by_source.values() for n, ref in enumerate(refs, 1)}
    corrections = tuple(r for r in in_reading_order if anns[r].correction)
    corrections_by_source = defaultdict(list)
    for ref in corrections:
        corrections_by_source[anns[ref].source_id].append(ref)

    facts = SiteFacts(
        sources=len(model.sources), outlets=tuple(dict.fromkeys(outlet_of[s] for s in by_date)),
        first_published=model.sources[by_date[0]].published if by_date else None,
        last_published=model.sources[by_date[-1]].published if by_date else None,
    )
    argument_maps = layout_parts(model.arguments)

    def frozen(mapping):
        return {k: tuple(v) for k, v in sorted(mapping.items())}

    kind_rank = {"actors": 0, "motives": 1, "sources": 2, "annotations": 3, "events": 4, "arguments": 5}
    return Index(
        actor_order=actor_order,
        motive_order=motive_order,
        source_order=source_order,
        by_source=frozen(by_source),
        by_actor=frozen(by_actor),
        involving=frozen(involving),
        spoken_by=frozen(spoken_by),
        by_motive=frozen(by_motive),
        matrix=frozen(matrix),
        timeline=timeline,
        timeline_parts=timeline_cut,
        event_part={e: part.key for part in timeline_cut for e in part.ids},
        events_by_actor=frozen(events_by_actor),
        arguments_by_actor=frozen(arguments_by_actor),
        arguments_by_motive=frozen(arguments_by_motive),
        argument_basis=argument_basis,
        argument_sources=tuple(s for s in source_order if s in argued),
        cited_by={k: tuple(sorted(v, key=lambda c: (kind_rank[c.kind], c.id))) for k, v in sorted(cited_by.items())},
        actor_sources=actor_sources,
        actor_raised_in=actor_raised_in,
        attributions=attributions,
        passage_number=passage_number,
        corrections=corrections,
        corrections_by_source=frozen(corrections_by_source),
        argument_maps=argument_maps,
        argument_places=places(model.arguments, argument_maps),
        facts=facts,
    )
