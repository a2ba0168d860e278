"""What each aggregate page shows, decided in Python: small frozen records the templates only
loop over and print (ordered, filtered and labelled here, never in Jinja).

Records hold ids (for links) and the words shown; they compare by value, so `serve` re-renders
a page whenever what it shows changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .derive import SOURCE_COLUMNS, Attribution, Index, SourceOnly
from .model import Model


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
class HomeView:
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


def home(model: Model, index: Index) -> HomeView:
    return HomeView(comparison(model, index))


BUILDERS = {"home": home}
"""The view models a page can name (`Page.view`), by name."""


def build(view: tuple[str, ...], model: Model, index: Index):
    """The view model `view` names (`("actor", "russia")`), built from `model` and `index`."""
    name, *args = view
    return BUILDERS[name](model, index, *args)
