"""The content model: frozen records, one per content file, plus the whole resolved site.

Items keep the ids they reference as strings; `resolve` guarantees every one of them names an
item that exists, so later stages look them up without checking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

from .dates import PartialDate

if TYPE_CHECKING:
    from .markdown import TextBlock


@dataclass(frozen=True, slots=True)
class WikiLink:
    """A `[[target|label]]` link found in a body."""

    target: str
    """What the link names: `actors/russia`, `arguments/x`, or an annotation ref `source/ann`."""
    label: str
    """The text the editor gave after `|`, or empty to use the target's own title."""
    line: int
    """Line in the file where the link stands."""
    start: int = 0
    """Where the link's text (its label, or else its target) starts in the body's plain text."""


@dataclass(frozen=True, slots=True)
class BodyHtml:
    """A body rendered to HTML when it is parsed, but for what each page decides: the runs of
    text (which a source page highlights) and the wikilinks (resolved as the page renders). The
    markup is cut at each of these holes and at the end of each top-level block."""

    parts: tuple[str, ...] = ()
    """The markup of each top-level block, cut at its holes: one piece more than it has holes."""
    holes: bytes = b""
    """Two numbers a hole (as an `array("i")`): where a run of text starts and ends in the plain
    text, or -1 and the index of a wikilink in `Body.wikilinks`."""
    blocks: bytes = b""
    """Three numbers a top-level block (a paragraph, a heading, a list...), as `holes` holds them:
    how many holes it has, and where its text starts and ends in the plain text (-1 and -1 when it
    has none)."""


@dataclass(frozen=True, slots=True)
class Body:
    """A markdown body as written, and what parsing it found: its links and its plain text."""

    markdown: bytes
    """The markdown as written, in UTF-8, for what reads it so (the checks of the prose, the
    data export of a commentary); empty when it holds no block, and for the text of a source or
    of a translation, which pages show from `html`. (As a `str` it would take two bytes a
    character once it held one typographic quote.)"""
    wikilinks: tuple[WikiLink, ...]
    """Every wikilink, in document order."""
    plain: bytes = b""
    """The body as plain text (markup removed), in UTF-8 for the reason `markdown` is; read it as
    `text`. An article's is the text its quotes anchor in."""
    line: int = 1
    """Line of the file where `markdown` starts, for messages about its prose."""
    html: BodyHtml = BodyHtml()
    """The body as pages show it (see `markdown.render_body`)."""

    @property
    def empty(self) -> bool:
        return not self.html.blocks

    @property
    def text(self) -> str:
        """The plain text, decoded afresh on each use; offsets into it (a wikilink's start, a quote's
        anchor) count its characters."""
        return self.plain.decode()


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an item was written, so any later stage can point back at the right line."""

    path: str
    """Display path of the file (content folder + relative path)."""
    lines: tuple = ()
    """Each front-matter field in turn: its name, the line of its key, and for a list the line of
    each entry (a tuple) or else None. Read it with `line`. One flat tuple rather than dicts,
    since every item keeps its origin for the whole build."""
    body_line: int = 1
    """Line where the body starts."""

    @classmethod
    def of(cls, path: str, field_lines: Mapping[str, int], item_lines: Mapping[str, tuple[int, ...]],
           body_line: int = 1) -> "Origin":
        """An origin from each field's key line and each list field's entry lines."""
        flat: list = []
        for name, line in field_lines.items():
            flat += (name, line, item_lines.get(name))
        return cls(path, tuple(flat), body_line)

    def gives(self, name: str) -> bool:
        """Whether the file writes field `name` at all (even with an empty or unreadable value)."""
        return name in self.lines[0::3]

    def line(self, name: str, index: int | None = None) -> int:
        """The line of field `name` (1 when the file has no such field), or of its `index`th entry."""
        lines = self.lines
        for at in range(0, len(lines), 3):
            if lines[at] == name:
                entries = lines[at + 2]
                if index is not None and entries is not None and index < len(entries):
                    return entries[index]
                return lines[at + 1]
        return 1


@dataclass(frozen=True, slots=True)
class Site:
    """`site.yaml`: the site's own metadata."""

    title: str
    """Shown in every page title and the header."""
    description: str
    """One sentence, used in meta descriptions and the feed."""
    language: str
    """BCP 47 language tag of the content (`en`)."""
    site_url: str
    """Absolute URL of the published site root, or empty when unknown."""
    repository: str
    """Where readers can ask for a correction (an issue tracker URL), or empty."""
    question: str
    """The question the arguments answer, heading the argument map; or empty."""
    summary: Body
    """The event in brief, for the home page."""
    about: Body
    """What the site is and its method, for the About page (figures about the sources are
    rendered beside it from the model)."""
    origin: Origin


@dataclass(frozen=True, slots=True)
class Actor:
    """A state, movement, group or person that the sources give a role."""

    id: str
    name: str
    """Display name ("United States")."""
    kind: str
    """state, movement, group, person, organisation..., or empty."""
    primary: bool
    """True for the actors the site is about; they lead lists and the matrix."""
    position: str
    """Its stance on recognition, one line, or empty."""
    evidence: tuple[str, ...]
    """Annotation refs behind the position."""
    body: Body
    """The profile."""
    origin: Origin
    own_words_searched: str = ""
    """Where no source relays the actor's own words: what the editors searched for them."""


@dataclass(frozen=True, slots=True)
class Motive:
    """A motive tag that annotations attribute to actors."""

    id: str
    label: str
    group: str
    """Broad family: security, geopolitical, economic, ideological..., or empty."""
    body: Body
    """The definition editors apply."""
    origin: Origin


@dataclass(frozen=True, slots=True)
class Copy:
    """A place a source's text was taken from, when not the original (the author's blog, an aggregator)."""

    url: str
    label: str
    """What the place is, as the page names it; the address's host when the editor gives none."""


REPRODUCE = ("full", "excerpts")
"""How much of a source the site shows: all of its text (the default), or only its annotated
passages, each with a sentence around it."""


@dataclass(frozen=True, slots=True)
class Source:
    """A source article: its text verbatim, shown in full or in excerpts (`reproduce`)."""

    id: str
    title: str
    subtitle: str
    """The standfirst, when the publication gives one."""
    authors: tuple[str, ...]
    publication: str
    published: PartialDate
    url: str
    normalised: tuple[str, ...]
    """What was removed or repaired in the scraped text, and why."""
    body: Body
    blocks: tuple[TextBlock, ...]
    """Each block of `plain_text`, with its line in the file (for coverage)."""
    origin: Origin
    language: str = ""
    """BCP 47 tag of the text's language as the file gives it; empty for the site's language
    (`languages.of_source` says which it is)."""
    partial: bool = False
    """The text is incomplete: `missing` says what it lacks."""
    missing: str = ""
    copies: tuple[Copy, ...] = ()
    """Where the text was taken from, when not from the original at `url`."""
    reproduce: str = REPRODUCE[0]
    """`full` or `excerpts` (see `REPRODUCE`)."""
    rights: str = ""
    """Why reproducing the text is allowed, or empty."""

    @property
    def excerpts(self) -> bool:
        """Only the annotated passages are published; the text stays in content/ for anchoring."""
        return self.reproduce == "excerpts"

    @property
    def byline_publication(self) -> str:
        """The outlet as a byline names it after the authors: empty when the outlet is the only
        author (an unsigned report credited to it), so the byline does not name it twice."""
        return "" if tuple(self.authors) == (self.publication,) else self.publication

    @property
    def whole_text_at(self) -> tuple[str, str]:
        """Where a reader finds the whole text, and what to call the place: the original at `url`,
        else the first copy it was taken from; empty when neither is known."""
        if self.url:
            return self.url, self.publication or "its publisher"
        if self.copies:
            return self.copies[0].url, self.copies[0].label
        return "", ""

    @property
    def plain_text(self) -> str:
        """The body as a reader sees it, markup removed: the text quotes anchor in."""
        return self.body.text


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where an annotation's quote sits in its source's plain text."""

    start: int
    end: int
    """Character offsets into `Source.plain_text` (TextPositionSelector)."""
    exact: str
    """`plain_text[start:end]`: the passage as the source has it."""
    prefix: str
    """Up to 32 characters before `start`, for TextQuoteSelector."""
    suffix: str
    """Up to 32 characters after `end`."""


@dataclass(frozen=True, slots=True)
class Annotation:
    """An editor's reading of one passage of one source."""

    source_id: str
    id: str
    actor: str
    """The actor whose motive or position the passage describes."""
    motives: tuple[str, ...]
    stance: str
    """How the source holds what the passage attributes: `asserts` (it argues it), `considers`
    (it raises it hedged, or as one explanation among others), `disputes` (it rejects it) or
    `reports` (it relays someone else's words)."""
    speaker: str
    """With `reports`: the actor whose words the source relays; else empty."""
    involves: tuple[str, ...]
    """Other actors the passage concerns."""
    prefix: str
    suffix: str
    """Text just before / after the quote, given only to disambiguate."""
    correction: str
    """A factual error in the passage and the established fact, or empty."""
    featured: bool
    """The passage an actor's and a motive's page show in full for what it attributes."""
    quote: str
    """The passage as the editor copied it (the blockquote)."""
    quote_line: int
    """Line of the blockquote, for errors about the quote."""
    commentary: Body
    origin: Origin
    anchor: Anchor | None = None
    """Filled in by `resolve`; never None in a resolved model."""
    translation: str = ""
    """The passage's words in its source's translation (`content/translations/<source>.md`), as
    that file has them; empty when not given."""

    @property
    def ref(self) -> str:
        return f"{self.source_id}/{self.id}"


@dataclass(frozen=True, slots=True)
class Translation:
    """A source's text in another language, paragraph for paragraph (`content/translations/<source>.md`)."""

    id: str
    """The source's id."""
    language: str
    """BCP 47 tag of the translation's language."""
    by: str
    """Who translated it: `the editors`, or a publication or person."""
    url: str
    """Where a published translation was taken from, or empty."""
    title: str
    """The source's title in the translation's language."""
    body: Body
    blocks: tuple[TextBlock, ...]
    """Each paragraph's span in the plain text and its line, one per block of the source."""
    origin: Origin

    @property
    def paragraphs(self) -> tuple[str, ...]:
        text = self.body.text
        return tuple(text[b.start:b.end] for b in self.blocks)


@dataclass(frozen=True, slots=True)
class Event:
    """A dated event on the timeline."""

    id: str
    date: PartialDate
    end: PartialDate | None
    """For a span, when it ended."""
    after: tuple[str, ...]
    """Events this one is known to have followed, which the timeline lists before it. A date
    known only to the month or the year is otherwise listed first in its month or year ("July
    2025" before "3 July 2025"), whatever the source says of its order."""
    title: str
    actors: tuple[str, ...]
    evidence: tuple[str, ...]
    body: Body
    origin: Origin


@dataclass(frozen=True, slots=True)
class Argument:
    """A claim a source makes, with its evidence and its relations to other claims."""

    id: str
    claim: str
    actors: tuple[str, ...]
    motives: tuple[str, ...]
    evidence: tuple[str, ...]
    """Passages that make or back the claim."""
    disputed_by: tuple[str, ...]
    """Passages that reject the claim."""
    supports: tuple[str, ...]
    opposes: tuple[str, ...]
    body: Body
    """The reasoning."""
    origin: Origin


@dataclass(frozen=True, slots=True)
class Model:
    """Everything in `content/`, validated: every reference resolves, every quote is anchored."""

    site: Site
    actors: Mapping[str, Actor]
    motives: Mapping[str, Motive]
    sources: Mapping[str, Source]
    annotations: Mapping[str, Annotation]
    """Keyed by ref (`source/annotation`)."""
    events: Mapping[str, Event]
    arguments: Mapping[str, Argument]
    translations: Mapping[str, Translation]
    """Keyed by the id of the source translated."""
