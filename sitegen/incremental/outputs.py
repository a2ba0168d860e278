"""Output files by digest: what is on disk is rewritten only when its bytes change."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable


def hasher():
    return hashlib.blake2b(digest_size=16)


def digest(data: bytes) -> bytes:
    running = hasher()
    running.update(data)
    return running.digest()


def prune_empty_dirs(out: Path, removed: Iterable[str]) -> None:
    """Remove folders that removing pages left empty (a deleted source's `sources/<id>/`)."""
    for rel in removed:
        parent = (out / rel).parent
        while parent != out and parent.is_dir():
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
