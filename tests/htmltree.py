"""A small element tree for built pages, on the standard library's HTML parser, for content tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterator

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# SVG elements the templates write self-closed; the parser reports them as start-end tags.


@dataclass
class Element:
    """One element: its tag, attributes, children (elements and strings) and parent."""

    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)
    parent: "Element | None" = None

    def iter(self) -> Iterator["Element"]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list["Element"]:
        def matches(el: Element) -> bool:
            if tag and el.tag != tag:
                return False
            if cls and cls not in el.attrs.get("class", "").split():
                return False
            return all(el.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        return [el for el in self.iter() if matches(el)]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> "Element":
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'} class={cls!r} {attrs}> in <{self.tag} {self.attrs}>"
        return found[0]

    def by_id(self, ident: str) -> "Element":
        found = [el for el in self.iter() if el.attrs.get("id") == ident]
        assert len(found) == 1, f"{len(found)} elements with id {ident!r}"
        return found[0]

    def text(self) -> str:
        """The text content, whitespace collapsed."""
        parts: list[str] = []

        def walk(el: Element) -> None:
            for child in el.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)
        walk(self)
        return " ".join("".join(parts).split())

    def has_class(self, cls: str) -> bool:
        return cls in self.attrs.get("class", "").split()

    def ancestors(self) -> Iterator["Element"]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def select(self, predicate: Callable[["Element"], bool]) -> list["Element"]:
        return [el for el in self.iter() if predicate(el)]


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        el = Element(tag, {k: (v if v is not None else "") for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        el = Element(tag, {k: (v if v is not None else "") for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(el)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Element:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


def load_page(site: Path, url_path: str) -> Element:
    """The page that serves `url_path` (`actors/northland/`, `404.html`) in a built site."""
    path = site / url_path
    if not url_path or url_path.endswith("/"):
        path = path / "index.html"
    return parse_html(path.read_text(encoding="utf-8"))
