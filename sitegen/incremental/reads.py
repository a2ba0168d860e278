"""What each page reads while it renders, recorded by thin proxies of the model, the index,
the page list and the template loader."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import ItemsView, Mapping, Sequence, ValuesView
from typing import Any, Iterable, Iterator

from jinja2 import BytecodeCache

from ..plan import Page
from ..render import Renderer

KEYS = "*keys"
"""Read key for a collection's key set and order (iteration, `len`, `in`). Ids never start with `*`."""
VALUES = "*values"
"""Read key for 'any value of this collection' (`.values()`, `.items()`)."""
FIELDS = "*fields"
"""`(collection, FIELDS, path)`: a field (`("anchor", "start")`) read on some record of the collection."""


# -- recording what a page reads ---------------------------------------------------------


class Recorder:
    """Where the proxies put what they see: `reads`, the set of the page being rendered (outside
    a page's rendering, a set that nobody keeps)."""

    __slots__ = ("reads", "_keys")

    def __init__(self) -> None:
        self.reads: set = set()
        self._keys: dict[tuple, tuple] = {}
        """Read key -> the one tuple every page's reads hold for it."""

    def shared(self, reads: Iterable[tuple]) -> frozenset:
        """`reads` as one tuple per read key, whichever page or worker read it.

        Each page records its reads as tuples of its own, and a worker's arrive unpickled as
        new tuples of new strings, held for as long as `serve` runs. The strings are interned,
        so an id is the model's own string.
        """
        keys = self._keys
        out = []
        for key in reads:
            one = keys.get(key)
            if one is None:
                one = keys[key] = tuple(sys.intern(part) if type(part) is str else part for part in key)
            out.append(one)
        return frozenset(out)


class TrackedMapping(Mapping):
    """A read-only mapping that records each key looked up, and iteration as KEYS / VALUES; with
    `fields`, its records come back as TrackedFields."""

    __slots__ = ("_data", "_name", "_rec", "_fields")

    def __init__(self, data: Mapping, name: str, recorder: Recorder, fields: bool = False):
        self._data = data
        self._name = name
        self._rec = recorder
        self._fields = fields

    def _note(self, key) -> None:
        self._rec.reads.add((self._name, key))

    def __getitem__(self, key):
        self._note(key)
        if self._fields:
            return TrackedFields(self._data[key], self._name, (), self._rec)
        return self._data[key]

    def get(self, key, default=None):
        if self._fields:
            return self[key] if key in self else default
        self._note(key)
        return self._data.get(key, default)

    def __contains__(self, key) -> bool:
        self._note(key)
        return key in self._data

    def __iter__(self) -> Iterator:
        self._note(KEYS)
        return iter(self._data)

    def __len__(self) -> int:
        self._note(KEYS)
        return len(self._data)

    def keys(self):
        self._note(KEYS)
        return self._data.keys()

    def values(self):
        self._note(KEYS)
        self._note(VALUES)
        return ValuesView(self) if self._fields else self._data.values()

    def items(self):
        self._note(KEYS)
        self._note(VALUES)
        return ItemsView(self) if self._fields else self._data.items()

    def __repr__(self) -> str:
        return f"TrackedMapping({self._name})"


class TrackedRecord:
    """A frozen dataclass (the model, the index) whose mapping fields are TrackedMappings.

    Reading any other field records `(prefix + name,)`: the field as a whole. With `fields`,
    the mappings' records (and a record field) come back as TrackedFields instead, so what is
    recorded is which fields of each collection's records are read.
    """

    __slots__ = ("_target", "_prefix", "_rec", "_maps", "_fields")

    def __init__(self, target: Any, prefix: str, recorder: Recorder, fields: bool = False):
        self._target = target
        self._prefix = prefix
        self._rec = recorder
        self._fields = fields
        self._maps = {
            f.name: TrackedMapping(value, prefix + f.name, recorder, fields)
            for f in dataclasses.fields(target)
            if isinstance(value := getattr(target, f.name), Mapping)
        }

    def __getattr__(self, name: str):
        tracked = self._maps.get(name)
        if tracked is not None:
            return tracked
        value = getattr(self._target, name)
        if self._fields and _is_record(value):
            return TrackedFields(value, self._prefix + name, (), self._rec)
        self._rec.reads.add((self._prefix + name,))
        return value


def _is_record(value: Any) -> bool:
    """A record one may look inside (Anchor, Body, WikiLink...); ordered ones (dates) are values."""
    params = getattr(type(value), "__dataclass_params__", None)
    return params is not None and not params.order


class TrackedFields:
    """A record of the collection `name` that records each field read as `(name, FIELDS, path)`.

    A nested record comes back tracked too, and a tuple of records as a tuple of them (path
    segment `[]`; its length is `#`). Comparing or hashing it records it as read whole.
    """

    __slots__ = ("_target", "_name", "_path", "_rec")

    def __init__(self, target: Any, name: str, path: tuple, recorder: Recorder):
        self._target = target
        self._name = name
        self._path = path
        self._rec = recorder

    def _note(self, path: tuple) -> None:
        self._rec.reads.add((self._name, FIELDS, path))

    def __getattr__(self, name: str):
        value = getattr(self._target, name)
        path = self._path + (name,)
        if _is_record(value):
            return TrackedFields(value, self._name, path, self._rec)
        if isinstance(value, tuple) and value and all(_is_record(v) for v in value):
            self._note(path + ("#",))
            return tuple(TrackedFields(v, self._name, path + ("[]",), self._rec) for v in value)
        self._note(path)
        return value

    def _whole(self) -> Any:
        self._note(self._path)
        return self._target

    def __eq__(self, other):
        return self._whole() == (other._whole() if isinstance(other, TrackedFields) else other)

    def __hash__(self):
        return hash(self._whole())


class TrackedPage:
    """One page as the `pages` global hands it out: reading `p.title` records `("pages", "title")`."""

    __slots__ = ("_page", "_rec")

    def __init__(self, page: Page, recorder: Recorder):
        self._page = page
        self._rec = recorder

    def __getattr__(self, name: str):
        self._rec.reads.add(("pages", name))
        return getattr(self._page, name)


class TrackedPages(Sequence):
    """The `pages` template global (the sitemap lists it): which pages exist reads `("pages", KEYS)`,
    and each attribute read from them reads `("pages", name)`."""

    __slots__ = ("_pages", "_rec")

    def __init__(self, pages: list[Page], recorder: Recorder):
        self._pages = pages
        self._rec = recorder

    def __getitem__(self, index):  # (iterating calls it too)
        self._rec.reads.add(("pages", KEYS))
        if isinstance(index, slice):
            return [TrackedPage(p, self._rec) for p in self._pages[index]]
        return TrackedPage(self._pages[index], self._rec)

    def __len__(self) -> int:
        self._rec.reads.add(("pages", KEYS))
        return len(self._pages)


def track_templates(renderer: Renderer, recorder: Recorder) -> None:
    """Record `("template", name)` for every template a page loads (its own, extends, includes, imports)."""
    env = renderer.env
    get_template, select_template = env.get_template, env.select_template

    def tracked_get(name, parent=None, globals=None):
        recorder.reads.add(("template", getattr(name, "name", name)))
        return get_template(name, parent, globals)

    def tracked_select(names, parent=None, globals=None):
        recorder.reads.update(("template", getattr(name, "name", name)) for name in names)
        return select_template(names, parent, globals)

    env.get_template = tracked_get
    env.select_template = tracked_select


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory, keyed by name and checked against the source."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()
