"""An annotation's commentary is the body's lines after the quoted passage. The pages show it as
the tail of the whole body; the data export gives its markdown as written, to be read back on
its own: parsed on its own, it must read exactly the same.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.load import RawFile
from sitegen.markdown import parse_body, render_body
from sitegen.model import Body
from sitegen.parse import parse_file

from .conftest import ROOT

FRONT = "---\nactor: russia\nmotives: [trade]\n---\n"


def link(target: str) -> tuple[str, str]:
    return f"/to/{target}/", f"Title of {target}"


def annotation(body: str):
    record, problems = parse_file(RawFile("annotations/s/a.md", "content/annotations/s/a.md", "annotations", "a", "s",
                                          (FRONT + body).encode()))
    assert problems == []
    return record


def on_its_own(markdown: bytes) -> tuple[str, str]:
    """(html, plain text) of a commentary's markdown parsed on its own."""
    body = parse_body(markdown.decode(), 1)
    return render_body(body, link), body.text


words = st.sampled_from(["Moscow", "the", "Taliban", "*recognised*", "`code`", "**not**", "[[actors/china]]",
                         "[[arguments/x|a label]]", "[[s/a]]", "[[ actors/russia | spaced ]]", "line\nbreak", "“quoted”", "don’t", "<script>", "&amp;", "a_b", "1."])
inline = st.lists(words, min_size=1, max_size=8).map(" ".join)
blocks = st.one_of(
    inline,
    inline.map(lambda text: "## " + text),
    st.lists(inline, min_size=1, max_size=3).map(lambda items: "\n".join("- " + item for item in items)),
    st.lists(inline, min_size=1, max_size=3).map(lambda items: "\n".join(f"{n}. {item}" for n, item in enumerate(items, 1))),
    inline.map(lambda text: "```\n" + text + "\n```"),
    inline.map(lambda text: "> " + text),
    st.just("---"),
)


@settings(max_examples=150, deadline=None)
@given(quote=inline.map(lambda text: "Kabul " + text), commentary=st.lists(blocks, max_size=5), gap=st.sampled_from(["\n", "\n\n", "\n\n\n"]))
def test_a_commentary_parsed_on_its_own_reads_as_on_the_pages(quote, commentary, gap):
    body = "> " + quote + "\n" + gap + "\n\n".join(commentary) + "\n"
    ann = annotation(body)
    html, text = on_its_own(ann.commentary.markdown)
    assert isinstance(ann.commentary.markdown, bytes)
    assert render_body(ann.commentary, link) == html
    assert ann.commentary.text == text
    assert ann.commentary.empty == (not html)
    # The export reads each link's text in place (and puts the target's title there).
    for wikilink in ann.commentary.wikilinks:
        shown = wikilink.label or wikilink.target
        assert ann.commentary.text[wikilink.start:wikilink.start + len(shown)] == shown


def test_the_commentary_is_the_lines_after_the_quote():
    ann = annotation("> The passage,\ncontinued.\n\nFirst “note”.\n\n- a [[actors/china]] item\n")
    assert ann.commentary.markdown == "First “note”.\n\n- a [[actors/china]] item\n".encode()
    assert [(w.target, w.line) for w in ann.commentary.wikilinks] == [("actors/china", 10)]
    assert annotation("> Only the passage.\n").commentary == Body(b"", ())


def test_a_link_definition_in_the_quote_does_not_reach_the_commentary():
    """A reference defined in the quoted passage applies to the whole body when it is parsed
    whole; the commentary, parsed alone, reads the same on the page and in its plain text."""
    ann = annotation("> The passage [def].\n>\n> [def]: https://example.org/\n\nSee [def] and [own], [[actors/china]].\n\n"
                     "[own]: https://example.org/own\n")
    assert render_body(ann.commentary, link) == ('<p>See [def] and <a href="https://example.org/own">own</a>, '
                                                 '<a class="wikilink" href="/to/actors/china/">Title of actors/china</a>.</p>\n')
    assert ann.commentary.text == "See [def] and own, actors/china."
    assert [(w.target, w.line) for w in ann.commentary.wikilinks] == [("actors/china", 9)]


def test_real_commentaries_read_the_same_on_their_own():
    annotations = sorted((ROOT / "content" / "annotations").rglob("*.md"))
    assert len(annotations) > 20
    for path in annotations:
        record, problems = parse_file(RawFile(path.name, str(path), "annotations", path.stem, path.parent.name,
                                              path.read_bytes()))
        assert problems == [], path
        html, text = on_its_own(record.commentary.markdown)
        assert render_body(record.commentary, link) == html, path
        assert record.commentary.text == text, path


def test_a_nul_character_reads_as_a_replacement_character_wherever_it_stands():
    """Pages fill the HTML made at parse time where it holds a NUL: one written in the content
    reads as U+FFFD, in text, code, links and wikilinks alike, and leaves the text in place."""
    body = parse_body("a\0b `c\0` [x\0](https://example.org/\0) [[actors/china|l\0]]\n\n```\n\0\n```\n", 1)
    assert render_body(body, link) == (
        '<p>a\ufffdb <code>c\ufffd</code> <a href="https://example.org/%EF%BF%BD">x\ufffd</a> '
        '<a class="wikilink" href="/to/actors/china/">l\ufffd</a></p>\n<pre><code>\ufffd\n</code></pre>\n')
    assert body.text == "a\ufffdb c\ufffd x\ufffd l\ufffd\n\n\ufffd"
