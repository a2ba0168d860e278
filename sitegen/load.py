"""Load: find every content file, decide its kind and id, and read it as UTF-8 text."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, did_you_mean

KINDS = ("actors", "motives", "sources", "events", "arguments")
"""Folders whose markdown files are one item each."""
ANNOTATIONS = "annotations"
SITE_FILE = "site.yaml"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class RawFile:
    """A content file read from disk, not yet parsed."""

    rel: str
    """Path relative to the content folder, with `/` separators."""
    display: str
    """Path as shown in messages: the content folder as given, joined with `rel`."""
    kind: str
    """`site`, one of KINDS, or `annotations`."""
    id: str
    """The file name without `.md`; for annotations, the annotation id."""
    source_id: str
    """For annotations, the folder naming the source; empty otherwise."""
    data: bytes
    """The file's UTF-8 (checked), without a byte-order mark, lines ending in LF; read it as
    `text`. Bytes, because `serve` keeps every file between edits, and as a `str` an article
    takes two bytes a character once it holds one typographic quote."""

    @property
    def text(self) -> str:
        return self.data.decode()


def is_scratch(name: str) -> bool:
    """Editor swap files, backups and hidden files: never content, never an error."""
    return (
        name.startswith((".", "#"))
        or name.endswith(("~", ".swp", ".swx", ".tmp", ".bak"))
        or name == "4913"  # vim's probe file when it checks that a folder is writable
    )


def suggest_id(stem: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "item"


def display_path(content_dir: Path, rel: str) -> str:
    return os.path.normpath(os.path.join(str(content_dir), rel)).replace(os.sep, "/")


def classify(rel: str) -> tuple[str, str, str] | Diagnostic | None:
    """(kind, id, source_id) for a relative path; a Diagnostic if it is no content; None to skip."""
    parts = rel.split("/")
    if any(is_scratch(p) for p in parts):
        return None
    name = parts[-1]
    if len(parts) == 1:
        if name == SITE_FILE:
            return ("site", "site", "")
        hint = "the content folder holds only site.yaml and the folders " + ", ".join(KINDS + (ANNOTATIONS,))
        return Diagnostic(rel, 1, f"'{name}' is not a content file", hint)
    folder = parts[0]
    if folder not in KINDS + (ANNOTATIONS,):
        hint = did_you_mean(folder, KINDS + (ANNOTATIONS,), "content folders are " + ", ".join(KINDS + (ANNOTATIONS,)))
        return Diagnostic(rel, 1, f"folder '{folder}' holds no content kind", hint)
    expected_depth = 3 if folder == ANNOTATIONS else 2
    if len(parts) != expected_depth:
        where = "content/annotations/<source-id>/<annotation-id>.md" if folder == ANNOTATIONS else f"{folder}/<id>.md"
        return Diagnostic(rel, 1, f"'{rel}' is not where a {folder[:-1]} file goes", f"put it at {where}")
    if not name.endswith(".md"):
        stem = name.rsplit(".", 1)[0]
        return Diagnostic(rel, 1, f"'{name}' is not a markdown file", f"content items are markdown: rename it to '{suggest_id(stem)}.md'")
    item_id = name[:-3]
    if not ID_PATTERN.match(item_id):
        return Diagnostic(rel, 1, f"'{item_id}' is not a valid id", f"ids use lowercase a-z, 0-9 and single hyphens: rename it to '{suggest_id(item_id)}.md'")
    if folder == ANNOTATIONS:
        source_id = parts[1]
        if not ID_PATTERN.match(source_id):
            return Diagnostic(rel, 1, f"'{source_id}' is not a valid source id", f"name the folder after the source file: '{suggest_id(source_id)}'")
        # Interned: annotation ids repeat across sources ('passage-1' in every folder), and the
        # ids stay in the model for the whole build.
        return (ANNOTATIONS, sys.intern(item_id), sys.intern(source_id))
    return (folder, sys.intern(item_id), "")


def read_content(path: Path, display: str) -> bytes | Diagnostic:
    """A content file's bytes as `RawFile.data` keeps them, or why they are not UTF-8."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return Diagnostic(display, line, f"file is not UTF-8 (byte 0x{data[error.start]:02x} cannot be decoded)",
                          "save the file with UTF-8 encoding")
    # CR and LF are single bytes in UTF-8, never part of another character's: safe to replace here.
    return data.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")


@dataclass(frozen=True, slots=True)
class Loaded:
    """What `load_tree` found."""

    files: tuple[RawFile, ...]
    """Readable content files, sorted by path."""
    problems: tuple[Diagnostic, ...]
    unreadable: frozenset[str]
    """`kind:id` of content files that exist but could not be read, so references to them are not reported again."""


def content_paths(content_dir: Path, under: str = "") -> list[str]:
    """Relative paths of the files below `content_dir` (or its folder `under`), sorted, scratch folders skipped."""
    rels = []
    for root, dirs, names in os.walk(content_dir / under if under else content_dir):
        dirs[:] = sorted(d for d in dirs if not is_scratch(d))
        base = Path(root).relative_to(content_dir)
        rels.extend((base / n).as_posix() for n in names)
    return sorted(rels)


def load_tree(content_dir: Path) -> Loaded:
    """Every content file under `content_dir`, and the problems found on the way."""
    files: list[RawFile] = []
    problems: list[Diagnostic] = []
    unreadable: set[str] = set()
    if not content_dir.is_dir():
        problems.append(Diagnostic(str(content_dir), 1, "content folder not found", "pass --content DIR, or run from the project folder"))
        return Loaded((), tuple(problems), frozenset())
    for rel in content_paths(content_dir):
        kind = classify(rel)
        if kind is None:
            continue
        display = display_path(content_dir, rel)
        if isinstance(kind, Diagnostic):
            problems.append(Diagnostic(display, kind.line, kind.message, kind.hint))
            continue
        data = read_content(content_dir / rel, display)
        if isinstance(data, Diagnostic):
            problems.append(data)
            unreadable.add(f"{kind[0]}:{kind[2]}/{kind[1]}" if kind[2] else f"{kind[0]}:{kind[1]}")
            continue
        files.append(RawFile(rel, display, kind[0], kind[1], kind[2], data))
    if not any(f.kind == "site" for f in files) and not any(p.path.endswith("/" + SITE_FILE) for p in problems):
        problems.append(Diagnostic(display_path(content_dir, SITE_FILE), 1, "site.yaml is missing",
                                   "create it with at least `title: <the site's title>`"))
    return Loaded(tuple(files), tuple(problems), frozenset(unreadable))
