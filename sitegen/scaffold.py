"""`build.py new KIND ID`: a new content file with every field of its kind, each explained.

Required fields are left empty (so `check` points at each one to fill) unless the id gives a
sensible value; optional fields are commented out. Nothing is ever overwritten.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from . import load
from .diagnostics import Diagnostic, shown
from .parse import BOOL, COPIES, IDS, REFS, SCHEMAS, STRS

KINDS = {"actor": "actors", "motive": "motives", "event": "events", "argument": "arguments", "source": "sources"}
"""What `new` takes, and the content folder each goes in."""

_WHAT = {
    "actors": "An actor: a state, movement, group or person the sources give a role.",
    "motives": "A motive that passages attribute to actors.",
    "events": "A dated event on the timeline.",
    "arguments": "A claim the sources make, with the passages behind it.",
    "sources": "An article the site reproduces and annotates.",
}

_BODY = {
    "actors": "the actor's profile, in the editors' words (may stay empty).",
    "motives": "the motive's definition: what counts as this motive and what does not.",
    "events": "the event's description, shown on the timeline.",
    "arguments": "the reasoning: how the claim follows from the passages, and how the sources weigh it.",
    "sources": "the article's text, verbatim, as markdown (paragraphs separated by a blank line).",
}

_FIELDS = {
    "actors": {
        "name": "text: the actor's name everywhere",
        "kind": "text, free: a label beside the name; this site uses state, movement or group",
        "primary": "true or false (default false): true marks the actors the site is about",
        "position": "text, one sentence: its position on recognition",
        "evidence": "refs like [source-id/annotation-id]: the passages behind the position",
        "own_words_searched": "text: where no source relays the actor's own words, what was searched for them (where, for what, when)",
    },
    "motives": {
        "label": "text: the motive's name everywhere",
        "group": "text, free: this site uses security, geopolitical, economic, diplomatic, "
                 "domestic, ideological or normative",
    },
    "events": {
        "date": "date: YYYY, YYYY-MM or YYYY-MM-DD, where the event stands on the timeline",
        "title": "text: the event's heading on the timeline",
        "actors": "ids of actors, like [russia, taliban]: the timeline's filter by actor",
        "evidence": "refs like [source-id/annotation-id]: the passages the event rests on",
        "end": "date, after date: makes the event a span, from date to end",
        "after": "ids of events this one is known to have followed",
    },
    "arguments": {
        "claim": "text: the argument's heading, and its name wherever it is listed",
        "actors": "ids of actors: groups it by actor on /arguments/",
        "motives": "ids of motives: groups it by motive",
        "evidence": "refs like [source-id/annotation-id]: the passages that make or back the claim",
        "disputed_by": "refs: the passages that reject it",
        "supports": "ids of arguments: a solid arrow on the argument map",
        "opposes": "ids of arguments: a dashed arrow on the map",
    },
    "sources": {
        "title": "text: the source page's heading, and the title wherever the source is cited",
        "subtitle": "text: a line under the title",
        "authors": "list of text, like [Dr Raza Khan]: the byline and every citation",
        "publication": "text: the outlet",
        "published": "date: YYYY, YYYY-MM or YYYY-MM-DD",
        "url": "web address, https://...: the link to the original",
        "normalised": "list of text: each change made to the scraped text, and why",
        "language": "language tag, like zh-Hans or ru: the language of the text; default: the site's",
        "partial": "true or false (default false): true says \"Partial text\" at the top of the page; needs missing",
        "missing": "text, with partial: true: what the text lacks, shown after \"Missing:\"",
        "copies": "list of web addresses, each optionally with a label: one '- https://...' per line, or "
                  "'- {url: https://..., label: the author's blog}'; where the text was taken from, when not the original at url",
        "reproduce": "full (the default) or excerpts: excerpts shows only the annotated passages, with links to the "
                     "original; use it for press articles",
        "rights": "text: why publishing the full text is allowed (an official statement, a licence); "
                  "check --strict asks for it unless reproduce is excerpts",
    },
}
"""A comment on each field, in the words of docs/content.md."""


def _derived(folder: str, item_id: str) -> dict[str, str]:
    """Required values the id gives: an actor's name, a motive's label."""
    words = item_id.replace("-", " ")
    if folder == "actors":
        return {"name": words.title()}
    if folder == "motives":
        return {"label": words[:1].upper() + words[1:]}
    return {}


def render(folder: str, item_id: str) -> str:
    """The text of a new file of kind `folder` (a content folder's name)."""
    derived = _derived(folder, item_id)
    lines = ["---", f"# {_WHAT[folder]} Every field is explained in docs/content.md."]
    for name, spec in SCHEMAS[folder].items():
        empty = "[]" if spec.type in (IDS, REFS, STRS, COPIES) else "false" if spec.type == BOOL else ""
        comment = _FIELDS[folder][name]
        if spec.required:
            value = derived.get(name, empty)
            todo = "" if name in derived else ", to fill in"
            lines.append(f"{name}: {value}".rstrip() + f"  # required{todo}; {comment}")
        else:
            lines.append(f"# {name}: {empty}".rstrip() + f"  # {comment}")
    lines += [f"# Below the closing '---': {_BODY[folder]}", "---", ""]
    return "\n".join(lines)


class Refused(Exception):
    """The file exists already; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def next_steps(folder: str, item_id: str) -> str:
    """What the editor does with the new file: the values to check or fill in, then `check`."""
    derived = _derived(folder, item_id)
    empty = [name for name, spec in SCHEMAS[folder].items() if spec.required and name not in derived]
    empty += ["the article's text"] if folder == "sources" else []
    steps = [f"check the {name} made from the id" for name in derived]
    if empty:
        steps.append("fill in " + (", ".join(empty[:-1]) + " and " + empty[-1] if len(empty) > 1 else empty[0]))
    return "; ".join(steps) + " (each field is explained in the file)"


def write_new(content: Path, kind: str, item_id: str) -> Path:
    """Write `content/<kind>s/<id>.md`; raise Refused when that file exists (nothing is written)."""
    folder = KINDS[kind]
    path = content / folder / f"{item_id}.md"
    path.parent.mkdir(exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as out:  # "x": never replaces a file, nor follows a link
            out.write(render(folder, item_id))
    except FileExistsError:
        raise Refused(Diagnostic(load.display_path(content, f"{folder}/{item_id}.md"), 1, f"{kind} '{item_id}' already exists",
                                 f"edit this file, or choose another id for the new {kind}")) from None
    return path


def valid_id(value: str) -> str:
    """An argparse type: the id itself, or a usage error that suggests one."""
    if not load.ID_PATTERN.match(value):
        raise argparse.ArgumentTypeError(f"'{shown(value)}' is not a valid id: ids are lowercase a-z, 0-9 and hyphens, "
                                         f"like '{shown(load.suggest_id(value))}'")
    return value


ID_WORDS = 4
"""How many of a quote's words make a new annotation's id."""
_SKIPPED = frozenset("a an the of to in on and or for is are was were be been by with as at that this it its "
                     "has have had from their his her not but which there these those also".split())
"""Words left out of an id made from a quote."""


def passage_id(quote: str, taken: set[str]) -> str:
    """A new annotation's id, made of the quote's first words (those that say something), not in
    `taken` (the ids already in its folder): the browser workbench and import-annotations alike."""
    words = [w for w in load.suggest_id(quote.replace("’", "").replace("'", "")).split("-") if w not in _SKIPPED]
    base = "-".join(words[:ID_WORDS]) or "passage"
    ann_id, number = base, 1
    while ann_id in taken:
        number += 1
        ann_id = f"{base}-{number}"
    return ann_id
