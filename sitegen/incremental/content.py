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
from ..parse import Parsed, parse_all, parse_file, parse_files
from ..write import digest


def relative(root: Path, paths: Iterable[Path]) -> list[str]:
    """Those of `paths` that lie in `root` (an absolute path), relative to it, each once."""
    absolute = dict.fromkeys(Path(os.path.abspath(path)) for path in paths)
    return [path.relative_to(root).as_posix() for path in absolute if path.is_relative_to(root)]


@dataclass(frozen=True, slots=True)
class _Kept:
    """A readable content file as the engine keeps it between edits: a digest of its bytes in
    place of the bytes. Parsing needs them once; the model keeps what the pages show."""

    raw: load.RawFile
    """The file, its `data` empty: the bytes wait in `ContentFolder._unparsed` until it is parsed."""
    digest: bytes


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
    _edited: set | None = None
    """Relative content paths whose entry changed since the last parse; None when the whole tree
    was read again (then it does not say all that changed)."""
    _missing: bool = False

    def scan(self) -> None:
        """Read the whole tree again."""
        self._files, self._unparsed, self._edited = {}, {}, None
        self._missing = not self.path.is_dir()
        if not self._missing:
            for rel in load.content_paths(self.path):
                self._read(rel)

    def _read(self, rel: str) -> None:
        """Read one content file (as `load.load_tree` reads each file); a deleted one stays forgotten."""
        try:
            entry = load.load_file(self.path, rel)
        except FileNotFoundError:
            return
        if isinstance(entry, load.RawFile):
            self._files[rel] = _Kept(dataclasses.replace(entry, data=b""), digest(entry.data))
            self._unparsed[rel] = entry.data
        elif entry is not None:
            self._files[rel] = entry

    def _load(self, rel: str) -> bool:
        """Read one content file again, or forget it when gone; whether its entry changed."""
        before = self._files.pop(rel, None)
        self._unparsed.pop(rel, None)
        self._read(rel)
        if self._files.get(rel) == before:
            return False
        if self._edited is not None:
            self._edited.add(rel)
        return True

    def changed(self, paths: Iterable[Path]) -> list[str]:
        """As `Engine.content_changed`: read the paths given again; returns what changed."""
        root = Path(os.path.abspath(self.path))
        rels = relative(root, paths)
        if not self.path.is_dir() or self._missing or "." in rels:
            before = dict(self._files)
            self.scan()
            touched = {rel for rel in before.keys() | self._files.keys() if before.get(rel) != self._files.get(rel)}
            return sorted(load.display_path(self.path, rel) for rel in touched)
        touched = set()
        for rel in rels:
            full = root / rel
            folder = full.is_dir() and not full.is_symlink()
            if rel in self._files and not folder:  # a save: a file before and no folder now
                candidates = [rel]
            else:  # what was under it, what is under it now, and the path itself
                candidates = [known for known in self._files if known.startswith(rel + "/")]
                if folder and not any(load.is_scratch(part) for part in rel.split("/")):
                    candidates += load.content_paths(root, rel)
                if rel in self._files or not folder:
                    candidates.append(rel)
            touched.update(rel for rel in dict.fromkeys(candidates) if self._load(rel))
        return sorted(load.display_path(self.path, rel) for rel in touched)

    def parse(self, jobs: int = 1) -> Parsed:
        """The content as it is now, parsed (on `jobs` cores when many files have no record yet)."""
        parsed = self._parse_edits()
        if parsed is None:
            loaded = self._loaded()
            self._parsed = {f.rel: self._parsed[f.rel] for f in loaded.files if f.rel in self._parsed}
            new = [raw for raw in loaded.files if self._parsed.get(raw.rel, (None,))[0] != self._files[raw.rel].digest]
            lost = [raw.display for raw in new if raw.rel not in self._unparsed]
            if lost:  # a digest without a record came with the bytes read: never expected
                raise RuntimeError(f"changed, but their bytes were not kept to parse: {', '.join(lost)}")
            for raw, (record, problems) in zip(new, parse_files(new, jobs)):
                self._parsed[raw.rel] = (self._files[raw.rel].digest, record, tuple(problems))
            parsed = parse_all(loaded, parse=lambda raw: self._parsed[raw.rel][1:])
            self._load_problems = loaded.problems
        self._last_parsed, self._edited = parsed, set()
        self._unparsed = {}  # every file read is parsed: `_parsed` has each digest
        return parsed

    def _loaded(self) -> load.Loaded:
        """The same `Loaded` that `load.load_tree` would return for the files as they are now:
        each file with its bytes when it was read since the last parse, else without them."""
        if self._missing:
            return load.load_tree(self.path)
        return load.gather(self.path, (self._raw(entry) if isinstance(entry, _Kept) else entry
                                          for _, entry in sorted(self._files.items())))

    def _raw(self, kept: _Kept) -> load.RawFile:
        data = self._unparsed.get(kept.raw.rel)
        return kept.raw if data is None else dataclasses.replace(kept.raw, data=data)

    def _parse_edits(self) -> Parsed | None:
        """The last parse with the edited files parsed again, when each of them is an item file
        that parsed before and parses now (so the ids and the broken files stay as they were);
        None when the whole tree must be parsed again."""
        last = self._last_parsed
        if last is None or self._edited is None or self._missing:
            return None
        records = []
        for rel in self._edited:
            kept, cached = self._files.get(rel), self._parsed.get(rel)
            if not isinstance(kept, _Kept) or kept.raw.kind == "site" or cached is None or cached[1] is None:
                return None
            raw = self._raw(kept)
            record, problems = parse_file(raw)
            if record is None:
                return None
            records.append((raw, record, tuple(problems)))
        items = dict(last.items)
        for kind in {raw.kind for raw, _, _ in records}:
            items[kind] = dict(items[kind])
        for raw, record, problems in records:
            items[raw.kind][raw.key] = record
            self._parsed[raw.rel] = (self._files[raw.rel].digest, record, problems)
        diagnostics = self._load_problems + tuple(chain.from_iterable(
            self._parsed[rel][2] for rel in sorted(self._parsed) if self._parsed[rel][2]))
        return Parsed(items, last.site, last.broken, diagnostics)
