"""What differs between two builds: the read keys whose value changed, and the pages' keys."""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Mapping
from typing import Any, Iterable

from ..pipeline import Validated
from ..plan import Page
from .reads import KEYS, VALUES

def _diff_mapping(name: str, old: Mapping, new: Mapping, out: set, by_identity: bool,
                  candidates: Iterable[str] | None = None) -> None:
    """Note what differs between two versions of a mapping; with `candidates`, only those keys'
    values can differ by identity, and both mappings are in key order (see `changes`)."""
    if old is new or (not by_identity and old == new):
        return
    changed = False
    if (list(old.keys()) != list(new.keys())) if candidates is None else (old.keys() != new.keys()):
        changed = True
        out.add((name, KEYS))
        out.update((name, key) for key in old.keys() ^ new.keys())
    missing = object()
    if candidates is not None:
        differing = [key for key in candidates if key in new and old.get(key, missing) is not new[key]]
    elif by_identity:
        differing = [key for key, value in new.items() if old.get(key, missing) is not value]
    else:
        differing = [key for key, value in new.items() if (before := old.get(key, missing)) is not value
                     and before != value]
    if differing:  # added keys among them, already noted above
        out.update((name, key) for key in differing)
        changed = True
    if changed:
        out.add((name, VALUES))


def _diff_record(old: Any, new: Any, prefix: str, out: set, by_identity: bool,
                 edited: Mapping[str, Iterable[str]] | None = None) -> None:
    for f in dataclasses.fields(new):
        before, after = getattr(old, f.name), getattr(new, f.name)
        if isinstance(after, Mapping) and isinstance(before, Mapping):
            candidates = None if edited is None else edited.get(f.name, ())
            _diff_mapping(prefix + f.name, before, after, out, by_identity, candidates)
        elif before is not after and (by_identity or before != after):
            out.add((prefix + f.name,))


def changes(old: Validated, new: Validated, edited: Mapping[str, Iterable[str]] | None = None) -> set:
    """Read keys whose value differs: model items by identity, index entries by value.

    `edited` (kind -> ids), when given, names every model record that may not be the same
    object as in `old` (what `ResolveMemo` re-resolved since `old`): the model's mappings are
    then compared on those keys alone, and their key order by their key sets, since a model's
    mappings are always in key order.
    """
    out: set = set()
    _diff_record(old.model, new.model, "", out, by_identity=True, edited=edited)
    _diff_record(old.index, new.index, "index.", out, by_identity=False)
    return out


KEY_FIELDS = tuple(f.name for f in dataclasses.fields(Page) if f.name not in ("weight", "context")) + ("context",)
"""The fields of a page key, in order: everything about a page that can change its bytes."""
_key_fields = operator.attrgetter(*KEY_FIELDS[:-1])


def page_key(page: Page) -> tuple:
    """The page's `KEY_FIELDS` (not its scheduling weight), the context by identity."""
    return _key_fields(page) + (tuple((k, id(v)) for k, v in sorted(page.context.items())),)


def pages_listing(pages: list[Page], keys: dict[str, tuple]) -> dict[str, tuple]:
    """Page field -> that field of every page, in order (`context` by identity), from the pages' keys."""
    listing = dict(zip(KEY_FIELDS, zip(*keys.values()))) if keys else dict.fromkeys(KEY_FIELDS, ())
    listing["weight"] = tuple(p.weight for p in pages)
    listing[KEYS] = listing["output"]
    return listing
