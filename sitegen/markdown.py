"""Markdown for content bodies: CommonMark without raw HTML, plus wikilinks and passage highlights.

Raw HTML is never passed through: with `html` off, markdown-it renders `<script>` as text.
Links, images, autolinks and link references are made only of http, https, mailto and
relative URLs (`validate_link`).
"""

from __future__ import annotations

import bisect
from array import array
import heapq
import re
import sys
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .model import Body, BodyHtml, WikiLink

HOLE = "\0"
"""What the HTML made when a body is parsed holds where a page fills in a run of text or a
wikilink. Never in the HTML of content: markdown-it reads a NUL as U+FFFD."""

_WIKILINK = re.compile(r"\[\[([^\[\n]*?)\]\]")


def wikilink_plugin(md: MarkdownIt) -> None:
    """`[[target]]` and `[[target|label]]`: one inline rule, and a renderer that leaves a hole
    for the page to fill with `wikilink_html`."""

    def wikilink_rule(state: StateInline, silent: bool) -> bool:
        src, pos = state.src, state.pos
        if not src.startswith("[[", pos):
            return False
        # The closing ']]' before any '[' or line break: looking no further keeps a line of
        # thousands of '[[' linear.
        match = _WIKILINK.match(src, pos)
        if match is None:
            return False
        inner, end = match.group(1), match.end(1)
        if not inner.strip():
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
        holes: list[int] = env["holes"]
        holes += (-1, env.setdefault("links", 0))
        env["links"] += 1
        return HOLE

    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    md.add_render_rule("wikilink", render_wikilink)


def wikilink_html(link: WikiLink, resolve_link: Callable[[str], tuple[str, ...] | None]) -> str:
    """A wikilink as a page shows it. `resolve_link(target)` answers `(href, title)`, and the
    attributes the title needs when it is in another language; resolution happens in the resolve
    stage, so by render time every target is known to exist, but under serve, where a target may
    not be written yet: then it answers None and the label is shown marked, unlinked."""
    found = resolve_link(link.target)
    if found is None:
        return (f'<span class="wikilink wikilink-pending">{escapeHtml(link.label or link.target)}'
                '<span class="visually-hidden"> (not written yet)</span></span>')
    href, title, *lang = found
    attributes = lang[0] if lang and not link.label else ""
    return f'<a class="wikilink" href="{escapeHtml(href)}"{attributes}>{escapeHtml(link.label or title)}</a>'


def text_holes_plugin(md: MarkdownIt) -> None:
    """Leave a hole for each run of text, for the page to fill: escaped, or with the passages
    of a source page highlighted. Text tokens know their offset in the plain text (set by
    `plain_text`), so the highlights follow the same coordinates as the quote anchors."""

    def render_text(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        start = token.meta["plain_start"]
        holes: list[int] = env["holes"]
        holes += (start, start + len(token.content))
        return HOLE

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


class TooDeep(Exception):
    """Lists and quotes nested deeper than the parser keeps: markdown-it would silently drop
    everything from the innermost one to the end of the text."""

    def __init__(self, line: int, kind: str, depth: int):
        super().__init__(f"the {kind} is nested {depth} levels deep")
        self.line, self.kind, self.depth = line, kind, depth

    mixed: bool = False
    """Lists and quotes both among the levels."""

    @property
    def message(self) -> str:
        counting = ", counting the lists and quotes around it" if self.mixed else ""
        return f"the {self.kind} is nested {self.depth} levels deep{counting}; the renderer keeps at most {self.depth - 1}"

    hint = "nest fewer lists and quotes inside one another (a list counts as two levels of quotes)"


def depth_guard_plugin(md: MarkdownIt) -> None:
    """Raise TooDeep where the block parser would give up on a nested list or quote.

    The parser stops reading at `maxNesting` levels, and the container it was in swallows the
    rest of the text. The check here is the parser's own, made just before it.
    """
    tokenize = md.block.tokenize
    limit = md.options.maxNesting

    def guarded(state, start_line: int, end_line: int) -> None:
        if state.level >= limit:
            line = state.skipEmptyLines(start_line)
            if line < end_line and state.sCount[line] >= state.blkIndent:
                open_tokens: list[str] = []
                for token in state.tokens:
                    if token.nesting == 1:
                        open_tokens.append(token.type)
                    elif token.nesting == -1:
                        open_tokens.pop()
                containers = [t for t in open_tokens if t in ("blockquote_open", "list_item_open")]
                kind = "quote" if containers and containers[-1] == "blockquote_open" else "list"
                error = TooDeep(line, kind, len(containers))
                error.mixed = len(set(containers)) > 1
                raise error
        tokenize(state, start_line, end_line)

    md.block.tokenize = guarded


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
LINK_SCHEMES = ("http", "https", "mailto")
"""The schemes a link in markdown may have; links without one are relative."""


def validate_link(url: str) -> bool:
    """Whether markdown-it makes a link (or an image, or a link reference) of `url`; a link it
    refuses stays text. Only http, https, mailto and relative URLs: no `javascript:`, `data:`,
    `file:` or any other scheme."""
    scheme = _SCHEME.match(url.strip())
    return scheme is None or scheme.group(1).lower() in LINK_SCHEMES


def make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = validate_link
    depth_guard_plugin(md)
    wikilink_plugin(md)
    text_holes_plugin(md)
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
    """Line of the block: in the file, once `plain_text` is told the body's first line."""
    kind: str
    """The markdown block it came from: paragraph, heading, fence..."""


def plain_text(tokens: Sequence[Token], first_line: int = 0) -> tuple[str, tuple[TextBlock, ...]]:
    """The text a reader sees, blocks separated by a blank line, and each block's span (its line
    counted from `first_line`, the line of the tokens' first).

    Records each text token's offset in `token.meta["plain_start"]`, which `body_html` reads
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
            blocks.append(TextBlock(start, pos, first_line + (token.map[0] if token.map else 0), opener))
        elif token.type in ("fence", "code_block") and token.content.strip():
            if blocks:
                parts.append("\n\n")
                pos += 2
            text = token.content.rstrip("\n")
            blocks.append(TextBlock(pos, pos + len(text), first_line + (token.map[0] if token.map else 0), token.type))
            parts.append(text)
            pos += len(text)
    return "".join(parts), tuple(blocks)


def parse_markdown(text: str, first_line: int, env: dict | None = None) -> list[Token]:
    """The tokens of a markdown text whose first line is line `first_line` of its file.

    Raises TooDeep, its line counted in the file, when lists or quotes nest too deep.
    """
    try:
        return MARKDOWN.parse(text, {} if env is None else env)
    except TooDeep as error:
        error.line += first_line
        raise


def parse_body(text: str, first_line: int) -> Body:
    """Parse a markdown body whose first line is line `first_line` of its file."""
    return body_from_tokens(text, parse_markdown(text, first_line), first_line)


def body_from_tokens(markdown: str, tokens: Sequence[Token], first_line: int) -> Body:
    """The body of `markdown`, given the tokens it parses into (their lines counted from
    `first_line`)."""
    text, _ = plain_text(tokens)
    return Body(markdown.encode() if tokens else b"", wikilinks(tokens, first_line), text.encode(), first_line,
                body_html(tokens))


def body_html(tokens: Sequence[Token], heading_ids: bool = False) -> BodyHtml:
    """The HTML of `tokens`, once `plain_text` has read them, with a hole for each run of text
    and each wikilink; headings with an id each when `heading_ids` is set."""
    env: dict = {"holes": [], "heading_ids": heading_ids}
    parts: list[str] = []
    blocks: list[int] = []
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
        pieces = MARKDOWN.renderer.render(group, MARKDOWN.options, env).split(HOLE)
        parts += map(sys.intern, pieces)
        placed = [c for t in group if t.type == "inline" for c in t.children or () if c.meta and "plain_start" in c.meta]
        if placed:
            blocks += (len(pieces) - 1, placed[0].meta["plain_start"], placed[-1].meta["plain_start"] + len(placed[-1].content))
        else:
            blocks += (len(pieces) - 1, -1, -1)
        i = j + 1
    return BodyHtml(tuple(parts), array("i", env["holes"]).tobytes(), array("i", blocks).tobytes())


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


MAX_DEPTH = 3
"""At most this many passages are drawn one inside another. Every piece of text between two
passage boundaries is wrapped in a `<mark>` for each passage drawn over it, so with no limit
n passages nested or overlapping all over each other would take some n * n marks."""


class Highlights:
    """Renders text with `<mark>` around annotated spans; one instance per page render.

    A passage that would be drawn inside `MAX_DEPTH` others is not drawn: in its place, where it
    starts, stands an empty element with its id (what links to the passage lead to).
    """

    def __init__(self, spans: Sequence[Span]):
        ordered = sorted(spans, key=lambda s: (s.start, -s.end, s.anchor_id))
        self.spans: list[Span] = []
        self.undrawn: list[Span] = []
        ends: list[int] = []
        """Where the drawn passages that cover the current span's start end (a heap)."""
        for span in ordered:
            while ends and ends[0] <= span.start:
                heapq.heappop(ends)
            if len(ends) < MAX_DEPTH:
                self.spans.append(span)
                heapq.heappush(ends, span.end)
            else:
                self.undrawn.append(span)
        self.starts = [s.start for s in self.spans]
        self.undrawn_starts = [s.start for s in self.undrawn]
        self.anchored: set[str] = set()

    def render(self, content: str, offset: int) -> str:
        end = offset + len(content)
        # Spans can overlap, so any span starting before `end` may cover this text.
        candidates = [s for s in self.spans[: bisect.bisect_left(self.starts, end)] if s.end > offset]
        # An undrawn passage's id goes where its first text is, as a drawn one's first mark would.
        points = [s for s in self.undrawn[: bisect.bisect_left(self.undrawn_starts, end)]
                  if s.end > offset and s.anchor_id not in self.anchored]
        if not candidates and not points:
            return escapeHtml(content)
        cuts = {offset, end}
        for span in candidates:
            cuts.update(c for c in (span.start, span.end) if offset < c < end)
        ordered = sorted(cuts)
        out = []
        placed = 0
        for left, right in zip(ordered, ordered[1:]):
            first = placed
            while placed < len(points) and points[placed].start < right:
                placed += 1
            piece = self._text(content, offset, left, right, points[first:placed])
            covering = [s for s in candidates if s.start <= left and s.end >= right]
            for depth in range(len(covering), 0, -1):  # the innermost first
                piece = self._mark(covering[depth - 1], piece, depth)
            out.append(piece)
        return "".join(out)

    def _text(self, content: str, offset: int, left: int, right: int, points: list[Span]) -> str:
        """Text from `left` to `right`, escaped, with the undrawn passages starting in it in place."""
        out, done = [], left
        for span in points:
            at = max(span.start, offset)
            out += [escapeHtml(content[done - offset : at - offset]), self._point(span)]
            done = at
        out.append(escapeHtml(content[done - offset : right - offset]))
        return "".join(out)

    def _mark(self, span: Span, inner: str, depth: int) -> str:
        """`inner` marked as part of `span`, drawn `depth` passages deep (1: in no other): a
        passage inside another is drawn as a second level (`hl-2`, `hl-3`), so the outer one
        stays one highlight around it."""
        level = f" hl-{depth}" if depth > 1 else ""
        attrs = f' class="hl{level}" data-ann="{span.anchor_id}"'
        if span.anchor_id not in self.anchored:
            self.anchored.add(span.anchor_id)
            attrs += f' id="{span.anchor_id}"'
        return f"<mark{attrs}>{inner}</mark>"

    def _point(self, span: Span) -> str:
        """The place of a passage that is not drawn: an empty element with its id."""
        self.anchored.add(span.anchor_id)
        return f'<span class="hl-undrawn" id="{span.anchor_id}"></span>'


def render_body(body: Body, resolve_link: Callable[[str], tuple[str, ...] | None]) -> str:
    """The body's HTML, its wikilinks resolved by `resolve_link` (see `wikilink_html`)."""
    return "".join(html for html, _, _ in _blocks(body, resolve_link, lambda text, start: escapeHtml(text)))


def render_blocks(body: Body, resolve_link: Callable[[str], tuple[str, ...] | None],
                  highlights: Highlights) -> list[tuple[str, int, int]]:
    """The body's top-level blocks, its passages drawn by `highlights`: (html, where its plain
    text starts and ends, or -1 and -1) for each.

    The source page puts each passage's notes right after the block where the passage starts.
    """
    return list(_blocks(body, resolve_link, highlights.render))


def _blocks(body: Body, resolve_link: Callable[[str], tuple[str, ...] | None],
            text: Callable[[str, int], str]) -> Iterator[tuple[str, int, int]]:
    """Each top-level block's HTML, its holes filled: a run of text with `text(run, its start in
    the plain text)`, a wikilink with `wikilink_html`; and where its plain text starts and ends."""
    plain = body.text
    parts = iter(body.html.parts)
    holes = iter(memoryview(body.html.holes).cast("i"))
    blocks = memoryview(body.html.blocks).cast("i")
    for at in range(0, len(blocks), 3):
        count, start, end = blocks[at : at + 3]
        out = [next(parts)]
        for _ in range(count):
            left, right = next(holes), next(holes)
            out.append(wikilink_html(body.wikilinks[right], resolve_link) if left < 0 else text(plain[left:right], left))
            out.append(next(parts))
        yield "".join(out), start, end
