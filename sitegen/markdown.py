"""Markdown for content bodies: CommonMark without raw HTML, plus wikilinks and passage highlights.

Raw HTML is never passed through: with `html` off, markdown-it renders `<script>` as text.
"""

from __future__ import annotations

import bisect
import re
import sys
from dataclasses import dataclass
from typing import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .model import Body, WikiLink


def wikilink_plugin(md: MarkdownIt) -> None:
    """`[[target]]` and `[[target|label]]`: one inline rule, one renderer.

    The renderer asks `env["wikilink"](target)` for `(href, title)`; resolution happens in the
    resolve stage, so by render time every target is known to exist.
    """

    def wikilink_rule(state: StateInline, silent: bool) -> bool:
        src, pos = state.src, state.pos
        if not src.startswith("[[", pos):
            return False
        end = src.find("]]", pos + 2)
        if end < 0:
            return False
        inner = src[pos + 2 : end]
        if not inner.strip() or "\n" in inner or "[" in inner:
            return False
        if not silent:
            target, _, label = inner.partition("|")
            token = state.push("wikilink", "a", 0)
            token.meta = {
                "target": target.strip(),
                "label": label.strip(),
                "line_offset": src.count("\n", 0, pos),
            }
        state.pos = end + 2
        return True

    def render_wikilink(self, tokens, idx, options, env) -> str:
        meta = tokens[idx].meta
        href, title = env["wikilink"](meta["target"])
        label = meta["label"] or title
        return f'<a class="wikilink" href="{escapeHtml(href)}">{escapeHtml(label)}</a>'

    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    md.add_render_rule("wikilink", render_wikilink)


def highlight_plugin(md: MarkdownIt) -> None:
    """Wrap the parts of text that annotations quote in `<mark>`, one per annotation.

    `env["highlights"]` is a `Highlights`; text tokens know their offset in the plain text
    (set by `plain_text`), so the highlight follows the same coordinates as the quote anchor.
    """
    def render_text(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        highlights: Highlights | None = env.get("highlights")
        start = token.meta.get("plain_start") if token.meta else None
        if highlights is None or start is None:
            return escapeHtml(token.content)
        return highlights.render(token.content, start)

    md.add_render_rule("text", render_text)


def heading_ids_plugin(md: MarkdownIt) -> None:
    """Give headings an id for linking. Layout ids contain `_`, which content ids never do."""

    def render_heading_open(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        if not env.get("heading_ids"):
            return self.renderToken(tokens, idx, options, env)
        inline = tokens[idx + 1]
        seen: dict[str, int] = env.setdefault("heading_slugs", {})
        slug = re.sub(r"[^a-z0-9]+", "-", inline.content.lower()).strip("-") or "section"
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchor = f"s_{slug}" if not count else f"s_{slug}-{count + 1}"
        token.attrSet("id", anchor)
        return self.renderToken(tokens, idx, options, env)

    md.add_render_rule("heading_open", render_heading_open)


def make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    wikilink_plugin(md)
    highlight_plugin(md)
    heading_ids_plugin(md)
    return md


MARKDOWN = make_markdown()


def _child_text(child: Token) -> str | None:
    if child.type in ("text", "code_inline"):
        return child.content
    if child.type in ("softbreak", "hardbreak"):
        return "\n"
    if child.type == "wikilink":
        return child.meta["label"] or child.meta["target"]
    if child.type == "image":
        return child.content
    return None


@dataclass(frozen=True, slots=True)
class TextBlock:
    """One block of a body's plain text."""

    start: int
    end: int
    """Offsets in the plain text."""
    line: int
    """Line of the block, counted from the body's first line (0-based)."""
    kind: str
    """The markdown block it came from: paragraph, heading, fence..."""


def plain_text(tokens: Sequence[Token]) -> tuple[str, tuple[TextBlock, ...]]:
    """The text a reader sees, blocks separated by a blank line, and each block's span.

    Records each text token's offset in `token.meta["plain_start"]`, which the highlighter reads
    (and each wikilink's, which `wikilinks` reads).
    """
    parts: list[str] = []
    blocks: list[TextBlock] = []
    pos = 0
    for index, token in enumerate(tokens):
        if token.type == "inline":
            pieces = []
            for child in token.children or ():
                text = _child_text(child)
                if text is None:
                    continue
                pieces.append((child, text))
            if not pieces:
                continue
            if blocks:
                parts.append("\n\n")
                pos += 2
            start = pos
            for child, text in pieces:
                if child.type in ("text", "wikilink"):
                    child.meta = {**(child.meta or {}), "plain_start": pos}
                parts.append(text)
                pos += len(text)
            opener = sys.intern(tokens[index - 1].type.removesuffix("_open")) if index else "paragraph"
            blocks.append(TextBlock(start, pos, token.map[0] if token.map else 0, opener))
        elif token.type in ("fence", "code_block") and token.content.strip():
            if blocks:
                parts.append("\n\n")
                pos += 2
            text = token.content.rstrip("\n")
            blocks.append(TextBlock(pos, pos + len(text), token.map[0] if token.map else 0, token.type))
            parts.append(text)
            pos += len(text)
    return "".join(parts), tuple(blocks)


def parse_body(text: str, first_line: int) -> Body:
    """Parse a markdown body whose first line is line `first_line` of its file."""
    tokens = MARKDOWN.parse(text, {})
    return body_from_tokens(text, tokens, first_line)


def body_from_tokens(markdown: str, tokens: Sequence[Token], first_line: int) -> Body:
    """The body of `markdown`, given the tokens it parses into (their lines counted from
    `first_line`)."""
    text, _ = plain_text(tokens)
    return Body(markdown.encode() if tokens else b"", wikilinks(tokens, first_line), text.encode(), first_line)


def wikilinks(tokens: Sequence[Token], first_line: int) -> tuple[WikiLink, ...]:
    """Every wikilink among `tokens`, with the line of the file it is on and (once `plain_text`
    has read the tokens) its place in the plain text."""
    links = []
    for token in tokens:
        if token.type != "inline":
            continue
        block_line = first_line + (token.map[0] if token.map else 0)
        for child in token.children or ():
            if child.type == "wikilink":
                meta = child.meta
                links.append(WikiLink(sys.intern(meta["target"]), meta["label"], block_line + meta["line_offset"],
                                      meta.get("plain_start", 0)))
    return tuple(links)


@dataclass(frozen=True, slots=True)
class Span:
    """One highlighted passage in plain-text coordinates."""

    start: int
    end: int
    anchor_id: str
    """The annotation id: the first `<mark>` of the passage carries it as its HTML id."""
    label: str
    """Accessible description of the mark (the annotation's tags)."""


class Highlights:
    """Renders text with `<mark>` around annotated spans; one instance per page render."""

    def __init__(self, spans: Sequence[Span]):
        self.spans = sorted(spans, key=lambda s: (s.start, -s.end, s.anchor_id))
        self.starts = [s.start for s in self.spans]
        self.anchored: set[str] = set()

    def render(self, content: str, offset: int) -> str:
        end = offset + len(content)
        # Spans can overlap, so any span starting before `end` may cover this text.
        candidates = [s for s in self.spans[: bisect.bisect_left(self.starts, end)] if s.end > offset]
        if not candidates:
            return escapeHtml(content)
        cuts = {offset, end}
        for span in candidates:
            cuts.update(c for c in (span.start, span.end) if offset < c < end)
        ordered = sorted(cuts)
        out = []
        for left, right in zip(ordered, ordered[1:]):
            piece = escapeHtml(content[left - offset : right - offset])
            covering = [s for s in candidates if s.start <= left and s.end >= right]
            for span in reversed(covering):
                piece = self._mark(span, piece)
            out.append(piece)
        return "".join(out)

    def _mark(self, span: Span, inner: str) -> str:
        attrs = f' class="hl" data-ann="{span.anchor_id}"'
        if span.anchor_id not in self.anchored:
            self.anchored.add(span.anchor_id)
            attrs += f' id="{span.anchor_id}"'
        return f"<mark{attrs}>{inner}</mark>"


def body_tokens(body: Body) -> list[Token]:
    """The body's tokens, parsed again from its markdown."""
    return MARKDOWN.parse(body.markdown.decode(), {}) if body.markdown else []


def render_tokens(tokens: Sequence[Token], resolve_link: Callable[[str], tuple[str, str]]) -> str:
    return MARKDOWN.renderer.render(tokens, MARKDOWN.options, {"wikilink": resolve_link})


def render_body(body: Body, resolve_link: Callable[[str], tuple[str, str]]) -> str:
    return render_tokens(body_tokens(body), resolve_link)


def render_blocks(
    body: Body, resolve_link: Callable[[str], tuple[str, str]], highlights: Highlights
) -> list[tuple[str, int, int]]:
    """Render top-level blocks one at a time: (html, plain start, plain end) for each.

    The source page puts each passage's notes right after the block where the passage starts.
    """
    env = {"wikilink": resolve_link, "highlights": highlights, "heading_ids": True}
    tokens = body_tokens(body)
    plain_text(tokens)  # the offsets the highlights are placed by
    blocks = []
    i = 0
    while i < len(tokens):
        j = i
        if tokens[i].nesting == 1:
            depth = 0
            while True:
                depth += tokens[j].nesting
                if depth == 0:
                    break
                j += 1
        group = tokens[i : j + 1]
        starts = [c.meta["plain_start"] for t in group if t.type == "inline" for c in t.children or () if c.meta and "plain_start" in c.meta]
        html = MARKDOWN.renderer.render(group, MARKDOWN.options, env)
        if starts:
            last = [c for t in group if t.type == "inline" for c in t.children or () if c.meta and "plain_start" in c.meta][-1]
            blocks.append((html, min(starts), last.meta["plain_start"] + len(last.content)))
        else:
            blocks.append((html, -1, -1))
        i = j + 1
    return blocks
