"""Write: put the rendered files on disk, all at once, so a failed build leaves the old site."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from contextlib import contextmanager
from typing import Iterable, Iterator, Mapping


def write_file(root: Path, rel: str, data: bytes) -> None:
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def write_pieces(root: Path, rel: str, pieces: Iterable[str]) -> None:
    """Write text as it is produced (UTF-8, line endings as given), without holding it all."""
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="") as out:
        for piece in pieces:
            out.write(piece)


@contextmanager
def staged_site(out_dir: Path) -> Iterator[Path]:
    """A fresh folder beside `out_dir` to write the new site into, swapped into place when the
    block ends without an error; on any error it is removed and the old site stays. The build's
    workers write their pages straight into it, and Pagefind indexes it before the swap.
    """
    out_dir = Path(os.path.abspath(out_dir))
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=parent))
    retired = parent / f".{out_dir.name}.old-{os.getpid()}"
    try:
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
    shutil.rmtree(retired, ignore_errors=True)


def update_files(out_dir: Path, files: Mapping[str, bytes], removed: tuple[str, ...] = ()) -> list[str]:
    """Rewrite only the files whose bytes changed (used by `serve`); returns what was written."""
    written = []
    for rel in sorted(files):
        target = out_dir / rel
        data = files[rel]
        if target.exists() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        written.append(rel)
    for rel in removed:
        target = out_dir / rel
        if target.exists():
            target.unlink()
            written.append(rel)
    return written
