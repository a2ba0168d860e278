"""Invalid-input cases: each folder under tests/invalid/ changes a copy of the fixture site.

A case folder holds
- `overlay/`: files written over the fixture's content (same relative paths);
- `remove.txt` (optional): content paths to delete, one per line;
- `expected.txt`: the exact error output `build.py check` must print (stderr).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .conftest import FIXTURE_CONTENT

CASES_DIR = Path(__file__).resolve().parent / "invalid"


def case_names() -> list[str]:
    return sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())


def make_content(case: str, workdir: Path) -> Path:
    """Copy the fixture content into `workdir/content` and apply the case to it."""
    content = workdir / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    case_dir = CASES_DIR / case
    removals = case_dir / "remove.txt"
    if removals.exists():
        for line in removals.read_text().splitlines():
            if line.strip():
                target = content / line.strip()
                shutil.rmtree(target) if target.is_dir() else target.unlink()
    overlay = case_dir / "overlay"
    if overlay.is_dir():
        for path in sorted(overlay.rglob("*")):
            if path.is_file():
                target = content / path.relative_to(overlay)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(path.read_bytes())
    return content
