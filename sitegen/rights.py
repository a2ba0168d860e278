"""What the site reproduces of each source and why: the About page's account (a view model)."""

from __future__ import annotations

from dataclasses import dataclass

from .derive import Index
from .model import Model


@dataclass(frozen=True, slots=True)
class Reproduced:
    """One source as the About page lists it."""

    source: str
    """Its id."""
    rights: str
    """Why reproducing it is allowed (its `rights`), or empty."""
    partial: bool


@dataclass(frozen=True, slots=True)
class AboutView:
    full: tuple[Reproduced, ...]
    """The sources whose whole text the site shows, newest first."""
    excerpts: tuple[Reproduced, ...]
    """The sources it shows only in excerpts, newest first."""


def about(model: Model, index: Index) -> AboutView:
    listed = [Reproduced(s, model.sources[s].rights, model.sources[s].partial) for s in index.source_order]
    return AboutView(tuple(r for r in listed if not model.sources[r.source].excerpts),
                     tuple(r for r in listed if model.sources[r.source].excerpts))
