"""How the long lists are cut into pages a reader can take in: the timeline by year, the list
of sources by pages of newest first. A small site keeps each on one page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Sequence

TIMELINE_ONE_PAGE = 60
"""Up to this many events the timeline is one page; beyond, a page per year."""
EVENTS_PER_PAGE = 100
"""A timeline page holds at most this many events: a year with more is cut into parts."""
SOURCES_PER_PAGE = 100
"""A page of the list of sources holds at most this many sources."""


@dataclass(frozen=True, slots=True)
class Part:
    """One page of a list cut into pages."""

    key: str
    """Where it is under the list's own page: "" for that page, `2024`, `2024/part_2`, `page_2`."""
    label: str
    """What the navigation calls it: "2024", "2024, part 2 of 3", "Page 2"; "" for a list on one page."""
    ids: tuple[str, ...]
    """Its items, in the list's order."""


def _chunks(ids: Sequence[str], size: int) -> list[tuple[str, ...]]:
    """`ids` in as few runs as keep each to `size`, the runs as even as they can be."""
    count = -(-len(ids) // size)
    cuts = [round(k * len(ids) / count) for k in range(count + 1)]
    return [tuple(ids[a:b]) for a, b in zip(cuts, cuts[1:])]


def timeline_parts(order: Sequence[str], year_of: Callable[[str], int]) -> tuple[Part, ...]:
    """The timeline's pages: one when it is short, else a page per year (a year with more than
    EVENTS_PER_PAGE events cut into parts), earliest first; `order` is the timeline's order."""
    if len(order) <= TIMELINE_ONE_PAGE:
        return (Part("", "", tuple(order)),)
    years: dict[int, list[str]] = defaultdict(list)
    for event_id in order:
        years[year_of(event_id)].append(event_id)
    parts = []
    for year, ids in sorted(years.items()):
        runs = _chunks(ids, EVENTS_PER_PAGE)
        for k, run in enumerate(runs):
            parts.append(Part(f"{year}" + (f"/part_{k + 1}" if k else ""),
                              f"{year}" + (f", part {k + 1} of {len(runs)}" if len(runs) > 1 else ""), run))
    return tuple(parts)


def source_pages(order: Sequence[str]) -> tuple[Part, ...]:
    """The list of sources' pages: SOURCES_PER_PAGE at most each, in `order` (newest first)."""
    if len(order) <= SOURCES_PER_PAGE:
        return (Part("", "", tuple(order)),)
    return tuple(Part(f"page_{k + 1}" if k else "", f"Page {k + 1}", run) for k, run in enumerate(_chunks(order, SOURCES_PER_PAGE)))
