"""What an actor's page and a motive's page show: the motives (or actors) the sources attribute,
ranked by how many sources assert them, each with its strongest passage and the rest bounded at
any archive size; and an actor's own words. Built by `views.build` for the pages it names."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .derive import STANCE_LABELS, Attribution, Index
from .model import Model
from .references import PassageLine, line, plural

def attributions_of(index: Index, actor: str) -> list[Attribution]:
    """How the sources hold each motive attributed to `actor`, in motive order."""
    return [index.attributions[(actor, m)] for m in index.motive_order if (actor, m) in index.attributions]


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
class Attributed:
    """A motive on an actor's page, or an actor on a motive's page, shown in full."""

    id: str
    """The motive's id on an actor's page, the actor's on a motive's page."""
    name: str
    """The motive's label, or the actor's name."""
    passages: str
    """How many passages attribute the motive to the actor: "2 passages"."""
    holding: Holding
    evidence: Evidence
    """The strongest passage in full, and the others as lines (on a motive's page, up to MOTIVE_LINES)."""
    elsewhere: str = ""
    """On a motive's page, a link to them all on the actor's page when it has more than those:
    "All 12 passages on Russia’s page", or ""."""


@dataclass(frozen=True, slots=True)
class AttributedRow:
    """A motive (or an actor) past those shown in full: a row saying how the sources hold it."""

    id: str
    name: str
    passages: str
    held: str
    """How the sources hold it: "asserted in 3 sources, hedged in 1 source"."""
    lines: tuple[PassageLine, ...] = ()
    """On an actor's page, its passages a line each (folded)."""


@dataclass(frozen=True, slots=True)
class Moves:
    """Another actor's moves as they bear on this one: a line per passage, up to BEARING_LINES;
    past the first BEARING_ACTORS actors, a name and a count."""

    actor: str
    name: str
    passages: str
    lines: tuple[PassageLine, ...] = ()
    more: str = ""
    """A link to the other actor's page: "12 more on Pakistan’s page", or "Pakistan’s page" when the lines are all."""


@dataclass(frozen=True, slots=True)
class ActorView:
    basis: tuple[str, ...]
    """The sources its page rests on that it names, up to BASIS_SOURCES, in source order."""
    basis_more: str
    """How many more it rests on: "and 191 more", or ""."""
    outlets: tuple[str, ...]
    """The distinct publications of all the sources it rests on (a source without one counts as its own)."""
    position: Evidence | None
    """The passages cited for the actor's position, in the editor's order; None without any."""
    motives: tuple[Attributed, ...]
    """The motives the sources attribute to the actor that more sources assert, up to ACTOR_MOTIVES, in full."""
    other_motives: tuple[AttributedRow, ...]
    """The rest of them, in the same order: a row each."""
    bearing: tuple[Moves, ...]
    """The other actors whose moves bear on it, up to BEARING_ACTORS, those with more passages first."""
    bearing_others: tuple[Moves, ...]
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
    sources = plural(len({model.annotations[r].source_id for r in refs}), "source")
    return OwnWords(evidence(model, (lead, *(r for r in refs if r != lead)), choose=False), sources, "")


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
    if len(attr.by_stance) == 1 and len(attr.asserted_in) == 1:
        return Holding(0, model.sources[attr.asserted_in[0]].title, ())
    return Holding(len(attr.asserted_in) if attr.agreed else 0, "", tuple(
        (label, tuple(model.sources[s].title for s in sources)) for label, sources in attr.by_stance
        if not (attr.agreed and label == "asserted")))


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
    ranked = sorted(attributions_of(index, actor_id), key=lambda a: _rank(a, index.matrix[(actor_id, a.motive)]))  # stable: motive order among equals
    motives, rows = [], []
    for n, attr in enumerate(ranked):
        m, refs = attr.motive, index.matrix[(actor_id, attr.motive)]
        label, count = model.motives[m].label, plural(len(refs), "passage")
        if n < ACTOR_MOTIVES:
            motives.append(Attributed(m, label, count, holding(model, attr), evidence(model, refs)))
        else:
            rows.append(AttributedRow(m, label, count, held(attr), tuple(line(model, r) for r in refs)))
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
    others = tuple(Moves(a, model.actors[a].name, plural(len(moves[a]), "passage")) for a in ranked[BEARING_ACTORS:])
    sources = index.actor_sources.get(actor_id, ())
    return ActorView(sources[:BASIS_SOURCES], f"and {len(sources) - BASIS_SOURCES} more" if len(sources) > BASIS_SOURCES else "",
                     tuple(dict.fromkeys(model.sources[s].publication or model.sources[s].title for s in sources)),
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
class MotiveView:
    stats: str
    """How many passages from how many sources discuss it, or that none does yet."""
    actors: tuple[Attributed, ...]
    """The actors the motive is attributed to, up to MOTIVE_ACTORS: those more sources assert it of first."""
    others: tuple[AttributedRow, ...]
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
        shown.append(Attributed(actor_id, name, count, holding(model, index.attributions[(actor_id, motive_id)]),
                                evidence(model, passages, lines=MOTIVE_LINES),
                                f"All {count} on {name}’s page" if len(passages) > 1 + MOTIVE_LINES else ""))
    others = tuple(AttributedRow(a, model.actors[a].name, plural(len(index.matrix[(a, motive_id)]), "passage"),
                                 held(index.attributions[(a, motive_id)])) for a in ranked[MOTIVE_ACTORS:])
    note = (f"{plural(len(others), 'more actor')}, in the same order; "
            "each links to the motive’s passages on the actor’s page." if others else "")
    return MotiveView(stats, tuple(shown), others, note)
