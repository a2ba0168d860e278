"""A source's text as the pages show it: on its page, the article block by block, each passage
underlined and numbered, and after each block the notes of the passages that start in it; for
each passage, how to cite it and a link to it in the original."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Mapping
from urllib.parse import quote

from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

from . import excerpts, languages
from .derive import Index
from .markdown import Highlights, Span, render_blocks
from .languages import TranslatedBlock
from .model import Model


class NumberedHighlights(Highlights):
    """Highlights that also put each passage's number before it, linking to its note.

    The number and the underline mark a passage without relying on colour.
    """

    def __init__(self, spans, numbers: Mapping[str, int]):
        super().__init__(spans)
        self.numbers = numbers

    def _mark(self, span: Span, inner: str, depth: int) -> str:
        first = span.anchor_id not in self.anchored
        html = super()._mark(span, inner, depth)
        return self._number(span) + html if first else html

    def _point(self, span: Span) -> str:
        return self._number(span) + super()._point(span)

    def _number(self, span: Span) -> str:
        return (f'<a class="hl-num" href="#note_{span.anchor_id}">'
                f'<span class="visually-hidden">note </span>{self.numbers[span.anchor_id]}</a>')


@dataclass(frozen=True, slots=True)
class Block:
    """One top-level block of the article (a paragraph, a heading, a list...)."""

    html: Markup
    notes: tuple[str, ...]
    """The refs of the passages whose notes follow the block: those starting in it, by number."""
    translation: TranslatedBlock | None
    """The translation's paragraphs for this block, when the source has a translation."""
    search_terms: str
    """The block's text with the characters of scripts written without spaces spaced apart, for
    the search index (empty for other text)."""


def blocks(model: Model, index: Index, source_id: str,
           link_target: Callable[[str], tuple[str, ...] | None]) -> tuple[Block, ...]:
    """The source's text block by block; `link_target` resolves its wikilinks as the renderer does."""
    refs = index.by_source.get(source_id, ())
    anns = [model.annotations[r] for r in refs]
    spans = [Span(a.anchor.start, a.anchor.end, a.id, ", ".join(model.motives[m].label for m in a.motives)) for a in anns]
    numbers = {model.annotations[r].id: index.passage_number[r] for r in refs}
    highlights = NumberedHighlights(spans, numbers)
    source = model.sources[source_id]
    if source.excerpts:
        return excerpt_blocks(model, index, source_id, highlights)
    pending = sorted(anns, key=lambda a: numbers[a.id])
    rendered = render_blocks(source.body, link_target, highlights)
    translation = model.translations.get(source_id)
    translated = (languages.translated_blocks(translation, source.blocks, [(start, end) for _, start, end in rendered])
                  if translation else [None] * len(rendered))
    out, taken, text = [], 0, source.plain_text
    for k, ((html, start, end), in_translation) in enumerate(zip(rendered, translated), 1):
        first = taken
        # The last block takes the notes of any passage left, wherever it starts.
        while taken < len(pending) and (k == len(rendered) or 0 <= end and pending[taken].anchor.start < end + 2):
            taken += 1
        terms = languages.search_terms(text[start:end]) if end >= 0 else ""
        out.append(Block(Markup(html), tuple(a.ref for a in pending[first:taken]), in_translation, terms))
    return tuple(out)


def excerpt_blocks(model: Model, index: Index, source_id: str, highlights: Highlights) -> tuple[Block, ...]:
    """A source shown in excerpts (`reproduce: excerpts`), as blocks: one per paragraph of each
    excerpt (a cut in it marked "…", the text left out before an excerpt that starts a paragraph
    "[…]"), with the notes and the links into the original of the passages that start in it;
    nothing else of the text, and no translation beyond each passage's own."""
    refs = index.by_source.get(source_id, ())
    anchors = {r: model.annotations[r].anchor for r in refs}
    source = model.sources[source_id]
    text = source.plain_text
    place = languages.name(model, source_id, source.whole_text_at[1])
    where = f" in the original at {place}" if source.url else f" in the copy at {place}"
    headings = {(b.start, b.end) for b in source.blocks if b.kind == "heading"}
    out = []
    for excerpt in excerpts.excerpts(text, ((r, a.start, a.end) for r, a in anchors.items())):
        pieces = excerpts.paragraphs(text, excerpt)
        for number, (start, end, cut_before, cut_after) in enumerate(pieces):
            upto = pieces[number + 1][0] if number + 1 < len(pieces) else excerpt.end
            here = tuple(r for r in excerpt.refs if start <= anchors[r].start < upto)
            html = ['<p class="excerpt-gap">[…]</p>'] if number == 0 and start > 0 and not cut_before else []
            tag = "h2" if (start, end) in headings else "p"  # a heading shown as context stays a heading
            html.append(f'<{tag}>{"… " if cut_before else ""}{highlights.render(text[start:end], start)}'
                        f'{" …" if cut_after else ""}</{tag}>')
            if here:
                links = " · ".join(f'<a class="in-original" href="{escapeHtml(original_link(model, r))}">passage '
                                   f'{index.passage_number[r]}</a>' for r in here)
                html.append(f'<p class="excerpt-original">Read on{where}: {links}</p>')
            out.append(Block(Markup("\n".join(html)), here, None, languages.search_terms(text[start:end])))
    return tuple(out)


def _fragment_part(text: str) -> str:
    # Text fragments reserve '-', ',' and '&'; quote() leaves '-' alone, so escape it by hand.
    return quote(text, safe="").replace("-", "%2D")


@functools.lru_cache(maxsize=1)
def _flat_text(plain: bytes) -> tuple[str, str]:
    """A source's plain text, and its words lowercased one space apart (a page links into the
    original of one source only)."""
    text = plain.decode()
    return text, " ".join(text.split()).lower()


def original_link(model: Model, ref: str) -> str:
    """The original article's URL with a text fragment that scrolls to the passage."""
    ann = model.annotations[ref]
    source = model.sources[ann.source_id]
    address = source.whole_text_at[0]
    if not address:
        return ""
    words = ann.anchor.exact.split()
    start = " ".join(words if len(words) <= 8 else words[:4])
    fragment = _fragment_part(start)
    if len(words) > 8:
        fragment += "," + _fragment_part(" ".join(words[-4:]))
    # Browsers jump to the first match of the start words (case-insensitively); when they
    # occur earlier too, name the words before the passage in its paragraph.
    text, flat = _flat_text(source.body.plain)
    if flat.count(start.lower()) > 1:
        before = text[:ann.anchor.start].rsplit("\n\n", 1)[-1].split()[-3:]
        if before:
            fragment = _fragment_part(" ".join(before)) + "-," + fragment
    return f"{address.split('#')[0]}#:~:text={fragment}"
