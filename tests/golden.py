"""The fixture site's golden output: `make golden` (python -m tests.golden) rewrites it.

The golden copy is the fixture built at `/`, minus the search bundle (Pagefind's binary
index is checked by the search tests) and the static assets (copied verbatim from
templates/static/, which test_golden checks directly). A preview card is kept as a line that
says its size and mode (`x/card.png.txt`): its pixels depend on the FreeType that Pillow
bundles, and test_sharing checks that a build draws the same bytes every time.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from io import BytesIO
from pathlib import Path

from PIL import Image

from .conftest import FIXTURE_CONTENT, ROOT, run_build

GOLDEN = ROOT / "tests" / "fixtures" / "site" / "expected"
EXCLUDED = ("pagefind/", "static/")


def site_files(root: Path) -> dict[str, bytes]:
    files = {
        rel: path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not (rel := path.relative_to(root).as_posix()).startswith(EXCLUDED)
    }
    return {(rel + ".txt" if rel.endswith(".png") else rel): (image_summary(data) if rel.endswith(".png") else data)
            for rel, data in files.items()}


def image_summary(data: bytes) -> bytes:
    image = Image.open(BytesIO(data))
    return f"PNG {image.width}x{image.height} mode {image.mode}, {len(image.getpalette() or ()) // 3} colours\n".encode()


def build_fixture(out: Path) -> None:
    result = run_build("build", "--content", str(FIXTURE_CONTENT), "--out", str(out))
    if result.returncode != 0:
        sys.exit(result.stderr)


def regenerate() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        build_fixture(out)
        if GOLDEN.exists():
            shutil.rmtree(GOLDEN)
        for rel, data in site_files(out).items():
            target = GOLDEN / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    print(f"wrote {GOLDEN.relative_to(ROOT)}")


if __name__ == "__main__":
    regenerate()
