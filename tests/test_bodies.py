"""Markdown bodies are kept as their text and parsed again where a page renders them.

The model keeps each body's markdown and plain text (UTF-8), and its links, never its tokens
(ten times the text's size; at N=5000 they were about a fifth of the build's memory). An
annotation's commentary is the body's lines after the quoted passage: parsed on its own, it
must read exactly as it did as the tail of the whole body.
"""

from __future__ import annotations

import gc
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.token import Token

from sitegen.load import RawFile
from sitegen.markdown import MARKDOWN, plain_text, render_body, render_tokens
from sitegen.model import Body
from sitegen.parse import parse_file
from sitegen.pipeline import validate

from .conftest import FIXTURE_CONTENT, ROOT

FRONT = "---\nactor: russia\nmotives: [trade]\n---\n"


def link(target: str) -> tuple[str, str]:
    return f"/to/{target}/", f"Title of {target}"


def annotation(body: str):
    record, problems = parse_file(RawFile("annotations/s/a.md", "content/annotations/s/a.md", "annotations", "a", "s",
                                          (FRONT + body).encode()))
    assert problems == []
    return record


def as_the_tail_of_the_body(body: str) -> tuple[str, str]:
    """(html, plain text) of the blocks after the blockquote, from a parse of the whole body."""
    tokens = MARKDOWN.parse(body, {})
    depth = 0
    for end, token in enumerate(tokens):
        depth += token.nesting
        if depth == 0:
            break
    tail = tokens[end + 1:]
    return render_tokens(tail, link), plain_text(tail)[0]


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
def test_a_commentary_parsed_on_its_own_reads_as_the_tail_of_its_body(quote, commentary, gap):
    body = "> " + quote + "\n" + gap + "\n\n".join(commentary) + "\n"
    ann = annotation(body)
    html, text = as_the_tail_of_the_body(body)
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


def test_real_commentaries_read_as_the_tails_of_their_bodies():
    annotations = sorted((ROOT / "content" / "annotations").rglob("*.md"))
    assert len(annotations) > 20
    for path in annotations:
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        record, problems = parse_file(RawFile(path.name, str(path), "annotations", path.stem, path.parent.name,
                                              path.read_bytes()))
        assert problems == [], path
        html, text = as_the_tail_of_the_body(body)
        assert render_body(record.commentary, link) == html, path
        assert record.commentary.text == text, path


def _reachable(roots) -> list[object]:
    seen: set[int] = set()
    found = []
    todo = list(roots)
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, type):
            continue
        seen.add(id(obj))
        found.append(obj)
        todo.extend(gc.get_referents(obj))
    return found


def test_the_model_holds_no_tokens():
    for content in (FIXTURE_CONTENT, ROOT / "content"):
        model = validate(Path(content)).model
        objects = _reachable([model])
        assert not [o for o in objects if isinstance(o, Token)], content
        bodies = [o for o in objects if isinstance(o, Body)]
        assert len(bodies) > len(model.annotations)
        assert all(isinstance(b.markdown, bytes) for b in bodies)


def test_the_model_keeps_texts_as_utf8_and_each_id_once():
    """Every process that renders holds the model, so it is kept small: an article's plain text
    as UTF-8 (as a `str` it takes two bytes a character once it holds a typographic quote), and
    an id that many files name as one string, not one per file."""
    for content in (FIXTURE_CONTENT, ROOT / "content"):
        model = validate(Path(content)).model
        for source in model.sources.values():
            held = [o for o in _reachable([source]) if type(o) is str]
            assert source.plain_text not in held and isinstance(source.body.plain, bytes), source.id
        references = [(ann.actor, model.actors) for ann in model.annotations.values()]
        references += [(m, model.motives) for ann in model.annotations.values() for m in ann.motives]
        references += [(m, model.motives) for arg in model.arguments.values() for m in arg.motives]
        assert len(references) > len(model.actors) + len(model.motives), content
        assert [ident for ident, items in references if ident is not items[ident].id] == [], content
