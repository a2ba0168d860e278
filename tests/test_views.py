"""What the pages show, read from their view models (`sitegen/views.py`), without HTML."""

from __future__ import annotations

import shutil
from pathlib import Path

from sitegen import actor_views, views
from sitegen.pipeline import validate

from .conftest import FIXTURE_CONTENT


def home(content: Path) -> views.HomeView:
    validated = validate(content)
    return views.home(validated.model, validated.index)


def mentions(items) -> str:
    return ", ".join(m.label + (f" ({m.held})" if m.held else "") for m in items) or "none"


def comparison_rows(view: views.HomeView) -> list[tuple]:
    """Each row of the home comparison as its cells' text."""
    rows = []
    for row in view.comparison.rows + view.comparison.more_rows:
        only = tuple("; ".join(mentions(p.motives) + (f" ({p.source})" if p.source else "") for p in cell.parts) or cell.empty
                     for cell in row.only)
        held = ". ".join(f"{h.label}: " + "; ".join(f"{how} in {' and '.join(titles)}" for how, titles in h.by_stance)
                         for h in row.differing) or "none"
        rows.append((row.name, mentions(row.shared)) + only + (held,))
    return rows


def test_home_compares_the_sources_in_one_column_each():
    view = home(FIXTURE_CONTENT)
    assert view.comparison.source_columns == ("The Harbour Report", "A Letter from the River")
    assert comparison_rows(view) == [
        ("Northland", "none", "none", "none",
         "Trade access: asserted in The Harbour Report; reported in A Letter from the River; disputed in A Letter from "
         "the River. Border security: asserted in The Harbour Report; hedged in A Letter from the River"),
        ("Southland", "Border security", "none", "Trade access", "none"),
        ("Island Council", "none", "Trade access", "not discussed", "none"),
    ]
    # The primary actors' rows come first; the other actors' are folded under them.
    assert [r.name for r in view.comparison.more_rows] == ["Island Council"]
    assert [cell.label for cell in view.comparison.rows[0].only] == ["Only The Harbour Report", "Only A Letter from the River"]


def test_a_motive_one_source_only_hedges_is_shown_with_how_it_holds_it(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "annotations/harbour-report/long-border.md").unlink()
    security = content / "arguments/security-first.md"
    security.write_text(security.read_text().replace(", harbour-report/long-border", "", 1))
    northland = comparison_rows(home(content))[0]
    assert northland[:4] == ("Northland", "none", "none", "Border security (hedged)")


def test_past_the_column_limit_one_column_names_the_source_of_each_entry(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    letter = (content / "sources/river-letter.md").read_text()
    for n in range(views.SOURCE_COLUMNS):
        (content / f"sources/empty-{n}.md").write_text(letter.replace("A Letter from the River", f"Empty {n}", 1))
    view = home(content)
    assert view.comparison.source_columns == ()
    rows = comparison_rows(view)
    assert [(name, only) for name, _, only, _ in rows] == [
        ("Northland", "none"), ("Southland", "Trade access (A Letter from the River)"),
        ("Island Council", "Trade access (The Harbour Report)")]
    assert {cell.label for row in view.comparison.rows + view.comparison.more_rows for cell in row.only} == {"Only one source"}


def test_home_matrix_counts_passages_by_how_their_sources_hold_the_motive():
    view = home(FIXTURE_CONTENT)
    assert view.motives == (("trade", "Trade access"), ("security", "Border security"))
    assert [row.name for row in view.matrix] == ["Northland", "Southland", "Island Council"]
    trade, security = view.matrix[0].cells
    assert (trade.lead, trade.counts, trade.agreed, trade.shade) == (
        "asserted", (("asserted", 2), ("reported", 1), ("disputed", 1)), False, 4)
    assert trade.summary == ("passages: Northland, Trade access; asserted in 1 source, reported in 1 source, "
                             "disputed in 1 source")
    assert security.counts == (("asserted", 1), ("hedged", 1)) and security.shade == 2
    assert view.matrix[1].cells[1].agreed and view.matrix[1].cells[1].summary.endswith("asserted in 2 sources")
    assert view.matrix[1].cells[0].summary == "passage: Southland, Trade access; asserted in 1 source"
    assert view.matrix[2].cells[1] is None  # no passage attributes border security to the Island Council


def item_view(content: Path, url_path: str):
    from sitegen.plan import plan_pages

    validated = validate(content)
    [page] = [p for p in plan_pages(validated.model, validated.index) if p.url_path == url_path]
    return views.build(page.view, validated.model, validated.index)


def holding_text(held: actor_views.Holding) -> str:
    parts = [f"{held.agreed} sources assert it"] if held.agreed else []
    if held.only:
        return " ".join(parts + [f"Only {held.only}"])
    return " ".join(parts + [f"{how.capitalize()} in {' and '.join(titles)}" for how, titles in held.held])


def test_an_actor_page_lists_its_motives_most_evidenced_first_with_how_the_sources_hold_each():
    view = item_view(FIXTURE_CONTENT, "actors/northland/")
    assert [(m.name, m.passages, holding_text(m.holding)) for m in view.motives] == [
        ("Trade access", "4 passages", "Asserted in The Harbour Report Reported in A Letter from the River "
                                       "Disputed in A Letter from the River"),
        ("Border security", "2 passages", "Asserted in The Harbour Report Hedged in A Letter from the River"),
    ]
    # One passage in full (the one marked `featured`), the others a line each.
    trade = view.motives[0].evidence
    assert trade.lead == "harbour-report/trade-first"
    assert [(line.ref, line.held) for line in trade.more] == [
        ("river-letter/too-simple", "disputed"), ("river-letter/spokesman", "words of Island Council"), ("harbour-report/first-to-recognise", "")]
    assert trade.more_label == "3 more passages"
    southland = item_view(FIXTURE_CONTENT, "actors/southland/")
    assert [(m.name, holding_text(m.holding)) for m in southland.motives] == [
        ("Border security", "2 sources assert it"), ("Trade access", "Only A Letter from the River")]


def test_without_a_featured_passage_the_strongest_is_shown_in_full(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    featured = content / "annotations/harbour-report/trade-first.md"
    featured.write_text(featured.read_text().replace("featured: true\n", ""))
    assert item_view(content, "actors/northland/").motives[0].evidence.lead == "harbour-report/first-to-recognise"
    # With no asserting passage left, a reported one is stronger than a disputed one.
    for name in ("trade-first", "first-to-recognise"):
        path = content / f"annotations/harbour-report/{name}.md"
        path.write_text(path.read_text().replace("---\n", "---\nstance: considers\n", 1))
    [trade] = [m for m in item_view(content, "actors/northland/").motives if m.id == "trade"]
    assert trade.evidence.lead == "river-letter/spokesman"


def test_a_motive_page_names_the_actors_it_is_attributed_to_and_counts_its_passages():
    view = item_view(FIXTURE_CONTENT, "motives/trade/")
    assert view.stats == "6 passages from 2 sources discuss this motive."
    assert [(a.name, a.passages) for a in view.actors] == [("Northland", "4 passages"), ("Southland", "1 passage"),
                                                         ("Island Council", "1 passage")]
    assert holding_text(view.actors[2].holding) == "Only The Harbour Report"


def test_home_states_what_the_site_reads_and_where_each_actor_stands(tmp_path):
    view = home(FIXTURE_CONTENT)
    assert view.stats == ("This site reads 2 source articles closely: 9 annotated passages, 3 actors, 2 motives, "
                          "4 dated events and 5 arguments.")
    assert [(p.name, p.evidence.ref, p.more) for p in view.positions] == [
        ("Northland", "harbour-report/first-to-recognise", ""), ("Southland", "river-letter/southland-waits", "")]
    assert [(o.name, o.position, o.evidence, o.more) for o in view.others] == [("Island Council", "Not stated in the sources.", None, "")]

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    northland = content / "actors/northland.md"
    northland.write_text(northland.read_text().replace(
        "harbour-report/first-to-recognise", "harbour-report/first-to-recognise, river-letter/spokesman, harbour-report/long-border", 1))
    first = home(content).positions[0]
    assert (first.evidence.ref, first.more) == ("harbour-report/first-to-recognise", "2 more passages")


def test_on_a_large_site_the_home_tables_show_the_most_evidenced_actors_and_motives(tmp_path):
    import sys

    from .conftest import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from corpus import write_corpus
    finally:
        sys.path.pop(0)
    write_corpus(340, tmp_path / "content")
    validated = validate(tmp_path / "content")
    model, index = validated.model, validated.index
    view = views.home(model, index)
    actors = [a for a in index.actor_order if any((a, m) in index.matrix for m in index.motive_order)]
    assert len(actors) > views.HOME_ACTORS
    assert len(view.matrix) == views.HOME_ACTORS and len(view.motives) <= views.HOME_MOTIVES
    # The primary actors are shown; the others left out have no more passages than any shown.
    passages = {a: sum(len(index.matrix.get((a, m), ())) for m in index.motive_order) for a in actors}
    shown = {row.actor for row in view.matrix}
    assert {a for a in actors if model.actors[a].primary} <= shown
    assert min(passages[a] for a in shown if not model.actors[a].primary) >= max(passages[a] for a in actors if a not in shown)
    assert {r.actor for r in view.comparison.rows + view.comparison.more_rows} == shown
    assert view.cut.startswith(f"The tables show the {views.HOME_ACTORS} actors and {len(view.motives)} motives with the most passages, of {len(actors)} and ")
    assert [card.source for card in view.sources] == list(index.source_order[:views.HOME_SOURCES])
    assert view.all_sources == f"All {len(index.source_order)} sources"
    # A few of the oppositions, those across sources first; the map has the rest.
    opposing = views.oppositions(model, index)
    assert len(view.oppositions) == views.HOME_OPPOSITIONS < len(opposing)
    assert view.more_oppositions == f"{len(opposing) - views.HOME_OPPOSITIONS} more oppositions"
    assert [o.across_sources for o in view.oppositions] == sorted((o.across_sources for o in view.oppositions), reverse=True)
    # A small site shows everything and says nothing about it.
    fixture = validate(FIXTURE_CONTENT)
    small = views.home(fixture.model, fixture.index)
    assert small.cut == "" and small.more_oppositions == ""
    assert set(small.oppositions) == set(views.oppositions(fixture.model, fixture.index))


def test_the_timeline_groups_events_by_year_and_counts_them_per_actor_for_its_filter():
    validated = validate(FIXTURE_CONTENT)
    view = views.timeline(validated.model, validated.index)
    # Four event files: talks (2023 to February 2024), the recognition (3 March 2024), the
    # Southland review (March 2024, after the recognition) and the reopened route (2025).
    assert view.span == "4 events, 2023 to 2025"
    assert [(year, [row.event for row in rows]) for year, rows in view.years] == [
        (2023, ["talks"]), (2024, ["recognition", "southland-review"]), (2025, ["route-reopens"])]
    # Each event is a compact row; its fold says what it holds.
    more = {row.event: row.more for _, rows in view.years for row in rows}
    assert more["southland-review"] == "Description, 1 passage of evidence, what came before"
    # A small timeline is one page: no navigation between years, nothing listed apart.
    assert (view.heading, view.parts, view.previous, view.next, view.latest) == ("Timeline", (), None, None, ())
    # Only actors with events are offered, in actor order (primary first), with their counts.
    assert view.filters == (("northland", "Northland", 3), ("southland", "Southland", 1), ("islanders", "Island Council", 2))


def test_the_lists_of_actors_and_motives_say_what_each_rests_on():
    validated = validate(FIXTURE_CONTENT)
    cards = {c.name: c for c in views.actors(validated.model, validated.index)}
    assert list(cards) == ["Northland", "Southland", "Island Council"]
    assert (cards["Northland"].passages, cards["Northland"].sources) == ("6 passages about it, 2 passages involving it", "2 sources")
    # The council's page rests on the Harbour Report alone: no count, the page says "rests on one source".
    council = cards["Island Council"]
    assert (council.position, council.passages, council.sources) == (
        "Position not stated in the sources.", "1 passage about it, 1 passage involving it", "")
    trade = next(c for c in views.motives(validated.model, validated.index) if c.motive == "trade")
    assert (trade.passages, trade.attributed_to) == ("6 passages", ("Northland", "Southland", "Island Council"))


def test_the_corrections_page_lists_each_source_s_corrections_with_what_cites_them():
    validated = validate(FIXTURE_CONTENT)
    view = views.corrections(validated.model, validated.index)
    assert view.summary == "1 correction in 1 source, by source and in reading order."
    [(source, [entry])] = view.sources
    assert (source, entry.ref, entry.number) == ("harbour-report", "harbour-report/trade-first", 2)
    assert entry.correction == "The route was closed at the time; it reopened in 2025."
    assert [(c.noun, c.label) for c in entry.cited_by] == [
        ("event", "The harbour route reopens"), ("argument", "Northland recognised the council to keep the harbour route open.")]
    cards = {c.source: (c.passages, c.corrections) for c in views.sources(validated.model, validated.index).cards}
    assert cards == {"harbour-report": ("5 annotated passages", "1 correction"), "river-letter": ("4 annotated passages", "")}


def test_a_source_page_names_each_passage_s_actor_motives_and_stance_and_what_cites_it():
    validated = validate(FIXTURE_CONTENT)
    view = views.source(validated.model, validated.index, "river-letter")
    assert (view.passages, view.corrections) == ("4 annotated passages", "")
    notes = list(view.notes.values())
    assert [n.number for n in notes] == [1, 2, 3, 4]
    spokesman = view.notes["river-letter/spokesman"]
    assert (spokesman.gist, spokesman.held, spokesman.corrected) == ("Northland: Trade access", "reported", False)
    waits = view.notes["river-letter/southland-waits"]
    # Cited by the actor whose evidence it is, two passages' notes, an event and two arguments,
    # by kind; a passage is named by its opening words and its source.
    assert [(c.noun, c.label, c.source) for c in waits.cited_by] == [
        ("actor", "Southland", ""), ("passage", "“The border is quiet”", "The Harbour Report"),
        ("passage", "“Northland became the first state to recognise the Island…”", "The Harbour Report"),
        ("event", "Southland reviews its border policy", ""),
        ("argument", "Southland fears the border more than it wants the harbour.", ""),
        ("argument", "Border security, not trade, drives the region's moves.", "")]
    assert views.source(validated.model, validated.index, "harbour-report").corrections == "1 correction"


def test_an_actor_page_shows_its_leading_motives_in_full_and_the_rest_a_row_each(monkeypatch):
    monkeypatch.setattr(actor_views, "ACTOR_MOTIVES", 1)
    monkeypatch.setattr(actor_views, "BEARING_LINES", 1)
    view = item_view(FIXTURE_CONTENT, "actors/northland/")
    assert [m.name for m in view.motives] == ["Trade access"]
    # The rest keep every passage, a line each: the motive's page links to them here.
    [security] = view.other_motives
    assert (security.id, security.name, security.passages, security.held) == (
        "security", "Border security", "2 passages", "asserted in 1 source, hedged in 1 source")
    assert [line.ref for line in security.lines] == ["river-letter/quiet-border-perhaps", "harbour-report/long-border"]
    # Another actor's moves: up to BEARING_LINES lines, the rest left to its page.
    [southland] = view.bearing
    assert (southland.passages, len(southland.lines), southland.more) == ("2 passages", 1, "1 more on Southland’s page")
    monkeypatch.setattr(actor_views, "BEARING_LINES", 3)
    assert item_view(FIXTURE_CONTENT, "actors/northland/").bearing[0].more == "Southland’s page"


def test_an_actor_page_names_a_few_of_its_sources_and_other_actors_and_counts_the_rest(monkeypatch):
    view = item_view(FIXTURE_CONTENT, "actors/northland/")
    assert (view.basis, view.basis_more) == (("river-letter", "harbour-report"), "")
    assert [b.name for b in view.bearing] == ["Southland"] and view.bearing_others == ()
    monkeypatch.setattr(actor_views, "BASIS_SOURCES", 1)
    monkeypatch.setattr(actor_views, "BEARING_ACTORS", 0)
    view = item_view(FIXTURE_CONTENT, "actors/northland/")
    assert (view.basis, view.basis_more) == (("river-letter",), "and 1 more")
    assert view.bearing == () and view.bearing_others == (actor_views.Moves("southland", "Southland", "2 passages"),)
