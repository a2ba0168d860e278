"""Sources in other languages: the language of each text a page shows, how to mark it up, and
a translated source's paragraphs beside the original's."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup, escape

from .anchoring import UNSPACED
from .model import Model, Translation

RIGHT_TO_LEFT = frozenset({"ar", "fa", "ps", "ur", "ug", "sd", "ckb", "ks", "dv", "he", "yi", "prs", "pnb"})
"""Languages written right to left (Arabic script and others) when no script subtag says otherwise."""
RIGHT_TO_LEFT_SCRIPTS = frozenset({"arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg"})


def is_right_to_left(tag: str) -> bool:
    """Whether text in the language `tag` (BCP 47) is written right to left."""
    parts = tag.lower().split("-")
    script = next((p for p in parts[1:] if len(p) == 4 and p.isalpha()), "")
    if script:
        return script in RIGHT_TO_LEFT_SCRIPTS
    return parts[0] in RIGHT_TO_LEFT


def source_language(model: Model, source_id: str) -> str:
    """The language of a source's text: its own `language`, else the site's."""
    return model.sources[source_id].language or model.site.language


def attributes(tag: str, page_language: str) -> Markup:
    """` lang="…"` (and ` dir="rtl"`) for an element holding text in `tag` on a page in
    `page_language`; nothing when the two are the same."""
    if not tag or tag.lower() == page_language.lower():
        return Markup("")
    direction = ' dir="rtl"' if is_right_to_left(tag) else (' dir="ltr"' if is_right_to_left(page_language) else "")
    return Markup(' lang="{}"').format(tag) + Markup(direction)


def _scripts(text: str) -> set[str]:
    """The scripts of the letters of `text`, as the first word of their Unicode names (LATIN,
    CYRILLIC, CJK, ARABIC...)."""
    return {unicodedata.name(c, "").partition(" ")[0] for c in text if c.isalpha()}


def name(model: Model, source_id: str, text: str) -> Markup:
    """A name a source is credited to (an author, its publication), marked up in the source's
    language when it is written in the script of the source's title, which is in that language
    (赵晶 for a Chinese source), and left in the page's language when it is not ("Lin Example")."""
    marked = attributes(source_language(model, source_id), model.site.language)
    if marked and _scripts(text) & _scripts(model.sources[source_id].title):
        return Markup("<span{}>{}</span>").format(marked, text)
    return escape(text)


@dataclass(frozen=True, slots=True)
class TranslatedBlock:
    """The translation of one rendered block of a source: its paragraphs, and whether the
    source's block is a heading."""

    paragraphs: tuple[str, ...]
    heading: bool


def translated_blocks(translation: Translation, source_blocks, spans: list[tuple[int, int]]) -> list[TranslatedBlock | None]:
    """For each rendered block of the source (its plain-text span, start -1 for a block without
    text), the translation's paragraphs for the source's text blocks inside it."""
    paragraphs = translation.paragraphs
    out: list[TranslatedBlock | None] = []
    at = 0
    for start, end in spans:
        if start < 0:
            out.append(None)
            continue
        first = at
        while at < len(source_blocks) and source_blocks[at].start <= end:
            at += 1
        kinds = {b.kind for b in source_blocks[first:at]}
        out.append(TranslatedBlock(paragraphs[first:at], kinds == {"heading"}))
    return out


def translator_credit(translation: Translation) -> Markup:
    """"Translation: the editors", or the publication, linking to where it was taken from."""
    who = escape(translation.by)
    if translation.url:
        who = Markup('<a href="{}">{}</a>').format(translation.url, translation.by)
    return Markup("Translation: ") + who


_UNSPACED_CHARACTER = re.compile(f"([{UNSPACED}])")


def search_terms(text: str) -> str:
    """A text in a script written without spaces (Chinese, Japanese), its characters spaced apart,
    for the search index, whose words are what spaces separate; empty for any other text. The
    search page spaces a query's characters the same way."""
    if not _UNSPACED_CHARACTER.search(text):
        return ""
    return " ".join(_UNSPACED_CHARACTER.sub(r" \1 ", text).split())
