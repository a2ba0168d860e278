"""URLs: the one place that knows where every page and asset lives, and what a link to an item says."""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping

from .typography import quoted

if TYPE_CHECKING:
    from .model import Model

PAGES = {
    "home": "", "actors": "actors/", "motives": "motives/", "sources": "sources/",
    "timeline": "timeline/", "arguments": "arguments/", "corrections": "corrections/", "about": "about/",
    "search": "search/",
    "data": "data/", "feed": "feed.xml", "sitemap": "sitemap.xml", "404": "404.html",
}
"""Pages with no id: name -> path under the site root."""

TITLE_FIELDS = {"actors": "name", "motives": "label", "sources": "title", "events": "title", "arguments": "claim"}
"""The kinds a wikilink names as `kind/id`, and the field that titles an item of each kind."""


ITEM_KINDS = ("actors", "motives", "sources", "arguments")
"""The kinds whose items each have a page of their own."""


def item_path(kind: str, ident: str) -> str:
    """The page of one item of a kind in ITEM_KINDS: `arguments/deny-us-foothold/`."""
    return f"{kind}/{ident}/"


def map_part_path(part: int) -> str:
    """The page of one part of the argument map (from 0): the arguments page, then
    `arguments/part_2/`... (an underscore, which no argument id has)."""
    return PAGES["arguments"] if part == 0 else f"{PAGES['arguments']}part_{part + 1}/"


def list_part_path(name: str, key: str) -> str:
    """A page of a list cut into pages (`parts.Part.key`): the timeline's `timeline/2024/`, the
    sources' `sources/page_2/`; the list's own page for the key "". Keys have an underscore or
    are years, which no item id is."""
    return PAGES[name] + (f"{key}/" if key else "")


_UNSAFE_IN_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


def web_address_problem(url: str) -> str:
    """Why `url` is not an address the site may link to, or "" when it is one: an `http` or
    `https` URL with a host, and no spaces or control characters."""
    if _UNSAFE_IN_URL.search(url):
        return "it contains a space or a control character"
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "it is not a well-formed URL"
    if not parts.scheme:
        return "it does not start with https:// or http://"
    if parts.scheme.lower() not in ("http", "https"):
        return f"only http and https addresses are linked, not '{parts.scheme[:20]}:'"
    if not host:
        return "it names no host"
    return ""


def normalise_base_path(base: str) -> str:
    """`repo`, `/repo` and `/repo/` all mean `/repo/`; empty means `/`."""
    base = base.strip().strip("/")
    return f"/{base}/" if base else "/"


@dataclass(frozen=True, slots=True)
class Urls:
    """Builds every internal link; templates call it as `url_for`."""

    base_path: str = "/"
    """Where the site is served from: `/` or a sub-path like `/repo/`."""
    site_url: str = ""
    """Absolute URL of the site root (for feeds and sitemaps), or empty."""
    repository: str = ""
    """Where readers ask for corrections (`--repository`, else site.yaml's), or empty."""
    asset_versions: Mapping[str, str] = field(default_factory=dict)
    """static path -> short content hash, appended so browsers refetch a changed asset."""

    def path(self, kind: str, ident: str | None = None) -> str:
        """Path relative to the site root, without the base path."""
        if ident is None:
            if kind not in PAGES:
                raise KeyError(f"no page named {kind!r}")
            return PAGES[kind]
        if kind in ITEM_KINDS:
            return item_path(kind, ident)
        if kind == "annotations":
            return passage_path(ident)
        if kind == "in_source":
            # The passage where it stands in its source's text, on the source page.
            source, _, ann = ident.partition("/")
            return f"sources/{source}/#{ann}"
        if kind == "argument_maps":
            return map_part_path(int(ident))
        if kind == "timeline_parts":
            return list_part_path("timeline", ident)
        if kind == "source_pages":
            return list_part_path("sources", ident)
        if kind == "events":
            # The timeline's first page: `Renderer.url_for` links to the page holding the event.
            return f"timeline/#{ident}"
        if kind == "static":
            version = self.asset_versions.get(ident)
            return f"static/{ident}" + (f"?v={version}" if version else "")
        if kind == "data":
            return f"data/{ident}"
        raise KeyError(f"no pages of kind {kind!r}")

    def url_for(self, kind: str, ident: str | None = None, anchor: str | None = None) -> str:
        url = self.base_path + self.path(kind, ident)
        return f"{url}#{anchor}" if anchor else url

    def canonical(self, url_path: str) -> str:
        """The page's full address for `og:url` and `rel=canonical`; empty when the site's
        address is not known (neither `--site-url` nor `site_url` gives it)."""
        return self.site_url.rstrip("/") + "/" + url_path if self.site_url else ""

    def address(self, url_path: str) -> str:
        """A path under the site root as a link: the full address when the site's is known (as
        a shared link's image must be), else from the base path."""
        return self.canonical(url_path) or self.base_path + url_path

    def absolute(self, kind: str, ident: str | None = None) -> str:
        """Full URL when the site URL is known; otherwise the base-path URL."""
        if not self.site_url:
            return self.url_for(kind, ident)
        return self.site_url.rstrip("/") + "/" + self.path(kind, ident)


def passage_path(ref: str) -> str:
    """A passage's own page, `sources/<source>/<annotation>/`: the address to share and to cite."""
    source, _, ann = ref.partition("/")
    return f"sources/{source}/{ann}/"


def output_file(url_path: str) -> str:
    """The file that serves a URL path: directory URLs get `index.html`."""
    if not url_path or url_path.endswith("/"):
        return url_path + "index.html"
    return url_path


CARD_FILE = "card.png"


def card_path(url_path: str) -> str:
    """Where the preview card of the page at `url_path` is: `card.png` in its folder (the home
    page's for a page that is a file, like `404.html`). A passage's page shows its source's:
    `card_path("sources/<source-id>/")`."""
    folder = url_path if not url_path or url_path.endswith("/") else ""
    return folder + CARD_FILE


def link_kind(target: str) -> tuple[str, str]:
    """A wikilink's target as (kind, id): `actors/x` is ("actors", "x"); any other target is an
    annotation's ref, `source/id`, and is ("annotations", "source/id")."""
    kind, _, rest = target.partition("/")
    return (kind, rest) if kind in TITLE_FIELDS else ("annotations", target)


def written(model: Model, target: str) -> bool:
    """Whether a wikilink's target exists: always, but under serve, where a link may name an
    item not written yet (see `resolve`)."""
    kind, ident = link_kind(target)
    return ident in getattr(model, kind)


def title_of(model: Model, kind: str, ident: str) -> str:
    """What a link to the item says: its name, label, title or claim; for an annotation, its
    source's title and the passage's opening words."""
    if kind == "annotations":
        ann = model.annotations[ident]
        return f"{model.sources[ann.source_id].title}: passage {quoted(ann.anchor.exact, 60)}"
    return getattr(getattr(model, kind)[ident], TITLE_FIELDS[kind])
