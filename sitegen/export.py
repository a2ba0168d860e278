"""Export: the content as open data under `data/`, streamed to the writer.

- `data/site.json`: the whole model (site, actors, motives, sources, annotations, events,
  arguments) and the attributions derived from it; each link between items is written once,
  in the item it comes from.
- `data/annotations.csv`: one row per annotation, every cell quoted, and a cell that a
  spreadsheet would read as a formula (`=...`, `-2+3`) prefixed with `'`.
- `data/annotations.jsonld`: the annotations as W3C Web Annotations (an AnnotationCollection).
- `data/sources/<id>.txt`: each source's plain text, the text that quotes anchor in; the
  TextPositionSelectors of the JSON-LD count characters (Unicode code points) of these files
  (a target into one of them has that selector alone: the quote is on the other targets).
  A source shown in excerpts (`reproduce: excerpts`) has none: only its passages are published.

Everything is deterministic: items sorted by id, keys in a fixed order, no timestamps.

The long lists are `Stream`s: each item is built, encoded and dropped in turn, so exporting
a large site never holds the whole document in memory.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Callable, Iterable, Iterator

from .derive import Index
from .markdown import render_body
from .model import Annotation, Body, Model
from .urls import Urls, link_kind, title_of, written

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
FORMAT_VERSION = 4
"""Bumped when a field of site.json changes meaning or disappears (adding one does not)."""

CSV_COLUMNS = (
    "ref", "source", "annotation", "source_title", "actor", "actor_name", "motives", "motive_labels",
    "stance", "speaker", "involves", "start", "end", "exact", "prefix", "suffix", "correction", "commentary", "page_url",
    "original_url",
)
"""Columns of annotations.csv, in order; list cells are joined with `;`."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a cell that begins with one of these as a formula (OWASP, "CSV Injection")."""


def csv_cell(value: object) -> object:
    """A cell as the CSV holds it: text that a spreadsheet would run as a formula gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


Emit = Callable[[str, Iterable[str]], None]
"""Receives one output file: its path under the site root and its text, in pieces."""


def data_files(model: Model, index: Index, urls: Urls) -> dict[str, bytes]:
    """Every file under `data/` (except the page `data/index.html`), keyed by output path."""
    files: dict[str, bytes] = {}

    def keep(rel: str, pieces: Iterable[str]) -> None:
        files[rel] = "".join(pieces).encode("utf-8")

    for part in data_parts(model, index, urls):
        part(keep)
    return files


def data_parts(model: Model, index: Index, urls: Urls) -> list[Callable[[Emit], None]]:
    """The export in independent parts, biggest first, so the build can share them between
    workers; each part hands its files to `emit`."""
    exporter = _Exporter(model, index, urls)

    def source_texts(emit: Emit) -> None:
        for source_id in sorted(model.sources):
            if not model.sources[source_id].excerpts:  # its text is not published, only its passages
                emit(source_text_path(source_id), (model.sources[source_id].plain_text,))

    return [
        lambda emit: emit("data/site.json", json_pieces(exporter.site_json())),
        lambda emit: emit("data/annotations.jsonld", json_pieces(exporter.annotations_jsonld())),
        lambda emit: emit("data/annotations.csv", exporter.annotations_csv()),
        source_texts,
    ]


def links(body: Body) -> list[str]:
    """The items a body links to, as `kind/id` (an annotation as `annotations/source/id`)."""
    return sorted({"/".join(link_kind(link.target)) for link in body.wikilinks})


def source_text_path(source_id: str) -> str:
    """Where a source's plain text is written, under the site root."""
    return f"data/sources/{source_id}.txt"


class Stream:
    """A JSON array whose items are made one at a time, as `json_pieces` writes them."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]):
        self.items = items


def _dumps(value: Any) -> str:
    # Compact, because only then does `json` use its C encoder; readers can pretty-print it.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_pieces(value: Any) -> Iterator[str]:
    """`value` as compact JSON text, in pieces, then a newline; `Stream`s in it are consumed
    item by item. Joined, the pieces equal `_dumps` of the same value with lists for streams."""
    yield from _pieces(value)
    yield "\n"


def _pieces(value: Any) -> Iterator[str]:
    if isinstance(value, Stream):
        yield "["
        for i, item in enumerate(value.items):
            yield ("," if i else "") + _dumps(item)
        yield "]"
    elif isinstance(value, dict) and any(isinstance(v, (Stream, dict)) for v in value.values()):
        yield "{"
        for i, (key, item) in enumerate(value.items()):
            yield ("," if i else "") + _dumps(str(key)) + ":"
            yield from _pieces(item)
        yield "}"
    else:
        yield _dumps(value)


class _Exporter:
    def __init__(self, model: Model, index: Index, urls: Urls):
        self.model = model
        self.index = index
        self.urls = urls

    # -- links and bodies ------------------------------------------------------------------

    def url(self, kind: str, ident: str | None = None) -> str:
        """Absolute when the site URL is known, else a root-relative URL with the base path; an
        event's is on the timeline page it stands on."""
        if kind == "events" and ident is not None:
            return self.urls.absolute("timeline_parts", self.index.event_part[ident]) + "#" + ident
        return self.urls.absolute(kind, ident)

    def title(self, target: str) -> str:
        return title_of(self.model, *link_kind(target)) if written(self.model, target) else target

    def resolve(self, target: str) -> tuple[str, str] | None:
        """A wikilink's address and title; None for an item not written yet (serve only)."""
        return (self.url(*link_kind(target)), self.title(target)) if written(self.model, target) else None

    def body(self, body: Body) -> dict[str, Any]:
        """A markdown body as HTML, and the items it links to. Its plain text (see `text`) is in
        the CSV and the JSON-LD, for the commentary and the correction; writing it here too made
        the export a third larger."""
        return {"html": render_body(body, self.resolve), "links": links(body)}

    def text(self, body: Body) -> str:
        """A body's plain text, a wikilink without a label read as its target's title."""
        text = body.text
        pieces, done = [], 0
        for link in body.wikilinks:
            if not link.label:
                pieces += [text[done:link.start], self.title(link.target)]
                done = link.start + len(link.target)
        pieces.append(text[done:])
        return "".join(pieces)

    # -- site.json -------------------------------------------------------------------------

    def site_json(self) -> dict[str, Any]:
        m = self.model
        site = m.site
        return {
            "format": "recognition-site/data",
            "version": FORMAT_VERSION,
            "site": {
                "title": site.title,
                "description": site.description,
                "language": site.language,
                "url": self.url("home"),
                "repository": self.urls.repository,
                "summary": self.body(site.summary),
                "about": self.body(site.about),
            },
            "files": {
                "site": self.url("data", "site.json"),
                "annotations_csv": self.url("data", "annotations.csv"),
                "annotations_jsonld": self.url("data", "annotations.jsonld"),
            },
            "actors": Stream(self.actor(i) for i in sorted(m.actors)),
            "motives": Stream(self.motive(i) for i in sorted(m.motives)),
            "sources": Stream(self.source(i) for i in sorted(m.sources)),
            "annotations": Stream(self.annotation(r) for r in sorted(m.annotations)),
            "events": Stream(self.event(i) for i in sorted(m.events)),
            "arguments": Stream(self.argument(i) for i in sorted(m.arguments)),
            "attributions": Stream(self.attribution(cell) for cell in sorted(self.index.attributions)),
        }

    def actor(self, ident: str) -> dict[str, Any]:
        a = self.model.actors[ident]
        return {
            "id": a.id, "url": self.url("actors", a.id), "name": a.name, "kind": a.kind, "primary": a.primary,
            "position": a.position, "evidence": list(a.evidence), "profile": self.body(a.body),
            "own_words_searched": a.own_words_searched,
        }

    def motive(self, ident: str) -> dict[str, Any]:
        m = self.model.motives[ident]
        return {"id": m.id, "url": self.url("motives", m.id), "label": m.label, "group": m.group,
                "definition": self.body(m.body)}

    def source(self, ident: str) -> dict[str, Any]:
        s = self.model.sources[ident]
        return {
            "id": s.id, "url": self.url("sources", s.id), "title": s.title, "subtitle": s.subtitle,
            "authors": list(s.authors), "publication": s.publication,
            "published": s.published.iso(), "original_url": s.url, "normalised": list(s.normalised),
            "text_url": None if s.excerpts else self.url("data", f"sources/{s.id}.txt"),
            "language": s.language or self.model.site.language, "translation": self.translation(s.id),
            "reproduce": s.reproduce, "rights": s.rights, "partial": s.partial, "missing": s.missing,
            "copies": [{"url": c.url, "label": c.label} for c in s.copies],
            "links": links(s.body),
        }

    def translation(self, ident: str) -> dict[str, Any] | None:
        t = self.model.translations.get(ident)
        if t is None:
            return None
        return {"language": t.language, "by": t.by, "url": t.url, "title": t.title, "paragraphs": list(t.paragraphs)}

    def annotation(self, ref: str) -> dict[str, Any]:
        a = self.model.annotations[ref]
        anchor = a.anchor
        return {
            "ref": a.ref, "source": a.source_id, "id": a.id, "url": self.url("annotations", a.ref),
            "actor": a.actor, "motives": list(a.motives), "stance": a.stance, "speaker": a.speaker or None,
            "involves": list(a.involves), "exact": anchor.exact, "start": anchor.start, "end": anchor.end,
            "prefix": anchor.prefix, "suffix": anchor.suffix,
            "correction": a.correction, "commentary": self.body(a.commentary), "translation": a.translation,
        }

    def event(self, ident: str) -> dict[str, Any]:
        e = self.model.events[ident]
        return {
            "id": e.id, "url": self.url("events", e.id), "date": e.date.iso(),
            "end": e.end.iso() if e.end else None, "after": list(e.after), "title": e.title,
            "actors": list(e.actors), "evidence": list(e.evidence), "description": self.body(e.body),
        }

    def argument(self, ident: str) -> dict[str, Any]:
        g = self.model.arguments[ident]
        basis = self.index.argument_basis[ident]
        return {
            "id": g.id, "url": self.url("arguments", g.id), "claim": g.claim, "actors": list(g.actors),
            "motives": list(g.motives), "evidence": list(g.evidence), "disputed_by": list(g.disputed_by),
            "made_in": list(basis.made_in), "considered_in": list(basis.considered_in),
            "disputed_in": list(basis.disputed_in), "supports": list(g.supports),
            "opposes": list(g.opposes), "reasoning": self.body(g.body),
        }

    def attribution(self, cell: tuple[str, str]) -> dict[str, Any]:
        a = self.index.attributions[cell]
        return {
            "actor": a.actor, "motive": a.motive, "asserted_in": list(a.asserted_in),
            "considered_in": list(a.considered_in), "disputed_in": list(a.disputed_in),
            "reported_in": list(a.reported_in),
        }

    # -- annotations.csv -------------------------------------------------------------------

    def annotations_csv(self) -> Iterator[str]:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
        writer.writerow(CSV_COLUMNS)
        m = self.model
        for ref in sorted(m.annotations):
            a = m.annotations[ref]
            source = m.sources[a.source_id]
            row = {
                "ref": a.ref, "source": a.source_id, "annotation": a.id, "source_title": source.title,
                "actor": a.actor, "actor_name": m.actors[a.actor].name,
                "motives": ";".join(a.motives), "motive_labels": ";".join(m.motives[x].label for x in a.motives),
                "stance": a.stance, "speaker": a.speaker,
                "involves": ";".join(a.involves), "start": a.anchor.start, "end": a.anchor.end,
                "exact": a.anchor.exact, "prefix": a.anchor.prefix, "suffix": a.anchor.suffix,
                "correction": a.correction, "commentary": self.text(a.commentary),
                "page_url": self.url("annotations", a.ref), "original_url": source.url,
            }
            writer.writerow([csv_cell(row[c]) for c in CSV_COLUMNS])
            if out.tell() > 1 << 16:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        yield out.getvalue()

    # -- annotations.jsonld ----------------------------------------------------------------

    def annotations_jsonld(self) -> dict[str, Any]:
        collection = self.url("data", "annotations.jsonld")
        refs = sorted(self.model.annotations)
        items = Stream(self.web_annotation(self.model.annotations[r], collection) for r in refs)
        return {
            "@context": ANNO_CONTEXT,
            "id": collection,
            "type": "AnnotationCollection",
            "label": f"Annotated passages of {self.model.site.title}",
            "total": len(refs),
            "first": {
                "id": f"{collection}#page-1",
                "type": "AnnotationPage",
                "startIndex": 0,
                "items": items,
            },
        }

    def web_annotation(self, a: Annotation, collection: str) -> dict[str, Any]:
        m = self.model
        source = m.sources[a.source_id]
        language = m.site.language
        text_language = source.language or language
        anchor = a.anchor
        quote = {"type": "TextQuoteSelector", "exact": anchor.exact}
        # At the very start or end of the text there is nothing before or after: leave it out.
        quote.update({k: v for k, v in (("prefix", anchor.prefix), ("suffix", anchor.suffix)) if v})
        def text(purpose: str, value: str, language: str = "en") -> dict[str, Any]:
            return {"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain", "language": language}

        def item(purpose: str, kind: str, ident: str) -> dict[str, Any]:
            return {"type": "SpecificResource", "purpose": purpose,
                    "source": {"id": self.url(kind, ident), "label": self.title(f"{kind}/{ident}")}}

        body: list[dict[str, Any]] = []
        commentary = self.text(a.commentary)
        if commentary:
            comment = text("commenting", commentary, language)
            markdown = a.commentary.markdown.decode().strip()
            # The commentary as written, where it has markup or wikilinks, as a second choice after the
            # plain text: `import-annotations` reads it back to the same file.
            if markdown != commentary:
                comment = {"type": "Choice", "items": [comment, dict(comment, value=markdown, format="text/markdown")]}
            body.append(comment)
        tags = [("actors", a.actor)] + [("motives", x) for x in a.motives] + [("actors", x) for x in a.involves]
        body += [item("tagging", kind, ident) for kind, ident in tags]
        # The stance classifies the annotation; with `reports`, the speaker is whose words the source relays.
        body.append(text("classifying", a.stance))
        if a.speaker:
            body.append(item("identifying", "actors", a.speaker))
        if a.featured:  # the passage the editors show in full for its actor and motives
            body.append(text("highlighting", "featured"))
        if a.correction:
            body.append(text("editing", a.correction, language))
        if a.translation:  # the passage's words in its source's translation
            body.append(text("describing", a.translation, self.model.translations[a.source_id].language))
        targets: list[dict[str, Any]] = []
        # Each target's source says the language of the text the quote is in.
        if source.url:
            targets.append({"type": "SpecificResource", "source": {"id": source.url, "language": text_language},
                            "selector": quote})
        targets.append({"type": "SpecificResource",
                        "source": {"id": self.url("sources", source.id), "language": text_language}, "selector": quote})
        # In the source's text file the position names the passage exactly (the file and the export
        # are written together), so the quote the other targets give is not repeated there.
        if not source.excerpts:  # a source shown in excerpts has no text file to point into
            targets.append({
                "type": "SpecificResource",
                "source": {"id": self.url("data", source_text_path(source.id).removeprefix("data/")),
                           "type": "Text", "format": "text/plain", "language": text_language},
                "selector": {"type": "TextPositionSelector", "start": anchor.start, "end": anchor.end},
            })
        return {
            "id": f"{collection}#{a.ref}",
            "type": "Annotation",
            "motivation": "commenting" if commentary else "tagging",
            "body": body,
            "target": targets,
        }
