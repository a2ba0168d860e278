"""What differs between two builds: the read keys whose value changed."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ..pipeline import Validated
from ..plan import Page
from .reads import KEYS, VALUES

def _diff_mapping(name: str, old: Mapping, new: Mapping, out: set) -> None:
    """Note what differs between two versions of a mapping: its keys, and each value by value."""
    if old == new and list(old) == list(new):
        return
    if list(old.keys()) != list(new.keys()):
        out.add((name, KEYS))
        out.update((name, key) for key in old.keys() ^ new.keys())
    missing = object()
    out.update((name, key) for key, value in new.items()
               if (before := old.get(key, missing)) is not value and before != value)  # equal when the same
    out.add((name, VALUES))


def _diff_record(old: Any, new: Any, prefix: str, out: set) -> None:
    for f in dataclasses.fields(new):
        before, after = getattr(old, f.name), getattr(new, f.name)
        if isinstance(after, Mapping) and isinstance(before, Mapping):
            _diff_mapping(prefix + f.name, before, after, out)
        elif before != after:
            out.add((prefix + f.name,))


def changes(old: Validated, new: Validated) -> set:
    """Read keys whose value differs between two builds' models and indexes."""
    out: set = set()
    _diff_record(old.model, new.model, "", out)
    _diff_record(old.index, new.index, "index.", out)
    return out


PAGE_FIELDS = tuple(f.name for f in dataclasses.fields(Page))


def page_changes(old: list[Page], new: list[Page]) -> set:
    """Read keys of the `pages` global that differ between two plans: `("pages", field)` for
    each field that differs on some page, and `("pages", KEYS)` (with every field) when the
    pages are not the same ones in the same order."""
    if len(old) != len(new) or any(a.output != b.output for a, b in zip(old, new)):
        return {("pages", KEYS)} | {("pages", name) for name in PAGE_FIELDS}
    out: set = set()
    for a, b in zip(old, new):
        if a is not b and a != b:
            out.update(("pages", name) for name in PAGE_FIELDS if getattr(a, name) != getattr(b, name))
    return out
