"""A motive's page summarises: a few actors in full, each with a capped list of passages that
leads on to the actor's page, and a row for each other actor; it does not grow with the passages."""

from __future__ import annotations

from sitegen import actor_views, views
from sitegen.pipeline import BuildOptions, render_site, validate

from .conftest import FIXTURE_CONTENT, ROOT
from .htmltree import parse_html


def trade_view():
    validated = validate(FIXTURE_CONTENT)
    return views.motive(validated.model, validated.index, "trade")


def test_a_small_site_shows_every_actor_and_passage_of_a_motive():
    view = trade_view()
    assert [(a.name, a.passages, len(a.evidence.more), a.elsewhere) for a in view.actors] == [
        ("Northland", "4 passages", 3, ""), ("Southland", "1 passage", 0, ""), ("Island Council", "1 passage", 0, "")]
    assert view.others == () and view.others_note == ""


def test_past_its_limits_a_motive_page_leaves_the_rest_to_the_actors_pages(monkeypatch):
    monkeypatch.setattr(actor_views, "MOTIVE_ACTORS", 2)
    monkeypatch.setattr(actor_views, "MOTIVE_LINES", 1)
    view = trade_view()
    northland, southland = view.actors
    # The featured passage in full, one more as a line; the label still counts all of them.
    assert northland.evidence.lead == "harbour-report/trade-first"
    assert [line.ref for line in northland.evidence.more] == ["river-letter/too-simple"]
    assert northland.evidence.more_label == "3 more passages"
    assert northland.elsewhere == "All 4 passages on Northland’s page"
    assert (southland.name, southland.elsewhere) == ("Southland", "")
    assert view.others == (actor_views.AttributedRow("islanders", "Island Council", "1 passage", "asserted in 1 source"),)
    assert view.others_note == ("1 more actor, in the same order; "
                                "each links to the motive’s passages on the actor’s page.")


def test_the_links_past_the_limits_lead_to_the_motive_on_the_actors_pages(tmp_path, monkeypatch):
    monkeypatch.setattr(actor_views, "MOTIVE_ACTORS", 2)
    monkeypatch.setattr(actor_views, "MOTIVE_LINES", 1)
    files = render_site(BuildOptions(content=FIXTURE_CONTENT, out=tmp_path / "site", templates=ROOT / "templates"),
                        validate(FIXTURE_CONTENT))
    page = parse_html(files["motives/trade/index.html"].decode())
    blocks = page.find_all("section", cls="motive-block")
    assert [b.find("h3").text() for b in blocks] == ["Northland", "Southland"]
    assert len(blocks[0].find("ul", cls="passage-lines").find_all("li")) == 1
    more = blocks[0].find("p", cls="more").find("a")
    assert (more.attrs["href"], more.text()) == ("/actors/northland/#motive_trade", "All 4 passages on Northland’s page")
    rows = page.find("ul", cls="motive-others").find_all("li")
    assert [(li.find("a").attrs["href"], li.text()) for li in rows] == [
        ("/actors/islanders/#motive_trade", "Island Council 1 passage, asserted in 1 source")]
    assert page.by_id("others_heading").text() == "Also attributed to"
    # The actor pages hold the sections the links lead to, each listing every passage.
    northland = parse_html(files["actors/northland/index.html"].decode()).by_id("motive_trade")
    assert len(northland.find("ul", cls="passage-lines").find_all("li")) == 3
    assert parse_html(files["actors/islanders/index.html"].decode()).by_id("motive_trade")


def test_the_list_of_motives_names_a_few_actors_each_and_counts_the_rest(monkeypatch):
    from sitegen import list_views

    monkeypatch.setattr(list_views, "CARD_ACTORS", 1)
    validated = validate(FIXTURE_CONTENT)
    trade = next(c for c in list_views.motives(validated.model, validated.index) if c.motive == "trade")
    assert trade.attributed_to == ("Northland", "and 2 more")
