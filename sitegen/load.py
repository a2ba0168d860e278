"""Load: find every content file, decide its kind and id, and read it as UTF-8 text."""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .diagnostics import Diagnostic, did_you_mean

KINDS = ("actors", "motives", "sources", "events", "arguments", "translations")
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

    @property
    def key(self) -> str:
        """The item's key in its kind's mapping: `<source-id>/<id>` for an annotation, else its id."""
        return f"{self.source_id}/{self.id}" if self.source_id else self.id


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


MAX_FILE_BYTES = 2 * 1024 * 1024
"""The largest content file read (2 MiB): a long article is a few hundred KiB."""

_NOT_REGULAR = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"),
                (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A content path that is no content file, or a file that could not be read."""

    problem: Diagnostic
    key: str = ""
    """`kind:id` of the item the file would be (see `Loaded.unreadable`); empty when it names none."""


def _not_a_file(path: Path, display: str) -> Diagnostic | None:
    """Why `path` is no file to read (a link, a pipe, a device, a folder that cannot be listed),
    or None for a regular file. Raises IsADirectoryError for a folder that can be listed (it is
    walked on its own) and FileNotFoundError when the path is gone."""
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISDIR(mode):
            with os.scandir(path):
                pass
            raise IsADirectoryError(path)
    except (FileNotFoundError, IsADirectoryError):
        raise
    except OSError as error:
        return _os_problem(display, "folder" if os.path.isdir(path) else "file", error)
    what = next((name for test, name in _NOT_REGULAR if test(mode)), "")
    if not what:
        return None
    hint = ("links are not followed, so that nothing from outside the content folder is published: "
            "put the file itself here" if what == "a symbolic link" else "content files are ordinary text files: remove it")
    return Diagnostic(display, 1, f"'{os.path.basename(display)}' is {what}, not a regular file", hint)


def read_content(path: Path, display: str) -> bytes | Diagnostic:
    """A regular file's bytes as `RawFile.data` keeps them, or why they cannot be: never read
    through a symbolic link, never a pipe or a device, never more than MAX_FILE_BYTES. Raises
    FileNotFoundError when the file is gone."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise
    except OSError as error:
        return _os_problem(display, "file", error)
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):  # replaced since it was listed
            return Diagnostic(display, 1, f"'{os.path.basename(display)}' is not a regular file",
                              "content files are ordinary text files: remove it")
        # A read makes room for as many bytes as it asks for: ask for what the file holds, and
        # for the rest only if it grew since.
        data = handle.read(min(status.st_size, MAX_FILE_BYTES) + 1)
        if len(data) > status.st_size:
            data += handle.read(MAX_FILE_BYTES + 1 - len(data))
    if len(data) > MAX_FILE_BYTES:
        return Diagnostic(display, 1, f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB, the most a content file may hold",
                          "split it, or check that it is the file you meant")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return Diagnostic(display, line, f"file is not UTF-8 (byte 0x{data[error.start]:02x} cannot be decoded)",
                          "save the file with UTF-8 encoding")
    # CR and LF are single bytes in UTF-8, never part of another character's: safe to replace here.
    return data.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")


def _os_problem(display: str, what: str, error: OSError) -> Diagnostic:
    reason = (error.strerror or type(error).__name__).lower()
    return Diagnostic(display, 1, f"cannot read the {what}: {reason}",
                      f"check that you may read the {what} (its permissions and owner)")


def item_key(kind: str, item_id: str, source_id: str = "") -> str:
    """`kind:id` of an item, as `Loaded.unreadable` and `Parsed.broken` name it."""
    return f"{kind}:{source_id}/{item_id}" if source_id else f"{kind}:{item_id}"


def load_file(content_dir: Path, rel: str) -> RawFile | Unreadable | None:
    """One path that `content_paths` gave: the file read, or why it cannot be content; None for
    scratch files and for folders. Raises FileNotFoundError when the path is gone."""
    kind = classify(rel)
    if kind is None:
        return None
    display = display_path(content_dir, rel)
    path = content_dir / rel
    try:
        problem = _not_a_file(path, display)
    except IsADirectoryError:
        return None
    key = "" if isinstance(kind, Diagnostic) else item_key(kind[0], kind[1], kind[2])
    if problem is None and isinstance(kind, Diagnostic):
        problem = Diagnostic(display, kind.line, kind.message, kind.hint)
    if problem is not None:
        return Unreadable(problem, key)
    data = read_content(path, display)
    if isinstance(data, Diagnostic):
        return Unreadable(data, key)
    return RawFile(rel, display, kind[0], kind[1], kind[2], data)


@dataclass(frozen=True, slots=True)
class Loaded:
    """What `load_tree` found."""

    files: tuple[RawFile, ...]
    """Readable content files, sorted by path."""
    problems: tuple[Diagnostic, ...]
    unreadable: frozenset[str]
    """`kind:id` of content files that exist but could not be read, so references to them are not reported again."""


def content_paths(content_dir: Path, under: str = "") -> list[str]:
    """Relative paths below `content_dir` (or its folder `under`) to give `load_file`, sorted:
    every entry that is not a folder to walk into (symbolic links to folders among them), and
    the folders that cannot be listed. Scratch folders are skipped."""
    rels = []
    unlisted: list[str] = []

    def note(error: OSError) -> None:
        unlisted.append(os.path.relpath(error.filename, content_dir) if error.filename else under or ".")

    for root, dirs, names in os.walk(content_dir / under if under else content_dir, onerror=note):
        base = Path(root).relative_to(content_dir)
        kept = []
        for name in sorted(dirs):
            if is_scratch(name):
                continue
            if os.path.islink(os.path.join(root, name)):
                rels.append((base / name).as_posix())
            else:
                kept.append(name)
        dirs[:] = kept
        rels.extend((base / n).as_posix() for n in names)
    rels.extend(Path(rel).as_posix() for rel in unlisted)
    return sorted(rels)


def gather(content_dir: Path, entries: Iterable[RawFile | Unreadable | None]) -> Loaded:
    """The `Loaded` for what `load_file` gave for each path, in the order of the paths."""
    files: list[RawFile] = []
    problems: list[Diagnostic] = []
    unreadable: set[str] = set()
    for entry in entries:
        if isinstance(entry, RawFile):
            files.append(entry)
        elif entry is not None:
            problems.append(entry.problem)
            if entry.key:
                unreadable.add(entry.key)
    if not any(f.kind == "site" for f in files) and not any(p.path.endswith("/" + SITE_FILE) for p in problems):
        problems.append(Diagnostic(display_path(content_dir, SITE_FILE), 1, "site.yaml is missing",
                                   "create it with at least `title: <the site's title>`"))
    return Loaded(tuple(files), tuple(problems), frozenset(unreadable))


def load_tree(content_dir: Path) -> Loaded:
    """Every content file under `content_dir`, and the problems found on the way."""
    if not content_dir.is_dir():
        problem = Diagnostic(str(content_dir), 1, "content folder not found", "pass --content DIR, or run from the project folder")
        return Loaded((), (problem,), frozenset())
    try:
        with os.scandir(content_dir):
            pass
    except OSError as error:
        return Loaded((), (_os_problem(str(content_dir), "folder", error),), frozenset())
    return gather(content_dir, (_load_listed(content_dir, rel) for rel in content_paths(content_dir)))


def _load_listed(content_dir: Path, rel: str) -> RawFile | Unreadable | None:
    try:
        return load_file(content_dir, rel)
    except FileNotFoundError:
        return Unreadable(Diagnostic(display_path(content_dir, rel), 1, "the file was removed while the content was read",
                                     "run the command again once the files are in place"))
