"""`build.py import FILE|URL`: a saved news page (or a web address) made into a source file.

trafilatura finds the article's text and its title, authors, outlet and address; htmldate
finds the publication date. Before trafilatura reads the page, the page furniture it might keep
or silently drop is taken out here, so that each removal can be recorded in `normalised`:
share bars, newsletter boxes, pull quotes marked as such, and a drop cap split from its word
(rejoined, not dropped). After it, the text is checked for what only the text shows: the
headline and standfirst repeated above the article, a byline line, and a paragraph repeating
another (a pull quote without a class). Whatever is not found is left empty and named.
"""

from __future__ import annotations

import copy
import difflib
import re
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import load
from .diagnostics import Diagnostic

FETCH_SECONDS = 30
ID_CHARS = 60
"""An id made from a long headline is cut at a hyphen to at most this many characters."""

_FURNITURE = (
    (re.compile(r"share|social"), "a share bar", "links for sharing the page, not part of the article"),
    (re.compile(r"newsletter|subscri|signup|sign-up"), "a newsletter box",
     "an invitation to subscribe, not part of the article"),
    (re.compile(r"pull-?quote"), "a pull quote",
     "it repeats words of the article in large type, page layout rather than running text"),
)
"""What a page element's class or id names, what that element is, and why it is not text."""
FURNITURE_WORDS = 80
"""An element with more words than this is not taken for furniture, whatever its class: it may
be a wrapper around the article (`<div class="social-affairs">`)."""

_BYLINE = re.compile(r"^(by|posted by|written by)\s+", re.I)


class ImportFailed(Exception):
    """The page could not be read or made into a source; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass
class Imported:
    """What was found in the page, and every change made to its text."""

    title: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    publication: str = ""
    published: str = ""
    url: str = ""
    normalised: list[str] = field(default_factory=list)
    host: str = ""
    """The host name of the article's address, when the page names no outlet."""
    blocks: list[str] = field(default_factory=list)
    """The article's text, one markdown block (paragraph, heading, list item) each."""

    def missing(self) -> list[str]:
        """The fields the page did not give, as `render` names them."""
        names = ("title", "authors", "publication", "published", "url")
        return [name for name in names if not getattr(self, name)] + ([] if self.blocks else ["text"])


def read(where: str) -> tuple[bytes, str]:
    """The page's bytes and its address (a URL, or "" for a file)."""
    if re.match(r"https?://", where):
        request = urllib.request.Request(where, headers={"User-Agent": "recognition-site import"})
        try:
            with urllib.request.urlopen(request, timeout=FETCH_SECONDS) as response:
                return response.read(), response.geturl()
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = f"HTTP {error.code} {error.reason}" if isinstance(error, urllib.error.HTTPError) else \
                getattr(error, "reason", error)
            raise ImportFailed(Diagnostic(where, 1, f"could not fetch the page: {reason}",
                                          "check the address, or save the page in a browser and import the file")) from None
    try:
        return Path(where).read_bytes(), ""
    except OSError as error:
        raise ImportFailed(Diagnostic(where, 1, f"could not read the file: {error.strerror}",
                                      "give the path of a saved .html page, or a web address")) from None


def extract(data: bytes, address: str, label: str) -> Imported:
    """The source that the page at `address` (bytes `data`) gives; `label` names it in messages."""
    import htmldate
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(data)
    if tree is None:
        raise ImportFailed(Diagnostic(label, 1, "this is not an HTML page", "import a page saved as HTML"))
    found = Imported()
    found.published = htmldate.find_date(copy.deepcopy(tree), extensive_search=False, original_date=True,
                                         url=address or None) or ""
    _remove_furniture(tree, found.normalised)
    doc = trafilatura.bare_extraction(tree, url=address or None, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    if doc is None or doc.body is None:
        return found
    found.title = _clean(doc.title or "")
    found.authors = [a for a in (_clean(x) for x in re.split(r";|\band\b", doc.author or "")) if a]
    sitename = _clean(doc.sitename or "")
    # Without a site name, trafilatura gives the address's host name: a guess, left for the editor.
    found.publication, found.host = ("", sitename) if re.fullmatch(r"[\w.-]+\.\w+", sitename) else (sitename, "")
    found.url = doc.url or address
    description = _clean(doc.description or "")
    for line_break in doc.body.iter("lb"):
        line_break.tail = " " + (line_break.tail or "")
    blocks = [(el.tag, _clean("".join(el.itertext()))) for el in _blocks(doc.body)]
    blocks = [(tag, text) for tag, text in blocks if text]
    blocks = _rejoin_drop_caps(blocks, found.normalised)
    blocks = _drop_top_matter(blocks, found, description)
    blocks = _drop_repeats(blocks, found.normalised)
    found.blocks = [markdown_block(tag, text) for tag, text in blocks]
    if found.blocks:
        found.normalised.append(
            "The text was extracted from the page with trafilatura, which left out the page’s header, navigation, "
            "related links and footer; the title, authors, outlet and address, where the page gives them, come from "
            "its metadata, and the date from htmldate. Nothing else is changed: spelling, grammar and punctuation are "
            "as published.")
    return found


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _short(text: str, words: int = 12) -> str:
    split = text.split()
    return " ".join(split[:words]) + (" …" if len(split) > words else "")


def _remove_furniture(tree, normalised: list[str]) -> None:
    """Take share bars, newsletter boxes and marked pull quotes out of the page; rejoin split drop caps."""
    dropped = set()
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None or dropped.intersection(element.iterancestors()):
            continue  # a comment, the root, or inside what is already taken out
        names = f"{element.get('class', '')} {element.get('id', '')}".lower()
        text = _clean(" ".join(element.itertext()))
        for pattern, what, why in _FURNITURE:
            if pattern.search(names) and element.tag not in ("html", "body", "article", "main") \
                    and len(text.split()) <= FURNITURE_WORDS:
                shown_text = " / ".join(_clean(t) for t in element.itertext() if _clean(t))
                normalised.append(f"Removed {what} that read “{_short(shown_text, 30)}”: {why}." if shown_text
                                  else f"Removed {what}: {why}.")
                element.drop_tree()
                dropped.add(element)
                break
        else:
            if len(text) == 1 and text.isalpha() and text.isupper() and element.tag != "li":
                following = element.getnext()
                if following is not None and (following.text or "").strip()[:1].islower():
                    following.text = text + following.text.lstrip()
                    normalised.append(_drop_cap_note(text, following.text))
                    element.drop_tree()


def _drop_cap_note(letter: str, joined: str) -> str:
    rest = joined[len(letter):]
    return (f"Rejoined a split drop cap: the page sets the article’s first letter “{letter}” apart from "
            f"“{_short(rest, 4)}”; the two are joined as “{_short(joined, 4)}”.")


def _blocks(body):
    """The text blocks of trafilatura's output, in order: paragraphs, headings, list items, quotes."""
    for element in body:
        if element.tag == "list":
            yield from (item for item in element if item.tag == "item")
        elif element.tag in ("p", "head", "quote"):
            yield element


def _rejoin_drop_caps(blocks: list[tuple[str, str]], normalised: list[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for tag, text in blocks:
        if out and out[-1][0] == "p" and re.fullmatch(r"\w", out[-1][1]) and text[:1].islower():
            letter = out.pop()[1]
            text = letter + text
            normalised.append(_drop_cap_note(letter, text))
        out.append((tag, text))
    return out


def _drop_top_matter(blocks: list[tuple[str, str]], found: Imported, description: str) -> list[tuple[str, str]]:
    """Take the headline, standfirst and byline that stand above the article out of its text."""
    while blocks:
        tag, text = blocks[0]
        if found.title and text == found.title:
            found.normalised.append(f"Removed the title “{text}” from the top of the text; it is in the title field.")
        elif description and text == description and not found.subtitle:
            found.subtitle = text
            found.normalised.append(f"Moved the standfirst “{text}” out of the text into the subtitle field; "
                                    "its wording is unchanged.")
        elif _BYLINE.match(text) and len(text.split()) <= 12:
            names = _BYLINE.sub("", text)
            if not found.authors:
                found.authors = [a for a in (_clean(x) for x in re.split(r",|;|\band\b", names)) if a]
            found.normalised.append(f"Moved the byline “{text}” out of the text into the authors field.")
        else:
            break
        blocks = blocks[1:]
    return blocks


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _repeats(text: str, other: str) -> bool:
    """Whether `text` is a near-copy of a stretch of the (longer) `other`: a pull quote of it."""
    words, others = _words(text), _words(other)
    if len(words) < 6 or len(others) <= len(words):
        return False
    matcher = difflib.SequenceMatcher(None, words, others, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) >= 0.8 * len(words)


def _drop_repeats(blocks: list[tuple[str, str]], normalised: list[str]) -> list[tuple[str, str]]:
    kept: list[tuple[str, str]] = []
    for index, (tag, text) in enumerate(blocks):
        source = next((other for j, (_, other) in enumerate(blocks) if j != index and _repeats(text, other)), None)
        if tag != "head" and source is not None:
            before = kept[-1][1] if kept else ""
            where = f"stood after “{_short(before, 6)}”" if before else "stood at the top of the text"
            normalised.append(
                f"Removed a paragraph that {where} and read: “{text}” It repeats words of the paragraph beginning "
                f"“{_short(source, 6)}”, which is kept unchanged, so it is most likely a pull quote from the page "
                "layout, not running text.")
            continue
        kept.append((tag, text))
    return kept


_ESCAPE = re.compile(r"([\\`*_\[\]<])")
_LINE_START = re.compile(r"^(#|>|[-+](?=\s)|\d+(?=[.)]\s))")


def markdown_block(tag: str, text: str) -> str:
    """One block as markdown whose plain text is `text`."""
    escaped = _LINE_START.sub(r"\\\1", _ESCAPE.sub(r"\\\1", text))
    if tag == "head":
        return "## " + escaped
    if tag == "item":
        return "- " + escaped
    if tag == "quote":
        return "> " + escaped
    return escaped


def make_id(title: str) -> str:
    """The id `new` would suggest for the title, cut at a hyphen to at most ID_CHARS characters."""
    ident = load.suggest_id(title)
    if len(ident) > ID_CHARS:
        ident = ident[:ID_CHARS + 1].rsplit("-", 1)[0]
    return ident


def _scalar(value: str) -> str:
    """`value` as a YAML scalar: plain when YAML reads it back unchanged, else double-quoted."""
    try:
        if value and "#" not in value and yaml.safe_load(f"k: {value}") == {"k": value}:
            return value
    except yaml.YAMLError:
        pass
    return quoted(value)


def quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_NOT_FOUND = "  # not found in the page, to fill in: "


def render(found: Imported) -> str:
    """The source file's text."""
    lines = ["---"]
    for name, what in (("title", "the article’s headline"), ("subtitle", "")):
        value = getattr(found, name)
        if value or what:
            lines.append(f"{name}: {_scalar(value)}" if value else f"{name}:{_NOT_FOUND}{what}")
    if found.authors:
        lines += ["authors:"] + [f"  - {_scalar(a)}" for a in found.authors]
    else:
        lines.append(f"authors: []{_NOT_FOUND}the byline, like [Dr Raza Khan]")
    outlet = f"the outlet (the article’s address is on {found.host})" if found.host else "the outlet"
    for name, what in (("publication", outlet), ("published", "the date, YYYY-MM-DD (or YYYY-MM, YYYY)"),
                       ("url", "the article’s address, https://...")):
        value = getattr(found, name)
        shown_value = value if name == "published" else _scalar(value)  # a date stays a date
        lines.append(f"{name}: {shown_value}" if value else f"{name}:{_NOT_FOUND}{what}")
    if found.normalised:
        lines += ["normalised:"] + [f"  - {quoted(note)}" for note in found.normalised]
    lines.append("---")
    if not found.blocks:
        lines += ["", "<!-- no article text was found in the page: paste it here, paragraphs separated by a blank line -->"]
    for before, block in zip([""] + found.blocks, found.blocks):
        if not (before.startswith("- ") and block.startswith("- ")):  # a list's items stand on consecutive lines
            lines.append("")
        lines.append(block)
    return "\n".join(lines) + "\n"


def write(content: Path, ident: str, text: str) -> Path:
    """Write `content/sources/<id>.md`; raise ImportFailed (nothing written) when it exists."""
    path = content / "sources" / f"{ident}.md"
    path.parent.mkdir(exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        raise ImportFailed(Diagnostic(load.display_path(content, f"sources/{ident}.md"), 1,
                                      f"source '{ident}' already exists; nothing was written",
                                      "import it under another id with --id ID, or edit the existing file")) from None
    return path


def missing_report(display: str, text: str, found: Imported) -> list[str]:
    """A warning for each field the page did not give, at its line in the written file."""
    lines = text.splitlines()
    report = []
    for name in found.missing():
        start = "<!--" if name == "text" else f"{name}:"
        line = next(i for i, row in enumerate(lines, 1) if row.startswith(start))
        what = "the article's text" if name == "text" else name
        report.append(Diagnostic(display, line, f"{what} not found in the page, left empty",
                                 "fill it in from the article, then run python build.py check", "warning").format())
    return report


def run(content: Path, where: str, ident: str | None) -> int:
    """The `import` command: its exit status."""
    if not content.is_dir():
        print(f"{content}:1: content folder not found\n    hint: pass --content DIR, or run from the project folder",
              file=sys.stderr)
        return 2
    try:
        data, address = read(where)
        found = extract(data, address, where)
        if ident is None and not found.title:
            print(f"{where}:1: no title found in the page to make an id from\n    hint: give one with --id ID",
                  file=sys.stderr)
            return 2
        ident = ident or make_id(found.title)
        text = render(found)
        path = write(content, ident, text)
    except ImportFailed as failed:
        print(failed.diagnostic.format(), file=sys.stderr)
        return 1
    display = load.display_path(content, f"sources/{ident}.md")
    for line in missing_report(display, text, found):
        print(line, file=sys.stderr)
    notes = len(found.normalised)
    print(f"wrote {display}: {len(found.blocks)} blocks of text, {notes} note{'s' * (notes != 1)} in normalised; "
          "read both against the page, then run python build.py check")
    return 0
