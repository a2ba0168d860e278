"""Incremental rebuilds for `serve`: re-render only the pages an edit affects.

The engine keeps everything a build computed: a digest of each content file and its parsed record,
the anchored quotes (`anchoring.Anchors`), the last good model, index and page plan, the
compiled templates, and for every page the set of things its rendering *read*.

Reads are recorded, not declared: while a page renders, the model and the index it sees are
thin proxies that note every item looked up (`("annotations", "src/ann")`), every index entry
(`("index.by_actor", "russia")`), every collection iterated (`("actors", KEYS)`), and every
template loaded (`("template", "_macros.html")`). A page depends on exactly what it showed,
whatever the templates do; aggregate pages that list everything depend on the key sets and
the entries they count, not on every passage's text.

A rebuild after an edit:

1. re-reads the changed files only, and re-parses a file only when its text changed; when
   only existing files' texts changed, the last parse is patched with their new records
   instead of being gathered again (`_parse_edits`);
2. resolves what changed: while the ids stay the same, only the records that are not the
   same objects as last time are checked and anchored (`resolve.ResolveMemo`), and quotes
   that were anchored before come from the `Anchors` memo; derives the index again only when
   a field that `derive` read last time changed (`DeriveMemo`, which records those reads the
   same way); plans again only the pages of changed actors, motives and sources while the
   index is the same;
3. diffs the new model and index against the last good ones: changed items by identity,
   changed index entries by value, added and removed keys;
4. re-renders the pages whose recorded reads meet the changes, the new pages, and the pages
   whose template changed; removes the pages that are gone. The pages open in a browser and
   the page where the edited item lives go first, and are written (and announced) first;
5. writes only the files whose bytes changed (`write.update_files`).

An invalid edit changes nothing on disk: the last good build is kept and served, and the
next rebuild is still diffed against it. The data exports (`data/`) and the search index
depend on everything; the server refreshes them lazily (`refresh_data`), not on every save.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import operator
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from jinja2 import BytecodeCache

from . import export, load
from .anchoring import Anchors
from .derive import Index, derive
from .diagnostics import ContentError, Diagnostic
from .model import Model
from .parse import Parsed, parse_all, parse_files
from .pipeline import BuildOptions, Validated, check, make_urls, return_free_memory, static_files
from .parallel import WORKER_MEMORY, forks, run_tasks
from .plan import ITEM_PAGE_KINDS, Page, item_page, plan_pages
from .render import Renderer
from .resolve import ResolveMemo
from .urls import output_file
from .write import staged_site, update_files, update_pieces, write_file, write_pieces

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


def _track_templates(renderer: Renderer, recorder: Recorder) -> None:
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


# -- deriving only when derive would see a difference ------------------------------------


def _is_container(value: Any) -> bool:
    """A record derive may look inside (Anchor, Body, WikiLink...); ordered ones (dates) are leaves."""
    kind = type(value)
    params = getattr(kind, "__dataclass_params__", None)
    return params is not None and not params.order


class _FieldProxy:
    """A model record as `derive` sees it while its reads are recorded.

    Reading a plain field records its path (`("anchor", "start")`) for the record's kind;
    a nested record comes back as a proxy too, and a tuple of records as a tuple of proxies
    (path segment `[]`). Comparing or hashing a proxy records it as read whole.
    """

    __slots__ = ("_target", "_path", "_paths")

    def __init__(self, target: Any, path: tuple, paths: set):
        self._target = target
        self._path = path
        self._paths = paths

    def __getattr__(self, name: str):
        value = getattr(self._target, name)
        path = self._path + (name,)
        if _is_container(value):
            return _FieldProxy(value, path, self._paths)
        if isinstance(value, tuple) and value and all(_is_container(v) for v in value):
            self._paths.add(path + ("#",))
            return tuple(_FieldProxy(v, path + ("[]",), self._paths) for v in value)
        self._paths.add(path)
        return value

    def _whole(self) -> Any:
        self._paths.add(self._path)
        return self._target

    def __eq__(self, other):
        return self._whole() == (other._whole() if isinstance(other, _FieldProxy) else other)

    def __hash__(self):
        return hash(self._whole())

    def __repr__(self) -> str:
        return f"_FieldProxy({self._target!r})"


class _MappingProxy(Mapping):
    """A model mapping whose values come back as `_FieldProxy`s of one kind."""

    __slots__ = ("_data", "_paths")

    def __init__(self, data: Mapping, paths: set):
        self._data = data
        self._paths = paths

    def __getitem__(self, key):
        return _FieldProxy(self._data[key], (), self._paths)

    def __iter__(self):
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key) -> bool:
        return key in self._data


class _ModelProxy:
    __slots__ = ("_model", "_paths")

    def __init__(self, model: Model, paths: dict[str, set]):
        self._model = model
        self._paths = paths

    def __getattr__(self, name: str):
        value = getattr(self._model, name)
        paths = self._paths.setdefault(name, set())
        if isinstance(value, Mapping):
            return _MappingProxy(value, paths)
        return _FieldProxy(value, (), paths) if _is_container(value) else value


def _path_value(record: Any, path: tuple) -> Any:
    for at, segment in enumerate(path):
        if segment == "[]":
            return tuple(_path_value(item, path[at + 1:]) for item in record)
        if segment == "#":
            return len(record)
        record = getattr(record, segment)
    return record


class DeriveMemo:
    """`derive`, skipped when no field it read last time has changed.

    Each run records, per kind of record, the field paths derive read on any record of that
    kind. The next model gets the same index back when every collection has the same keys in
    the same order and every record that changed (by identity) agrees with its predecessor on
    all those paths: derive is deterministic, so it would compute the same index. Any other
    difference runs derive again, and records afresh.
    """

    def __init__(self, derive: Callable[[Model], Index]):
        self._derive = derive
        self.model: Model | None = None
        self.index: Index | None = None
        self.paths: dict[str, set] = {}
        self.skipped = False
        """Whether the last call reused the previous index."""

    def __call__(self, model: Model) -> Index:
        if self.model is not None and self._same(model):
            self.model = model
            self.skipped = True
            return self.index
        paths: dict[str, set] = {}
        index = self._derive(_ModelProxy(model, paths))
        self.model, self.index, self.paths, self.skipped = model, index, paths, False
        return index

    def _same(self, model: Model) -> bool:
        old = self.model
        for f in dataclasses.fields(model):
            before, after = getattr(old, f.name), getattr(model, f.name)
            if before is after:
                continue
            paths = self.paths.get(f.name, ())
            if isinstance(after, Mapping):
                if list(before) != list(after):
                    return False
                if not paths:
                    continue
                replaced = [key for key, record in after.items() if before[key] is not record]
                for key in replaced:
                    previous, record = before[key], after[key]
                    if any(_path_value(previous, p) != _path_value(record, p) for p in paths):
                        return False
            elif _is_container(after):
                if any(_path_value(before, p) != _path_value(after, p) for p in paths):
                    return False
            elif f.name in self.paths and before != after:
                return False
        return True


# -- what changed between two builds -----------------------------------------------------


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


_KEY_FIELDS = tuple(f.name for f in dataclasses.fields(Page) if f.name not in ("weight", "context")) + ("context",)
"""The fields of a page key, in order: everything about a page that can change its bytes."""
_key_fields = operator.attrgetter(*_KEY_FIELDS[:-1])


def _page_key(page: Page) -> tuple:
    """The page's `_KEY_FIELDS` (not its scheduling weight), the context by identity."""
    return _key_fields(page) + (tuple((k, id(v)) for k, v in sorted(page.context.items())),)


def _pages_listing(pages: list[Page], keys: dict[str, tuple]) -> dict[str, tuple]:
    """Page field -> that field of every page, in order (`context` by identity), from the pages' keys."""
    listing = dict(zip(_KEY_FIELDS, zip(*keys.values()))) if keys else dict.fromkeys(_KEY_FIELDS, ())
    listing["weight"] = tuple(p.weight for p in pages)
    listing[KEYS] = listing["output"]
    return listing


def _hasher():
    return hashlib.blake2b(digest_size=16)


def _digest(data: bytes) -> bytes:
    hasher = _hasher()
    hasher.update(data)
    return hasher.digest()


@dataclass(frozen=True, slots=True)
class _Kept:
    """A readable content file as the engine keeps it between edits: a digest of its bytes in
    place of the bytes. Parsing needs them once; the model keeps what the pages show. (At N=5000
    the files are 70 MiB, which a forked render worker would hold as well.)"""

    raw: load.RawFile
    """The file, its `data` empty: the bytes wait in `Engine._unparsed` until it is parsed."""
    digest: bytes
    """`_digest` of the bytes; `_parsed` keeps it beside the record parsed from them."""


# -- the engine --------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one build or rebuild did."""

    ok: bool
    errors: tuple[Diagnostic, ...] = ()
    """Why the build failed (content or template errors), sorted; empty when it succeeded."""
    warnings: tuple[Diagnostic, ...] = ()
    rendered: tuple[str, ...] = ()
    """Output files (re-)rendered."""
    written: tuple[str, ...] = ()
    """Output files whose bytes changed on disk (written or removed)."""
    removed: tuple[str, ...] = ()
    """Output files deleted because their page is gone."""
    seconds: float = 0.0
    build: int = 0
    """Number of the last good build after this one (0: none yet)."""
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each step of a rebuild: check, plan, diff, render, write."""


@dataclass
class _Good:
    """The last good build."""

    validated: Validated
    pages: dict[str, Page]
    """Output path -> page."""
    plan: list[Page]
    """The pages in the order `plan_pages` gave them."""
    position: dict[str, int]
    """Output path -> its page's place in `plan`."""
    listing: dict[str, tuple]
    reads: dict[str, frozenset]
    """Output path -> what its rendering read."""
    keys: dict[str, tuple]
    """Output path -> `_page_key` of the page that rendered it."""


@dataclass
class Engine:
    """The site as `serve` keeps it between edits; see the module docstring."""

    options: BuildOptions
    recorder: Recorder = field(default_factory=Recorder)
    anchors: Anchors = field(default_factory=Anchors)
    good: _Good | None = None
    build_number: int = 0
    errors: tuple[Diagnostic, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    data_stale: bool = False
    """The `data/` exports lag behind the pages; `refresh_data()` brings them up to date."""
    _files: dict[str, Any] = field(default_factory=dict)
    """Relative content path -> _Kept, or `load.Unreadable` when it cannot be loaded."""
    _unparsed: dict[str, bytes] = field(default_factory=dict)
    """Relative content path -> the bytes of a file read since the last parse (`_validate` lets them go)."""
    _parsed: dict[str, tuple] = field(default_factory=dict)
    """Relative content path -> (digest of the bytes it read, record, problems) of its last parse."""
    _hashes: dict[str, bytes] = field(default_factory=dict)
    """Output path -> digest of the bytes on disk (pages, static files, data files)."""
    _bytecode: BytecodeCache = field(default_factory=lambda: MemoryBytecodeCache())
    _derive: DeriveMemo = field(default_factory=lambda: DeriveMemo(derive))
    _resolved: ResolveMemo = field(default_factory=ResolveMemo)
    _last_parsed: Parsed | None = None
    """What the last check was given, which `_parse_edits` patches."""
    _load_problems: tuple[Diagnostic, ...] = ()
    """`Loaded.problems` of the last full parse."""
    _file_problems: dict[str, tuple[Diagnostic, ...]] = field(default_factory=dict)
    """Relative content path -> what parsing it reported, for the files that reported something."""
    _edited: set = field(default_factory=set)
    """Relative content paths whose entry changed since the last check."""
    _rescanned: bool = True
    """The whole tree was read again since the last check: `_edited` does not say all that changed."""
    _changed_since_good: dict[str, list[str]] | None = None
    """Kind -> ids of the records the last check found changed since the last good build, when it knows."""
    _urls: Any = None
    _asset_versions_stale: bool = True
    _pending_templates: set = field(default_factory=set)
    """Templates changed since the last good build."""
    _pending_static: bool = False
    _content_missing: bool = False
    _touched: set = field(default_factory=set)
    _unsure: bool = False
    """An unexpected failure left what is kept in doubt (see `forget`): the next rebuild is a full build."""

    # -- content files -----------------------------------------------------------------

    @property
    def content(self) -> Path:
        return self.options.content

    def _scan(self) -> None:
        self._rescanned = True
        self._touched.update(load.display_path(self.content, rel) for rel in self._files)
        self._files = {}
        self._unparsed = {}
        self._content_missing = not self.content.is_dir()
        if self._content_missing:
            return
        for rel in load.content_paths(self.content):
            self._load(rel)

    def _load(self, rel: str) -> None:
        """Re-read one content file (as `load.load_tree` reads each file), or forget it when gone."""
        before = self._files.pop(rel, None)
        self._unparsed.pop(rel, None)
        self._read(rel)
        if self._files.get(rel) != before:
            self._touched.add(load.display_path(self.content, rel))
            self._edited.add(rel)

    def _read(self, rel: str) -> None:
        try:
            entry = load.load_file(self.content, rel)
        except FileNotFoundError:  # deleted: forgotten, as the event says
            return
        if isinstance(entry, load.RawFile):
            self._files[rel] = _Kept(dataclasses.replace(entry, data=b""), _digest(entry.data))
            self._unparsed[rel] = entry.data
        elif entry is not None:
            self._files[rel] = entry

    def content_changed(self, paths: Iterable[Path]) -> list[str]:
        """Note changed, created or deleted paths under the content folder (files or folders).

        Returns the content files (display paths) whose text, existence or kind changed.
        """
        self._touched = set()
        self._note_content(paths)
        return sorted(self._touched)

    RESCAN_PATHS = 500
    """More changed paths than this (a checkout, an overflowing watcher): read the whole tree again."""
    RESCAN_FOLDERS = 20

    def _note_content(self, paths: Iterable[Path]) -> None:
        root = Path(os.path.abspath(self.content))
        paths = list(dict.fromkeys(Path(p) for p in paths))
        folders = sum(1 for p in paths if (root / p).is_dir() or not (root / p).exists())
        if (not self.content.is_dir() or self._content_missing or len(paths) > self.RESCAN_PATHS
                or folders > self.RESCAN_FOLDERS):
            before = dict(self._files)
            self._scan()
            self._touched = {load.display_path(self.content, rel) for rel in set(before) | set(self._files)
                             if before.get(rel) != self._files.get(rel)}
            return
        for path in paths:
            try:
                rel = Path(os.path.abspath(path)).relative_to(root).as_posix()
            except ValueError:
                continue
            if rel == ".":
                self._scan()
                return
            full = root / rel
            folder = full.is_dir() and not full.is_symlink()
            if rel in self._files and not folder:  # a save: a file before and no folder now
                self._load(rel)
                continue
            prefix = rel + "/"
            for known in [k for k in self._files if k.startswith(prefix)]:
                self._load(known)
            if folder:
                if rel in self._files:  # a folder that could not be listed before
                    self._load(rel)
                if any(load.is_scratch(part) for part in rel.split("/")):
                    continue
                for known in load.content_paths(root, rel):
                    self._load(known)
            else:
                self._load(rel)

    def templates_changed(self, paths: Iterable[Path]) -> list[str]:
        """Note changed templates (and static files under `templates/static/`); returns their paths."""
        root = Path(os.path.abspath(self.options.templates))
        noted = set()
        for path in paths:
            try:
                rel = Path(os.path.abspath(path)).relative_to(root).as_posix()
            except ValueError:
                continue
            if rel == ".":
                continue
            if rel == "static" or rel.startswith("static/"):
                self._pending_static = True
            elif (root / rel).is_dir():
                self._pending_templates.update(p.relative_to(root).as_posix() for p in (root / rel).rglob("*") if p.is_file())
            else:
                self._pending_templates.add(rel)
            noted.add(f"{self.options.templates.name}/{rel}")
        return sorted(noted)

    def _loaded(self) -> load.Loaded:
        """The same `Loaded` that `load.load_tree` would return for the files as they are now."""
        if self._content_missing:
            return load.load_tree(self.content)
        return load.gather(self.content, (self._raw(entry) if isinstance(entry, _Kept) else entry
                                          for _, entry in sorted(self._files.items())))

    def _raw(self, kept: _Kept) -> load.RawFile:
        """The file with its bytes when it was read since the last parse; else as kept, without
        them, for `_parse` to find its record by the digest."""
        data = self._unparsed.get(kept.raw.rel)
        return kept.raw if data is None else dataclasses.replace(kept.raw, data=data)

    def _has_record(self, raw: load.RawFile) -> bool:
        cached = self._parsed.get(raw.rel)
        return cached is not None and cached[0] == self._files[raw.rel].digest

    def _parse_new(self, files: Iterable[load.RawFile], jobs: int = 1) -> None:
        """Parse, on `jobs` cores, the files with no record for their digest yet (every file in
        serve's first build, many after a checkout), and keep each record under its digest."""
        new = [raw for raw in files if not self._has_record(raw)]
        lost = [raw.display for raw in new if raw.rel not in self._unparsed]
        if lost:  # a digest without a record came with the bytes read: never expected
            raise RuntimeError(f"changed, but their bytes were not kept to parse: {', '.join(lost)}")
        for raw, (record, problems) in zip(new, parse_files(new, jobs)):
            self._parsed[raw.rel] = (self._files[raw.rel].digest, record, tuple(problems))

    def _parse(self, raw: load.RawFile):
        """One file's record and problems; parsed only when its digest has none."""
        self._parse_new((raw,))
        cached = self._parsed[raw.rel]
        return cached[1], cached[2]

    def _validate(self, jobs: int = 1) -> Validated:
        parsed = self._parse_edits()
        if parsed is None:
            loaded = self._loaded()
            live = {f.rel for f in loaded.files}
            for rel in [r for r in self._parsed if r not in live]:
                del self._parsed[rel]
            self._parse_new(loaded.files, jobs)
            parsed = parse_all(loaded, parse=self._parse)
            self._load_problems = loaded.problems
            self._file_problems = {rel: cached[2] for rel, cached in self._parsed.items() if cached[2]}
        self._last_parsed, self._edited, self._rescanned = parsed, set(), False
        self._unparsed = {}  # every file read is parsed: `_parsed` has each digest
        last = self._resolved.last
        since = last.model if last is not None else None
        self._changed_since_good = None
        validated = check(parsed, self.options.strict, self.anchors, self._derive, self._resolved)
        if self.good is not None and since is self.good.validated.model:
            self._changed_since_good = self._resolved.changed
        self.anchors.tidy(lambda: (source.body.plain for source in parsed.items["sources"].values()))
        return validated

    def _parse_edits(self) -> Parsed | None:
        """The last parse with the edited files parsed again, when each of them is an item file
        that parsed before and parses now (so the ids and the broken files stay as they were);
        None when the whole tree must be parsed again."""
        last = self._last_parsed
        if last is None or self._rescanned or self._content_missing:
            return None
        records = []
        for rel in self._edited:
            kept, cached = self._files.get(rel), self._parsed.get(rel)
            if not isinstance(kept, _Kept) or kept.raw.kind == "site" or cached is None or cached[1] is None:
                return None
            raw = self._raw(kept)
            record, problems = self._parse(raw)
            if record is None:
                return None
            records.append((raw, record, problems))
        items, replaced = dict(last.items), {}
        for raw, record, problems in records:
            if items[raw.kind] is last.items[raw.kind]:
                items[raw.kind] = dict(last.items[raw.kind])
            key = f"{raw.source_id}/{raw.id}" if raw.source_id else raw.id
            items[raw.kind][key] = record
            replaced.setdefault(raw.kind, []).append(key)
            if problems:
                self._file_problems[raw.rel] = tuple(problems)
            else:
                self._file_problems.pop(raw.rel, None)
        diagnostics = self._load_problems + tuple(chain.from_iterable(
            self._file_problems[rel] for rel in sorted(self._file_problems)))
        return Parsed(items, last.site, last.broken, diagnostics, last.items, replaced)

    def _plan(self, validated: Validated) -> list[Page]:
        """`plan_pages`, or the last good plan with the pages of the changed actors, motives and
        sources made again, when the site record and the index are the last good build's (a plan
        reads nothing else: the orders and counts are the index's)."""
        good, changed = self.good, self._changed_since_good
        if (good is None or changed is None or validated.index is not good.validated.index
                or validated.model.site is not good.validated.model.site):
            return plan_pages(validated.model, validated.index)
        pages = good.plan
        for kind in ITEM_PAGE_KINDS:
            for key in changed.get(kind, ()):
                page = item_page(kind, key, validated.model, validated.index)
                at = good.position.get(page.output)
                if at is None:
                    return plan_pages(validated.model, validated.index)
                if pages is good.plan:
                    pages = list(good.plan)
                pages[at] = page
        return pages

    # -- rendering ---------------------------------------------------------------------

    def _renderer_for(self, validated: Validated) -> Renderer:
        """A fresh renderer on tracked views of the model and index.

        Fresh each time: Jinja caches imported macro modules with the globals they were first
        given, so a renderer cannot be pointed at a new model. The in-memory bytecode cache
        makes that cheap: only edited templates are compiled again.
        """
        site_url = self.options.site_url or validated.model.site.site_url
        if self._asset_versions_stale or self._urls is None:
            self._urls = make_urls(self.options, validated.model)
            self._asset_versions_stale = False
        elif self._urls.site_url != site_url:
            self._urls = dataclasses.replace(self._urls, site_url=site_url)
        model = TrackedRecord(validated.model, "", self.recorder)
        index = TrackedRecord(validated.index, "index.", self.recorder)
        renderer = Renderer(self.options.templates, model, index, self._urls, self.options.extra_globals,
                            bytecode_cache=self._bytecode)
        _track_templates(renderer, self.recorder)
        return renderer

    def _render(self, renderer: Renderer, pages: list[Page], all_pages: list[Page]) -> tuple[dict, dict]:
        """Render `pages`, recording what each reads; raises ContentError on a template error."""
        renderer.env.globals["pages"] = TrackedPages(all_pages, self.recorder)
        out, reads = {}, {}
        for page in pages:
            data, seen = self._render_page(renderer, page)
            out[page.output], reads[page.output] = data, self.recorder.shared(seen)
        return out, reads

    def _render_page(self, renderer: Renderer, page: Page) -> tuple[bytes, set]:
        """One page's bytes and what its rendering read (to be `Recorder.shared` where it is kept)."""
        recorder = self.recorder
        recorder.reads = seen = {("site",)}
        try:
            data = renderer.render(page)
        finally:
            recorder.reads = None
        return data, seen

    # -- builds ------------------------------------------------------------------------

    def build_all(self, jobs: int = 1) -> Outcome:
        """Load, check and render everything, and swap it into the output folder atomically.

        With `jobs` > 1 the pages are rendered by forked workers (`parallel.run_tasks`), each
        writing its pages into the staged folder and sending back their digests and reads (not
        their bytes: the whole site is never held in this process). Only call it so from a
        process that has not started other threads yet (serve builds first, then serves).
        """
        started = time.perf_counter()
        enabled = gc.isenabled()
        gc.disable()
        try:
            self._scan()
            self._parsed.clear()
            self._asset_versions_stale = True
            self._pending_templates.clear()
            self._pending_static = False
            try:
                validated = self._validate(jobs)
                renderer = self._renderer_for(validated)
                pages = plan_pages(validated.model, validated.index)
                renderer.env.globals["pages"] = TrackedPages(pages, self.recorder)
                parts = export.data_parts(validated.model, validated.index, self._urls)
                renderer.precompile(pages, referenced=forks(len(parts) + len(pages), jobs))  # before any worker forks
                return_free_memory()  # the files' texts are garbage: not to be copied into a worker
                with staged_site(self.options.out) as fresh:
                    tasks = [functools.partial(_export_into, fresh, part) for part in parts]
                    tasks += [functools.partial(self._render_into, fresh, renderer, page) for page in pages]
                    results = run_tasks(tasks, jobs, take=self._shared_reads, worker_memory=WORKER_MEMORY)
                    static = static_files(self.options.templates)
                    for rel, data in static.items():
                        write_file(fresh, rel, data)
            except ContentError as error:
                return self._failed(error, started)
            hashes = {rel: _digest(data) for rel, data in static.items()}
            for exported in results[:len(parts)]:
                hashes.update(exported)
            rendered = results[len(parts):]
            hashes.update((page.output, result[0]) for page, result in zip(pages, rendered))
            self._hashes = hashes
            reads = {page.output: result[1] for page, result in zip(pages, rendered)}
            keys = {page.output: _page_key(page) for page in pages}
            self._commit(validated, pages, reads, keys, _pages_listing(pages, keys))
            self.data_stale = False
            self._unsure = False
        finally:
            if enabled:
                gc.enable()
        gc.freeze()  # the model stays: later collections need not scan it again and again
        return Outcome(True, (), validated.warnings, tuple(p.output for p in pages), tuple(sorted(hashes)), (),
                       time.perf_counter() - started, self.build_number)

    def _shared_reads(self, result: Any) -> Any:
        """A page's `_render_into` result with its reads shared; an export's digests as they are."""
        if type(result) is tuple:
            return result[0], self.recorder.shared(result[1])
        return result

    def _render_into(self, root: Path, renderer: Renderer, page: Page) -> tuple[bytes, set]:
        """Render `page` into the folder `root`; its digest and what it read."""
        data, reads = self._render_page(renderer, page)
        write_file(root, page.output, data)
        return _digest(data), reads

    def rebuild(self, open_pages: Iterable[str] = (), early: Callable[[list[str]], None] | None = None) -> Outcome:
        """Apply the changes noted since the last build; render and write only what they affect.

        Pages come first when they are `open_pages` (output paths a browser shows) or the page
        where a changed item lives (an annotation's source page): they are rendered and written
        before the rest, and `early(written)` is told, so the open page can reload while the
        other affected pages are still being rendered. If a later page fails to render, the
        early files are put back as they were: the output stays the last good build.
        """
        if self.good is None or self._unsure:
            return self.build_all()
        started = time.perf_counter()
        phases: dict[str, float] = {}
        clock = [started]

        def lap(name: str) -> None:
            now = time.perf_counter()
            phases[name] = phases.get(name, 0.0) + now - clock[0]
            clock[0] = now

        templates = set(self._pending_templates)
        static_changed = self._pending_static
        out_dir = Path(self.options.out)
        early_written: list[str] = []
        previous: dict[str, bytes | None] = {}
        try:
            validated = self._validate()
            lap("check")
            if static_changed:
                self._asset_versions_stale = True
            renderer = self._renderer_for(validated)
            pages = self._plan(validated)
            lap("plan")
            changed = changes(self.good.validated, validated, self._changed_since_good)
            changed.update(("template", name) for name in templates)
            old_pages, old_keys = self.good.pages, self.good.keys
            if pages is self.good.plan:  # the same pages: nothing about them changed
                keys, listing = old_keys, self.good.listing
            else:
                keys = {page.output: old_keys[page.output] if old_pages.get(page.output) is page else _page_key(page)
                        for page in pages}
                listing = _pages_listing(pages, keys)
                changed.update(("pages", name) for name, values in listing.items()
                               if self.good.listing.get(name) != values)
            old_reads = self.good.reads
            affected = []
            for page in pages:
                out = page.output
                seen = old_reads.get(out)
                if static_changed or seen is None or old_keys.get(out) != keys[out] or not seen.isdisjoint(changed):
                    affected.append(page)
            first = set(open_pages) | self._homes(changed)
            ordered = [p for p in affected if p.output in first] + [p for p in affected if p.output not in first]
            head = sum(1 for p in affected if p.output in first)
            lap("diff")
            rendered, reads = self._render(renderer, ordered[:head], pages)
            lap("render")
            if rendered:
                for rel in rendered:
                    target = out_dir / rel
                    previous[rel] = target.read_bytes() if target.is_file() else None
                early_written = self._write(rendered, ())
                lap("write")
                if early is not None and early_written:
                    early(early_written)
            more, more_reads = self._render(renderer, ordered[head:], pages)
            rendered.update(more)
            reads.update(more_reads)
            lap("render")
        except Exception as error:
            for rel, data in previous.items():  # put the early pages back: the last good build stays
                if rel in early_written:
                    if data is None:
                        (out_dir / rel).unlink(missing_ok=True)
                    else:
                        update_files(out_dir, {rel: data})
                    self._hashes[rel] = _digest(data) if data is not None else b""
            if not isinstance(error, ContentError):
                raise
            return self._failed(error, started)

        new_outputs = {p.output for p in pages}
        removed = tuple(sorted(o for o in self.good.pages if o not in new_outputs))
        later = {rel: data for rel, data in rendered.items() if rel not in previous}
        if static_changed:
            later.update(static_files(self.options.templates))
        written = early_written + self._write(later, removed)
        _prune_empty_dirs(out_dir, removed)
        all_reads = dict(self.good.reads)
        for rel in removed:
            all_reads.pop(rel, None)
        all_reads.update(reads)
        self._commit(validated, pages, all_reads, keys, listing)
        if written or changed:
            self.data_stale = True
        lap("write")
        return Outcome(True, (), validated.warnings, tuple(rendered), tuple(written), removed,
                       time.perf_counter() - started, self.build_number, phases)

    def _write(self, files: dict[str, bytes], removed: tuple[str, ...]) -> list[str]:
        """Write the files whose bytes differ from what is on disk (by digest); delete `removed`."""
        to_write = {}
        for rel, data in files.items():
            digest = _digest(data)
            if self._hashes.get(rel) != digest:
                to_write[rel] = data
                self._hashes[rel] = digest
        written = update_files(Path(self.options.out), to_write, removed)
        for rel in removed:
            self._hashes.pop(rel, None)
        return written

    def _homes(self, changed: set) -> set[str]:
        """The output files where changed items live: an annotation's source page, an actor's page..."""
        homes = set()
        urls = self._urls
        for key in changed:
            if len(key) == 2 and key[0] in ("annotations", "actors", "motives", "sources", "events", "arguments") \
                    and isinstance(key[1], str) and not key[1].startswith("*"):
                try:
                    homes.add(output_file(urls.path(key[0], key[1]).split("#", 1)[0]))
                except KeyError:
                    continue
        return homes

    def refresh_data(self) -> list[str]:
        """Bring the `data/` exports up to date with the last good build; returns what was written."""
        if self.good is None or not self.data_stale:
            return []
        out = Path(self.options.out)
        validated = self.good.validated
        written: list[str] = []
        exported: set[str] = set()

        def update(rel: str, pieces: Iterable[str]) -> None:
            exported.add(rel)
            hasher = _hasher()
            if update_pieces(out, rel, pieces, hasher, self._hashes.get(rel)):
                written.append(rel)
            self._hashes[rel] = hasher.digest()

        for part in export.data_parts(validated.model, validated.index, self._urls):
            part(update)
        removed = [r for r in self._hashes if r.startswith("data/") and r not in exported and r not in self.good.pages]
        for rel in removed:
            del self._hashes[rel]
        written += update_files(out, {}, tuple(removed))
        _prune_empty_dirs(out, tuple(removed))
        self.data_stale = False
        return written

    def _commit(self, validated: Validated, pages: list[Page], reads: dict[str, frozenset],
                keys: dict[str, tuple], listing: dict[str, tuple]) -> None:
        self.good = _Good(validated, {p.output: p for p in pages}, pages, {p.output: i for i, p in enumerate(pages)},
                          listing, reads, keys)
        self.build_number += 1
        self.errors = ()
        self.warnings = validated.warnings
        self._pending_templates.clear()
        self._pending_static = False

    def forget(self) -> None:
        """After a build or rebuild failed other than by a content error (a bug, a full disk):
        a step may have stopped half done, so drop everything kept between edits and make the
        next rebuild a full build. The last good build stays what is served."""
        fresh = Engine(self.options)
        for kept in dataclasses.fields(self):
            if kept.name not in ("options", "good", "build_number", "data_stale", "_urls"):
                setattr(self, kept.name, getattr(fresh, kept.name))
        self._unsure = True

    def _failed(self, error: ContentError, started: float) -> Outcome:
        self.errors = tuple(error.diagnostics)
        return Outcome(False, self.errors, (), (), (), (), time.perf_counter() - started, self.build_number)


def _export_into(root: Path, part: Callable[[export.Emit], None]) -> dict[str, bytes]:
    """Write one part of the `data/` exports into the folder `root`, as it is made; its files' digests."""
    digests = {}

    def write(rel: str, pieces: Iterable[str]) -> None:
        hasher = _hasher()
        write_pieces(root, rel, pieces, hasher)
        digests[rel] = hasher.digest()

    part(write)
    return digests


def _prune_empty_dirs(out: Path, removed: Iterable[str]) -> None:
    """Remove folders that removing pages left empty (a deleted source's `sources/<id>/`)."""
    for rel in removed:
        parent = (out / rel).parent
        while parent != out and parent.is_dir():
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
