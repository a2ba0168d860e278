"""Derive: everything computed from the model (backlinks, groupings, orderings), once, here.

Pages never search the model themselves; they read these indexes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping

from .model import Model

Ref = str
"""An annotation ref, `source/annotation`."""


@dataclass(frozen=True, slots=True)
class CitedBy:
    """One place that references an item: a kind and an id, for `url_for`."""

    kind: str
    """actors, motives, sources, annotations, events or arguments."""
    id: str


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
    by_motive: Mapping[str, tuple[Ref, ...]]
    matrix: Mapping[tuple[str, str], tuple[Ref, ...]]
    """(actor, motive) -> passages attributing that motive to that actor."""
    actor_motives: Mapping[str, tuple[str, ...]]
    """Motives attributed to each actor, most evidenced first."""
    timeline: tuple[str, ...]
    """Event ids in date order."""
    events_by_actor: Mapping[str, tuple[str, ...]]
    arguments_by_actor: Mapping[str, tuple[str, ...]]
    arguments_by_motive: Mapping[str, tuple[str, ...]]
    supported_by: Mapping[str, tuple[str, ...]]
    opposed_by: Mapping[str, tuple[str, ...]]
    argument_sources: Mapping[str, tuple[str, ...]]
    """Sources an argument's evidence comes from."""
    cited_by: Mapping[str, tuple[CitedBy, ...]]
    """`kind/id` of an item -> the items that reference it (evidence lists and wikilinks)."""
    actor_sources: Mapping[str, tuple[str, ...]]
    """Sources an actor's page rests on (its passages and the passages involving it)."""


def _key(kind: str, ident: str) -> str:
    return f"{kind}/{ident}"


def derive(model: Model) -> Index:
    anns = model.annotations
    actor_order = tuple(sorted(model.actors, key=lambda a: (not model.actors[a].primary, model.actors[a].name.lower(), a)))
    motive_order = tuple(sorted(model.motives, key=lambda m: (model.motives[m].group, model.motives[m].label.lower(), m)))
    source_order = tuple(sorted(model.sources, key=lambda s: (model.sources[s].published, s), reverse=True))
    source_rank = {s: i for i, s in enumerate(sorted(model.sources, key=lambda s: (model.sources[s].published, s)))}

    def reading_order(ref: Ref):
        ann = anns[ref]
        return (source_rank[ann.source_id], ann.anchor.start, ann.id)

    by_source, by_actor, involving, by_motive = (defaultdict(list) for _ in range(4))
    matrix = defaultdict(list)
    for ref in sorted(anns, key=reading_order):
        ann = anns[ref]
        by_source[ann.source_id].append(ref)
        by_actor[ann.actor].append(ref)
        for other in ann.involves:
            involving[other].append(ref)
        for motive in ann.motives:
            by_motive[motive].append(ref)
            matrix[(ann.actor, motive)].append(ref)

    actor_motives = {}
    for actor in actor_order:
        counts = [(len(matrix.get((actor, m), ())), m) for m in motive_order]
        actor_motives[actor] = tuple(m for n, m in sorted(counts, key=lambda c: (-c[0], motive_order.index(c[1]))) if n)

    timeline = tuple(sorted(model.events, key=lambda e: (model.events[e].date, model.events[e].end or model.events[e].date, e)))
    events_by_actor = defaultdict(list)
    for event_id in timeline:
        for actor in model.events[event_id].actors:
            events_by_actor[actor].append(event_id)

    arguments_by_actor, arguments_by_motive = defaultdict(list), defaultdict(list)
    supported_by, opposed_by = defaultdict(list), defaultdict(list)
    argument_sources = {}
    for arg_id, argument in model.arguments.items():
        evidence_actors = {anns[r].actor for r in argument.evidence}
        for actor in sorted(set(argument.actors) | evidence_actors):
            arguments_by_actor[actor].append(arg_id)
        for motive in argument.motives:
            arguments_by_motive[motive].append(arg_id)
        for target in argument.supports:
            supported_by[target].append(arg_id)
        for target in argument.opposes:
            opposed_by[target].append(arg_id)
        argument_sources[arg_id] = tuple(sorted({anns[r].source_id for r in argument.evidence}, key=lambda s: source_rank[s]))

    cited_by = defaultdict(set)

    def cite(target: str, kind: str, ident: str) -> None:
        kind_of_target, _, rest = target.partition("/")
        key = target if kind_of_target in ("actors", "motives", "sources", "events", "arguments") else _key("annotations", target)
        if key != _key(kind, ident):
            cited_by[key].add(CitedBy(kind, ident))

    def cite_body(body, kind: str, ident: str) -> None:
        for link in body.wikilinks:
            cite(link.target, kind, ident)

    for actor in model.actors.values():
        for ref in actor.evidence:
            cite(ref, "actors", actor.id)
        cite_body(actor.body, "actors", actor.id)
    for motive in model.motives.values():
        cite_body(motive.body, "motives", motive.id)
    for source in model.sources.values():
        cite_body(source.body, "sources", source.id)
    for ref, ann in anns.items():
        cite_body(ann.commentary, "annotations", ref)
    for event in model.events.values():
        for ref in event.evidence:
            cite(ref, "events", event.id)
        cite_body(event.body, "events", event.id)
    for argument in model.arguments.values():
        for ref in argument.evidence:
            cite(ref, "arguments", argument.id)
        for target in argument.supports + argument.opposes:
            cite(_key("arguments", target), "arguments", argument.id)
        cite_body(argument.body, "arguments", argument.id)

    actor_sources = {}
    for actor in actor_order:
        refs = by_actor.get(actor, []) + involving.get(actor, [])
        actor_sources[actor] = tuple(sorted({anns[r].source_id for r in refs}, key=lambda s: source_rank[s]))

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
        by_motive=frozen(by_motive),
        matrix=frozen(matrix),
        actor_motives=actor_motives,
        timeline=timeline,
        events_by_actor=frozen(events_by_actor),
        arguments_by_actor=frozen(arguments_by_actor),
        arguments_by_motive=frozen(arguments_by_motive),
        supported_by=frozen(supported_by),
        opposed_by=frozen(opposed_by),
        argument_sources=argument_sources,
        cited_by={k: tuple(sorted(v, key=lambda c: (kind_rank[c.kind], c.id))) for k, v in sorted(cited_by.items())},
        actor_sources=actor_sources,
    )
