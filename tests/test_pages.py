"""What the pages of the fixture site say: the analysis a reader gets, checked on the built HTML."""

from __future__ import annotations

import re
import shutil

import pytest

from .conftest import FIXTURE_CONTENT, run_build
from .htmltree import Element, load_page

NOTES_CHOICE = ('try { if (localStorage.getItem("notes") === "hidden") '
                'document.documentElement.classList.add("notes-hidden"); } catch (e) {}')

PAGE_TYPES = (
    "", "actors/", "actors/northland/", "actors/islanders/", "motives/", "motives/trade/",
    "sources/", "sources/harbour-report/", "sources/harbour-report/trade-first/", "timeline/", "arguments/",
    "arguments/trade-first/", "about/", "404.html",
)


def content_ids() -> set[str]:
    """Every id the content defines (file names), which pages may use as anchors."""
    return {p.stem for p in FIXTURE_CONTENT.rglob("*.md")}


# ---- every page ------------------------------------------------------------------------------

@pytest.mark.parametrize("url_path", PAGE_TYPES)
def test_every_page_has_landmarks_skip_link_and_open_graph(fixture_site, url_path):
    page = load_page(fixture_site, url_path)
    skip = page.find("a", cls="skip")
    assert skip.attrs["href"] == "#main_content"
    assert page.by_id("main_content").tag == "main"
    assert page.find_all("header", cls="site-header") and page.find_all("footer", cls="site-footer")
    nav = page.find("nav", cls="site-nav")
    assert nav.attrs["aria-label"] == "Site"
    meta = {m.attrs.get("property"): m.attrs.get("content") for m in page.find_all("meta") if "property" in m.attrs}
    # The title names the site, so no og:site_name repeats it.
    assert meta["og:title"].endswith("Fixture Analysis") and "og:site_name" not in meta
    # Link previews read the description from `<meta name="description">` when there is no og:description.
    assert "og:description" not in meta and page.find("meta", name="description").attrs["content"]
    assert meta["og:url"] == "https://example.org/fixture/" + url_path
    assert meta["og:type"] == ("article" if url_path.startswith("sources/") and url_path != "sources/" else "website")


@pytest.mark.parametrize("url_path", PAGE_TYPES)
def test_layout_ids_never_collide_with_content_ids(fixture_site, url_path):
    """Content ids are anchors; every other id on a page contains an underscore."""
    allowed = content_ids()
    page = load_page(fixture_site, url_path)
    ids = [el.attrs["id"] for el in page.iter() if "id" in el.attrs]
    assert len(ids) == len(set(ids)), "duplicate ids"
    stray = [i for i in ids if "_" not in i and i not in allowed]
    assert stray == []


@pytest.mark.parametrize("url_path", PAGE_TYPES)
def test_pages_load_one_small_deferred_script_and_nothing_external(fixture_site, url_path):
    page = load_page(fixture_site, url_path)
    scripts = [s for s in page.find_all("script") if "src" in s.attrs]
    assert [s.attrs["src"].split("?")[0] for s in scripts] == ["/static/site.js"]
    assert all("defer" in s.attrs for s in scripts)
    # Inline, only the line that hides a source page's notes before it is drawn, if the reader chose so.
    inline = [s.text() for s in page.find_all("script") if "src" not in s.attrs]
    source_page = url_path.startswith("sources/") and url_path.count("/") == 2
    assert inline == ([NOTES_CHOICE] if source_page else [])
    assets = [s.attrs["src"] for s in scripts] + [el.attrs["href"] for el in page.find_all("link", rel="stylesheet")]
    assets += [el.attrs["src"] for el in page.find_all("img")]
    assert all(a.startswith("/static/") for a in assets), assets


# ---- home --------------------------------------------------------------------------------------

def _matrix(page: Element) -> dict[tuple[str, str], Element]:
    table = page.find("table", cls="matrix")
    motives = [th.text() for th in table.find("thead").find_all("th")][1:]
    cells = {}
    for row in table.find("tbody").find_all("tr"):
        actor = row.find("th").text()
        for motive, cell in zip(motives, row.find_all("td")):
            cells[(actor, motive)] = cell
    return cells


def test_home_matrix_counts_passages_and_links_each_cell_to_them(fixture_site):
    home = load_page(fixture_site, "")
    cells = _matrix(home)
    assert {m for _, m in cells} == {"Border security", "Trade access"}

    def held(actor, motive):
        """What the cell says, part by part: a bare number is asserted."""
        return [part.text() for part in cells[(actor, motive)].find_all("span", cls="held")]

    assert held("Northland", "Trade access") == ["2", "1 reported", "1 disputed"]
    assert held("Northland", "Border security") == ["1", "1 hedged"]
    assert held("Southland", "Border security") == ["2"]
    assert held("Southland", "Trade access") == ["1"]

    # The cell links to the actor page's section for that motive, which holds that many passages.
    link = cells[("Northland", "Trade access")].find("a")
    assert link.attrs["href"] == "/actors/northland/#motive_trade"
    section = load_page(fixture_site, "actors/northland/").by_id("motive_trade")
    assert len(section.find_all("div", cls="passage")) + len(section.find("details").find_all("li")) == 4

    # Agreement (two sources asserting) is marked in text as well as by the cell's outline.
    agreed = cells[("Southland", "Border security")]
    assert agreed.has_class("agreed") and "asserted in 2 sources" in agreed.text()
    assert not cells[("Northland", "Trade access")].has_class("agreed")
    assert cells[("Northland", "Trade access")].find("span", cls="visually-hidden").text() == \
        "passages: Northland, Trade access; asserted in 1 source, reported in 1 source, disputed in 1 source"
    assert cells[("Northland", "Border security")].has_class("held-asserted")


def test_home_says_where_the_sources_agree_and_differ(fixture_site):
    home = load_page(fixture_site, "")
    primary, others = home.find_all("table", cls="compare")
    for table in (primary, others):
        headers = [th.text() for th in table.find("thead").find_all("th")]
        assert headers == ["Actor", "Asserted by two or more sources", "Only The Harbour Report",
                           "Only A Letter from the River", "Held differently"]
    # The other actors' table is folded away under the primary actors'.
    assert others.parent.parent.tag == "details"
    rows = {row.find("th").text(): [td.text() for td in row.find_all("td")]
            for table in (primary, others) for row in table.find("tbody").find_all("tr")}
    assert rows["Southland"] == ["Border security", "none", "Trade access", "none"]
    # The Harbour Report asserts both of Northland's motives, and the River letter hedges one and disputes the other.
    assert rows["Northland"] == [
        "none", "none", "none",
        "Trade access: asserted in The Harbour Report; reported in A Letter from the River; disputed in "
        "A Letter from the River. Border security: asserted in The Harbour Report; hedged in A Letter from the River"]
    assert rows["Island Council"] == ["none", "Trade access", "not discussed", "none"]
    # Both opposing claims are made in the Harbour Report: not an opposition across sources.
    opposition = home.find("ul", cls="oppositions").find("li").text()
    assert opposition.startswith("Northland recognised the council to keep the harbour route open.")
    assert "opposes Border security, not trade, drives the region's moves." in opposition
    assert "across sources" not in opposition and opposition.endswith("both made in The Harbour Report")


def test_home_lists_what_one_source_alone_says_once_the_sources_outnumber_the_columns(tmp_path):
    """Past `SOURCE_COLUMNS` sources, the comparison has one column for all of them, naming the
    motives each source alone attributes; the index keeps no actors x sources table for it."""
    import sys

    from sitegen.derive import SOURCE_COLUMNS
    from sitegen.pipeline import BuildOptions, render_site, validate

    from .conftest import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from corpus import write_corpus
    finally:
        sys.path.pop(0)
    write_corpus(SOURCE_COLUMNS + 4, tmp_path / "content")
    validated = validate(tmp_path / "content")
    index, model = validated.index, validated.model
    assert len(index.source_order) > SOURCE_COLUMNS
    # What one source alone attributes, worked out here from the attributions: the motives only
    # it holds, those it asserts first, each group named by its source.
    alone = {}
    for actor in index.actor_order:
        parts = []
        for s in index.source_order:
            held = [(m, index.attributions[(actor, m)].holding()) for m in index.motive_order if (actor, m) in index.attributions]
            mine = [model.motives[m].label for m, h in held if h == {s: "asserted"}]
            mine += [f"{model.motives[m].label} ({h[s]})" for m, h in held if set(h) == {s} and h[s] != "asserted"]
            if mine:
                parts.append(", ".join(mine) + f" ({model.sources[s].title})")
        if any((actor, m) in index.attributions for m in index.motive_order):
            alone[model.actors[actor].name] = "; ".join(parts) or "none"
    assert alone and any(text != "none" for text in alone.values())
    files = render_site(BuildOptions(content=tmp_path / "content", out=tmp_path / "site"), validated)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_bytes(files["index.html"])
    tables = load_page(tmp_path / "site", "").find_all("table", cls="compare")
    for table in tables:
        assert [th.text() for th in table.find("thead").find_all("th")] == ["Actor", "Asserted by two or more sources", "Only one source", "Held differently"]
    rows = {row.find("th").text(): row.find_all("td")[1].text() for table in tables for row in table.find("tbody").find_all("tr")}
    assert rows == alone


def test_home_shows_positions_with_their_evidence_and_lists_the_sources(fixture_site):
    home = load_page(fixture_site, "")
    cards = {card.find("h3").text(): card for card in home.find_all("li", cls="position-card")}
    assert list(cards) == ["Northland", "Southland"]
    northland = cards["Northland"]
    assert northland.find("p", cls="position").text() == "Recognised the Island Council, the first state to do so."
    # The passage is a reference to its own page, not the passage again.
    assert northland.find_all("blockquote") == []
    evidence = northland.find("p", cls="position-evidence")
    assert evidence.find("a", cls="passage-ref").attrs["href"] == "/sources/harbour-report/first-to-recognise/"
    assert evidence.text().startswith("Evidence: “Northland became the first state to recognise the Island Council")
    others = home.find("table", cls="others")
    assert others.find("tbody").find("th").text() == "Island Council"
    sources = home.find("ul", cls="source-list").find_all("li")
    assert [li.find("cite").text() for li in sources] == ["The Harbour Report", "A Letter from the River"]
    assert "1 correction" in sources[0].text()
    assert "Northland recognised the Island Council on 3 March 2024." in home.find("section", cls="brief").text()


# ---- actor pages -------------------------------------------------------------------------------

def test_an_actor_page_says_when_it_rests_on_one_article(fixture_site):
    basis = load_page(fixture_site, "actors/islanders/").find("p", cls="basis")
    assert basis.has_class("basis-single")
    assert basis.text() == ("⚠ Rests on one source: everything on this page about Island Council comes from a "
                            "single article, The Harbour Report in Harbour Times.")


def test_an_actor_page_counts_its_sources_and_outlets(fixture_site):
    basis = load_page(fixture_site, "actors/northland/").find("p", cls="basis")
    assert not basis.has_class("basis-single")
    assert basis.text().startswith("Rests on 2 sources from 2 outlets:")


def test_an_actor_page_shows_each_motive_with_one_passage_in_full_and_the_rest_a_line_each(fixture_site):
    page = load_page(fixture_site, "actors/northland/")
    motives = page.by_id("motives_heading").parent
    blocks = motives.find_all("section", cls="motive-block")
    # What more sources assert comes first (each motive here is asserted by one source; then
    # by how many sources hold it at all, then by passages).
    assert [b.find("h3").text() for b in blocks] == ["Trade access", "Border security"]
    trade = page.by_id("motive_trade")
    assert trade.find("p", cls="motive-meta").text() == (
        "4 passages Asserted in The Harbour Report Reported in A Letter from the River Disputed in A Letter from the River")
    # The passage an editor marked `featured` is the one in full, with its correction ...
    [lead] = trade.find_all("div", cls="passage")
    assert lead.find("blockquote").text().startswith('"Trade comes first," one said')
    assert "The route was closed at the time" in lead.find("p", cls="correction").text()
    # ... the others are a line each, saying how their source holds them, folded away.
    details = trade.find("details", cls="more-passages")
    assert details.find("summary").text() == "3 more passages"
    assert [li.text() for li in details.find_all("li")] == [
        "“Some say Northland moved only for the harbour; that is too simple.” (A Letter from the River; disputed)",
        "“An Island Council spokesman said Northland came ‘for the harbour, as everyone does’.” (A Letter from the River; words of Island Council)",
        "“Northland became the first state to recognise the Island Council on 3 March 2024.” (The Harbour Report)",
    ]
    assert details.find("a").attrs["href"] == "/sources/river-letter/too-simple/"
    # Commentary is on the source page, not repeated here.
    assert page.find_all("div", cls="commentary") == []
    southland = load_page(fixture_site, "actors/southland/")
    assert "✔✔ 2 sources assert it" in southland.by_id("motive_security").find("p", cls="motive-meta").text()
    assert "Only A Letter from the River" in southland.by_id("motive_trade").find("p", cls="motive-meta").text()


def test_an_actor_page_shows_other_actors_moves_events_arguments_and_backlinks(fixture_site):
    page = load_page(fixture_site, "actors/northland/")
    bearing = page.by_id("bearing_heading").parent
    [southland] = bearing.find_all("details")
    assert southland.find("summary").text() == "Southland 2 passages"
    assert [li.text() for li in southland.find_all("li")] == [
        "“Southland will wait and see. It fears the border more than it wants the harbour.” (A Letter from the River)",
        "“The border is quiet” (The Harbour Report)"]
    events = [li.text() for li in page.by_id("events_heading").parent.find_all("li")]
    assert events == [
        "2023 to February 2024 Talks between Northland and the council",
        "3 March 2024 Northland recognises the Island Council",
        "2025 The harbour route reopens",
    ]
    arguments = page.by_id("arguments_heading").parent.find_all("a")
    assert {a.attrs["href"] for a in arguments} >= {"/arguments/trade-first/", "/arguments/harbour-matters/"}
    cited = page.find("div", cls="cited-by")
    assert [a.attrs["href"] for a in cited.find_all("a")] == ["/actors/southland/"]


# ---- source pages ------------------------------------------------------------------------------

def test_source_passages_are_highlighted_numbered_and_anchored(fixture_site):
    page = load_page(fixture_site, "sources/harbour-report/")
    marks = page.find_all("mark", cls="hl")
    anchored = [m.attrs["id"] for m in marks if "id" in m.attrs]
    assert anchored == ["first-to-recognise", "trade-first", "border-quiet", "long-border", "lighthouse"]
    numbers = [a.text() for a in page.find_all("a", cls="hl-num")]
    assert numbers == ["note 1", "note 2", "note 3", "note 4", "note 5"]
    first = page.find("a", cls="hl-num")
    # A link within the page is its fragment alone.
    assert first.attrs["href"] == "#note_first-to-recognise"
    index = page.find("details", cls="passage-index").find_all("a")
    assert [a.attrs["href"] for a in index] == ["#" + a for a in anchored]
    assert page.by_id("long-border").text() == "the border"
    # Raw HTML in the source is text, not markup.
    assert "<script>alert" in page.find("div", cls="source-text").text()


def test_each_note_has_tags_commentary_and_its_passage_page_with_the_citation_and_the_original(fixture_site):
    page = load_page(fixture_site, "sources/harbour-report/")
    note = page.by_id("note_trade-first")
    assert note.tag == "aside" and note.attrs["aria-label"] == "Note 2"
    # The note's title names the actor and the motives: its tags need not say which is which.
    assert [li.text() for li in note.find("ul", cls="tags").find_all("li")] == ["Northland", "Trade access"]
    assert note.find("p", cls="correction").text() == \
        "⚠ Correction: The route was closed at the time; it reopened in 2025."
    assert note.find("ul", cls="note-actions").find("a").attrs["href"] == "/sources/harbour-report/trade-first/"
    # The citation and the link into the original are on the passage's page, once.
    assert note.find_all("p", cls="citation") == [] and note.find_all("a", cls="in-original") == []
    passage = load_page(fixture_site, "sources/harbour-report/trade-first/")
    assert passage.find("p", cls="citation").text() == (
        "Ada Example, The Harbour Report, Harbour Times, 10 March 2024, https://example.org/harbour-report. "
        "Passage 2, annotated at https://example.org/fixture/sources/harbour-report/trade-first/")
    assert passage.find("a", cls="in-original").attrs["href"] == (
        "https://example.org/harbour-report#:~:text=%22Trade%20comes%20first%2C%22%20one,"
        "%E2%80%98route%E2%80%99%20must%20stay%20open.")


def test_text_fragment_names_the_words_before_a_passage_whose_start_repeats(fixture_site):
    short = load_page(fixture_site, "sources/harbour-report/first-to-recognise/").find("a", cls="in-original").attrs["href"]
    assert short == "https://example.org/harbour-report#:~:text=Northland%20became%20the%20first,on%203%20March%202024."
    repeated = load_page(fixture_site, "sources/harbour-report/long-border/").find("a", cls="in-original").attrs["href"]
    assert repeated == "https://example.org/harbour-report#:~:text=is%20quiet%2C%20and-,the%20border"


def test_a_source_without_url_has_no_original_link_and_the_credit_comes_first(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    river = content / "sources/river-letter.md"
    river.write_text(river.read_text().replace("url: https://example.org/river-weekly/letter\nreproduce: excerpts\n", ""))
    result = run_build("build", "--content", str(content), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    page = load_page(tmp_path / "site", "sources/river-letter/")
    assert load_page(tmp_path / "site", "sources/river-letter/spokesman/").find_all("a", cls="in-original") == []
    assert page.find("p", cls="byline").text() == "By Bo Sample and Cy Person, River Weekly, March 2024."
    fixture_site = tmp_path / "site"
    report = load_page(fixture_site, "sources/harbour-report/")
    byline = report.find("p", cls="byline")
    assert byline.text().startswith("By Ada Example, Harbour Times, 10 March 2024.")
    assert byline.find("a", cls="original").attrs["href"] == "https://example.org/harbour-report"


def test_a_note_lists_what_cites_its_passage(fixture_site):
    note = load_page(fixture_site, "sources/harbour-report/").by_id("note_first-to-recognise")
    cited = note.find("details", cls="cited-by")
    hrefs = [a.attrs["href"] for a in cited.find_all("a")]
    assert hrefs == ["/actors/northland/", "/timeline/#recognition", "/arguments/harbour-matters/", "/arguments/trade-first/"]
    assert cited.find("summary").text() == "Cited by 4 items"


def test_the_source_page_shows_its_normalisation_notes(fixture_site):
    section = load_page(fixture_site, "sources/harbour-report/").by_id("normalised_heading").parent
    assert [li.text() for li in section.find_all("li")] == ["Removed the site's navigation text (\"Home\", \"Latest\")."]


# ---- timeline ----------------------------------------------------------------------------------

def test_timeline_groups_events_by_year_in_date_order_at_their_precision(fixture_site):
    page = load_page(fixture_site, "timeline/")
    years = [s.find("h2").text() for s in page.find_all("section", cls="year")]
    assert years == ["2023", "2024", "2025"]
    events = page.find_all("li", cls="event")
    # March 2024 would come before 3 March 2024, but the review names the recognition in 'after'.
    assert [e.attrs["id"] for e in events] == ["talks", "recognition", "southland-review", "route-reopens"]
    when = {e.attrs["id"]: e.find("p", cls="when").text() for e in events}
    assert when == {
        "talks": "2023 to February 2024 (a span)",
        "southland-review": "March 2024 (day not given)",
        "recognition": "3 March 2024",
        "route-reopens": "2025 (year only)",
    }
    assert [t.attrs["datetime"] for t in page.by_id("talks").find_all("time")] == ["2023", "2024-02"]
    assert page.by_id("talks").has_class("event-span")
    after = page.by_id("southland-review").find("p", cls="event-after")
    assert after.text() == "After: Northland recognises the Island Council (3 March 2024)"
    assert after.find("a").attrs["href"] == "/timeline/#recognition"
    assert [e.attrs["id"] for e in events if e.find_all("p", cls="event-after")] == ["southland-review"]


def test_timeline_events_carry_their_evidence_corrections_actors_and_backlinks(fixture_site):
    page = load_page(fixture_site, "timeline/")
    reopens = page.by_id("route-reopens")
    assert reopens.attrs["data-actors"] == "northland"
    # The evidence is a reference to the passage's page, not the passage again.
    assert reopens.find_all("blockquote") == []
    [evidence] = reopens.find("ul", cls="passage-refs").find_all("li")
    assert evidence.find("a", cls="passage-ref").attrs["href"] == "/sources/harbour-report/trade-first/"
    assert evidence.text() == "“‘Trade comes first,’ one said, and the ‘route’ must stay open.” (The Harbour Report) ⚠ corrected"
    assert page.by_id("talks").find("p", cls="no-evidence").text() == "No passage is cited for this event."
    # The filter is in the page but hidden until the script runs: every event shows without it.
    form = page.by_id("timeline_filter")
    assert "hidden" in form.attrs
    options = [o.attrs["value"] for o in form.find_all("option")]
    assert options == ["", "northland", "southland", "islanders"]
    assert not any("hidden" in e.attrs for e in page.find_all("li", cls="event"))


# ---- motive pages and indexes ----------------------------------------------------------------

def test_a_motive_page_shows_each_actor_with_one_passage_in_full_and_the_rest_a_line_each(fixture_site):
    page = load_page(fixture_site, "motives/security/")
    assert page.find("p", cls="stats").text() == "4 passages from 2 sources discuss this motive."
    blocks = page.by_id("by_actor_heading").parent.find_all("section", cls="motive-block")
    # Southland first: two sources assert it of Southland, one of Northland.
    assert [b.find("h3").text() for b in blocks] == ["Southland", "Northland"]
    southland = page.by_id("actor_southland")
    assert "✔✔ 2 sources assert it" in southland.find("p", cls="motive-meta").text()
    assert len(southland.find_all("div", cls="passage")) == 1
    assert [li.text() for li in southland.find("details").find_all("li")] == ["“The border is quiet” (The Harbour Report)"]
    northland = page.by_id("actor_northland")
    assert [li.text() for li in northland.find("details").find_all("li")] == [
        "“Perhaps Northland also wanted a quiet border.” (A Letter from the River; hedged)"]
    cited = page.find("div", cls="cited-by")
    assert [a.attrs["href"] for a in cited.find_all("a")] == ["/motives/trade/"]


def test_the_sub_path_build_prefixes_every_internal_link(fixture_site_subpath):
    page = load_page(fixture_site_subpath, "arguments/")
    hrefs = [a.attrs["href"] for a in page.find_all("a") if a.attrs.get("href", "").startswith("/")]
    assert hrefs and all(h.startswith("/repo/") for h in hrefs)
    assert page.find("svg", cls="argmap").find("a", cls="node").attrs["href"] == "/repo/arguments/security-first/"


def test_page_text_never_shows_a_raw_template_or_python_value(fixture_site):
    for path in sorted(fixture_site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\{\{|\{%|None\b|Undefined|PartialDate\(", text), path


def test_the_home_page_alone_names_the_feed_for_feed_readers_and_every_footer_links_to_it(fixture_site):
    def feeds(page):
        return [link.attrs["href"] for link in page.find_all("link", rel="alternate")]

    assert feeds(load_page(fixture_site, "")) == ["/feed.xml"]
    passage = load_page(fixture_site, "sources/harbour-report/trade-first/")
    assert feeds(passage) == []
    assert "/feed.xml" in [a.attrs["href"] for a in passage.find("footer").find_all("a")]
