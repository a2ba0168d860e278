"""Plan: decide every page of the site and what it shows.

Which pages an edit touches is not declared here: `serve` records what each page reads while
it renders (`incremental.py`), which is exact where declared dependencies would drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .derive import Index
from .model import Model
from .urls import PAGES, output_file

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

    @property
    def output(self) -> str:
        return output_file(self.url_path)


def plan_pages(model: Model, index: Index) -> list[Page]:
    """Every page of the site, aggregates first."""
    pages: list[Page] = []
    pages.append(Page(PAGES["home"], "home.html", model.site.title, {}, AGGREGATE, searchable=True))
    pages.append(Page(PAGES["actors"], "actors.html", "Actors", {}, AGGREGATE))
    pages.append(Page(PAGES["motives"], "motives.html", "Motives", {}, AGGREGATE))
    pages.append(Page(PAGES["sources"], "sources.html", "Sources", {}, AGGREGATE))
    pages.append(Page(PAGES["timeline"], "timeline.html", "Timeline", {}, AGGREGATE, searchable=True))
    pages.append(Page(PAGES["arguments"], "arguments.html", "Arguments", {}, AGGREGATE, searchable=True))
    pages.append(Page(PAGES["about"], "about.html", "About", {}, 1, searchable=True))
    pages.append(Page(PAGES["search"], "search.html", "Search", {}, 1, in_sitemap=False))
    pages.append(Page(PAGES["data"], "data.html", "Data", {}, AGGREGATE))
    pages.append(Page(PAGES["404"], "404.html", "Page not found", {}, 1, in_sitemap=False))
    pages.append(Page(PAGES["feed"], "feed.xml", "Feed", {}, AGGREGATE, in_sitemap=False))
    pages.append(Page(PAGES["sitemap"], "sitemap.xml", "Sitemap", {}, AGGREGATE, in_sitemap=False))

    for actor_id in index.actor_order:
        actor = model.actors[actor_id]
        weight = (len(index.by_actor.get(actor_id, ())) + len(index.involving.get(actor_id, ()))
                  + len(index.events_by_actor.get(actor_id, ())) + len(index.arguments_by_actor.get(actor_id, ())))
        pages.append(Page(f"actors/{actor_id}/", "actor.html", actor.name, {"actor": actor}, weight,
                          searchable=True))

    for motive_id in index.motive_order:
        motive = model.motives[motive_id]
        weight = len(index.by_motive.get(motive_id, ())) + len(index.arguments_by_motive.get(motive_id, ()))
        pages.append(Page(f"motives/{motive_id}/", "motive.html", motive.label, {"motive": motive}, weight,
                          searchable=True))

    for source_id in index.source_order:
        source = model.sources[source_id]
        # A note weighs about as much as 400 characters of article text.
        weight = len(index.by_source.get(source_id, ())) + len(source.plain_text) // 400
        pages.append(Page(f"sources/{source_id}/", "source.html", source.title, {"source": source}, weight,
                          searchable=True))
    return pages
