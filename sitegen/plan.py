"""Plan: decide every page of the site and what it shows.

Which pages an edit touches is not declared here: `serve` records what each page reads while
it renders (`sitegen/incremental/`), which is exact where declared dependencies would drift.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .derive import Index
from .model import Model
from .urls import PAGES, item_path, map_part_path, output_file

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
    """Every page of the site, aggregates first."""
    pages: list[Page] = []
    pages.append(Page(PAGES["home"], "home.html", model.site.title, {}, AGGREGATE, searchable=True,
                      view=("home",)))
    pages.append(Page(PAGES["actors"], "actors.html", "Actors", {}, AGGREGATE))
    pages.append(Page(PAGES["motives"], "motives.html", "Motives", {}, AGGREGATE))
    pages.append(Page(PAGES["sources"], "sources.html", "Sources", {}, AGGREGATE))
    pages.append(Page(PAGES["timeline"], "timeline.html", "Timeline", {}, AGGREGATE, searchable=True))
    for part in range(max(1, len(index.argument_maps))):
        pages.append(Page(map_part_path(part), "arguments.html", "Arguments" + (f", part {part + 1}" if part else ""), {},
                          AGGREGATE, view=("arguments", str(part))))
    pages.append(Page(PAGES["corrections"], "corrections.html", "Corrections", {}, AGGREGATE, searchable=True))
    pages.append(Page(PAGES["about"], "about.html", "About", {}, AGGREGATE, searchable=True))
    pages.append(Page(PAGES["search"], "search.html", "Search", {}, 1, in_sitemap=False))
    pages.append(Page(PAGES["data"], "data.html", "Data", {}, AGGREGATE))
    pages.append(Page(PAGES["404"], "404.html", "Page not found", {}, 1, in_sitemap=False))
    pages.append(Page(PAGES["feed"], "feed.xml", "Feed", {}, AGGREGATE, in_sitemap=False))
    pages.append(Page(PAGES["sitemap"], "sitemap.xml", "Sitemap", {}, AGGREGATE, in_sitemap=False))
    for kind, order in zip(ITEM_PAGE_KINDS, (index.actor_order, index.motive_order, index.source_order)):
        pages.extend(item_page(kind, key, model, index) for key in order)
    pages.extend(argument_page(key, model, index) for key in index.argument_order)
    return pages


def argument_page(key: str, model: Model, index: Index) -> Page:
    """The page of one argument: its claim, who makes and disputes it, its reasoning, evidence and relations."""
    argument = model.arguments[key]
    weight = (len(argument.evidence) + len(argument.disputed_by) + len(argument.supports) + len(argument.opposes)
              + len(index.supported_by.get(key, ())) + len(index.opposed_by.get(key, ())))
    return Page(item_path("arguments", key), "argument.html", argument.claim, {}, weight, searchable=True,
                view=("argument", key))


def item_page(kind: str, key: str, model: Model, index: Index) -> Page:
    """The page of one actor, motive or source (`kind` one of ITEM_PAGE_KINDS)."""
    if kind == "actors":
        actor = model.actors[key]
        weight = (len(index.by_actor.get(key, ())) + len(index.involving.get(key, ()))
                  + len(index.events_by_actor.get(key, ())) + len(index.arguments_by_actor.get(key, ())))
        return Page(f"actors/{key}/", "actor.html", actor.name, {"actor": actor}, weight, searchable=True)
    if kind == "motives":
        motive = model.motives[key]
        weight = len(index.by_motive.get(key, ())) + len(index.arguments_by_motive.get(key, ()))
        return Page(f"motives/{key}/", "motive.html", motive.label, {"motive": motive}, weight, searchable=True)
    source = model.sources[key]
    # A note weighs about as much as 400 characters of article text.
    weight = len(index.by_source.get(key, ())) + len(source.body.plain) // 400
    return Page(f"sources/{key}/", "source.html", source.title, {"source": source}, weight, searchable=True)
