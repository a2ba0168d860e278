"""Write: put the rendered files on disk, all at once, so a failed build leaves the old site."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from contextlib import contextmanager
from typing import Iterable, Iterator

from .outdir import MARKER, MARKER_TEXT, remove_stale_stages


def write_file(root: Path, rel: str, data: bytes) -> None:
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def write_pieces(root: Path, rel: str, pieces: Iterable[str], hasher: hashlib.blake2b | None = None) -> None:
    """Write text as it is produced (UTF-8, line endings as given), without holding it all;
    `hasher`, when given, is fed the bytes written."""
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as out:
        _stream(out, pieces, hasher)


def update_pieces(out_dir: Path, rel: str, pieces: Iterable[str], hasher: hashlib.blake2b, last_digest: bytes | None) -> bool:
    """Write text as it is produced into a temporary file beside `rel`, hashing it, and swap it
    in only if its digest is not `last_digest` (or `rel` is missing): `serve` refreshes its data
    exports so, without holding a whole file in memory. True if written."""
    target = out_dir / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        with open(temporary, "wb") as out:
            _stream(out, pieces, hasher)
        if hasher.digest() == last_digest and target.exists():
            return False
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return True


def _stream(out, pieces: Iterable[str], hasher: hashlib.blake2b | None) -> None:
    for piece in pieces:
        data = piece.encode("utf-8")
        if hasher is not None:
            hasher.update(data)
        out.write(data)


@contextmanager
def staged_site(out_dir: Path) -> Iterator[Path]:
    """A fresh folder beside `out_dir` to write the new site into, swapped into place when the
    block ends without an error; on any error it is removed and the old site stays. The build's
    workers write their pages straight into it, and Pagefind indexes it before the swap.
    Staging folders that a killed build left beside `out_dir` are removed first.
    """
    out_dir = Path(os.path.abspath(out_dir))
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    remove_stale_stages(out_dir)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-{os.getpid()}-", dir=parent))
    retired = parent / f".{out_dir.name}.old-{os.getpid()}"
    try:
        write_file(fresh, MARKER, MARKER_TEXT)  # first: a killed build's folder is known to be ours
        fresh.chmod(0o755)
        yield fresh
        if out_dir.exists():
            os.rename(out_dir, retired)
        os.rename(fresh, out_dir)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        if retired.exists() and not out_dir.exists():
            os.rename(retired, out_dir)
        raise
    if retired.is_symlink():  # `--out` was a link to a folder: the link goes, the folder it named stays
        retired.unlink()
    else:
        shutil.rmtree(retired, ignore_errors=True)


def hasher():
    """What files are told apart by: a hash to feed a file's bytes as they are written."""
    return hashlib.blake2b(digest_size=16)


def digest(data: bytes) -> bytes:
    running = hasher()
    running.update(data)
    return running.digest()
