"""Plan: decide every page of the site and what it shows.

Which pages an edit touches is not declared here: `serve` records what each page reads while
it renders (`sitegen/incremental/`), which is exact where declared dependencies would drift.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from . import sharing
from .cards import drawable
from .derive import Index
from .model import Model, Source
from .resolve import each
from .typography import quoted
from .parts import source_pages
from .urls import PAGES, card_path, item_path, list_part_path, map_part_path, output_file, passage_path

AGGREGATE = 10**9
"""The weight of a page that shows or counts every item (home, lists, timeline, feed...)."""


@dataclass(frozen=True, slots=True)
class Page:
    """One output file to render."""

    url_path: str
    """Path under the site root: `actors/russia/`, `feed.xml`."""
    template: str
    """Jinja template that renders it."""
    title: str
    """The page's own title (the layout adds the site's)."""
    context: Mapping[str, Any]
    """What the template gets beyond the globals (model, index, url_for...)."""
    weight: int
    """A rough rendering cost, so a parallel build hands out the biggest pages first."""
    in_sitemap: bool = True
    searchable: bool = False
    """Indexed by Pagefind (its `<main>` gets `data-pagefind-body`). Listing pages and the
    feed repeat what their items' own pages say, so search finds the items instead."""
    description: str = ""
    """What the page is and holds, for search results and shared links (`sharing`)."""
    image: str = ""
    """The path under the site root of the preview card a shared link to the page shows, or
    empty for a file that is no page to share (the feed, a card itself)."""
    view: tuple[str, ...] = ()
    """The view model the page shows, named as `views.build` takes it: a function of `views`
    and its arguments (`("actor", "russia")`). It is built as the page renders, from the
    renderer's model and index, so `serve` records what it reads like any other read; the
    template gets it as `view`."""
    output: str = field(init=False)
    """The file it is written to under the site root (`actors/russia/index.html`)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "output", output_file(self.url_path))


def plan_pages(model: Model, index: Index, each: Callable = each) -> list[Page]:
    """Every page of the site, aggregates first, then the preview cards.

    The pages there is one of per source, per passage and per card are worked out by `each(name,
    inputs, compute)` from what each reads (`serve` passes one that keeps the last results for
    equal inputs; see `resolve.each`)."""
    def named(name: str, template: str, title: str, weight: int = AGGREGATE, **options) -> Page:
        own_card = template in KICKERS
        return Page(PAGES[name], template, title, {}, weight, description=sharing.page_description(name, model),
                    image=card_path(PAGES[name] if own_card else ""), **options)

    pages = [
        named("home", "home.html", model.site.title, searchable=True, view=("home",)),
        named("actors", "actors.html", "Actors", view=("actors",)),
        named("motives", "motives.html", "Motives", view=("motives",)),
        named("sources", "sources.html", "Sources", view=("sources",)),
        # Cut by year, its first page lists only the latest events, which search finds on their years' pages.
        named("timeline", "timeline.html", "Timeline", searchable=not index.timeline_parts[0].key, view=("timeline",)),
        *(Page(map_part_path(part), "arguments.html", "Arguments" + (f", part {part + 1}" if part else ""), {}, AGGREGATE,
               view=("arguments", str(part)), description=sharing.page_description("arguments", model),
               image=card_path(PAGES["arguments"])) for part in range(max(1, len(index.argument_maps)))),
        *list_parts(model, index),
        named("corrections", "corrections.html", "Corrections", searchable=True, view=("corrections",)),
        named("about", "about.html", "About", searchable=True, view=("about",)),
        named("search", "search.html", "Search", 1, in_sitemap=False),
        named("data", "data.html", "Data", view=("data",)),
        named("404", "404.html", "Page not found", 1, in_sitemap=False),
        Page(PAGES["feed"], "feed.xml", "Feed", {}, AGGREGATE, in_sitemap=False),
    ]
    pages.extend(actor_page(key, model, index) for key in index.actor_order)
    pages.extend(motive_page(key, model, index) for key in index.motive_order)
    sources = {key: (key, model.sources[key], len(index.by_source.get(key, ()))) for key in index.source_order}
    pages.extend(each("sources", sources, source_page).values())
    pages.extend(argument_page(key, model, index) for key in index.argument_places)
    cards = {page.image: (page.image, card_title(page, model), kicker(page)) for page in pages
             if page.template in KICKERS and page.image == card_path(page.url_path)}
    passages = {ref: (ref, model.annotations[ref].anchor.exact, source, model.sources[source].title)
                for source in index.source_order for ref in index.by_source.get(source, ())}
    pages += list(each("passages", passages, passage_page).values()) + list(each("cards", cards, card_page).values())
    return pages + sitemaps(pages)


SITEMAP_URLS = 50_000
"""The most addresses one sitemap file may list (sitemaps.org; its other limit, 50 MB, is
never the nearer one here)."""


def sitemaps(pages: list[Page]) -> list[Page]:
    """The sitemap: one file while the site's pages fit in it, else `sitemap.xml` as a sitemap
    index of `sitemap_1.xml`, `sitemap_2.xml`... of SITEMAP_URLS pages each, in page order."""
    listed = sum(1 for page in pages if page.in_sitemap)
    count = -(-listed // SITEMAP_URLS)
    if count <= 1:
        return [Page(PAGES["sitemap"], "sitemap.xml", "Sitemap", {"sitemaps": (), "start": 0, "stop": listed}, AGGREGATE,
                     in_sitemap=False)]
    files = tuple(f"sitemap_{k + 1}.xml" for k in range(count))
    return [Page(PAGES["sitemap"], "sitemap.xml", "Sitemap index", {"sitemaps": files, "start": 0, "stop": 0}, 1, in_sitemap=False),
            *(Page(path, "sitemap.xml", f"Sitemap, part {k + 1}", {"sitemaps": (), "start": k * SITEMAP_URLS,
                                                                    "stop": (k + 1) * SITEMAP_URLS}, AGGREGATE, in_sitemap=False)
              for k, path in enumerate(files))]


def list_parts(model: Model, index: Index) -> list[Page]:
    """The pages after the first of the timeline (a page per year) and of the list of sources,
    when they are too long for one (`parts`); they share their first page's card."""
    pages = []
    for name, title, cut in (("timeline", "Timeline", index.timeline_parts), ("sources", "Sources", source_pages(index.source_order))):
        pages.extend(Page(list_part_path(name, part.key), f"{name}.html", f"{title}, {part.label}", {}, AGGREGATE,
                          searchable=name == "timeline", view=(name, part.key), image=card_path(PAGES[name]),
                          description=sharing.page_description(name, model)) for part in cut if part.key)
    return pages


KICKERS = {"home.html": "", "actors.html": "", "motives.html": "", "sources.html": "", "timeline.html": "",
           "arguments.html": "", "corrections.html": "", "about.html": "", "search.html": "",
           "actor.html": "Actor", "motive.html": "Motive", "source.html": "Source", "argument.html": "Argument"}
"""The templates whose pages have a card of their own, and the word above the title on it. The
others (the data page, whose folder holds only data, and the page not found) show the home
page's card."""


def kicker(page: Page) -> str:
    """What kind of page `page` is, as its card says above the title (a source's publication
    too, when the card can draw its script)."""
    word = KICKERS[page.template]
    publication = page.context["source"].publication if page.template == "source.html" else ""
    if publication and drawable(publication):
        word += " · " + publication
    return word


def card_title(page: Page, model: Model) -> str:
    """The title a page's card draws: a source's in its translation when the card's font cannot
    draw the original's script."""
    if page.template == "source.html" and not drawable(page.title):
        translation = model.translations.get(page.context["source"].id)
        if translation is not None and drawable(translation.title):
            return translation.title
    return page.title


def card_page(path: str, title: str, kicker: str) -> Page:
    """The preview card at `path`: a page's title, with what kind of page it is above it."""
    return Page(path, sharing.CARD, title, {"kicker": kicker}, 1, in_sitemap=False)


def passage_page(ref: str, exact: str, source_id: str, source_title: str) -> Page:
    """A passage's own page, the address to share and cite: the passage, its reading, what cites it.
    Search finds the passage on its source page instead; a shared link shows its source's card."""
    return Page(passage_path(ref), "passage.html", f"{quoted(exact, 70)} ({source_title})", {}, 1, view=("passage", ref),
                image=card_path(f"sources/{source_id}/"))


def argument_page(key: str, model: Model, index: Index) -> Page:
    """The page of one argument: its claim, who makes and disputes it, its reasoning, evidence and relations."""
    argument = model.arguments[key]
    weight = (len(argument.evidence) + len(argument.disputed_by) + len(argument.supports) + len(argument.opposes)
              + len(index.argument_places[key].supported_by) + len(index.argument_places[key].opposed_by))
    return Page(item_path("arguments", key), "argument.html", argument.claim, {}, weight, searchable=True,
                view=("argument", key), image=card_path(item_path("arguments", key)))


def actor_page(key: str, model: Model, index: Index) -> Page:
    actor = model.actors[key]
    weight = sum(len(refs.get(key, ())) for refs in (index.by_actor, index.involving, index.events_by_actor, index.arguments_by_actor))
    return Page(f"actors/{key}/", "actor.html", actor.name, {"actor": actor}, weight, searchable=True, view=("actor", key),
                description=sharing.actor_description(key, model, index), image=card_path(f"actors/{key}/"))


def motive_page(key: str, model: Model, index: Index) -> Page:
    motive = model.motives[key]
    weight = len(index.by_motive.get(key, ())) + len(index.arguments_by_motive.get(key, ()))
    return Page(f"motives/{key}/", "motive.html", motive.label, {"motive": motive}, weight, searchable=True, view=("motive", key),
                description=sharing.motive_description(key, model, index), image=card_path(f"motives/{key}/"))


def source_page(key: str, source: Source, notes: int) -> Page:
    """The page of one source, with its `notes` annotated passages."""
    # A note weighs about as much as 400 characters of article text.
    return Page(f"sources/{key}/", "source.html", source.title, {"source": source}, notes + len(source.body.plain) // 400,
                searchable=True, description=sharing.source_description(source, notes), image=card_path(f"sources/{key}/"),
                view=("source", key))
