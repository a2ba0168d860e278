"""A page per argument and the arguments index: their view models (no HTML), then the built pages."""

from __future__ import annotations

import pytest

from sitegen import argument_views
from sitegen.pipeline import validate

from .conftest import FIXTURE_CONTENT
from .htmltree import Element, load_page


@pytest.fixture(scope="module")
def fixture_model():
    validated = validate(FIXTURE_CONTENT)
    return validated.model, validated.index


def _refs(bearings) -> dict[str, list[tuple[int, str]]]:
    return {b.label: [(a.number, a.id) for a in b.arguments] for b in bearings}


# ---- view models ---------------------------------------------------------------------------------

def test_an_argument_view_shows_both_directions_of_every_relation(fixture_model):
    model, index = fixture_model
    assert _refs(argument_views.argument(model, index, "security-first").bearings) == {
        "Supported by": [(2, "border-fear"), (4, "quiet-border")],
        "Opposed by": [(3, "trade-first")],
    }
    assert _refs(argument_views.argument(model, index, "trade-first").bearings) == {
        "Supported by": [(5, "harbour-matters")],
        "Opposes": [(1, "security-first")],
    }
    assert _refs(argument_views.argument(model, index, "harbour-matters").bearings) == {"Supports": [(3, "trade-first")]}


def test_an_argument_view_says_who_makes_raises_and_disputes_it(fixture_model):
    model, index = fixture_model
    trade = argument_views.argument(model, index, "trade-first")
    assert [m.title for m in trade.basis.made_in] == ["The Harbour Report"]
    assert [m.title for m in trade.basis.disputed_in] == ["A Letter from the River"]
    assert trade.basis.raised_in == ()
    assert trade.description == ("An argument made in “The Harbour Report”; disputed in “A Letter from the River”: its "
                                 "reasoning, the passages it rests on, and the arguments it supports or opposes.")
    quiet = argument_views.argument(model, index, "quiet-border")
    assert quiet.basis.made_in == () and [m.title for m in quiet.basis.raised_in] == ["A Letter from the River"]
    assert [(p.ref, p.held) for p in quiet.evidence] == [("river-letter/quiet-border-perhaps", "hedged")]
    assert quiet.description.startswith("An argument raised, hedged, in “A Letter from the River”: ")
    assert [(p.ref, p.excerpt, p.held) for p in trade.disputed_by] == [
        ("river-letter/too-simple", "“Some say Northland moved only for the harbour; that is too simple.”", "disputed")]


def test_an_argument_view_cites_its_evidence_by_reference(fixture_model):
    model, index = fixture_model
    trade = argument_views.argument(model, index, "trade-first")
    assert [(p.ref, p.source) for p in trade.evidence] == [
        ("harbour-report/trade-first", "The Harbour Report"), ("harbour-report/first-to-recognise", "The Harbour Report")]
    assert (trade.number, trade.of, [a.name for a in trade.actors], [m.name for m in trade.motives]) == (
        3, 5, ["Northland"], ["Trade access"])


def test_the_index_lists_every_argument_in_the_maps_order_with_its_sources_by_letter(fixture_model):
    model, index = fixture_model
    view = argument_views.arguments_index(model, index)
    assert view.question == "Why did Northland recognise the Island Council?"
    assert [(m.letter, m.title, m.colour) for m in view.legend] == [
        ("A", "The Harbour Report", 0), ("B", "A Letter from the River", 1)]
    rows = [(i.number, i.id, "".join(m.letter for m in i.basis.made_in), "".join(m.letter for m in i.basis.raised_in),
             "".join(m.letter for m in i.basis.disputed_in), _refs(i.bears_on)) for i in view.items]
    assert rows == [
        (1, "security-first", "AB", "", "", {}),
        (2, "border-fear", "AB", "", "", {"Supports": [(1, "security-first")]}),
        (3, "trade-first", "A", "", "B", {"Opposes": [(1, "security-first")]}),
        (4, "quiet-border", "", "B", "", {"Supports": [(1, "security-first")]}),
        (5, "harbour-matters", "AB", "", "", {"Supports": [(3, "trade-first")]}),
    ]
    badges = argument_views.map_badges(view)
    assert [(b.letter, b.made) for b in badges["quiet-border"]] == [("B", False)]
    assert [(b.letter, b.made) for b in badges["border-fear"]] == [("A", True), ("B", True)]


def test_source_letters_go_on_past_z():
    assert [argument_views._letters(n) for n in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


# ---- built pages ----------------------------------------------------------------------------------

def _relations(page: Element) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    label = None
    for el in page.find("dl", cls="relations").children:
        if isinstance(el, Element) and el.tag == "dt":
            label = el.text()
            out[label] = []
        elif isinstance(el, Element) and el.tag == "dd":
            out[label].append(el.find("a").attrs["href"])
    return out


def _basis(page: Element) -> dict[str, str]:
    dl = page.find("dl", cls="argument-basis")
    terms = [el for el in dl.children if isinstance(el, Element)]
    return {dt.text(): dd.text() for dt, dd in zip(terms[::2], terms[1::2])}


def test_an_argument_page_shows_its_claim_sources_reasoning_and_evidence(fixture_site):
    page = load_page(fixture_site, "arguments/security-first/")
    assert page.find("h1").text() == "Border security, not trade, drives the region's moves."
    assert page.find("title").text() == "Border security, not trade, drives the region's moves. — Fixture Analysis"
    assert _basis(page) == {
        "Made in": "A The Harbour Report (Ada Example); B A Letter from the River (Bo Sample and Cy Person)",
        "Actors": "Southland", "Motives": "Border security",
    }
    assert page.by_id("reasoning_heading").parent.find("div", cls="reasoning").text() == \
        "The River letter weighs the border above the harbour."
    evidence = page.by_id("evidence_heading").parent.find("ul", cls="passage-refs").find_all("li")
    assert [(li.find("a").attrs["href"], li.find("a").text()) for li in evidence] == [
        ("/sources/river-letter/southland-waits/",
         "“Southland will wait and see. It fears the border more than it wants the harbour.”"),
        ("/sources/harbour-report/long-border/", "“the border”")]
    # The passage is cited, not reprinted: no block quotation on the page.
    assert page.find_all("blockquote") == []


def test_a_disputed_argument_says_who_disputes_it(fixture_site):
    page = load_page(fixture_site, "arguments/trade-first/")
    assert _basis(page)["Disputed in"] == "B A Letter from the River (Bo Sample and Cy Person)"
    disputed = page.find("ul", cls="passage-refs-disputed").find("li")
    assert disputed.find("a").attrs["href"] == "/sources/river-letter/too-simple/"
    assert "A Letter from the River" in disputed.text()
    meta = {m.attrs.get("name"): m.attrs.get("content") for m in page.find_all("meta") if "name" in m.attrs}
    assert meta["description"].startswith("An argument made in “The Harbour Report”; disputed in “A Letter from the River”")


def test_an_argument_page_links_both_ways_and_back_to_its_box_on_the_map(fixture_site):
    security = load_page(fixture_site, "arguments/security-first/")
    assert _relations(security) == {
        "Supported by": ["/arguments/border-fear/", "/arguments/quiet-border/"],
        "Opposed by": ["/arguments/trade-first/"],
    }
    trade = load_page(fixture_site, "arguments/trade-first/")
    assert _relations(trade) == {"Supported by": ["/arguments/harbour-matters/"], "Opposes": ["/arguments/security-first/"]}
    assert _relations(load_page(fixture_site, "arguments/harbour-matters/")) == {"Supports": ["/arguments/trade-first/"]}
    back = trade.find("p", cls="map-link").find("a")
    assert back.attrs["href"] == "/arguments/#trade-first"
    # That anchor is the argument's box on the map, which links to the page.
    node = load_page(fixture_site, "arguments/").by_id("trade-first")
    assert node.tag == "a" and node.has_class("node") and node.attrs["href"] == "/arguments/trade-first/"
    assert " ".join(t.text() for t in node.find_all("tspan")) == "Northland recognised the council to keep the harbour route open."


def test_every_box_on_the_map_links_to_its_argument_page(fixture_site):
    svg = load_page(fixture_site, "arguments/").find("svg", cls="argmap")
    nodes = svg.find_all("a", cls="node")
    assert {a.attrs["id"]: a.attrs["href"] for a in nodes} == {
        i: f"/arguments/{i}/" for i in ("security-first", "border-fear", "trade-first", "quiet-border", "harbour-matters")}
    for a in nodes:
        assert (fixture_site / "arguments" / a.attrs["id"] / "index.html").is_file()
    # Conclusions stand to the right of the arguments behind them; each box shows its number.
    x = {a.attrs["id"]: int(a.find("rect", cls="box").attrs["x"]) for a in nodes}
    assert x["harbour-matters"] < x["trade-first"] < x["security-first"]
    assert [a.find("text", cls="num").text() for a in nodes] == ["1", "2", "3", "4", "5"]


def test_the_index_heads_the_map_with_the_question_and_lists_the_arguments_briefly(fixture_site):
    page = load_page(fixture_site, "arguments/")
    assert page.by_id("map_heading").text() == "The question Why did Northland recognise the Island Council?"
    legend = [li.text() for li in page.find("ul", cls="argmap-legend").find_all("li")]
    assert legend[:2] == ["A The Harbour Report (Ada Example)", "B A Letter from the River (Bo Sample and Cy Person)"]
    items = page.find("ol", cls="argument-index").find_all("li", cls="argument-item")
    assert [(li.attrs["value"], li.find("a").attrs["href"]) for li in items] == [
        ("1", "/arguments/security-first/"), ("2", "/arguments/border-fear/"), ("3", "/arguments/trade-first/"),
        ("4", "/arguments/quiet-border/"), ("5", "/arguments/harbour-matters/")]
    assert items[2].find("span", cls="argument-item_meta").text() == \
        "made in AThe Harbour Reportdisputed in BA Letter from the Riveropposes argument 1"
    # The index names the arguments; their passages are on their own pages.
    assert page.find_all("blockquote") == [] and page.find_all("div", cls="passage") == []


def test_links_to_an_argument_go_to_its_page(fixture_site):
    home = load_page(fixture_site, "")
    assert "/arguments/trade-first/" in {a.attrs.get("href") for a in home.find_all("a")}
    actor = load_page(fixture_site, "actors/northland/")
    assert {a.attrs["href"] for a in actor.by_id("arguments_heading").parent.find_all("a")} >= {
        "/arguments/trade-first/", "/arguments/harbour-matters/"}
    motive = load_page(fixture_site, "motives/security/")
    assert {a.attrs["href"] for a in motive.by_id("arguments_heading").parent.find_all("a")} == {
        "/arguments/border-fear/", "/arguments/quiet-border/", "/arguments/security-first/"}


def test_the_sub_path_build_links_argument_pages_under_it(fixture_site_subpath):
    page = load_page(fixture_site_subpath, "arguments/trade-first/")
    hrefs = [a.attrs["href"] for a in page.find_all("a") if a.attrs.get("href", "").startswith("/")]
    assert hrefs and all(h.startswith("/repo/") for h in hrefs)
    assert page.find("p", cls="map-link").find("a").attrs["href"] == "/repo/arguments/#trade-first"


def test_a_map_too_big_for_a_page_is_in_parts_and_each_argument_leads_to_its_part(tmp_path, monkeypatch):
    from sitegen import argmap
    from sitegen.pipeline import BuildOptions, render_site

    from .conftest import ROOT
    from .htmltree import parse_html

    monkeypatch.setattr(argmap, "PART_SIZE", 2)
    validated = validate(FIXTURE_CONTENT)
    parts = [[n.id for n in m.nodes] for m in validated.index.argument_maps]
    assert [len(p) for p in parts] == [2, 1, 2] and sorted(sum(parts, [])) == sorted(validated.model.arguments)
    files = render_site(BuildOptions(content=FIXTURE_CONTENT, out=tmp_path / "site", templates=ROOT / "templates"), validated)
    pages = ["arguments/index.html", "arguments/part_2/index.html", "arguments/part_3/index.html"]
    number = 1
    for k, (path, ids) in enumerate(zip(pages, parts)):
        page = parse_html(files[path].decode())
        assert page.find("h1").text() == f"Arguments, part {k + 1} of 3"
        nav = [(a.attrs["href"], a.attrs.get("aria-current")) for a in page.find("nav", cls="map-parts").find_all("a")]
        urls = ["/arguments/", "/arguments/part_2/", "/arguments/part_3/"]
        assert nav == [(url, "page" if i == k else None) for i, url in enumerate(urls)]
        nodes = page.find("svg", cls="argmap").find_all("a", cls="node")
        assert [(a.attrs["id"], a.find("text", cls="num").text()) for a in nodes] == [
            (a, str(number + i)) for i, a in enumerate(ids)]
        items = page.find("ol", cls="argument-index").find_all("li", cls="argument-item")
        assert [(li.attrs["value"], li.find("a").attrs["href"]) for li in items] == [
            (str(number + i), f"/arguments/{a}/") for i, a in enumerate(ids)]
        number += len(ids)
        for arg_id in ids:
            argument = parse_html(files[f"arguments/{arg_id}/index.html"].decode())
            assert argument.find("p", cls="map-link").find("a").attrs["href"] == f"{urls[k]}#{arg_id}"
