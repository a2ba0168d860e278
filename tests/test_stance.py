"""Stance: how each source holds what its passages attribute, and every label derived from it.

The fixture exercises each stance: the Harbour Report asserts Northland's trade and security
motives; the River letter disputes the trade explanation, hedges the security one ("Perhaps"),
and reports the Island Council's words on the harbour (speaker: islanders).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from sitegen import views
from sitegen.pipeline import validate

from .conftest import FIXTURE_CONTENT, run_build
from .htmltree import load_page

HARBOUR, RIVER = "harbour-report", "river-letter"


@pytest.fixture(scope="module")
def index():
    return validate(FIXTURE_CONTENT).index


def copy_fixture(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    return content


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1))


# -- the model --------------------------------------------------------------------------------


def test_a_passage_asserts_unless_it_says_otherwise():
    model = validate(FIXTURE_CONTENT).model
    stances = {ref: (a.stance, a.speaker) for ref, a in model.annotations.items() if a.source_id == RIVER}
    assert stances == {
        "river-letter/quiet-border-perhaps": ("considers", ""),
        "river-letter/southland-waits": ("asserts", ""),
        "river-letter/spokesman": ("reports", "islanders"),
        "river-letter/too-simple": ("disputes", ""),
    }
    assert model.arguments["trade-first"].disputed_by == ("river-letter/too-simple",)


# -- which sources make, raise and dispute an argument ----------------------------------------------


def test_an_argument_is_made_in_the_sources_that_assert_or_report_it(index):
    trade = index.argument_basis["trade-first"]
    assert (trade.made_in, trade.considered_in, trade.disputed_in) == ((HARBOUR,), (), (RIVER,))
    # The letter only relays the council's words, but that is the claim made in it.
    assert index.argument_basis["harbour-matters"].made_in == (RIVER, HARBOUR)


def test_an_argument_whose_evidence_only_hedges_is_raised_not_made(index):
    quiet = index.argument_basis["quiet-border"]
    assert (quiet.made_in, quiet.considered_in, quiet.disputed_in) == ((), (RIVER,), ())


# -- attributions ------------------------------------------------------------------------------------


def test_each_attribution_says_which_sources_assert_hedge_dispute_and_report_it(index):
    trade = index.attributions[("northland", "trade")]
    assert (trade.asserted_in, trade.considered_in, trade.disputed_in, trade.reported_in) == ((HARBOUR,), (), (RIVER,), (RIVER,))
    assert trade.counts == (("asserted", 2), ("reported", 1), ("disputed", 1)) and trade.lead == "asserted"
    security = index.attributions[("northland", "security")]
    assert (security.asserted_in, security.considered_in) == ((HARBOUR,), (RIVER,))
    assert not trade.agreed and not security.agreed
    assert index.attributions[("southland", "security")].agreed  # both sources assert it


def test_a_source_that_asserts_and_hedges_a_motive_is_listed_once_as_asserting_it(tmp_path):
    content = copy_fixture(tmp_path)
    # The letter's hedge ("Perhaps ... a quiet border") stays; a second passage now asserts it.
    (content / "annotations/river-letter/fears-the-border.md").write_text(
        "---\nactor: northland\nmotives: [security]\n---\n> It fears the border more than it wants the harbour.\n")
    validated = validate(content)
    security = validated.index.attributions[("northland", "security")]
    assert (security.asserted_in, security.considered_in) == ((HARBOUR, RIVER), ())
    assert security.counts == (("asserted", 2), ("hedged", 1)) and security.agreed
    row = comparison_row(validated, "northland")
    assert [m.motive for m in row.shared] == ["security"] and "security" not in [c.motive for c in row.differing]


def comparison_row(validated, actor: str) -> views.ComparisonRow:
    return next(r for r in views.comparison(validated.model, validated.index).rows if r.actor == actor)


def test_agreement_needs_two_sources_asserting_and_differences_name_both_sides():
    validated = validate(FIXTURE_CONTENT)
    southland, northland = comparison_row(validated, "southland"), comparison_row(validated, "northland")
    assert [m.motive for m in southland.shared] == ["security"] and southland.differing == ()
    assert northland.shared == ()
    assert [(c.motive, c.by_stance) for c in northland.differing] == [
        ("trade", (("asserted", ("The Harbour Report",)), ("reported", ("A Letter from the River",)),
                   ("disputed", ("A Letter from the River",)))),
        ("security", (("asserted", ("The Harbour Report",)), ("hedged", ("A Letter from the River",))))]
    # What the sources hold differently is not also listed as what one source alone says.
    assert all(not only.parts for only in northland.only)


def test_a_motive_only_one_source_attributes_says_how_it_holds_it(tmp_path):
    content = copy_fixture(tmp_path)
    # Without the Harbour Report's passage on the long border, only the letter's hedge remains.
    (content / "annotations/harbour-report/long-border.md").unlink()
    replace(content / "arguments/security-first.md", ", harbour-report/long-border", "")
    row = comparison_row(validate(content), "northland")
    only = {o.label: [(m.motive, m.held) for part in o.parts for m in part.motives] for o in row.only}
    assert only["Only A Letter from the River"] == [("security", "hedged")]
    assert [c.motive for c in row.differing] == ["trade"]


# -- oppositions and bases ---------------------------------------------------------------------------


def test_an_opposition_is_across_sources_only_when_no_source_makes_both_claims(tmp_path):
    validated = validate(FIXTURE_CONTENT)
    [opposition] = views.oppositions(validated.model, validated.index)
    assert (opposition.argument, opposition.opposed) == ("trade-first", "security-first")
    assert not opposition.across_sources and opposition.made_in_both == (HARBOUR,)

    content = copy_fixture(tmp_path)
    replace(content / "arguments/security-first.md", ", harbour-report/long-border", "")
    validated = validate(content)
    [opposition] = views.oppositions(validated.model, validated.index)
    assert opposition.across_sources and opposition.made_in_both == ()


def test_an_actor_rests_on_the_sources_that_assert_or_report_something_about_it(index, tmp_path):
    assert index.actor_sources["northland"] == (RIVER, HARBOUR)  # the letter reports the council's words
    assert index.actor_raised_in["northland"] == ()

    content = copy_fixture(tmp_path)
    replace(content / "annotations/river-letter/spokesman.md", "stance: reports\nspeaker: islanders", "stance: considers")
    # The letter's rejection of the trade explanation now involves the council too.
    replace(content / "annotations/river-letter/too-simple.md", "stance: disputes", "stance: disputes\ninvolves: [islanders]")
    derived = validate(content).index
    assert derived.actor_sources["islanders"] == (HARBOUR,)
    assert derived.actor_raised_in["islanders"] == (RIVER,)
    assert derived.argument_basis["harbour-matters"].made_in == (HARBOUR,)
    assert derived.argument_basis["harbour-matters"].considered_in == (RIVER,)


# -- pages -------------------------------------------------------------------------------------------


def test_the_matrix_tells_asserted_hedged_and_disputed_apart_in_text(fixture_site):
    home = load_page(fixture_site, "")
    table = home.find("table", cls="matrix")
    motives = [th.text() for th in table.find("thead").find_all("th")][1:]
    cells = {(row.find("th").text(), motive): cell
             for row in table.find("tbody").find_all("tr") for motive, cell in zip(motives, row.find_all("td"))}
    security = cells[("Northland", "Border security")]
    assert [part.text() for part in security.find_all("span", cls="held")] == ["1", "1 hedged"]
    assert security.find("span", cls="visually-hidden").text().endswith("asserted in 1 source, hedged in 1 source")
    legend = home.by_id("matrix_heading").parent.find("p").text()
    for word in ("asserts", "reported", "hedged", "disputed"):
        assert word in legend


def test_passages_say_how_their_source_holds_them(fixture_site):
    northland = load_page(fixture_site, "actors/northland/")
    lines = [li.text() for ul in northland.find_all("ul", cls="passage-lines") for li in ul.find_all("li")]
    assert "“Some say Northland moved only for the harbour; that is too simple.” (A Letter from the River; disputed)" in lines
    assert "“Perhaps Northland also wanted a quiet border.” (A Letter from the River; hedged)" in lines
    assert ("“An Island Council spokesman said Northland came ‘for the harbour, as everyone does’.” "
            "(A Letter from the River; words of Island Council)") in lines
    assert northland.by_id("motive_trade").find("p", cls="motive-meta").text() == (
        "4 passages Asserted in The Harbour Report Reported in A Letter from the River Disputed in A Letter from the River")
    note = load_page(fixture_site, "sources/river-letter/").by_id("note_spokesman")
    assert note.find("p", cls="stance-reports").text() == "Reported: the source relays the words of Island Council."
    assert "Stance" not in note.find("ul", cls="tags").text(), "said once, by the stance note"


def test_the_argument_pages_say_who_makes_raises_and_disputes_each_claim(fixture_site):
    def basis(url_path: str) -> str:
        return load_page(fixture_site, url_path).find("dl", cls="argument-basis").text()

    trade = load_page(fixture_site, "arguments/trade-first/")
    assert basis("arguments/trade-first/").startswith(
        "Made in A The Harbour Report (Ada Example) Disputed in B A Letter from the River (Bo Sample and Cy Person)")
    disputed = trade.find("ul", cls="passage-refs-disputed")
    assert "Some say Northland moved only for the harbour" in disputed.text()
    assert basis("arguments/quiet-border/").startswith("Raised, hedged, in B A Letter from the River")
    # The index says the same by letter, and in words to screen readers.
    item = load_page(fixture_site, "arguments/").find("ol", cls="argument-index").find_all("li")[3]
    assert item.find("span", cls="basis-hedged").text() == "raised, hedged, in BA Letter from the River"


# -- export ------------------------------------------------------------------------------------------


def test_the_export_carries_stance_and_what_is_derived_from_it(fixture_site):
    data = json.loads((fixture_site / "data/site.json").read_text())
    spokesman = next(a for a in data["annotations"] if a["ref"] == "river-letter/spokesman")
    assert (spokesman["stance"], spokesman["speaker"]) == ("reports", "islanders")
    first = next(a for a in data["annotations"] if a["ref"] == "harbour-report/first-to-recognise")
    assert (first["stance"], first["speaker"]) == ("asserts", None)
    trade = next(g for g in data["arguments"] if g["id"] == "trade-first")
    assert (trade["made_in"], trade["considered_in"], trade["disputed_in"], trade["disputed_by"]) == (
        [HARBOUR], [], [RIVER], ["river-letter/too-simple"])
    assert {"actor": "northland", "motive": "trade", "asserted_in": [HARBOUR], "considered_in": [],
            "disputed_in": [RIVER], "reported_in": [RIVER]} in data["attributions"]
    assert len(data["attributions"]) == 5  # one per actor and motive some passage attributes

    rows = list(csv.DictReader(io.StringIO((fixture_site / "data/annotations.csv").read_text(), newline="")))
    row = next(r for r in rows if r["ref"] == "river-letter/spokesman")
    assert (row["stance"], row["speaker"]) == ("reports", "islanders")

    jsonld = json.loads((fixture_site / "data/annotations.jsonld").read_text())
    item = next(i for i in jsonld["first"]["items"] if i["id"].endswith("#river-letter/spokesman"))
    assert {"type": "TextualBody", "purpose": "classifying", "value": "reports", "format": "text/plain",
            "language": "en"} in item["body"]
    speaker = next(b for b in item["body"] if b.get("purpose") == "identifying")
    assert speaker["source"] == {"id": "https://example.org/fixture/actors/islanders/", "label": "Island Council"}


# -- prose that counts the sources -----------------------------------------------------------------


def test_prose_that_counts_the_sources_is_flagged_once_the_count_is_wrong(tmp_path):
    content = copy_fixture(tmp_path)
    result = run_build("check", "--strict", "--content", "content", cwd=tmp_path)
    assert result.returncode == 0 and "says" not in result.stderr, result.stderr

    (content / "sources/third-view.md").write_text(
        "---\ntitle: A Third View\nauthors: [Di Writer]\npublished: 2024-04\n---\nNorthland moved for trade.\n")
    (content / "annotations/third-view").mkdir()
    (content / "annotations/third-view/trade.md").write_text(
        "---\nactor: northland\nmotives: [trade]\n---\n> Northland moved for trade.\n\nA third voice.\n")
    result = run_build("check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    hint = ("    hint: reword it so that it does not count the sources, or give the right number; "
            "pages render the count from the content")
    for where, phrase in (("content/arguments/border-fear.md:8", "Both sources"),
                          ("content/annotations/river-letter/too-simple.md:9", "two articles")):
        line = f"{where}: warning: the text says '{phrase}', but the site has 3 sources"
        assert line in lines, result.stderr
        assert lines[lines.index(line) + 1] == hint
    assert run_build("check", "--strict", "--content", "content", cwd=tmp_path).returncode == 1


def test_the_site_s_figures_are_rendered_from_the_content(fixture_site):
    stats = load_page(fixture_site, "about/").find("p", cls="stats").text()
    assert stats == ("The site reads 2 source articles and annotates 9 passages of them. The articles come from "
                     "2 outlets (River Weekly, Harbour Times) and were published between March 2024 and 10 March 2024. "
                     "Last updated 10 March 2024, the date of the newest article.")
    about = load_page(fixture_site, "about/").find("div", cls="about-text")
    assert about.find("h2").text() == "Method"  # the About text is content (site.yaml's 'about')


# -- corrections -------------------------------------------------------------------------------------


def test_the_corrections_page_lists_every_correction_with_its_evidence(fixture_site):
    page = load_page(fixture_site, "corrections/")
    assert [a.attrs["href"] for a in page.find("nav", cls="site-nav").find_all("a")].count("/corrections/") == 1
    section = page.by_id(HARBOUR)
    assert section.find("h2").text() == "The Harbour Report"
    entry = page.by_id("harbour-report/trade-first")
    text = entry.text()
    assert "comes first,’ one said, and the ‘route’ must stay open." in text
    assert "Correction: The route was closed at the time; it reopened in 2025." in text
    # The passage is a reference to its own page, where the editor's note is.
    assert entry.find("a", cls="passage-ref").attrs["href"] == "/sources/harbour-report/trade-first/"
    assert "Typographic quotes in the source" not in text
    assert "event The harbour route reopens" in entry.find("p", cls="correction-cited").text()
    assert not [el for el in page.iter() if el.attrs.get("id") == RIVER]  # the letter has no correction
    # The source page's count of corrections links to its entries.
    source = load_page(fixture_site, "sources/harbour-report/")
    link = next(a for a in source.find("div", cls="reading-key").find_all("a") if a.text() == "1 correction")
    assert link.attrs["href"] == "/corrections/#harbour-report"
    assert "<loc>https://example.org/fixture/corrections/</loc>" in (fixture_site / "sitemap.xml").read_text()


def test_an_actor_page_names_the_sources_that_only_hedge_or_dispute(tmp_path):
    content = copy_fixture(tmp_path)
    replace(content / "annotations/river-letter/too-simple.md", "stance: disputes", "stance: disputes\ninvolves: [islanders]")
    result = run_build("build", "--content", "content", "--out", "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    basis = load_page(tmp_path / "site", "actors/islanders/").find("p", cls="basis")
    assert basis.has_class("basis-single")
    assert basis.text() == ("⚠ Rests on one source: only one article asserts or reports anything about Island Council, "
                            "The Harbour Report in Harbour Times. A Letter from the River also discusses Island Council, "
                            "but only hedged or disputed.")


def test_the_phrases_that_count_the_sources():
    from sitegen.resolve import stated_counts

    text = ("Both sources agree; neither article says so, nor either source. The two source articles differ,\n"
            "three analyses and 4 articles would too. The other article disagrees; the other sources may not. "
            "One source alone says it.")
    assert [(phrase, number) for _, phrase, number in stated_counts(text)] == [
        ("Both sources", 2), ("neither article", 2), ("either source", 2), ("two source articles", 2),
        ("three analyses", 3), ("4 articles", 4), ("The other article", 2)]


def test_no_template_counts_the_sources_by_hand():
    from sitegen.resolve import stated_counts

    from .conftest import ROOT

    for path in sorted((ROOT / "templates").rglob("*.html")):
        assert stated_counts(path.read_text()) == [], path.name
