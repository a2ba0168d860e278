"""Render: pages through Jinja templates (autoescaped, strict) into bytes."""

from __future__ import annotations

import hashlib
import traceback
from pathlib import Path
from typing import Mapping
from urllib.parse import quote

from jinja2 import meta
from markdown_it.common.utils import escapeHtml
from jinja2 import (BytecodeCache, Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound,
                    TemplateSyntaxError, select_autoescape)
from markupsafe import Markup

from . import argument_views, cards, excerpts, references, views
from .argmap import render_svg
from .derive import STANCE_LABELS, Index
from .diagnostics import ContentError, Diagnostic
from .markdown import Highlights, Span, render_blocks, render_body
from .model import Body, Model
from .plan import Page
from .sharing import CARD
from .typography import nest, quoted, shorten
from .urls import Urls, link_kind, title_of


def _fragment_part(text: str) -> str:
    # Text fragments reserve '-', ',' and '&'; quote() leaves '-' alone, so escape it by hand.
    return quote(text, safe="").replace("-", "%2D")


class NumberedHighlights(Highlights):
    """Highlights that also put each passage's number before it, linking to its note.

    The number and the underline mark a passage without relying on colour.
    """

    def __init__(self, spans, numbers: Mapping[str, int], note_url):
        super().__init__(spans)
        self.numbers = numbers
        self.note_url = note_url

    def _mark(self, span: Span, inner: str, depth: int) -> str:
        first = span.anchor_id not in self.anchored
        html = super()._mark(span, inner, depth)
        return self._number(span) + html if first else html

    def _point(self, span: Span) -> str:
        return self._number(span) + super()._point(span)

    def _number(self, span: Span) -> str:
        return (f'<a class="hl-num" href="{self.note_url(span.anchor_id)}">'
                f'<span class="visually-hidden">note </span>{self.numbers[span.anchor_id]}</a>')


class Renderer:
    """Holds the Jinja environment and the helpers templates call; renders one page at a time."""

    def __init__(self, templates: Path, model: Model, index: Index, urls: Urls, extra_globals: dict | None = None,
                 bytecode_cache: BytecodeCache | None = None):
        """`bytecode_cache` lets `serve` make a fresh Renderer per rebuild without compiling the
        templates again (a renderer's imported macros keep the model they were first given)."""
        self.model = model
        self.index = index
        self.urls = urls
        self.templates = templates
        self.env = Environment(
            loader=FileSystemLoader(str(templates)),
            autoescape=select_autoescape(["html", "xml"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=bytecode_cache,
        )
        self.env.globals.update(
            site=model.site, model=model, index=index, url_for=urls.url_for, abs_url=urls.absolute, canonical_url=urls.canonical,
            repository=urls.repository, passage_line_of=self.passage_line_of, page_address=urls.address,
            card_size=(cards.WIDTH, cards.HEIGHT),
            markdown=self.markdown, title_of=self.title_of, source_blocks=self.source_blocks,
            citation=self.citation, original_link=self.original_link,
            argument_map_svg=self.argument_map_svg, shorten=shorten, quoted=quoted,
            stance_word=dict(STANCE_LABELS), live_reload=False,
        )
        if extra_globals:
            self.env.globals.update(extra_globals)
        self._flat_text: tuple[bytes, str, str] = (b"", "", "")
        """The last source's plain text (its UTF-8, which says which source it is; the text; its
        words, lowercased, one space apart). Only source pages link into the original, each page
        into its own source: one entry is enough, where a cache of every source would keep a
        lowered copy of every article in each worker until the build ends."""
        self._body_html: dict[int, tuple[Body, Markup]] = {}

    # -- helpers for templates -----------------------------------------------------------

    def link_target(self, target: str) -> tuple[str, str]:
        kind, ident = link_kind(target)
        if kind == "annotations":
            # In running text the quote's opening words are label enough: the editor's sentence
            # around the link usually names the source, and the link leads to it.
            return self.urls.url_for(kind, ident), quoted(self.model.annotations[ident].anchor.exact, 48)
        return self.urls.url_for(kind, ident), self.title_of(kind, ident)

    def title_of(self, kind: str, ident: str) -> str:
        return title_of(self.model, kind, ident)

    def markdown(self, body: Body) -> Markup:
        # An annotation's commentary shows on its source page and on each actor, motive and
        # argument page that quotes it: parse and render it once. A page given the HTML made
        # for another page still looks up what its links name, as rendering it would, so that
        # `serve` records those reads for this page too. The entry keeps the body alive, so
        # its id cannot be reused by another body while this renderer lives.
        cached = self._body_html.get(id(body))
        if cached is not None and cached[0] is body:
            for link in body.wikilinks:
                self.link_target(link.target)
            return cached[1]
        html = Markup(render_body(body, self.link_target))
        self._body_html[id(body)] = (body, html)
        return html

    def source_blocks(self, source_id: str) -> list[dict]:
        """The source's text block by block, passages highlighted, each with the notes starting in it."""
        refs = self.index.by_source.get(source_id, ())
        anns = [self.model.annotations[r] for r in refs]
        spans = [Span(a.anchor.start, a.anchor.end, a.id, ", ".join(self.model.motives[m].label for m in a.motives)) for a in anns]
        numbers = {self.model.annotations[r].id: self.index.passage_number[r] for r in refs}
        highlights = NumberedHighlights(spans, numbers, lambda ann_id: self.urls.url_for("sources", source_id, anchor=f"note_{ann_id}"))
        if self.model.sources[source_id].excerpts:
            return self.excerpt_blocks(source_id, refs, highlights)
        blocks = []
        pending = sorted(anns, key=lambda a: numbers[a.id])
        for html, start, end in render_blocks(self.model.sources[source_id].body, self.link_target, highlights):
            notes = []
            if end >= 0:
                while pending and pending[0].anchor.start < end + 2:
                    notes.append(pending.pop(0).ref)
            blocks.append({"html": Markup(html), "notes": notes})
        if pending and blocks:
            blocks[-1]["notes"].extend(a.ref for a in pending)
        return blocks

    def excerpt_blocks(self, source_id: str, refs, highlights: Highlights) -> list[dict]:
        """A source shown in excerpts (`reproduce: excerpts`), in the shape `source_blocks` gives:
        a block per paragraph of each excerpt (a cut in it marked "…", the text left out before
        an excerpt that starts a paragraph "[…]"), with the notes and the links into the original
        of the passages that start in it; nothing else of the text."""
        anchors = {r: self.model.annotations[r].anchor for r in refs}
        source = self.model.sources[source_id]
        text = source.plain_text
        where = f" at {escapeHtml(source.publication)}" if source.publication else ""
        headings = {(b.start, b.end) for b in source.blocks if b.kind == "heading"}
        blocks = []
        for excerpt in excerpts.excerpts(text, ((r, a.start, a.end) for r, a in anchors.items())):
            pieces = excerpts.paragraphs(text, excerpt)
            for number, (start, end, cut_before, cut_after) in enumerate(pieces):
                upto = pieces[number + 1][0] if number + 1 < len(pieces) else excerpt.end
                here = [r for r in excerpt.refs if start <= anchors[r].start < upto]
                html = ['<p class="excerpt-gap">[…]</p>'] if number == 0 and start > 0 and not cut_before else []
                tag = "h2" if (start, end) in headings else "p"  # a heading shown as context stays a heading
                html.append(f'<{tag}>{"… " if cut_before else ""}{highlights.render(text[start:end], start)}'
                            f'{" …" if cut_after else ""}</{tag}>')
                if here:
                    links = " · ".join(f'<a class="in-original" href="{escapeHtml(self.original_link(r))}">passage '
                                       f'{self.index.passage_number[r]}</a>' for r in here)
                    html.append(f'<p class="excerpt-original">Read on in the original{where}: {links}</p>')
                blocks.append({"html": Markup("\n".join(html)), "notes": here})
        return blocks

    def passage_line_of(self, ref: str) -> references.PassageLine:
        """A passage as a reference, for pages that name it by its ref (see `references.line`)."""
        return references.line(self.model, ref)

    def citation(self, ref: str) -> str:
        ann = self.model.annotations[ref]
        source = self.model.sources[ann.source_id]
        parts = [" and ".join(source.authors), f"“{nest(source.title)}”"]
        if source.publication:
            parts.append(source.publication)
        parts.append(source.published.display())
        if source.url:
            parts.append(source.url)
        cited = f"{quoted(ann.anchor.exact)} — " + ", ".join(parts) + "."
        # The passage's own page, where its reading is, when the site's address is known.
        return cited + f" Annotated at {self.urls.absolute('annotations', ref)}" if self.urls.site_url else cited

    def original_link(self, ref: str) -> str:
        """The original article's URL with a text fragment that scrolls to the passage."""
        ann = self.model.annotations[ref]
        source = self.model.sources[ann.source_id]
        if not source.url:
            return ""
        words = ann.anchor.exact.split()
        start = " ".join(words if len(words) <= 8 else words[:4])
        fragment = _fragment_part(start)
        if len(words) > 8:
            fragment += "," + _fragment_part(" ".join(words[-4:]))
        # Browsers jump to the first match of the start words (case-insensitively); when they
        # occur earlier too, name the words before the passage in its paragraph.
        plain, text, flat = self._flat_text
        if plain is not source.body.plain:
            text = source.plain_text
            flat = " ".join(text.split()).lower()
            self._flat_text = (source.body.plain, text, flat)
        if flat.count(start.lower()) > 1:
            before = text[:ann.anchor.start].rsplit("\n\n", 1)[-1].split()[-3:]
            if before:
                fragment = _fragment_part(" ".join(before)) + "-," + fragment
        return f"{source.url.split('#')[0]}#:~:text={fragment}"

    def argument_map_svg(self, view: argument_views.ArgumentsIndexView) -> Markup:
        """The argument map as inline SVG; each box links to its argument's page."""
        return Markup(render_svg(self.index.argument_maps[view.part], lambda i: self.urls.url_for("arguments", i),
                                 argument_views.map_badges(view), view.items[0].number))

    # -- rendering ---------------------------------------------------------------------

    def precompile(self, pages, referenced: bool = True) -> None:
        """Compile every template the pages use, reporting mistakes as diagnostics; with
        `referenced`, those they extend, include or import too. Before workers fork, that saves
        each worker compiling them again; finding them means parsing each template once more,
        which a build in one process is spared: its first pages compile them."""
        compiled: set[str] = set()
        for page in sorted({p.template: p for p in pages if p.template != CARD}.values(), key=lambda p: p.template):
            names = [page.template]
            try:
                while names:
                    name = names.pop()
                    if name in compiled:
                        continue
                    compiled.add(name)
                    self.env.get_template(name)
                    if not referenced:
                        continue
                    source, _, _ = self.env.loader.get_source(self.env, name)
                    names.extend(ref for ref in meta.find_referenced_templates(self.env.parse(source)) if ref)
            except TemplateError as error:
                raise ContentError([template_diagnostic(error, self.templates, page)]) from error

    def render(self, page: Page) -> bytes:
        if page.template == CARD:
            return cards.draw(page.title, page.context["kicker"], self.model.site.title)
        try:
            template = self.env.get_template(page.template)
            context = {**page.context, "view": views.build(page.view, self.model, self.index)} if page.view else page.context
            html = template.render(page=page, **context)
        except TemplateError as error:
            raise ContentError([template_diagnostic(error, self.templates, page)]) from error
        return html.encode("utf-8")


def shown_path(path: str) -> str:
    """A file's path as the editor would type it: relative to the current folder when under it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path


def template_diagnostic(error: TemplateError, templates: Path, page: Page) -> Diagnostic:
    """A template mistake as `templates/x.html:12: message`, like a content mistake."""
    if isinstance(error, TemplateSyntaxError):
        where = shown_path(error.filename or str(templates / (error.name or page.template)))
        return Diagnostic(where, error.lineno or 1, f"template syntax error: {error.message}",
                          "fix the Jinja syntax at this line")
    if isinstance(error, TemplateNotFound):
        return Diagnostic(shown_path(str(templates / page.template)), 1, f"template '{error.name}' not found",
                          f"create it in {shown_path(str(templates))}/, or fix the name in the include/extends")
    # Jinja rewrites tracebacks so that template frames carry the template's file and line.
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith((".html", ".xml"))]
    if frames:
        return Diagnostic(shown_path(frames[-1].filename), frames[-1].lineno or 1,
                          f"template error while rendering /{page.url_path}: {error}",
                          "every name a template uses must be defined (templates are strict)")
    return Diagnostic(shown_path(str(templates / page.template)), 1, f"template error while rendering /{page.url_path}: {error}",
                      "every name a template uses must be defined (templates are strict)")


def asset_versions(static_dir: Path) -> dict[str, str]:
    versions = {}
    if static_dir.is_dir():
        for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
            rel = path.relative_to(static_dir).as_posix()
            versions[rel] = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return versions

