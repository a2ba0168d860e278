"""Render: pages through Jinja templates (autoescaped, strict) into bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .derive import Index
from .markdown import Highlights, Span, render_blocks, render_body
from .model import Body, Model
from .plan import Page
from .urls import Urls

TITLE_FIELDS = {"actors": "name", "motives": "label", "sources": "title", "events": "title", "arguments": "claim"}


def _fragment_part(text: str) -> str:
    # Text fragments reserve '-', ',' and '&'; quote() leaves '-' alone, so escape it by hand.
    return quote(text, safe="").replace("-", "%2D")


class Renderer:
    """Holds the Jinja environment and the helpers templates call; renders one page at a time."""

    def __init__(self, templates: Path, model: Model, index: Index, urls: Urls, extra_globals: dict | None = None):
        self.model = model
        self.index = index
        self.urls = urls
        self.env = Environment(
            loader=FileSystemLoader(str(templates)),
            autoescape=select_autoescape(["html", "xml"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.globals.update(
            site=model.site, model=model, index=index, url_for=urls.url_for, abs_url=urls.absolute,
            markdown=self.markdown, title_of=self.title_of, source_blocks=self.source_blocks,
            citation=self.citation, original_link=self.original_link, sources_of=self.sources_of,
            live_reload=False,
        )
        if extra_globals:
            self.env.globals.update(extra_globals)

    # -- helpers for templates -----------------------------------------------------------

    def link_target(self, target: str) -> tuple[str, str]:
        kind, _, rest = target.partition("/")
        if kind in TITLE_FIELDS:
            return self.urls.url_for(kind, rest), self.title_of(kind, rest)
        ann = self.model.annotations[target]
        source = self.model.sources[ann.source_id]
        return self.urls.url_for("annotations", target), f"{source.title}: passage “{_shorten(ann.anchor.exact)}”"

    def title_of(self, kind: str, ident: str) -> str:
        if kind == "annotations":
            return self.link_target(ident)[1]
        item = getattr(self.model, kind)[ident]
        return getattr(item, TITLE_FIELDS[kind])

    def markdown(self, body: Body) -> Markup:
        return Markup(render_body(body, self.link_target))

    def source_blocks(self, source_id: str) -> list[dict]:
        """The source's text block by block, passages highlighted, each with the notes starting in it."""
        refs = self.index.by_source.get(source_id, ())
        anns = [self.model.annotations[r] for r in refs]
        spans = [Span(a.anchor.start, a.anchor.end, a.id, ", ".join(self.model.motives[m].label for m in a.motives)) for a in anns]
        highlights = Highlights(spans)
        blocks = []
        pending = sorted(anns, key=lambda a: (a.anchor.start, a.id))
        for html, start, end in render_blocks(self.model.sources[source_id].body, self.link_target, highlights):
            notes = []
            if end >= 0:
                while pending and pending[0].anchor.start < end + 2:
                    notes.append(pending.pop(0).ref)
            blocks.append({"html": Markup(html), "notes": notes})
        if pending and blocks:
            blocks[-1]["notes"].extend(a.ref for a in pending)
        return blocks

    def sources_of(self, refs) -> list[str]:
        """Distinct sources of some passages, in the index's source order."""
        ids = {self.model.annotations[r].source_id for r in refs}
        return [s for s in self.index.source_order if s in ids]

    def citation(self, ref: str) -> str:
        ann = self.model.annotations[ref]
        source = self.model.sources[ann.source_id]
        parts = [" and ".join(source.authors), f"“{source.title}”"]
        if source.publication:
            parts.append(source.publication)
        parts.append(source.published.display())
        if source.url:
            parts.append(source.url)
        return f"“{' '.join(ann.anchor.exact.split())}” — " + ", ".join(parts) + "."

    def original_link(self, ref: str) -> str:
        """The original article's URL with a text fragment that scrolls to the passage."""
        ann = self.model.annotations[ref]
        source = self.model.sources[ann.source_id]
        if not source.url:
            return ""
        words = ann.anchor.exact.split()
        if len(words) <= 8:
            fragment = _fragment_part(" ".join(words))
        else:
            fragment = _fragment_part(" ".join(words[:4])) + "," + _fragment_part(" ".join(words[-4:]))
        return f"{source.url.split('#')[0]}#:~:text={fragment}"

    # -- rendering ---------------------------------------------------------------------

    def render(self, page: Page) -> bytes:
        template = self.env.get_template(page.template)
        html = template.render(page=page, **page.context)
        return html.encode("utf-8")


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def asset_versions(static_dir: Path) -> dict[str, str]:
    versions = {}
    if static_dir.is_dir():
        for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
            rel = path.relative_to(static_dir).as_posix()
            versions[rel] = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return versions

