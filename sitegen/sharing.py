"""What a shared link shows: each page's description, and its preview card.

A description is written for a reader who sees the link in a feed or a chat: what the page
is and what it holds, in a sentence or two, never cut mid-word. A card is a page of its own
(`CARD` is its template; `plan` adds one beside each page), drawn by `cards.draw` from the
page's title and the kind of page it is, so a page's card is rendered, written and brought up
to date by `serve` like any page.
"""

from __future__ import annotations

from .derive import Index
from .model import Model, Source
from .references import plural
from .typography import quoted, shorten

CARD = "(preview card)"
"""The template name of a card page: `render` draws it instead of looking up a template."""
DESCRIPTION_LIMIT = 240
"""About what a search result or a link preview shows before it cuts the text itself."""

FIXED = {
    "actors": "Every actor the sources give a role, with its position on recognition.",
    "motives": "The motives the sources attribute to the actors, with the passages behind each.",
    "sources": "The source articles, reproduced in full and annotated passage by passage.",
    "timeline": "The events behind the recognition, in date order, each with the passages it rests on.",
    "arguments": "The claims the sources make, the passages behind them, and which support or oppose which.",
    "corrections": "Every factual error the editors found in the sources, what is right, and the evidence.",
    "about": "What this site is, how the sources are annotated, and how to ask for a correction.",
}
"""The descriptions of the pages that list or explain, by page name (`urls.PAGES`)."""


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text[-1] in ".!?…”’" else text + "."


def page_description(name: str, model: Model) -> str:
    """The description of a page with no id (`urls.PAGES` name)."""
    site = model.site
    if name == "sources" and any(source.excerpts for source in model.sources.values()):
        shown = "some shown in full, some in excerpts" if any(not s.excerpts for s in model.sources.values()) else "quoted in excerpts"
        return f"The source articles, annotated passage by passage: {shown}, each linked to its original."
    if name in FIXED:
        return FIXED[name]
    if name == "search":
        return f"Search the annotated sources, actors, motives, arguments and timeline of {site.title}."
    if name == "data":
        return f"The content of {site.title} as open data: JSON, CSV and W3C Web Annotations."
    if name == "404":
        return f"There is no page at this address on {site.title}."
    return site.description


def actor_description(key: str, model: Model, index: Index) -> str:
    """Its position on recognition when the editors give one, then what the site holds on it."""
    actor = model.actors[key]
    refs = index.by_actor.get(key, ())
    sources = len({model.annotations[r].source_id for r in refs})
    held = (f"{plural(len(refs), 'annotated passage')} from {plural(sources, 'source')} on what it wants and why."
            if refs else "No passage yet on what it wants.")
    if not actor.position:
        return held
    return shorten(f"{actor.name}: {_sentence(actor.position)}", DESCRIPTION_LIMIT - len(held) - 1) + " " + held


def motive_description(key: str, model: Model, index: Index) -> str:
    """The motive's definition (the first paragraph of its text; the rest tells editors when to
    tag it), then how many passages attribute it."""
    motive = model.motives[key]
    passages = index.by_motive.get(key, ())
    sources = len({model.annotations[r].source_id for r in passages})
    verb = "attributes" if len(passages) == 1 else "attribute"
    held = (f"{plural(len(passages), 'passage')} from {plural(sources, 'source')} {verb} it." if passages
            else "No passage attributes it yet.")
    definition = motive.body.text.strip().split("\n\n", 1)[0] if not motive.body.empty else ""
    if not definition:
        return f"{motive.label}, a motive the sources attribute. {held}"
    return shorten(f"{motive.label}: {_sentence(definition)}", DESCRIPTION_LIMIT - len(held) - 1) + " " + held


def _byline(source: Source) -> str:
    """“Title” by its authors, publication, date."""
    where = ", ".join(part for part in (source.byline_publication, source.published.display()) if part)
    return f"“{source.title}” by {' and '.join(source.authors)}, {where}"


def passage_description(model: Model, ref: str) -> str:
    """The quote's opening words, and who wrote it where and when."""
    ann = model.annotations[ref]
    credit = f" From {_byline(model.sources[ann.source_id])}, with the editors’ reading."
    return shorten(quoted(ann.anchor.exact), max(60, DESCRIPTION_LIMIT - len(credit))) + credit


def source_description(source: Source, notes: int) -> str:
    """Who wrote it, where and when, and that the page holds it (in full, in part or in excerpts)
    with its `notes`."""
    text = "Excerpts of the article" if source.excerpts else "The article, in part" if source.partial else "The full article"
    held = (f"{text}, with notes on {plural(notes, 'passage')}: which actor each is about and what "
            "motives it gives." if notes else f"{text}, not yet annotated.")
    credit = shorten(f"{_byline(source)}.", DESCRIPTION_LIMIT - len(held) - 1)
    return f"{credit} {held}"

