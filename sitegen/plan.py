"""Plan: decide every page of the site and what it shows.

Which pages an edit touches is not declared here: `serve` records what each page reads while
it renders (`sitegen/incremental/`), which is exact where declared dependencies would drift.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from . import sharing
from .derive import Index
from .model import Model
from .typography import quoted
from .urls import PAGES, card_path, item_path, map_part_path, output_file, passage_path

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


ITEM_PAGE_KINDS = ("actors", "motives", "sources")
"""The kinds of item that have a page each."""


def plan_pages(model: Model, index: Index) -> list[Page]:
    """Every page of the site, aggregates first, then the preview cards."""
    def named(name: str, template: str, title: str, weight: int = AGGREGATE, **options) -> Page:
        own_card = template in KICKERS
        return Page(PAGES[name], template, title, {}, weight, description=sharing.page_description(name, model),
                    image=card_path(PAGES[name] if own_card else ""), **options)

    pages = [
        named("home", "home.html", model.site.title, searchable=True, view=("home",)),
        named("actors", "actors.html", "Actors"),
        named("motives", "motives.html", "Motives"),
        named("sources", "sources.html", "Sources"),
        named("timeline", "timeline.html", "Timeline", searchable=True),
        *(Page(map_part_path(part), "arguments.html", "Arguments" + (f", part {part + 1}" if part else ""), {}, AGGREGATE,
               view=("arguments", str(part)), description=sharing.page_description("arguments", model),
               image=card_path(PAGES["arguments"])) for part in range(max(1, len(index.argument_maps)))),
        named("corrections", "corrections.html", "Corrections", searchable=True),
        named("about", "about.html", "About", searchable=True),
        named("search", "search.html", "Search", 1, in_sitemap=False),
        named("data", "data.html", "Data"),
        named("404", "404.html", "Page not found", 1, in_sitemap=False),
        Page(PAGES["feed"], "feed.xml", "Feed", {}, AGGREGATE, in_sitemap=False),
        Page(PAGES["sitemap"], "sitemap.xml", "Sitemap", {}, AGGREGATE, in_sitemap=False),
    ]
    for kind, order in zip(ITEM_PAGE_KINDS, (index.actor_order, index.motive_order, index.source_order)):
        pages.extend(item_page(kind, key, model, index) for key in order)
    pages.extend(argument_page(key, model, index) for key in index.argument_order)
    cards = [card_page(page) for page in pages if page.template in KICKERS]
    pages.extend(passage_page(ref, model) for source in index.source_order for ref in index.by_source.get(source, ()))
    return pages + cards


KICKERS = {"home.html": "", "actors.html": "", "motives.html": "", "sources.html": "", "timeline.html": "",
           "arguments.html": "", "corrections.html": "", "about.html": "", "search.html": "",
           "actor.html": "Actor", "motive.html": "Motive", "source.html": "Source", "argument.html": "Argument"}
"""The templates whose pages have a card of their own, and the word above the title on it. The
others (the data page, whose folder holds only data, and the page not found) show the home
page's card."""


def card_page(page: Page) -> Page:
    """The preview card of `page`: its title, with what kind of page it is above it (a source's
    publication too)."""
    kicker = KICKERS[page.template]
    if page.template == "source.html" and page.context["source"].publication:
        kicker += " · " + page.context["source"].publication
    return Page(page.image, sharing.CARD, page.title, {"kicker": kicker}, 1, in_sitemap=False)


def passage_page(ref: str, model: Model) -> Page:
    """A passage's own page, the address to share and cite: the passage, its reading, what cites it.
    Search finds the passage on its source page instead."""
    ann = model.annotations[ref]
    title = f"{quoted(ann.anchor.exact, 70)} ({model.sources[ann.source_id].title})"
    return Page(passage_path(ref), "passage.html", title, {}, 1, view=("passage", ref),
                image=card_path(f"sources/{ann.source_id}/"))


def argument_page(key: str, model: Model, index: Index) -> Page:
    """The page of one argument: its claim, who makes and disputes it, its reasoning, evidence and relations."""
    argument = model.arguments[key]
    weight = (len(argument.evidence) + len(argument.disputed_by) + len(argument.supports) + len(argument.opposes)
              + len(index.supported_by.get(key, ())) + len(index.opposed_by.get(key, ())))
    return Page(item_path("arguments", key), "argument.html", argument.claim, {}, weight, searchable=True,
                view=("argument", key), image=card_path(item_path("arguments", key)))


def item_page(kind: str, key: str, model: Model, index: Index) -> Page:
    """The page of one actor, motive or source (`kind` one of ITEM_PAGE_KINDS)."""
    if kind == "actors":
        actor = model.actors[key]
        weight = (len(index.by_actor.get(key, ())) + len(index.involving.get(key, ()))
                  + len(index.events_by_actor.get(key, ())) + len(index.arguments_by_actor.get(key, ())))
        return Page(f"actors/{key}/", "actor.html", actor.name, {"actor": actor}, weight, searchable=True,
                    view=("actor", key), description=sharing.actor_description(key, model, index),
                    image=card_path(f"actors/{key}/"))
    if kind == "motives":
        motive = model.motives[key]
        weight = len(index.by_motive.get(key, ())) + len(index.arguments_by_motive.get(key, ()))
        return Page(f"motives/{key}/", "motive.html", motive.label, {"motive": motive}, weight, searchable=True,
                    view=("motive", key), description=sharing.motive_description(key, model, index),
                    image=card_path(f"motives/{key}/"))
    source = model.sources[key]
    # A note weighs about as much as 400 characters of article text.
    weight = len(index.by_source.get(key, ())) + len(source.body.plain) // 400
    return Page(f"sources/{key}/", "source.html", source.title, {"source": source}, weight, searchable=True,
                description=sharing.source_description(key, model, index), image=card_path(f"sources/{key}/"))
