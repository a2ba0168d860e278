"""Search: Pagefind indexes the site's searchable pages while the rest is still rendering.

The build starts Pagefind as a service (`pagefind --service`, the protocol its Python package
speaks) before it renders, and hands it each searchable page as soon as the page is written,
so Pagefind works on one core while the render uses the others; once the last page is in, it
writes its bundle into `pagefind/` under the new site, inside `write.staged_site`, so a failed
index leaves the previous site in place. Only the pages the plan marks `Page.searchable` (those
with `data-pagefind-body` on their `<main>`) are handed over: Pagefind never reads the others.

Pagefind numbers pages in the order they come, and the numbers are in its index files, so the
pages are handed over in one fixed order (the plan's), never in the order the workers finish.

Pagefind comes from PyPI (`pagefind[bin]` ships the binary inside the package). What it
indexes within a page is decided by the templates: `data-pagefind-ignore` on quotes that
aggregate pages repeat (each passage is indexed once, on its source page) and on the notes' tag
lists and links, and `data-pagefind-filter` / `data-pagefind-weight` for filters and ranking.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import subprocess
import tempfile
from pathlib import Path

from .write import write_file

BUNDLE_DIR = "pagefind"
"""The bundle's folder under the site root; templates load `<base path>pagefind/pagefind.js`."""

UNUSED_UI_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
"""Pagefind's own search interfaces (about 400 KB). The site has its own (`static/search.js`,
on Pagefind's JavaScript API), so these are removed rather than published unused."""

PIPE_BYTES = 1 << 20
"""The capacity asked for the pipe into Pagefind: the build seldom waits for Pagefind to read."""


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


class Indexer:
    """One Pagefind service indexing the site being written at `site`: `add` each searchable
    page once it is on disk (always in the same order), then `finish`. Used as a context
    manager, which stops Pagefind however the block ends."""

    def __init__(self, site: Path):
        self.site = Path(site)
        executable = pagefind_executable()
        self._log = tempfile.TemporaryFile()  # Pagefind's own messages, for the error report
        try:
            self._process = subprocess.Popen([str(executable), "--service"], cwd=self.site, stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=self._log)
        except OSError as error:
            self._log.close()
            raise SearchIndexError(f"could not run Pagefind ({executable}): {error}") from None
        try:
            import fcntl
            fcntl.fcntl(self._process.stdin.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        except (ImportError, OSError, AttributeError):  # above the system's limit, or not Linux: slower, not wrong
            pass
        self._replies = self._process.stdout.fileno()
        os.set_blocking(self._replies, False)
        self._received = bytearray()
        self._sent = 0
        self._send({"type": "NewIndex", "config": None})

    def __enter__(self) -> "Indexer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def add(self, rel: str) -> None:
        """Index the written page `rel` (a path under the site root)."""
        text = (self.site / rel).read_text(encoding="utf-8")
        self._send({"type": "AddFile", "index_id": 0, "file_path": rel, "url": None, "file_contents": text})
        self._read_replies()

    def finish(self) -> None:
        """Write the bundle into `site/pagefind/`; raise SearchIndexError on any failure.

        Pagefind is asked for the bundle's files rather than to write them: its service answers
        a request to write before the files are complete."""
        self._send({"type": "GetFiles", "index_id": 0})
        os.set_blocking(self._replies, True)
        files = self._read_replies(until=self._sent).get("files") or []
        if not any(file["path"] == "pagefind.js" for file in files):
            raise SearchIndexError(f"Pagefind finished but gave no pagefind.js:\n{self._output()}")
        bundle = self.site / BUNDLE_DIR
        for file in files:
            if file["path"] not in UNUSED_UI_FILES:
                write_file(bundle, file["path"], base64.b64decode(file["content"]))
        make_deterministic(bundle)

    def close(self) -> None:
        process = self._process
        if process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:  # the rest of a message Pagefind never read
                pass
        self._log.close()

    def _send(self, payload: dict) -> None:
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload}).encode("utf-8")
        try:
            self._process.stdin.write(base64.b64encode(message) + b",")  # Pagefind reads up to each comma
            self._process.stdin.flush()
        except OSError:
            self._process.wait()
            raise SearchIndexError(f"Pagefind stopped (exit status {self._process.returncode}):\n{self._output()}") from None

    def _read_replies(self, until: int | None = None) -> dict:
        """Take in what Pagefind has answered so far (one answer per message, in order), raising
        on an error; with `until`, wait for the answer to that message and return it."""
        while True:
            try:
                chunk = os.read(self._replies, PIPE_BYTES)
            except BlockingIOError:
                return {}
            if not chunk:
                if until is None:
                    return {}
                self._process.wait()
                raise SearchIndexError(f"Pagefind stopped (exit status {self._process.returncode}):\n{self._output()}")
            self._received += chunk
            if b"," not in chunk:  # no answer is complete yet (the bundle's comes in many pieces)
                continue
            *whole, rest = self._received.split(b",")
            self._received = bytearray(rest)
            for encoded in whole:
                try:
                    reply = json.loads(base64.b64decode(encoded))
                except ValueError:
                    raise SearchIndexError(f"Pagefind answered what it should not: {bytes(encoded[:200])!r}") from None
                payload = reply.get("payload") or {}
                if payload.get("type") == "Error":
                    raise SearchIndexError(f"Pagefind failed to index the site: {payload.get('message')}")
                if until is not None and reply.get("message_id") == until:
                    return payload

    def _output(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace").strip()


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
            data = _cbor_encode(index)
            new_hash = _short_hash(language, data, 7)
            renamed[old_hash] = (new_hash, data)
        for old_hash, (new_hash, data) in renamed.items():
            (bundle / "filter" / f"{old_hash}.pf_filter").unlink()
        for old_hash, (new_hash, data) in sorted(renamed.items(), key=lambda item: item[1][0]):
            _write_packed(bundle / "filter" / f"{new_hash}.pf_filter", data)
        for pair in filters:
            pair[1] = renamed[pair[1]][0]
        filters.sort(key=lambda pair: pair[0])
        meta_data = _cbor_encode(meta)
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
        value, end = _cbor_decode(data, 0)
    except (ValueError, IndexError, UnicodeDecodeError):
        return None
    if end != len(data) or _cbor_encode(value) != data:
        return None
    return value


def _write_packed(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + data, compresslevel=9, mtime=0))


def _cbor_decode(data: bytes, i: int):
    """The subset of CBOR Pagefind writes: integers, strings, byte strings and arrays."""
    head = data[i]
    major, info = head >> 5, head & 31
    i += 1
    if info < 24:
        arg = info
    elif info <= 27:
        size = 1 << (info - 24)
        arg = int.from_bytes(data[i:i + size], "big")
        i += size
    else:
        raise ValueError("indefinite or reserved CBOR length")
    if major == 0:
        return arg, i
    if major == 1:
        return -1 - arg, i
    if major == 2:
        return bytes(data[i:i + arg]), i + arg
    if major == 3:
        return data[i:i + arg].decode("utf-8"), i + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, i = _cbor_decode(data, i)
            items.append(item)
        return items, i
    raise ValueError(f"CBOR major type {major} is not expected here")


def _cbor_head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise ValueError("integer too large for CBOR")


def _cbor_encode(value) -> bytes:
    if isinstance(value, bool):
        raise ValueError("booleans are not expected here")
    if isinstance(value, int):
        return _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _cbor_head(3, len(encoded)) + encoded
    if isinstance(value, list):
        return _cbor_head(4, len(value)) + b"".join(_cbor_encode(item) for item in value)
    raise ValueError(f"cannot encode {type(value).__name__}")
