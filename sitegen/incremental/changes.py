"""What differs between two builds: the read keys whose value changed, and the pages' keys."""

from __future__ import annotations

import dataclasses
import operator
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


KEY_FIELDS = tuple(f.name for f in dataclasses.fields(Page) if f.name not in ("weight", "context")) + ("context",)
"""The fields of a page key, in order: everything about a page that can change its bytes."""
_key_fields = operator.attrgetter(*KEY_FIELDS[:-1])


def page_key(page: Page) -> tuple:
    """The page's `KEY_FIELDS` (not its scheduling weight)."""
    return _key_fields(page) + (tuple(sorted(page.context.items())),)


def pages_listing(pages: list[Page], keys: dict[str, tuple]) -> dict[str, tuple]:
    """Page field -> that field of every page, in order, from the pages' keys."""
    listing = dict(zip(KEY_FIELDS, zip(*keys.values()))) if keys else dict.fromkeys(KEY_FIELDS, ())
    listing["weight"] = tuple(p.weight for p in pages)
    listing[KEYS] = listing["output"]
    return listing
