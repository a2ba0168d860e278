"""`build.py import-annotations FILE`: annotation files from W3C Web Annotation JSON.

Two shapes are read. Our own `data/annotations.jsonld` (see export.py) tags each annotation with
links to actor and motive pages (the first actor is `actor`, the others `involves`), classifies it
with its stance, identifies a reported speaker, carries a correction as an `editing` body, and
names it `<collection>#<source>/<id>`, which gives the file its id back. Hypothesis' API JSON
(`{"rows": [...]}`) has plain tags: `actor:<id>`, `motive:<id>`, `involves:<id>`,
`stance:<stance>` and `speaker:<id>`, which a `tagging` TextualBody may carry too.

Each annotation's targets are matched to a source by the source's `url` (or the address of its
page or text on this site), and its TextQuoteSelector's `exact` anchored in the source's text as
the build anchors quotes; `prefix`/`suffix` are written only when the passage occurs more than
once, and then only as many words of them as it takes. Nothing is overwritten, and every
annotation that is not written is reported with the reason.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from . import load
from .anchoring import Ambiguous, ContextMismatch, NormalisedText, NotFound, anchor_quote, normalise
from .diagnostics import Diagnostic, did_you_mean, shown
from .importing import markdown_block, quoted
from .parse import STANCES, parse_all
from .scaffold import passage_id
from .resolve import _closest_hint as closest_hint  # the hint `check` gives for a quote not found

_PAGE = re.compile(r"/(actors|motives|sources)/([a-z0-9]+(?:-[a-z0-9]+)*)/?$")
_TEXT_FILE = re.compile(r"/data/sources/([a-z0-9]+(?:-[a-z0-9]+)*)\.txt$")
_REF = re.compile(r"#([a-z0-9]+(?:-[a-z0-9]+)*)/([a-z0-9]+(?:-[a-z0-9]+)*)$")


@dataclass
class Incoming:
    """One annotation as read from the JSON, before it is matched to the content."""

    label: str
    """How messages name it: its id, or its place in the file."""
    ident: str = ""
    """Its id in the file, if it has one."""
    addresses: list[str] = field(default_factory=list)
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    actor: str = ""
    motives: list[str] = field(default_factory=list)
    involves: list[str] = field(default_factory=list)
    stance: str = ""
    speaker: str = ""
    correction: str = ""
    translation: str = ""
    commentary: str = ""
    featured: bool = False
    ref: tuple[str, str] | None = None
    """(source, id) that our own export names it by."""
    ignored: list[str] = field(default_factory=list)
    """Tags that say nothing this site reads."""


class Unreadable(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def read(path: Path) -> list[Incoming]:
    """The annotations in the JSON file at `path`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise Unreadable(Diagnostic(str(path), 1, f"could not read the file: {error.strerror}",
                                    "give the path of a .json or .jsonld file")) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", 1)
        raise Unreadable(Diagnostic(str(path), line, f"not JSON: {error}",
                                    "export the annotations as JSON (W3C Web Annotations, or Hypothesis' API)")) from None
    rows = list(_rows(data))
    if not rows and not _is_empty_list(data):
        raise Unreadable(Diagnostic(str(path), 1, "no annotations found in the file", "give an AnnotationCollection, "
                                    "an AnnotationPage, a list of Annotations, or Hypothesis' {\"rows\": [...]}"))
    return [_incoming(row, number) for number, row in enumerate(rows, 1)]


def _is_empty_list(data: Any) -> bool:
    return data == [] or isinstance(data, dict) and (data.get("rows") == [] or data.get("total") == 0)


def _rows(data: Any) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _rows(item)
    elif isinstance(data, dict):
        if "rows" in data:
            yield from _rows(data["rows"])
        elif data.get("type") == "AnnotationCollection":
            page = data.get("first")
            while isinstance(page, dict):
                yield from _rows(page.get("items", []))
                page = page.get("next")
        elif data.get("type") == "AnnotationPage":
            yield from _rows(data.get("items", []))
        elif "target" in data:
            yield data


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


def _address(value: Any) -> str:
    return value.get("id", "") if isinstance(value, dict) else value if isinstance(value, str) else ""


def _incoming(row: dict, number: int) -> Incoming:
    ident = str(row.get("id") or "")
    found = Incoming(label=f"'{shown(ident)}'" if ident else f"number {number}", ident=ident)
    ours = _REF.search(ident)
    if ours:
        found.ref = (ours.group(1), ours.group(2))
    if row.get("uri"):
        found.addresses.append(row["uri"])
    for target in _as_list(row.get("target")):
        found.addresses.append(_address(target.get("source") if isinstance(target, dict) else target))
        for selector in _as_list(target.get("selector") if isinstance(target, dict) else None):
            if isinstance(selector, dict) and selector.get("type") == "TextQuoteSelector" and not found.exact:
                found.exact = selector.get("exact", "")
                found.prefix, found.suffix = selector.get("prefix", ""), selector.get("suffix", "")
    for tag in row.get("tags") or []:
        _tag(found, str(tag))
    if row.get("text"):
        found.commentary = row["text"]
    for body in _as_list(row.get("body")):
        if isinstance(body, dict):
            _body(found, body)
    return found


def _tag(found: Incoming, tag: str) -> None:
    name, _, value = tag.partition(":")
    name, value = name.strip().lower(), value.strip()
    if name == "actor" and not found.actor:
        found.actor = value
    elif name in ("motive", "motives"):
        found.motives.append(value)
    elif name == "involves":
        found.involves.append(value)
    elif name == "stance":
        found.stance = value
    elif name == "speaker":
        found.speaker = value
    elif tag.strip().lower() == "featured":
        found.featured = True
    else:
        found.ignored.append(tag)


def _body(found: Incoming, body: dict) -> None:
    purpose = body.get("purpose")
    if body.get("type") == "Choice":  # our export: the commentary as plain text, then as written
        for item in _as_list(body.get("items")):
            if isinstance(item, dict) and item.get("purpose") == "commenting" and item.get("format") == "text/markdown":
                found.commentary = str(item.get("value", ""))
        return
    if body.get("type") == "TextualBody":
        value = str(body.get("value", ""))
        if purpose == "commenting":
            found.commentary = value
        elif purpose == "classifying":
            found.stance = value
        elif purpose == "editing":
            found.correction = value
        elif purpose == "describing":  # our export: the passage in the source's translation
            found.translation = value
        elif purpose == "highlighting" and value == "featured":
            found.featured = True
        elif purpose == "tagging":
            _tag(found, value)
        return
    page = _PAGE.search(_address(body.get("source")))
    if not page:
        return
    kind, ident = page.groups()
    if purpose == "identifying" and kind == "actors":
        found.speaker = ident
    elif purpose == "tagging" and kind == "motives":
        found.motives.append(ident)
    elif purpose == "tagging" and kind == "actors":
        if found.actor:
            found.involves.append(ident)
        else:
            found.actor = ident


@dataclass(frozen=True)
class Content:
    """What the annotations are matched against."""

    sources: dict[str, Any]
    actors: frozenset[str]
    motives: frozenset[str]
    quotes: dict[str, set[tuple[str, str]]]
    """source id -> (normalised quote, actor) of each annotation it has."""

    def source_for(self, addresses: list[str]) -> str | None:
        for address in addresses:
            for ident, source in self.sources.items():
                if address and source.url == address:
                    return ident
        for address in addresses:
            match = _PAGE.search(address) or _TEXT_FILE.search(address)
            if match and match.groups()[-1] in self.sources and (not _PAGE.search(address) or match.group(1) == "sources"):
                return match.groups()[-1]
        return None


def content_of(folder: Path) -> Content:
    parsed = parse_all(load.load_tree(folder))
    items = parsed.items
    quotes: dict[str, set[tuple[str, str]]] = {}
    for ann in items["annotations"].values():
        quotes.setdefault(ann.source_id, set()).add((normalise(ann.quote), ann.actor))
    return Content(items["sources"], frozenset(items["actors"]), frozenset(items["motives"]), quotes)


class NotImported(Exception):
    """Why one annotation is not written: a message and a hint."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


def _check_ids(content: Content, found: Incoming) -> None:
    if not found.actor:
        raise NotImported("it names no actor", "tag it 'actor:<id>' with the id of an actor in content/actors/")
    for what, ids, known in (("actor", [found.actor, *found.involves, *filter(None, [found.speaker])], content.actors),
                             ("motive", found.motives, content.motives)):
        for ident in ids:
            if ident not in known:
                raise NotImported(f"unknown {what} '{shown(ident)}'", did_you_mean(ident, known, f"add content/{what}s/"
                                  f"{load.suggest_id(ident)}.md first, or tag it with an existing {what}"))
    if not found.motives:
        raise NotImported("it names no motive", "tag it 'motive:<id>' with the id of a motive in content/motives/")
    if found.stance and found.stance not in STANCES:
        raise NotImported(f"unknown stance '{shown(found.stance)}'",
                          "a stance is asserts (the default), considers, disputes or reports")
    if bool(found.speaker) != (found.stance == "reports"):
        raise NotImported("a speaker goes with the stance 'reports', and 'reports' with a speaker",
                          "tag it both 'stance:reports' and 'speaker:<actor id>', or neither")


def _context(text: NormalisedText, original: str, exact: str, prefix: str, suffix: str) -> tuple[str, str, Any]:
    """The fewest words of `prefix`, then of `suffix`, that single the passage out, and its anchor."""
    result = anchor_quote(text, original, exact)
    if not isinstance(result, Ambiguous):
        return "", "", result
    before, after = prefix.split(), suffix.split()
    tries = [(" ".join(before[-n:]), "") for n in range(1, len(before) + 1)]
    tries += [(prefix.strip(), " ".join(after[:n])) for n in range(1, len(after) + 1)]
    for want_prefix, want_suffix in tries:
        result = anchor_quote(text, original, exact, want_prefix, want_suffix)
        if not isinstance(result, Ambiguous):
            return want_prefix, want_suffix, result
    return "", "", result


def render(found: Incoming, exact: str, prefix: str, suffix: str) -> str:
    lines = ["---", f"actor: {found.actor}", f"motives: [{', '.join(found.motives)}]"]
    if found.stance and found.stance != STANCES[0]:
        lines.append(f"stance: {found.stance}")
    if found.speaker:
        lines.append(f"speaker: {found.speaker}")
    if found.involves:
        lines.append(f"involves: [{', '.join(found.involves)}]")
    lines += [f"{name}: {quoted(value)}" for name, value in
              (("prefix", prefix), ("suffix", suffix), ("correction", found.correction)) if value]
    if found.featured:
        lines.append("featured: true")
    if found.translation:
        lines.append(f"translation: {quoted(found.translation)}")
    quote = "\n>\n".join(markdown_block("quote", " ".join(part.split())) for part in re.split(r"\n\s*\n", exact.strip()))
    lines += ["---", "", quote]
    if found.commentary.strip():
        lines += ["", found.commentary.strip()]
    return "\n".join(lines) + "\n"


def prepare(content: Content, found: Incoming, folder: Path) -> tuple[Path, str]:
    """The path and text of the annotation's file; NotImported says why there is none."""
    source_id = content.source_for(found.addresses)
    if source_id is None:
        shown_addresses = ", ".join(sorted({shown(a) for a in found.addresses if a})) or "none"
        raise NotImported(f"no source has its address ({shown_addresses})",
                          "import the article first (python build.py import), or set the source's url to this address")
    if not found.exact.strip():
        raise NotImported("it quotes no passage (no TextQuoteSelector)", "only annotations of a passage can be imported")
    _check_ids(content, found)
    original = content.sources[source_id].body.text
    prefix, suffix, anchor = _context(NormalisedText.of(original), original, found.exact, found.prefix, found.suffix)
    if isinstance(anchor, NotFound):
        raise NotImported(f"quote not found in source '{source_id}'", closest_hint(normalise(found.exact), anchor))
    if isinstance(anchor, Ambiguous):
        raise NotImported(f"quote occurs {anchor.count} times in source '{source_id}', and its prefix and suffix "
                          "do not single one out", "add the passage by hand, with a 'prefix:' that picks one")
    if isinstance(anchor, ContextMismatch):
        raise NotImported(f"the quote's {anchor.field} does not match source '{source_id}'",
                          f"the source has “{shown(anchor.actual)}” there")
    key = (normalise(anchor.exact), found.actor)
    if key in content.quotes.get(source_id, set()):
        raise NotImported(f"source '{source_id}' already has this passage annotated for '{found.actor}'",
                          "nothing to import; edit the existing file to change it")
    target = folder / source_id
    taken = {p.stem for p in target.glob("*.md")} if target.is_dir() else set()
    if found.ref and found.ref[0] == source_id:
        ident = found.ref[1]
        if ident in taken:
            raise NotImported(f"content/annotations/{source_id}/{ident}.md already exists",
                              "it is not overwritten: remove it first to import this one again")
    else:
        ident = passage_id(anchor.exact, taken)
    content.quotes.setdefault(source_id, set()).add(key)
    return target / f"{ident}.md", render(found, anchor.exact, prefix, suffix)


def _line_of(text: str, found: Incoming) -> int:
    """The line of the file where the annotation's id stands (1 when it has none)."""
    at = text.find(json.dumps(found.ident, ensure_ascii=False)) if found.ident else -1
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def run(content_dir: Path, path: Path) -> int:
    """The `import-annotations` command: its exit status."""
    if not content_dir.is_dir():
        print(f"{content_dir}:1: content folder not found\n    hint: pass --content DIR, or run from the project folder",
              file=sys.stderr)
        return 2
    try:
        incoming = read(path)
    except Unreadable as error:
        print(error.diagnostic.format(), file=sys.stderr)
        return 1
    raw = path.read_text(encoding="utf-8")
    content = content_of(content_dir)
    folder = content_dir / "annotations"
    written, refused = [], 0
    for found in incoming:
        try:
            target, text = prepare(content, found, folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("x", encoding="utf-8") as out:
                out.write(text)
        except NotImported as why:
            refused += 1
            print(Diagnostic(str(path), _line_of(raw, found), f"annotation {found.label} not imported: {why.message}",
                             why.hint).format(), file=sys.stderr)
            continue
        written.append(target)
        for tag in found.ignored:
            print(Diagnostic(str(path), _line_of(raw, found), f"annotation {found.label}: tag '{shown(tag)}' ignored",
                             "tags this site reads: actor:, motive:, involves:, stance:, speaker:", "warning").format(),
                  file=sys.stderr)
    for target in written:
        print(f"wrote {load.display_path(content_dir, target.relative_to(content_dir).as_posix())}")
    print(f"{len(written)} annotation(s) written, {refused} not imported; then run python build.py check", file=sys.stderr)
    return 1 if refused else 0
