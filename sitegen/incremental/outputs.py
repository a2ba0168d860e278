"""The output folder as `serve` keeps track of it: a digest of each file on disk, so that a file
is written only when its bytes change."""

from __future__ import annotations

import os
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .. import export
from ..write import digest, hasher, update_pieces


@dataclass
class OutputFolder:
    path: Path
    digests: dict[str, bytes] = field(default_factory=dict)
    """Output path -> digest of the bytes on disk (pages, static files, data files)."""

    def write(self, files: dict[str, bytes], removed: tuple[str, ...] = ()) -> list[str]:
        """Write the files whose bytes differ from what is on disk (by digest); delete `removed`
        and the folders that leaves empty. Returns what was written or deleted."""
        to_write = {}
        for rel, data in files.items():
            new = digest(data)
            if self.digests.get(rel) != new:
                to_write[rel] = data
                self.digests[rel] = new
        written = update_files(self.path, to_write, removed)
        for rel in removed:
            self.digests.pop(rel, None)
        return written

    def update_exports(self, parts: Iterable[Callable[[export.Emit], None]], pages: Container[str]) -> list[str]:
        """Write the `data/` exports whose bytes changed, as they are made, and delete the ones
        no longer made; returns what was written or deleted."""
        written: list[str] = []
        exported: set[str] = set()

        def update(rel: str, pieces: Iterable[str]) -> None:
            exported.add(rel)
            running = hasher()
            if update_pieces(self.path, rel, pieces, running, self.digests.get(rel)):
                written.append(rel)
            self.digests[rel] = running.digest()

        for part in parts:
            part(update)
        removed = tuple(r for r in self.digests if r.startswith("data/") and r not in exported and r not in pages)
        return written + self.write({}, removed)


def update_files(out_dir: Path, files: Mapping[str, bytes], removed: tuple[str, ...] = ()) -> list[str]:
    """Write `files` (each through a temporary file, swapped in) and delete `removed`, and the
    folders that leaves empty (a deleted source's `sources/<id>/`); returns what was written or
    deleted."""
    for rel, data in sorted(files.items()):
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
    gone = [rel for rel in removed if (out_dir / rel).exists()]
    for rel in gone:
        (out_dir / rel).unlink()
    for rel in removed:
        parent = (out_dir / rel).parent
        while parent != out_dir and parent.is_dir():
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
    return sorted(files) + gone
