"""What each page reads while it renders, recorded by thin proxies of the model, the index,
the page list and the template loader."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping, Sequence
from typing import Any, Iterable, Iterator

from jinja2 import BytecodeCache

from ..plan import Page
from ..render import Renderer

KEYS = "*keys"
"""Read key for a collection's key set and order (iteration, `len`, `in`). Ids never start with `*`."""
VALUES = "*values"
"""Read key for 'any value of this collection' (`.values()`, `.items()`)."""


# -- recording what a page reads ---------------------------------------------------------


class Recorder:
    """Where the proxies put what they see; `reads` is None outside a page's rendering."""

    __slots__ = ("reads", "_keys")

    def __init__(self) -> None:
        self.reads: set | None = None
        self._keys: dict[tuple, tuple] = {}
        """Read key -> the one tuple every page's reads hold for it."""

    def shared(self, reads: Iterable[tuple]) -> frozenset:
        """`reads` as one tuple per read key, whichever page or worker read it.

        Each page records its reads as tuples of its own, and a worker's arrive unpickled as
        new tuples of new strings: at N=5000, 600,000 tuples for 140,000 read keys, held for
        as long as `serve` runs. The strings are interned, so an id is the model's own string.
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
    """A read-only mapping that records each key looked up, and iteration as KEYS / VALUES."""

    __slots__ = ("_data", "_name", "_rec")

    def __init__(self, data: Mapping, name: str, recorder: Recorder):
        self._data = data
        self._name = name
        self._rec = recorder

    def _note(self, key) -> None:
        reads = self._rec.reads
        if reads is not None:
            reads.add((self._name, key))

    def __getitem__(self, key):
        self._note(key)
        return self._data[key]

    def get(self, key, default=None):
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
        return self._data.values()

    def items(self):
        self._note(KEYS)
        self._note(VALUES)
        return self._data.items()

    def __repr__(self) -> str:
        return f"TrackedMapping({self._name})"


class TrackedRecord:
    """A frozen dataclass (the model, the index) whose mapping fields are TrackedMappings.

    Reading any other field records `(prefix + name,)`: the field as a whole.
    """

    __slots__ = ("_target", "_prefix", "_rec", "_maps")

    def __init__(self, target: Any, prefix: str, recorder: Recorder):
        self._target = target
        self._prefix = prefix
        self._rec = recorder
        self._maps = {
            f.name: TrackedMapping(value, prefix + f.name, recorder)
            for f in dataclasses.fields(target)
            if isinstance(value := getattr(target, f.name), Mapping)
        }

    def __getattr__(self, name: str):
        tracked = self._maps.get(name)
        if tracked is not None:
            return tracked
        reads = self._rec.reads
        if reads is not None:
            reads.add((self._prefix + name,))
        return getattr(self._target, name)


class TrackedPage:
    """One page as the `pages` global hands it out: reading `p.title` records `("pages", "title")`."""

    __slots__ = ("_page", "_rec")

    def __init__(self, page: Page, recorder: Recorder):
        self._page = page
        self._rec = recorder

    def __getattr__(self, name: str):
        reads = self._rec.reads
        if reads is not None:
            reads.add(("pages", name))
        return getattr(self._page, name)


class TrackedPages(Sequence):
    """The `pages` template global (the sitemap lists it): which pages exist reads `("pages", KEYS)`,
    and each attribute read from them reads `("pages", name)`."""

    __slots__ = ("_pages", "_rec")

    def __init__(self, pages: list[Page], recorder: Recorder):
        self._pages = pages
        self._rec = recorder

    def _note(self) -> None:
        if self._rec.reads is not None:
            self._rec.reads.add(("pages", KEYS))

    def __getitem__(self, index):
        self._note()
        if isinstance(index, slice):
            return [TrackedPage(p, self._rec) for p in self._pages[index]]
        return TrackedPage(self._pages[index], self._rec)

    def __len__(self) -> int:
        self._note()
        return len(self._pages)

    def __iter__(self):
        self._note()
        return (TrackedPage(p, self._rec) for p in self._pages)


def track_templates(renderer: Renderer, recorder: Recorder) -> None:
    """Record `("template", name)` for every template a page loads (its own, extends, includes, imports)."""
    env = renderer.env
    get_template, select_template = env.get_template, env.select_template

    def tracked_get(name, parent=None, globals=None):
        if recorder.reads is not None:
            recorder.reads.add(("template", getattr(name, "name", name)))
        return get_template(name, parent, globals)

    def tracked_select(names, parent=None, globals=None):
        if recorder.reads is not None:
            for name in names:
                recorder.reads.add(("template", getattr(name, "name", name)))
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
