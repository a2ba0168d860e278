"""A passage's own page: the passage in its context, the editors' reading, what cites it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from . import languages, sharing
from .derive import Index
from .model import Annotation, Model
from .references import Citing, citing


CONTEXT_CHARS = 120
"""The most context shown on either side of a passage: a clause or a short sentence, cut at a word."""

_SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*\s+")


@dataclass(frozen=True, slots=True)
class ContextParagraph:
    """One paragraph of a passage in its context: the source's words before it, the passage's
    own words, and the words after; a paragraph of context alone has no `quote`."""

    before: str
    quote: str
    after: str


@dataclass(frozen=True, slots=True)
class PassageView:
    """A passage on its own page: in full, in its context, with the editors' reading and what cites it."""

    annotation: Annotation
    source: str
    """The source's id."""
    number: int
    """Its number in its source (as the source page numbers it)."""
    paragraphs: tuple[ContextParagraph, ...]
    cited_by: tuple[Citing, ...]
    previous: str
    next: str
    """The refs of the passages before and after it in its source, or empty."""
    description: str
    """What a shared link to the page says: the quote, its source, and that the editors read it."""
    authors: Markup
    """The citation's words before the source's title: its authors ("A and B"), a name in the
    script of the source's language marked up in it (`languages.name`)."""
    published: Markup
    """The citation's words after the title: ", <publication>, <date>", the publication marked up
    the same way."""

    @property
    def has_context(self) -> bool:
        """Some of the source's text around the passage is shown."""
        return any(p.before or p.after for p in self.paragraphs)


def _trim_start(text: str) -> str:
    if len(text) <= CONTEXT_CHARS:
        return text
    cut = text[-CONTEXT_CHARS:]
    return "…" + cut[cut.find(" ") + 1:] if " " in cut else "…" + cut


def _trim_end(text: str) -> str:
    if len(text) <= CONTEXT_CHARS:
        return text
    cut = text[:CONTEXT_CHARS]
    return (cut[:cut.rfind(" ")] if " " in cut else cut) + "…"


def _last_sentence(text: str) -> str:
    """The last sentence of `text`, with the space after it (what ends a paragraph, or comes just
    before a passage that starts mid-sentence: the start of that sentence)."""
    body = text.rstrip()
    starts = [m.end() for m in _SENTENCE_END.finditer(body)]
    return _trim_start(text[starts[-1] if starts else 0:])


def _first_sentence(text: str) -> str:
    """The first sentence of `text` (or the rest of the sentence a passage ends in)."""
    for match in _SENTENCE_END.finditer(text):
        if text[:match.start()].strip():
            return _trim_end(text[:match.end()].rstrip())
    return _trim_end(text)


def _paragraph_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the paragraphs holding `text[start:end]` begin and end (paragraphs are a blank line apart)."""
    before, after = text.rfind("\n\n", 0, start), text.find("\n\n", end)
    return (before + 2 if before >= 0 else 0), (after if after >= 0 else len(text))


def passage_in_context(text: str, start: int, end: int) -> tuple[ContextParagraph, ...]:
    """The passage `text[start:end]` paragraph by paragraph, with a sentence or so of the text
    around it: the rest of the sentence it starts or ends in, or when it starts or ends a
    paragraph, the last sentence of the paragraph before or the first of the one after."""
    para_start, para_end = _paragraph_around(text, start, end)
    lead, tail = text[para_start:start], text[end:para_end]
    pieces = text[start:end].split("\n\n")
    paragraphs = [ContextParagraph("", piece, "") for piece in pieces]
    if lead.strip():
        paragraphs[0] = ContextParagraph(_last_sentence(lead), pieces[0], "")
    elif para_start:
        earlier, _ = _paragraph_around(text, para_start - 2, para_start - 2)
        paragraphs.insert(0, ContextParagraph(_last_sentence(text[earlier:para_start - 2]), "", ""))
    last = paragraphs[-1]
    if tail.strip():
        paragraphs[-1] = ContextParagraph(last.before, last.quote, _first_sentence(tail))
    elif para_end < len(text):
        _, later = _paragraph_around(text, para_end + 2, para_end + 2)
        paragraphs.append(ContextParagraph("", "", _first_sentence(text[para_end + 2:later])))
    return tuple(paragraphs)


def passage(model: Model, index: Index, ref: str) -> PassageView:
    """The page of the passage `ref`."""
    ann = model.annotations[ref]
    source = model.sources[ann.source_id]
    refs = index.by_source[ann.source_id]
    number = index.passage_number[ref]
    return PassageView(
        ann, ann.source_id, number,
        passage_in_context(source.plain_text, ann.anchor.start, ann.anchor.end),
        citing(model, index, f"annotations/{ref}"),
        refs[number - 2] if number > 1 else "", refs[number] if number < len(refs) else "",
        sharing.passage_description(model, ref),
        Markup(" and ").join(languages.name(model, source.id, author) for author in source.authors),
        Markup("").join(Markup(", {}").format(part) for part in
                        (source.byline_publication and languages.name(model, source.id, source.byline_publication),
                         source.published.display()) if part),
    )
