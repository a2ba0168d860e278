"""Passages nested in or overlapping each other: the source page grows with their number, not its square."""

from __future__ import annotations

import html
import re
import shutil
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from sitegen.markdown import MAX_DEPTH, Highlights, Span
from sitegen.pipeline import BuildOptions, render_site, validate

from .conftest import FIXTURE_CONTENT

N = 300
TEXT = "".join(chr(0x4E00 + i) for i in range(2 * N + 2))
"""Distinct characters, so that every run of them occurs once in the source."""


def quote(i: int) -> str:
    """Passage i: the text less i characters at each end, so each passage holds the next."""
    return TEXT[i:len(TEXT) - i]


def test_a_page_of_300_nested_passages_stays_small(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "sources" / "nested.md").write_text(
        f"---\ntitle: Nested\nauthors: [Ann Author]\npublished: 2024\n---\n{TEXT}\n", encoding="utf-8")
    folder = content / "annotations" / "nested"
    folder.mkdir()
    for i in range(N):
        (folder / f"p{i}.md").write_text(
            f"---\nactor: northland\nmotives: [trade]\n---\n> {quote(i)}\n\nCommentary {i}.\n", encoding="utf-8")
    page = render_site(BuildOptions(content=content), validate(content))["sources/nested/index.html"].decode()

    # Every passage's words are on the page three times (the list of passages, its note's title,
    # its citation); besides them, each passage may add a bounded amount of markup.
    words = sum(len(quote(i).encode()) for i in range(N))
    assert len(page.encode()) < 3 * words + N * 2048
    text = page[page.index('<div class="block-text">'):page.index('<div class="block-notes">')]
    # The outermost passages are drawn (1, 2, 3 marks deep towards the middle and back again);
    # the others are numbered where they start.
    assert text.count("<mark ") == MAX_DEPTH ** 2
    # (The text is Chinese, which the page also gives the search index spaced out, in a hidden paragraph.)
    assert html.unescape(re.sub(r'<a class="hl-num".*?</a>|<p hidden>.*?</p>|<[^>]+>', "", text)).strip() == TEXT

    # Each passage still has its place in the text, its number there, and its note.
    for i in range(N):
        assert page.count(f' id="p{i}"') == 1
        assert text.count(f'href="#note_p{i}"') == 1
        assert page.count(f'<aside class="note" id="note_p{i}"') == 1
    drawn = {m for m in re.findall(r'<mark class="hl[^"]*" data-ann="(p\d+)"', text)}
    assert drawn == {f"p{i}" for i in range(MAX_DEPTH)}
    assert text.count('<span class="hl-undrawn" id="p') == N - MAX_DEPTH


class Nesting(HTMLParser):
    """The deepest nesting of `<mark>`s in a piece of HTML."""

    def __init__(self):
        super().__init__()
        self.depth = self.deepest = 0

    def handle_starttag(self, tag, attrs):
        if tag == "mark":
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag):
        if tag == "mark":
            self.depth -= 1


@given(st.text(alphabet="ab <&>", min_size=1, max_size=40), st.data())
def test_overlapping_passages_are_drawn_at_most_max_depth_deep_and_each_keeps_its_id(text, data):
    spans = []
    for n in range(data.draw(st.integers(0, 12))):
        start = data.draw(st.integers(0, len(text) - 1))
        spans.append(Span(start, data.draw(st.integers(start + 1, len(text))), f"ann-{n}", "label"))
    rendered = Highlights(spans).render(text, 0)
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)) == text
    for span in spans:
        assert rendered.count(f'id="{span.anchor_id}"') == 1
    nesting = Nesting()
    nesting.feed(rendered)
    assert nesting.deepest <= MAX_DEPTH


def test_passages_that_fit_are_all_drawn_whole():
    spans = [Span(0, 10, "outer", ""), Span(2, 8, "middle", ""), Span(4, 6, "inner", ""), Span(12, 14, "apart", "")]
    rendered = Highlights(spans).render("0123456789abcdef", 0)
    assert "hl-undrawn" not in rendered
    for span in spans:
        marked = re.findall(rf'<mark class="hl[^"]*" data-ann="{span.anchor_id}"[^>]*>(.*?)</mark>', rendered)
        assert "".join(re.sub(r"<[^>]+>", "", m) for m in marked) == "0123456789abcdef"[span.start:span.end]
    # Each is drawn at its depth: the outer one as one level around the others, never a box of
    # its own inside them.
    levels = dict.fromkeys(("outer", "middle", "inner", "apart"), ())
    for classes, ann in re.findall(r'<mark class="([^"]*)" data-ann="([^"]*)"', rendered):
        levels[ann] += (classes,)
    assert levels == {"outer": ("hl",) * 5, "middle": ("hl hl-2",) * 3, "inner": ("hl hl-3",), "apart": ("hl",)}
    assert rendered.startswith('<mark class="hl" data-ann="outer" id="outer">01</mark>'
                               '<mark class="hl" data-ann="outer"><mark class="hl hl-2" data-ann="middle" id="middle">23</mark></mark>'
                               '<mark class="hl" data-ann="outer"><mark class="hl hl-2" data-ann="middle">'
                               '<mark class="hl hl-3" data-ann="inner" id="inner">45</mark></mark></mark>')
