"""Each passage has a page of its own (`/sources/<source>/<passage>/`): what it shows, read from
its view model and from the built page, and the links between it and the pages that cite it."""

from __future__ import annotations

from sitegen import passage_view
from sitegen.pipeline import validate
from sitegen.passage_view import ContextParagraph, passage_in_context

from .conftest import FIXTURE_CONTENT
from .htmltree import load_page

TEXT = ("Northland became the first state to recognise the Island Council on 3 March 2024. The harbour matters.\n\n"
        "Officials said the harbour matters more than anything. \"Trade comes first,\" one said. The route stays open.\n\n"
        "The border is quiet, and the border is long.")


def span(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


def test_context_is_the_rest_of_the_sentences_a_passage_starts_and_ends_in():
    assert passage_in_context(TEXT, *span("the border is long")) == (
        ContextParagraph("The border is quiet, and ", "the border is long", "."),)
    assert passage_in_context(TEXT, *span("\"Trade comes first,\" one")) == (
        ContextParagraph("Officials said the harbour matters more than anything. ", "\"Trade comes first,\" one",
                         " said."),)


def test_a_passage_that_starts_or_ends_a_paragraph_gets_a_sentence_of_the_next_paragraph():
    whole = "Officials said the harbour matters more than anything. \"Trade comes first,\" one said. The route stays open."
    assert passage_in_context(TEXT, *span(whole)) == (
        ContextParagraph("The harbour matters.", "", ""),
        ContextParagraph("", whole, ""),
        ContextParagraph("", "", "The border is quiet, and the border is long."),
    )
    first = "Northland became the first state to recognise the Island Council on 3 March 2024."
    assert passage_in_context(TEXT, *span(first)) == (ContextParagraph("", first, " The harbour matters."),)


def test_a_passage_over_two_paragraphs_is_shown_as_two():
    words = "The harbour matters.\n\nOfficials said"
    assert passage_in_context(TEXT, *span(words)) == (
        ContextParagraph("Northland became the first state to recognise the Island Council on 3 March 2024. ",
                         "The harbour matters.", ""),
        ContextParagraph("", "Officials said", " the harbour matters more than anything."),
    )


def test_long_context_is_cut_at_a_word():
    text = "word " * 200 + "end of it. Passage here"
    [paragraph] = passage_in_context(text, text.index("Passage"), len(text))
    assert paragraph.before.startswith("…word ") and paragraph.before.endswith("end of it. ")
    assert len(paragraph.before) <= passage_view.CONTEXT_CHARS + 1


def test_the_view_names_the_passage_its_neighbours_and_what_cites_it():
    validated = validate(FIXTURE_CONTENT)
    view = passage_view.passage(validated.model, validated.index, "harbour-report/trade-first")
    assert (view.source, view.number, view.previous, view.next) == (
        "harbour-report", 2, "harbour-report/first-to-recognise", "harbour-report/border-quiet")
    assert view.annotation.correction.startswith("The route was closed")
    assert [(c.noun, c.label) for c in view.cited_by] == [
        ("event", "The harbour route reopens"),
        ("argument", "Northland recognised the council to keep the harbour route open.")]
    assert view.has_context
    assert (view.authors, view.published) == ("Ada Example", ", Harbour Times, 10 March 2024")  # the citation around the title
    # Another passage's note that links to this one cites it: named by its opening words and its source.
    waits = passage_view.passage(validated.model, validated.index, "river-letter/southland-waits")
    assert ("passage", "“The border is quiet”", "The Harbour Report") in [(c.noun, c.label, c.source) for c in waits.cited_by]
    assert waits.previous == ""


def test_the_passage_page_shows_the_passage_in_context_with_its_reading(fixture_site):
    page = load_page(fixture_site, "sources/harbour-report/trade-first/")
    assert page.find("title").text() == \
        "“‘Trade comes first,’ one said, and the ‘route’ must stay open.” (The Harbour Report) — Fixture Analysis"
    description = page.find("meta", name="description").attrs["content"]
    assert description == ("“‘Trade comes first,’ one said, and the ‘route’ must stay open.” From “The Harbour Report” "
                           "by Ada Example, Harbour Times, 10 March 2024, with the editors’ reading.")
    # A shared passage shows its source's card.
    assert page.find("meta", property="og:image").attrs["content"] == "https://example.org/fixture/sources/harbour-report/card.png"
    assert page.find("meta", property="og:url").attrs["content"] == \
        "https://example.org/fixture/sources/harbour-report/trade-first/"
    assert page.find("h1").text() == "Passage 2 of The Harbour Report"
    card = page.find("div", cls="passage-card")
    assert "data-preview" in card.attrs
    assert card.find("mark").text() == "\"Trade comes first,\" one said, and the ‘route’ must stay open."
    assert [s.text() for s in card.find_all("span", cls="context")] == [
        "Officials said the harbour matters more than anything.",
        "The border is quiet, and the border is long, and the border is old."]
    assert card.find("p", cls="correction").text() == "⚠ Correction: The route was closed at the time; it reopened in 2025."
    assert page.find("p", cls="passage-tags").text() == "Actor Northland · Motive Trade access"
    assert page.by_id("note_heading").text() == "Editor’s note"
    assert "Typographic quotes in the source" in page.find("section", cls="commentary").text()
    # The figure's caption is the citation: the byline and the passage's own page, not the quote again.
    assert card.find("figcaption").find("p", cls="citation").text() == (
        "Ada Example, The Harbour Report, Harbour Times, 10 March 2024, https://example.org/harbour-report. "
        "Passage 2, annotated at https://example.org/fixture/sources/harbour-report/trade-first/")
    assert page.find_all("section", cls="cite-this") == []
    nav = page.find("nav", cls="passage-nav")
    assert [(a.attrs["rel"], a.attrs["href"]) for a in nav.find_all("a")] == [
        ("prev", "/sources/harbour-report/first-to-recognise/"), ("next", "/sources/harbour-report/border-quiet/")]
    # Search finds the passage on its source page, not here a second time.
    assert "data-pagefind-body" not in page.find("main").attrs


def test_the_passage_page_and_the_pages_citing_it_link_both_ways(fixture_site):
    page = load_page(fixture_site, "sources/harbour-report/trade-first/")
    assert [(li.find("span", cls="kind").text(), li.find("a").attrs["href"])
            for li in page.find("section", cls="cited-by").find_all("li")] == [
        ("event", "/timeline/#route-reopens"), ("argument", "/arguments/trade-first/")]
    into_source = page.find("a", cls="in-source").attrs["href"]
    assert into_source == "/sources/harbour-report/#trade-first"
    source = load_page(fixture_site, "sources/harbour-report/")
    assert source.by_id("trade-first").tag == "mark"
    assert source.by_id("note_trade-first").find("ul", cls="note-actions").find("a").attrs["href"] == "/sources/harbour-report/trade-first/"
    argument = load_page(fixture_site, "arguments/trade-first/")
    assert "/sources/harbour-report/trade-first/" in [a.attrs["href"] for a in argument.find_all("a", cls="passage-ref")]
    timeline = load_page(fixture_site, "timeline/").by_id("route-reopens")
    assert timeline.find("a", cls="passage-ref").attrs["href"] == "/sources/harbour-report/trade-first/"


def test_a_passage_cited_by_another_s_note_lists_it(fixture_site):
    page = load_page(fixture_site, "sources/river-letter/southland-waits/")
    cited = {li.find("a").attrs["href"]: li.text() for li in page.find("section", cls="cited-by").find_all("li")}
    assert cited["/sources/harbour-report/border-quiet/"] == "passage “The border is quiet” (The Harbour Report)"
    # The first passage of its source: a link to the next passage only.
    assert [a.attrs["rel"] for a in page.find("nav", cls="passage-nav").find_all("a")] == ["next"]


def test_every_passage_has_a_page_in_the_sitemap(fixture_site):
    sitemap = (fixture_site / "sitemap.xml").read_text(encoding="utf-8")
    for path in FIXTURE_CONTENT.glob("annotations/*/*.md"):
        url_path = f"sources/{path.parent.name}/{path.stem}/"
        assert (fixture_site / url_path / "index.html").is_file(), url_path
        assert f"https://example.org/fixture/{url_path}</loc>" in sitemap


def test_the_corrections_page_refers_to_the_passage_instead_of_reprinting_it(fixture_site):
    entry = load_page(fixture_site, "corrections/").find("li", cls="correction-entry")
    assert entry.find_all("blockquote") == []
    assert entry.find("a", cls="passage-ref").attrs["href"] == "/sources/harbour-report/trade-first/"
    assert entry.find("p", cls="correction").text().startswith("⚠ Correction: The route was closed")
