"""What the site reproduces of each source and why: the About page's account (a view model)."""

from __future__ import annotations

from dataclasses import dataclass

from .derive import Index
from .model import Model
from .references import plural


@dataclass(frozen=True, slots=True)
class Reproduced:
    """One source as the About page lists it."""

    source: str
    """Its id."""
    rights: str
    """Why reproducing it is allowed (its `rights`); for a source shown in full without any, that
    none is given yet; else empty."""
    partial: bool


ABOUT_SOURCES = 50
"""The most sources each list of the About page names; each source's own page says why it may be
reproduced, and `data/site.json` gives every source's rights."""


@dataclass(frozen=True, slots=True)
class AboutView:
    reads: str
    """What the site reads: "The site reads 4 source articles and annotates 33 passages of them."."""
    full: tuple[Reproduced, ...]
    """The sources whose whole text the site shows, newest first, up to ABOUT_SOURCES."""
    excerpts: tuple[Reproduced, ...]
    """The sources it shows only in excerpts, newest first, up to ABOUT_SOURCES."""
    more_full: str
    """How many more it shows in full ("4950 more sources"), or ""."""
    more_excerpts: str
    """How many more it shows in excerpts, or ""."""


def about(model: Model, index: Index) -> AboutView:
    sources = [model.sources[s] for s in index.source_order]
    full = [Reproduced(s.id, s.rights or "no reason given yet.", s.partial) for s in sources if not s.excerpts]
    excerpts = [Reproduced(s.id, s.rights, s.partial) for s in sources if s.excerpts]

    def more(rows: list[Reproduced]) -> str:
        return plural(len(rows) - ABOUT_SOURCES, "more source") if len(rows) > ABOUT_SOURCES else ""

    reads = (f"The site reads {plural(len(sources), 'source article')} and annotates "
             f"{plural(len(model.annotations), 'passage')} of {'it' if len(sources) == 1 else 'them'}.")
    return AboutView(reads, tuple(full[:ABOUT_SOURCES]), tuple(excerpts[:ABOUT_SOURCES]), more(full), more(excerpts))
