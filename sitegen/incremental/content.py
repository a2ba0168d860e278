"""The content folder as `serve` keeps it between edits: each file's digest, and the record
parsed from it, so that an edit reads and parses only the files it changed."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, Iterable

from .. import load
from ..diagnostics import Diagnostic
from ..parse import Parsed, parse_all, parse_files
from ..write import digest


@dataclass(frozen=True, slots=True)
class _Kept:
    """A readable content file as the engine keeps it between edits: a digest of its bytes in
    place of the bytes. Parsing needs them once; the model keeps what the pages show."""

    raw: load.RawFile
    """The file, its `data` empty: the bytes wait in `ContentFolder._unparsed` until it is parsed."""
    digest: bytes
    """`write.digest` of the bytes; `_parsed` keeps it beside the record parsed from them."""


@dataclass
class ContentFolder:
    """The files under `path` as last read, and their parsed records by digest."""

    path: Path
    _files: dict[str, Any] = field(default_factory=dict)
    """Relative content path -> _Kept, or `load.Unreadable` when it cannot be loaded."""
    _unparsed: dict[str, bytes] = field(default_factory=dict)
    """Relative content path -> the bytes of a file read since the last parse (`parse` lets them go)."""
    _parsed: dict[str, tuple] = field(default_factory=dict)
    """Relative content path -> (digest of the bytes it read, record, problems) of its last parse."""
    _last_parsed: Parsed | None = None
    """What the last `parse` returned, which `_parse_edits` patches."""
    _load_problems: tuple[Diagnostic, ...] = ()
    """`Loaded.problems` of the last full parse."""
    _file_problems: dict[str, tuple[Diagnostic, ...]] = field(default_factory=dict)
    """Relative content path -> what parsing it reported, for the files that reported something."""
    _edited: set = field(default_factory=set)
    """Relative content paths whose entry changed since the last parse."""
    _rescanned: bool = True
    """The whole tree was read again since the last parse: `_edited` does not say all that changed."""
    _missing: bool = False
    _touched: set = field(default_factory=set)

    def scan(self) -> None:
        self._rescanned = True
        self._touched.update(load.display_path(self.path, rel) for rel in self._files)
        self._files = {}
        self._unparsed = {}
        self._missing = not self.path.is_dir()
        if self._missing:
            return
        for rel in load.content_paths(self.path):
            self._load(rel)

    def _load(self, rel: str) -> None:
        """Re-read one content file (as `load.load_tree` reads each file), or forget it when gone."""
        before = self._files.pop(rel, None)
        self._unparsed.pop(rel, None)
        self._read(rel)
        if self._files.get(rel) != before:
            self._touched.add(load.display_path(self.path, rel))
            self._edited.add(rel)

    def _read(self, rel: str) -> None:
        try:
            entry = load.load_file(self.path, rel)
        except FileNotFoundError:  # deleted: forgotten, as the event says
            return
        if isinstance(entry, load.RawFile):
            self._files[rel] = _Kept(dataclasses.replace(entry, data=b""), digest(entry.data))
            self._unparsed[rel] = entry.data
        elif entry is not None:
            self._files[rel] = entry

    def changed(self, paths: Iterable[Path]) -> list[str]:
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
        root = Path(os.path.abspath(self.path))
        paths = list(dict.fromkeys(Path(p) for p in paths))
        folders = sum(1 for p in paths if (root / p).is_dir() or not (root / p).exists())
        if (not self.path.is_dir() or self._missing or len(paths) > self.RESCAN_PATHS
                or folders > self.RESCAN_FOLDERS):
            before = dict(self._files)
            self.scan()
            self._touched = {load.display_path(self.path, rel) for rel in set(before) | set(self._files)
                             if before.get(rel) != self._files.get(rel)}
            return
        for path in paths:
            try:
                rel = Path(os.path.abspath(path)).relative_to(root).as_posix()
            except ValueError:
                continue
            if rel == ".":
                self.scan()
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

    def parse(self, jobs: int = 1) -> Parsed:
        """The content as it is now, parsed (on `jobs` cores when many files have no record yet)."""
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
        return parsed

    def _loaded(self) -> load.Loaded:
        """The same `Loaded` that `load.load_tree` would return for the files as they are now."""
        if self._missing:
            return load.load_tree(self.path)
        return load.gather(self.path, (self._raw(entry) if isinstance(entry, _Kept) else entry
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

    def _parse_edits(self) -> Parsed | None:
        """The last parse with the edited files parsed again, when each of them is an item file
        that parsed before and parses now (so the ids and the broken files stay as they were);
        None when the whole tree must be parsed again."""
        last = self._last_parsed
        if last is None or self._rescanned or self._missing:
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
        items = dict(last.items)
        for kind in {raw.kind for raw, _, _ in records}:
            items[kind] = dict(items[kind])
        for raw, record, problems in records:
            key = f"{raw.source_id}/{raw.id}" if raw.source_id else raw.id
            items[raw.kind][key] = record
            if problems:
                self._file_problems[raw.rel] = tuple(problems)
            else:
                self._file_problems.pop(raw.rel, None)
        diagnostics = self._load_problems + tuple(chain.from_iterable(
            self._file_problems[rel] for rel in sorted(self._file_problems)))
        return Parsed(items, last.site, last.broken, diagnostics)
