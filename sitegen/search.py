"""Search: index the freshly written site with Pagefind, as the writer's last step.

`index_site` runs on the new output folder inside `write.staged_site`, before that folder is
swapped in, so a failed index leaves the previous site in place.

Pagefind comes from PyPI (`pagefind[bin]` ships the binary inside the package); it writes
its bundle to `pagefind/` under the site root. What it indexes is decided by the plan
(`Page.searchable` puts `data-pagefind-body` on a page's `<main>`) and the templates:
`data-pagefind-ignore` on quotes that aggregate pages repeat (each passage is indexed once,
on its source page) and on the notes' tag lists and links, and `data-pagefind-filter` /
`data-pagefind-weight` for filters and ranking.

Pagefind is given the list of the pages to index (those the plan marks searchable), so it
never reads the others, such as the pages of single passages. The list goes in a config file
(`pagefind.json` in a folder of its own, Pagefind's working directory): on a large site it is
longer than a command line may be.

The index is built after everything is written: Pagefind's per-page work would only take a
core from the render, and most of its time goes to building the index once every page is in.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import subprocess
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

import cbor2

BUNDLE_DIR = "pagefind"
"""The bundle's folder under the site root; templates load `<base path>pagefind/pagefind.js`."""

UNUSED_UI_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
"""Pagefind's own search interfaces (about 400 KB). The site has its own (`static/search.js`,
on Pagefind's JavaScript API), so these are removed rather than published unused."""

TIMEOUT_SECONDS = 300


class SearchIndexError(RuntimeError):
    """Pagefind is missing or failed; the message says what happened and how to fix it."""


def pagefind_executable() -> Path:
    """The Pagefind binary that the `pagefind[bin]` package ships."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise SearchIndexError(
            "the Python package 'pagefind' is not installed\n"
            "    hint: pip install -e . (it installs pagefind[bin], which ships the Pagefind binary)"
        ) from None
    executable = get_executable()
    if executable is None or not Path(executable).is_file():
        raise SearchIndexError(
            "the Pagefind binary was not found\n"
            "    hint: pip install 'pagefind[bin]' (or set PAGEFIND_BINARY_PATH to a pagefind binary)"
        )
    return Path(executable)


def index_site(site: Path, pages: Iterable[str], meanwhile: Callable[[], None] | None = None) -> None:
    """Write the Pagefind bundle of `pages` (paths under the site root) into `site/pagefind/`;
    raise SearchIndexError on any failure.

    `meanwhile` runs while Pagefind works (the build frees its memory there).
    """
    site = Path(site)
    command = [str(pagefind_executable()), "--site", str(site), "--output-subdir", BUNDLE_DIR, "--silent"]
    with settings_for(pages) as settings:
        try:
            process = subprocess.Popen(command, cwd=settings, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        except OSError as error:
            raise SearchIndexError(f"could not run Pagefind ({command[0]}): {error}") from None
        try:
            if meanwhile is not None:
                meanwhile()
            output, _ = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise SearchIndexError(f"Pagefind did not finish in {TIMEOUT_SECONDS} s ({command[0]})") from None
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    output = output.strip()
    if process.returncode != 0:
        raise SearchIndexError(f"Pagefind failed to index the site (exit status {process.returncode}):\n{output}")
    if not (site / BUNDLE_DIR / "pagefind.js").is_file():
        raise SearchIndexError(f"Pagefind finished but wrote no bundle at {BUNDLE_DIR}/:\n{output}")
    remove_unused_ui(site / BUNDLE_DIR)
    make_deterministic(site / BUNDLE_DIR)


@contextlib.contextmanager
def settings_for(pages: Iterable[str]) -> Iterator[str]:
    """A folder of its own holding the `pagefind.json` that names `pages` (paths under the site
    root): run Pagefind there and it reads those pages only."""
    with tempfile.TemporaryDirectory(prefix="sitegen-pagefind-") as settings:
        glob = "{" + ",".join(_glob_literal(rel) for rel in pages) + "}"
        (Path(settings) / "pagefind.json").write_text(json.dumps({"glob": glob}), encoding="utf-8")
        yield settings


def _glob_literal(rel: str) -> str:
    """`rel` as a glob that matches only itself."""
    return "".join("\\" + char if char in GLOB_SPECIAL else char for char in rel)


GLOB_SPECIAL = frozenset("\\*?$:<>()[]{},!#")
"""Characters with a meaning in Pagefind's globs (the `wax` crate's patterns)."""


def remove_unused_ui(bundle: Path) -> None:
    for name in UNUSED_UI_FILES:
        (bundle / name).unlink(missing_ok=True)


# -- determinism ----------------------------------------------------------------------------------
#
# Pagefind (1.5.2) builds its filter indexes in a Rust HashMap, so the order of the filters in
# the language's meta file and of the values inside each filter file changes from run to run
# (upstream: "TODO: Change filter indexes to BTree to give them a stable hash", in
# pagefind/src/index/mod.rs). Everything else it writes is stable. The same input must give
# byte-identical output, so after Pagefind runs, each filter file is rewritten with its values
# sorted, the meta file with its filters sorted, and the content-hash file names Pagefind
# derives from them (and the meta hash in pagefind-entry.json) follow. Nothing else changes:
# the files are re-encoded in the same CBOR, and a file is only touched if decoding and
# re-encoding it reproduces Pagefind's bytes exactly, so a future format change leaves
# Pagefind's output as it is rather than corrupting it.

SIGNATURE = b"pagefind_dcd"


def make_deterministic(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry_text = entry_path.read_text(encoding="utf-8")
    entry = json.loads(entry_text)
    for language, info in sorted(entry.get("languages", {}).items()):
        old_meta_hash = info["hash"]
        meta_path = bundle / f"pagefind.{old_meta_hash}.pf_meta"
        meta = _read_packed(meta_path)
        if meta is None or not isinstance(meta, list):
            continue
        filters = _filter_table(meta, bundle)
        if filters is None:
            continue
        renamed = {}
        for pair in filters:
            name, old_hash = pair
            path = bundle / "filter" / f"{old_hash}.pf_filter"
            index = _read_packed(path)
            if not (isinstance(index, list) and len(index) == 2 and isinstance(index[1], list)):
                return
            index[1].sort(key=lambda value: value[0])
            data = cbor2.dumps(index)
            new_hash = _short_hash(language, data, 7)
            renamed[old_hash] = (new_hash, data)
        for old_hash, (new_hash, data) in renamed.items():
            (bundle / "filter" / f"{old_hash}.pf_filter").unlink()
        for old_hash, (new_hash, data) in sorted(renamed.items(), key=lambda item: item[1][0]):
            _write_packed(bundle / "filter" / f"{new_hash}.pf_filter", data)
        for pair in filters:
            pair[1] = renamed[pair[1]][0]
        filters.sort(key=lambda pair: pair[0])
        meta_data = cbor2.dumps(meta)
        new_meta_hash = _short_hash(language, meta_data, 10)
        meta_path.unlink()
        _write_packed(bundle / f"pagefind.{new_meta_hash}.pf_meta", meta_data)
        entry_text = entry_text.replace(f'"hash":"{old_meta_hash}"', f'"hash":"{new_meta_hash}"', 1)
    entry_path.write_text(entry_text, encoding="utf-8")


def _filter_table(meta: list, bundle: Path) -> list | None:
    """The meta file's list of [filter name, filter file hash] pairs, or None if it has none."""
    for item in meta:
        if (isinstance(item, list) and item
                and all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in item)
                and all((bundle / "filter" / f"{p[1]}.pf_filter").is_file() for p in item)):
            return item
    return None


def _short_hash(language: str, data: bytes, length: int) -> str:
    # Pagefind's full_hash: SHA-1, each byte in lowercase hex without zero padding.
    digest = "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())
    return f"{language}_{digest[:length]}"


def _read_packed(path: Path):
    """Decode one of Pagefind's gzipped CBOR files; None unless it re-encodes to the same bytes."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        return None
    data = raw[len(SIGNATURE):]
    try:
        value = cbor2.loads(data)
    except (cbor2.CBORDecodeError, UnicodeDecodeError):
        return None
    return value if cbor2.dumps(value) == data else None


def _write_packed(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + data, compresslevel=9, mtime=0))
