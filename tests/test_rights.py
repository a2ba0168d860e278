"""Sources as they come (partial, pieced from copies) and publishing within rights (excerpts).

In the fixture, "The Harbour Report" is a partial text taken from two copies and shown in full
under a licence; "A Letter from the River" is shown in excerpts, and its last sentence ("Nobody
in the valley remembers a warmer March.") is in no passage nor in any passage's context.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from sitegen.excerpts import Excerpt, excerpts, paragraphs

from .conftest import FIXTURE_CONTENT, ROOT, run_build
from .htmltree import Element, load_page

UNCOVERED = "Nobody in the valley remembers a warmer March."
"""The fixture letter's sentence that no passage quotes and no passage's context reaches."""


def published_bytes(site: Path):
    """(path, bytes) of every output file, gzipped ones (the search index) decompressed."""
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            pass
        yield path.relative_to(site).as_posix(), data


# -- a partial text, pieced together from copies ------------------------------------------------


def test_a_partial_source_says_so_at_the_top_and_never_that_it_is_verbatim(fixture_site):
    page = load_page(fixture_site, "sources/harbour-report/")
    header = page.find("header", cls="source-header")
    notice = header.find("p", cls="notice-partial")
    assert notice.text() == "Partial text. Missing: the report’s last section, on the fisheries, which neither copy has."
    assert "verbatim" not in page.find("main").text().lower()
    assert header.find("p", cls="reproduced").text().startswith("Shown as far as the editors have it, for commentary")


def test_the_original_and_the_copies_the_text_was_taken_from_are_told_apart(fixture_site):
    header = load_page(fixture_site, "sources/harbour-report/").find("header", cls="source-header")
    original = header.find("a", cls="original")
    assert (original.text(), original.attrs["href"]) == ("Read the original at Harbour Times", "https://example.org/harbour-report")
    copies = header.find("p", cls="copies")
    assert copies.text() == "Text taken from Ada Example’s blog and news-digest.example.com, not from the original."
    assert [a.attrs["href"] for a in copies.find_all("a")] == [
        "https://blog.example.net/ada/harbour-report", "https://news-digest.example.com/harbour-report"]


# -- excerpts -----------------------------------------------------------------------------------


def test_a_source_in_excerpts_publishes_no_sentence_that_no_passage_covers(fixture_site):
    found = [rel for rel, data in published_bytes(fixture_site)
             if UNCOVERED.encode() in data or b"valley" in data or b"warmer" in data]
    assert found == []
    # The same search finds what is published: the context after the last passage, on the
    # source page and in the search index, and the full source's unannotated paragraph.
    everything = dict(published_bytes(fixture_site))
    assert b"The ferry runs twice a week in winter." in everything["sources/river-letter/index.html"]
    index = b"".join(data for rel, data in everything.items() if rel.startswith("pagefind/"))
    assert b"ferry runs twice" in index and b"Some readers wrote" in index


def test_a_source_in_excerpts_has_no_text_file_and_says_what_it_shows(fixture_site):
    assert not (fixture_site / "data/sources/river-letter.txt").exists()
    assert (fixture_site / "data/sources/harbour-report.txt").is_file()
    reproduced = load_page(fixture_site, "sources/river-letter/").find("p", cls="reproduced-excerpts")
    assert reproduced.text().startswith("Excerpts only. This page quotes the 4 annotated passages, each with a sentence "
                                        "around it, not the whole article: read it at River Weekly")
    assert "verbatim" not in load_page(fixture_site, "sources/river-letter/").find("main").text().lower()


def test_each_excerpt_links_to_every_passage_in_it_in_the_original(fixture_site):
    page = load_page(fixture_site, "sources/river-letter/")
    links = [a for p in page.find_all("p", cls="excerpt-original") for a in p.find_all("a")]
    assert [a.text() for a in links] == ["passage 1", "passage 2", "passage 3", "passage 4"]
    assert links[2].attrs["href"] == "https://example.org/river-weekly/letter#:~:text=Perhaps%20Northland%20also%20wanted%20a%20quiet%20border."
    # The passages are marked where they are, with their numbers, as on a page in full.
    for ann in ("southland-waits", "too-simple", "quiet-border-perhaps", "spokesman"):
        assert page.by_id(ann).tag == "mark"
    # Each paragraph is a block with the notes of the passages starting in it (a row of the two),
    # or alone without notes; the sentence after the last passage ends the excerpt, cut where the
    # text goes on.
    blocks = [b for b in page.find("div", cls="source-text").children if isinstance(b, Element)]
    assert [b.attrs["class"] for b in blocks] == ["block block-annotated"] * 2 + ["block-text"]
    assert [len(b.find_all("aside", cls="note")) for b in blocks] == [1, 3, 0]
    assert blocks[-1].text().strip() == "The ferry runs twice a week in winter. …"


def test_excerpts_join_passages_whose_contexts_meet():
    text = "One two. Three four. Five six.\n\nSeven eight. Nine ten. Eleven twelve. Thirteen.\n\nLast one. End."
    first = text.index("Three four.")
    nine = text.index("Nine ten.")
    last = text.index("End.")
    found = excerpts(text, [("a", first, first + 11), ("b", nine, nine + 9), ("c", last, last + 4)])
    # "a" shows "One two." before it and "Five six." after; "b" "Seven eight." and "Eleven twelve.":
    # the paragraph break between them joins them into one excerpt.
    assert found[0] == Excerpt(0, text.index(" Thirteen"), ("a", "b"))
    assert text[found[1].start:found[1].end] == "Last one. End."
    assert paragraphs(text, found[0]) == [(0, 30, False, False), (32, text.index(" Thirteen"), False, True)]


# -- the About page and the check --------------------------------------------------------------


def test_the_about_page_lists_what_is_shown_in_full_and_why_and_what_in_excerpts(fixture_site):
    section = load_page(fixture_site, "about/").by_id("rights_heading").parent
    full, excerpted = section.find_all("ul")
    assert [li.text() for li in full.find_all("li")] == [
        "The Harbour Report (partial text): Published under a CC BY 4.0 licence, which allows reproducing it with credit."]
    assert [li.text() for li in excerpted.find_all("li")] == ["A Letter from the River"]


def test_past_its_limit_the_about_page_counts_the_other_sources_and_says_where_each_says_why(content, monkeypatch):
    from sitegen import rights
    from sitegen.pipeline import BuildOptions, render_site, validate

    from .htmltree import parse_html

    copy = (content / "sources/harbour-report.md").read_text().replace("title: The Harbour Report", "title: The Harbour Report, again")
    (content / "sources/harbour-again.md").write_text(copy)
    monkeypatch.setattr(rights, "ABOUT_SOURCES", 1)
    files = render_site(BuildOptions(content=content, out=content.parent / "site", templates=ROOT / "templates"), validate(content))
    section = parse_html(files["about/index.html"].decode()).by_id("rights_heading").parent
    full, _ = section.find_all("ul")
    assert len(full.find_all("li")) == 1
    more = section.find_all("p")[1]
    assert more.text() == ("1 more source shown in full: each one’s page says why it may be reproduced, "
                           "and site.json gives every source’s rights.")
    assert more.find("a").attrs["href"] == "/data/site.json"


@pytest.fixture
def content(tmp_path) -> Path:
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    return tmp_path / "content"


def test_a_source_in_full_without_rights_is_a_warning_that_strict_refuses(content):
    harbour = content / "sources/harbour-report.md"
    harbour.write_text("\n".join(line for line in harbour.read_text().split("\n") if not line.startswith("rights:")))
    warning = ("content/sources/harbour-report.md:1: warning: source 'harbour-report' is reproduced in full but does not "
               "say why that is allowed\n    hint: add 'rights: \"...\"' (an official statement, a licence, the publisher's "
               "permission), or 'reproduce: excerpts' to show only its annotated passages\n")
    relaxed = run_build("check", "--content", "content", cwd=content.parent)
    assert relaxed.returncode == 0 and warning in relaxed.stderr
    strict = run_build("check", "--strict", "--content", "content", cwd=content.parent)
    assert strict.returncode == 1 and warning in strict.stderr


def test_check_reports_how_much_of_a_source_in_excerpts_its_page_shows(content):
    result = run_build("check", "--content", "content", cwd=content.parent)
    assert ("coverage: river-letter: 2 of 3 paragraphs annotated, 4 annotations, 75% of the text quoted; "
            "shown in excerpts, with their context: 87%") in result.stdout


# -- the real content ---------------------------------------------------------------------------


def test_the_real_press_articles_are_shown_in_excerpts_and_their_unquoted_words_are_not_published(tmp_path):
    out = tmp_path / "site"
    result = run_build("build", "--strict", "--content", str(ROOT / "content"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    # The author note closing "Deciphering diplomacy" is in no passage; its first sentence is the
    # context of the passage before it, its second is published nowhere.
    assert b"He holds a doctoral" in (ROOT / "content/sources/deciphering-diplomacy.md").read_bytes()
    assert [rel for rel, data in published_bytes(out) if b"doctoral" in data] == []
    about = load_page(out, "about/").by_id("rights_heading").parent
    in_full, in_excerpts = about.find_all("ul")
    assert [li.find("a").attrs["href"] for li in in_full.find_all("li")] == ["/sources/bjnews-mao-ning-4-july/"]
    shown = {li.find("a").attrs["href"] for li in in_excerpts.find_all("li")}
    assert {"/sources/deciphering-diplomacy/", "/sources/russia-recognised-taliban-india-cautious/"} <= shown
    assert "Shown only in excerpts" in about.text()


# -- under serve --------------------------------------------------------------------------------


def test_switching_sources_between_full_and_excerpts_under_serve_writes_what_a_cold_build_does(tmp_path):
    from sitegen.incremental import Engine
    from sitegen.pipeline import BuildOptions, render_site, validate

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    options = BuildOptions(content=content, out=tmp_path / "site", templates=ROOT / "templates")
    engine = Engine(options)
    assert engine.build_all().ok
    river, harbour = content / "sources/river-letter.md", content / "sources/harbour-report.md"
    river.write_text(river.read_text().replace("reproduce: excerpts\n", "rights: Published for reproduction.\n"))
    harbour.write_text(harbour.read_text().replace("partial: true\n", "reproduce: excerpts\n")
                       .replace("missing: \"the report’s last section, on the fisheries, which neither copy has.\"\n", ""))
    engine.content_changed([river, harbour])
    assert engine.rebuild().ok
    engine.refresh_data()
    out = options.out
    written = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
               if p.is_file() and not p.relative_to(out).as_posix().startswith(("pagefind/", ".sitegen"))}
    expected = render_site(options, validate(content))
    assert {rel for rel in written if rel.startswith("data/sources/")} == {"data/sources/river-letter.txt"}
    expected = {rel: data for rel, data in expected.items() if not rel.startswith(".sitegen")}
    assert written == expected
    assert b"Partial text" not in written["sources/harbour-report/index.html"]
    assert b"Excerpts only." in written["sources/harbour-report/index.html"]
    assert b"Excerpts only." not in written["sources/river-letter/index.html"]
