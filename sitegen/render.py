"""Render: pages through Jinja templates (autoescaped, strict) into bytes."""

from __future__ import annotations

import functools
import hashlib
import traceback
from pathlib import Path

from jinja2 import meta
from jinja2 import (BytecodeCache, Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound,
                    TemplateSyntaxError, select_autoescape)
from markupsafe import Markup

from . import argument_views, cards, languages, references, source_text, views
from .argmap import render_svg
from .derive import Index
from .diagnostics import ContentError, Diagnostic
from .markdown import render_body
from .model import Body, Model
from .plan import Page
from .sharing import CARD
from .typography import quoted, shorten
from .urls import Urls, link_kind, title_of, written


SECTIONS = {"actors": "Actors", "motives": "Motives", "timeline": "Timeline", "arguments": "Arguments", "sources": "Sources",
            "corrections": "Corrections", "about": "About", "search": "Search"}
"""The site's sections, in the order the site's navigation lists them, by page name (`urls.PAGES`)."""


def site_nav(urls: Urls, current: str) -> Markup:
    """The site's navigation, its link to the section `current` (or none, for "") marked as the page's."""
    items = Markup("").join(
        Markup('<li><a href="{}"{}>{}</a></li>\n').format(urls.url_for(name), Markup(' aria-current="page"') if name == current else "",
                                                          label) for name, label in SECTIONS.items())
    return Markup('<nav class="site-nav" aria-label="Site">\n<ul>\n{}</ul>\n</nav>').format(items)


class _Environment(Environment):
    """Templates read the environment's globals themselves, not a ChainMap over them (no template
    here has globals of its own): Jinja copies a template's globals into every page's context."""

    def make_globals(self, d):
        return super().make_globals(d) if d else self.globals


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
        self.env = _Environment(
            loader=FileSystemLoader(str(templates)),
            autoescape=select_autoescape(["html", "xml"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=bytecode_cache,
            auto_reload=False,  # a renderer lives for one build; serve makes a new one for each
        )
        self.env.globals.update(
            site=model.site, model=model, index=index, url_for=self.url_for, abs_url=urls.absolute, canonical_url=urls.canonical,
            repository=urls.repository, passage_line_of=functools.partial(references.line, model), page_address=urls.address,
            card_size=(cards.WIDTH, cards.HEIGHT),
            markdown=self.markdown, title_of=functools.partial(title_of, model), source_blocks=self.source_blocks,
            original_link=functools.partial(source_text.original_link, model),
            argument_map_svg=self.argument_map_svg, shorten=shorten, quoted=quoted,
            live_reload=False,
            text_lang=self.text_lang, credit_name=functools.partial(languages.name, model), translation_of=model.translations.get, translation_lang=self.translation_lang,
            translator_credit=languages.translator_credit, search_terms=languages.search_terms,
        )
        # The same on every page but for the section marked current (the first folder of the
        # page's path, when it names one): decided once here.
        navs = {name: site_nav(urls, name) for name in ("", *SECTIONS)}
        self.env.globals["site_nav"] = lambda url_path: navs.get(url_path.partition("/")[0], navs[""])
        self.env.globals["asset_links"] = Markup(
            '<link rel="icon" href="{}" type="image/svg+xml">\n<link rel="stylesheet" href="{}">\n<script src="{}" defer></script>\n').format(
            urls.url_for("static", "favicon.svg"), urls.url_for("static", "style.css"), urls.url_for("static", "site.js"))
        self.env.globals["footer_links"] = Markup(
            '<a href="{}">About, method and corrections</a> · <a href="{}">Sources</a> · <a href="{}">Feed</a> · '
            '<a href="{}">Data</a>').format(*(urls.url_for(name) for name in ("about", "sources", "feed", "data")))
        if extra_globals:
            self.env.globals.update(extra_globals)

    # -- helpers for templates -----------------------------------------------------------

    def link_target(self, target: str) -> tuple[str, str, str] | None:
        """A wikilink's address, title and the `lang` attributes the title needs (a source's title
        or a passage's words in another language than the site's); None for an item not written
        yet (serve only)."""
        if not written(self.model, target):
            return None
        kind, ident = link_kind(target)
        if kind == "annotations":
            # In running text the quote's opening words are label enough: the editor's sentence
            # around the link usually names the source, and the link leads to it.
            ann = self.model.annotations[ident]
            return self.url_for(kind, ident), quoted(ann.anchor.exact, 48), self.text_lang(ann.source_id)
        return self.url_for(kind, ident), title_of(self.model, kind, ident), self.text_lang(ident) if kind == "sources" else ""

    def url_for(self, kind: str, ident: str | None = None, anchor: str | None = None) -> str:
        """`Urls.url_for`, except that an event is linked on the timeline page it stands on."""
        if kind == "events" and ident is not None:
            return self.urls.url_for("timeline_parts", self.index.event_part[ident], anchor=ident)
        return self.urls.url_for(kind, ident, anchor)

    def markdown(self, body: Body) -> Markup:
        return Markup(render_body(body, self.link_target))

    def source_blocks(self, source_id: str) -> tuple[source_text.Block, ...]:
        return source_text.blocks(self.model, self.index, source_id, self.link_target)

    def text_lang(self, source_id: str) -> Markup:
        """The `lang` (and `dir`) attributes for an element holding a source's own words."""
        return languages.attributes(languages.source_language(self.model, source_id), self.model.site.language)

    def translation_lang(self, source_id: str, within: str = "") -> Markup:
        """The `lang` (and `dir`) attributes for an element holding a source's translation; `within`
        names the source when the element stands inside one holding the source's own words."""
        around = languages.source_language(self.model, within) if within else self.model.site.language
        return languages.attributes(self.model.translations[source_id].language, around)


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
    where, line = (frames[-1].filename, frames[-1].lineno or 1) if frames else (str(templates / page.template), 1)
    return Diagnostic(shown_path(where), line, f"template error while rendering /{page.url_path}: {error}",
                      "every name a template uses must be defined (templates are strict)")


def asset_versions(static_dir: Path) -> dict[str, str]:
    versions = {}
    if static_dir.is_dir():
        for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
            rel = path.relative_to(static_dir).as_posix()
            versions[rel] = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return versions

