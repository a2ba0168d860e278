"""Plan: decide every page of the site, what it shows, and which content it depends on.

`deps` names the content items a page shows (`actors/russia`, `annotations/src/ann`...), so
`serve` can re-render only the pages an edit touches. `*` means the page counts everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .derive import Index
from .model import Body, Model
from .urls import PAGES, output_file

EVERYTHING = "*"
NO_DEPS: frozenset[str] = frozenset()


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
    deps: frozenset[str]
    """Content items the page shows; EVERYTHING for aggregate pages."""
    in_sitemap: bool = True

    @property
    def output(self) -> str:
        return output_file(self.url_path)


def _links(body: Body) -> set[str]:
    out = set()
    for link in body.wikilinks:
        kind, _, rest = link.target.partition("/")
        out.add(link.target if kind in ("actors", "motives", "sources", "events", "arguments") else f"annotations/{link.target}")
    return out


_ANN_DEPS: dict[str, tuple[Any, frozenset[str]]] = {}
"""ref -> (annotation, its deps): each annotation's deps are computed once, not once per page
showing it (and, in `serve`, once while the annotation is unchanged)."""


def _ann_deps(model: Model, refs: Iterable[str]) -> set[str]:
    """An annotation shown on a page brings its own links, tags, actors and source title along."""
    deps = set()
    for ref in refs:
        ann = model.annotations[ref]
        known = _ANN_DEPS.get(ref)
        if known is None or known[0] is not ann:
            own = {f"annotations/{ref}", f"sources/{ann.source_id}", f"actors/{ann.actor}"}
            own.update(f"actors/{a}" for a in ann.involves)
            own.update(f"motives/{m}" for m in ann.motives)
            own |= _links(ann.commentary)
            known = _ANN_DEPS[ref] = (ann, frozenset(own))
        deps |= known[1]
    return deps


def _cited_by_deps(index: Index, key: str) -> set[str]:
    """The citing items, and for a citing passage its source too (its title labels the link)."""
    deps = set()
    for c in index.cited_by.get(key, ()):
        deps.add(f"{c.kind}/{c.id}")
        if c.kind == "annotations":
            deps.add(f"sources/{c.id.partition('/')[0]}")
    return deps


def plan_pages(model: Model, index: Index, with_deps: bool = True) -> list[Page]:
    """Every page. `with_deps=False` leaves `deps` empty: `serve` records what each page reads
    while it renders, which is finer than the declared deps, and skips the cost of computing them."""
    pages: list[Page] = []
    everything = frozenset({EVERYTHING})
    pages.append(Page(PAGES["home"], "home.html", model.site.title, {}, everything))
    pages.append(Page(PAGES["actors"], "actors.html", "Actors", {}, everything))
    pages.append(Page(PAGES["motives"], "motives.html", "Motives", {}, everything))
    pages.append(Page(PAGES["sources"], "sources.html", "Sources", {}, everything))
    pages.append(Page(PAGES["timeline"], "timeline.html", "Timeline", {}, everything))
    pages.append(Page(PAGES["arguments"], "arguments.html", "Arguments", {}, everything))
    pages.append(Page(PAGES["about"], "about.html", "About", {}, frozenset({"site"})))
    pages.append(Page(PAGES["search"], "search.html", "Search", {}, frozenset({"site"}), in_sitemap=False))
    pages.append(Page(PAGES["data"], "data.html", "Data", {}, everything))
    pages.append(Page(PAGES["404"], "404.html", "Page not found", {}, frozenset({"site"}), in_sitemap=False))
    pages.append(Page(PAGES["feed"], "feed.xml", "Feed", {}, everything, in_sitemap=False))
    pages.append(Page(PAGES["sitemap"], "sitemap.xml", "Sitemap", {}, everything, in_sitemap=False))

    for actor_id in index.actor_order:
        actor = model.actors[actor_id]
        deps = _actor_deps(model, index, actor_id) if with_deps else NO_DEPS
        pages.append(Page(f"actors/{actor_id}/", "actor.html", actor.name, {"actor": actor}, deps))

    for motive_id in index.motive_order:
        motive = model.motives[motive_id]
        deps = _motive_deps(model, index, motive_id) if with_deps else NO_DEPS
        pages.append(Page(f"motives/{motive_id}/", "motive.html", motive.label, {"motive": motive}, deps))

    for source_id in index.source_order:
        source = model.sources[source_id]
        deps = _source_deps(model, index, source_id) if with_deps else NO_DEPS
        pages.append(Page(f"sources/{source_id}/", "source.html", source.title, {"source": source}, deps))
    return pages


def _actor_deps(model: Model, index: Index, actor_id: str) -> frozenset[str]:
    actor = model.actors[actor_id]
    refs = set(index.by_actor.get(actor_id, ())) | set(index.involving.get(actor_id, ())) | set(actor.evidence)
    deps = {"site", f"actors/{actor_id}"} | _ann_deps(model, refs) | _links(actor.body)
    for event_id in index.events_by_actor.get(actor_id, ()):
        deps.add(f"events/{event_id}")
        deps |= _ann_deps(model, model.events[event_id].evidence)
    for arg_id in index.arguments_by_actor.get(actor_id, ()):
        deps.add(f"arguments/{arg_id}")
    deps |= _cited_by_deps(index, f"actors/{actor_id}")
    return frozenset(deps)


def _motive_deps(model: Model, index: Index, motive_id: str) -> frozenset[str]:
    motive = model.motives[motive_id]
    deps = {"site", f"motives/{motive_id}"} | _ann_deps(model, index.by_motive.get(motive_id, ())) | _links(motive.body)
    deps.update(f"arguments/{a}" for a in index.arguments_by_motive.get(motive_id, ()))
    deps |= _cited_by_deps(index, f"motives/{motive_id}")
    return frozenset(deps)


def _source_deps(model: Model, index: Index, source_id: str) -> frozenset[str]:
    source = model.sources[source_id]
    refs = index.by_source.get(source_id, ())
    deps = {"site", f"sources/{source_id}"} | _ann_deps(model, refs) | _links(source.body)
    for ref in refs:
        deps |= _cited_by_deps(index, f"annotations/{ref}")
    deps |= _cited_by_deps(index, f"sources/{source_id}")
    return frozenset(deps)
