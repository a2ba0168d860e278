"""A link checker for a built site: every internal href/src resolves to a file, every #fragment to an id."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            if tag == "a" and name == "name":
                self.ids.add(value)
            if name in ("href", "src") or (tag == "form" and name == "action"):
                self.links.append(value)
            if name == "srcset":
                self.links.extend(part.strip().split(" ")[0] for part in value.split(","))


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    """Every internal link in every HTML page of `site` that does not resolve, as 'page: link'."""
    pages = sorted(site.rglob("*.html"))
    parsed = {p: _parse(p) for p in pages}
    problems = []
    for page, collector in parsed.items():
        for link in collector.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:")):
                continue
            if not parts.path:
                target = page
            else:
                if not parts.path.startswith(base_path):
                    problems.append(f"{page.relative_to(site)}: {link} (outside the base path {base_path})")
                    continue
                rel = unquote(parts.path[len(base_path):])
                target = site / rel
                if rel == "" or rel.endswith("/"):
                    target = target / "index.html"
                if not target.is_file():
                    problems.append(f"{page.relative_to(site)}: {link} (no file {target.relative_to(site)})")
                    continue
            fragment = unquote(parts.fragment)
            if fragment and not fragment.startswith(":~:") and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if fragment not in ids:
                    problems.append(f"{page.relative_to(site)}: {link} (no id '{fragment}')")
    return problems
