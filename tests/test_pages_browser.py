"""The pages at work in headless Chromium: highlights, permalinks, the timeline filter, the argument map."""

from __future__ import annotations

import pytest

from .browser import serve_directory

PAGE_TYPES = (
    "", "actors/", "actors/northland/", "motives/", "motives/trade/", "sources/",
    "sources/harbour-report/", "sources/harbour-report/trade-first/", "timeline/", "arguments/", "arguments/trade-first/",
    "about/", "404.html",
)


@pytest.fixture(scope="module")
def site_url(fixture_site):
    with serve_directory(fixture_site) as url:
        yield url


@pytest.fixture(scope="module")
def subpath_url(fixture_site_subpath):
    with serve_directory(fixture_site_subpath, "/repo/") as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"script errors: {errors}"


def in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """(s) => { const r = document.querySelector(s).getBoundingClientRect();
                    return r.bottom > 0 && r.top < window.innerHeight; }""", selector)


# ---- what a page asks the server for -----------------------------------------------------------

@pytest.mark.parametrize("which", ["site_url", "subpath_url"])
def test_no_page_asks_for_a_missing_file(page, request, which):
    """Every request a page makes (styles, scripts, the icon the browser looks for) is answered,
    at the root and under a sub-path."""
    base = request.getfixturevalue(which)
    missing: list[str] = []
    page.on("response", lambda response: response.status >= 400 and missing.append(f"{response.status} {response.url}"))
    page.on("requestfailed", lambda req: missing.append(f"failed {req.url}"))
    for path in PAGE_TYPES:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    assert missing == []
    icon = page.evaluate("() => document.querySelector('link[rel=icon]').href")
    assert icon.startswith(base + "static/favicon.svg")


# ---- highlights and permalinks -----------------------------------------------------------------

def test_highlights_are_underlined_and_numbered_not_only_coloured(page, site_url):
    page.goto(site_url + "sources/harbour-report/")
    marks = page.locator("mark.hl[id]")
    assert marks.count() == 5
    for i in range(marks.count()):
        mark = marks.nth(i)
        style = mark.evaluate("m => getComputedStyle(m).textDecorationLine")
        assert "underline" in style
        # The passage's number stands right before it and names its note.
        number = mark.evaluate("m => m.previousElementSibling && m.previousElementSibling.className")
        assert number == "hl-num"
    assert page.locator("a.hl-num").all_text_contents() == ["note 1", "note 2", "note 3", "note 4", "note 5"]
    # The number is visible; "note" is for screen readers.
    assert page.locator("a.hl-num .visually-hidden").first.bounding_box()["width"] <= 1


def test_a_passage_number_leads_to_its_note(page, site_url):
    page.goto(site_url + "sources/harbour-report/")
    page.locator("a.hl-num").nth(1).click()
    assert page.evaluate("location.hash") == "#note_trade-first"
    assert in_viewport(page, "#note_trade-first")
    assert page.locator("#note_trade-first").evaluate("n => n.matches(':target')")
    assert "Correction" in page.locator("#note_trade-first .correction").inner_text()


def test_a_link_into_the_source_opens_the_page_at_its_passage_and_marks_the_note(page, site_url):
    page.set_viewport_size({"width": 1280, "height": 500})
    page.goto(site_url + "sources/harbour-report/#long-border")
    assert in_viewport(page, "#long-border")
    assert page.locator("#long-border").evaluate("m => m.matches(':target')")
    # The target passage stands out by a thicker underline, not only its colour (no box round
    # each piece of it), and its note is open.
    assert page.locator("#long-border").evaluate("m => getComputedStyle(m).textDecorationThickness") == "4px"
    assert page.locator("#long-border").evaluate("m => getComputedStyle(m).outlineStyle") == "none"
    assert page.locator("#note_long-border").evaluate("n => n.classList.contains('is-current')")
    assert page.locator("#note_long-border > details").evaluate("d => d.open")
    # Its permalink is the passage's own page, which links back here.
    page.locator("#note_long-border .note-actions a").click()
    page.wait_for_url("**/sources/harbour-report/long-border/")
    assert page.locator("a.in-source").get_attribute("href") == "/sources/harbour-report/#long-border"


@pytest.mark.parametrize("fragment", ["%E0%A4%A", "%", "%ZZ", '"]\\', "%00", ":~:text=harbour", "long-border:~:text=x"])
def test_any_fragment_leaves_the_passage_marking_working(browser, site_url, fragment):
    """A malformed or odd fragment marks nothing and throws nothing; the next passage followed is marked."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(site_url + "sources/harbour-report/#" + fragment)
        page.wait_for_load_state("load")
        page.evaluate("() => { location.hash = 'trade-first'; }")
        page.wait_for_function("() => document.getElementById('note_trade-first').classList.contains('is-current')", timeout=5000)
        assert page.locator("mark.hl.is-current").evaluate_all("ms => ms.map(m => m.dataset.ann)") == ["trade-first"]
        assert page.locator(".note.is-current").count() == 1
    finally:
        context.close()
    assert errors == []


def test_notes_stand_beside_their_paragraph_on_a_wide_screen_and_below_it_on_a_phone(page, site_url):
    page.goto(site_url + "sources/harbour-report/")
    text = page.locator("mark#trade-first").bounding_box()
    note = page.locator("#note_trade-first").bounding_box()
    assert note["x"] > text["x"] + text["width"] - 1, "on a wide screen the note is beside the text"
    page.set_viewport_size({"width": 360, "height": 800})
    text = page.locator("mark#trade-first").bounding_box()
    note = page.locator("#note_trade-first").bounding_box()
    assert note["y"] > text["y"] + text["height"] - 1, "on a phone the note is below the text"


def test_the_passage_page_offers_its_citation_with_a_copy_button(page, site_url):
    page.goto(site_url + "sources/harbour-report/first-to-recognise/")
    citation = page.locator("figcaption.cite-this .citation")
    assert citation.inner_text().endswith("Harbour Times, 10 March 2024, https://example.org/harbour-report. "
                                          "Passage 1, annotated at https://example.org/fixture/sources/harbour-report/first-to-recognise/")
    button = page.locator("figcaption.cite-this button.copy-button")
    assert button.inner_text() == "Copy" and button.get_attribute("aria-label") == "Copy the citation"


# ---- timeline ----------------------------------------------------------------------------------

def visible_events(page) -> list[str]:
    return page.evaluate("Array.from(document.querySelectorAll('.event')).filter(e => e.offsetParent !== null).map(e => e.id)")


def test_the_timeline_filter_shows_one_actors_events_and_back(page, site_url):
    page.goto(site_url + "timeline/")
    assert page.locator("#timeline_filter").is_visible()
    assert visible_events(page) == ["talks", "recognition", "southland-review", "route-reopens"]
    page.select_option("#timeline_filter_actor", "southland")
    assert visible_events(page) == ["southland-review"]
    assert page.locator("#year_2023").is_hidden() and page.locator("#year_2025").is_hidden()
    assert page.locator("#timeline_filter_status").inner_text() == "Showing 1 of 4 events."
    assert page.evaluate("location.search") == "?actor=southland"
    page.select_option("#timeline_filter_actor", "islanders")
    assert visible_events(page) == ["talks", "recognition"]
    page.select_option("#timeline_filter_actor", "")
    assert len(visible_events(page)) == 4
    assert page.evaluate("location.search") == ""


def test_the_event_an_address_names_opens_its_description(page, site_url):
    page.goto(site_url + "timeline/#recognition")
    assert page.locator("#recognition details.event-more").evaluate("d => d.open")
    assert page.locator("#recognition").get_by_text("The first recognition by any state.").is_visible()
    assert not page.locator("#talks details.event-more").evaluate("d => d.open")
    page.evaluate("location.hash = 'talks'")
    page.wait_for_function("document.querySelector('#talks details.event-more').open")



def test_the_motive_an_address_names_on_an_actor_page_opens_its_passages(page, site_url):
    """A motive's page links to the motive's passages on the actor's page: they are open there."""
    page.goto(site_url + "actors/northland/#motive_trade")
    assert page.locator("#motive_trade > details.more-passages").evaluate("d => d.open")
    assert not page.locator("#motive_security > details.more-passages").evaluate("d => d.open")

def test_a_filtered_timeline_address_can_be_shared(page, site_url):
    page.goto(site_url + "timeline/?actor=northland")
    assert page.locator("#timeline_filter_actor").input_value() == "northland"
    assert visible_events(page) == ["talks", "recognition", "route-reopens"]


def test_without_javascript_every_event_shows_and_the_filter_does_not(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "timeline/?actor=southland")
        assert page.locator("#timeline_filter").is_hidden()
        assert visible_events(page) == ["talks", "recognition", "southland-review", "route-reopens"]
        page.goto(site_url + "sources/harbour-report/")
        assert page.locator("mark.hl").first.is_visible()
        assert page.locator("aside.note").count() == 5
        page.goto(site_url + "arguments/")
        assert page.locator("svg.argmap a.node").count() == 5
    finally:
        context.close()


# ---- argument map ------------------------------------------------------------------------------

def test_a_map_box_opens_its_argument_page_which_leads_back_to_the_box(page, site_url):
    page.goto(site_url + "arguments/")
    page.locator('svg.argmap a.node[data-arg="harbour-matters"]').click()
    page.wait_for_url("**/arguments/harbour-matters/")
    assert page.locator("h1").inner_text() == "The harbour matters more to Northland than anything else."
    page.locator("p.map-link a").click()
    page.wait_for_url("**/arguments/#harbour-matters")
    assert in_viewport(page, "#harbour-matters")
    assert page.locator("#harbour-matters").evaluate("a => a.matches(':target')")
    assert page.locator('svg.argmap a.node[data-arg="harbour-matters"]').evaluate("n => n.classList.contains('is-current')")


def test_map_boxes_are_reachable_by_keyboard_and_show_focus(page, site_url):
    page.goto(site_url + "arguments/")
    node = page.locator('svg.argmap a.node[data-arg="security-first"]')
    node.focus()
    assert page.evaluate("document.activeElement.getAttribute('data-arg')") == "security-first"
    page.keyboard.press("Enter")
    page.wait_for_url("**/arguments/security-first/")


def test_the_map_fits_a_desktop_screen_and_zooms(page, site_url):
    page.goto(site_url + "arguments/")
    frame = page.locator("#argmap_frame")
    assert frame.bounding_box()["height"] <= 800
    width = lambda: page.evaluate("document.querySelector('svg.argmap').getBoundingClientRect().width")
    natural = width()
    page.get_by_role("button", name="Zoom in").click()
    assert width() > natural
    page.get_by_role("button", name="Whole map").click()
    box = page.evaluate("(() => { const r = document.querySelector('svg.argmap').getBoundingClientRect(); return [r.width, r.height]; })()")
    assert box[0] <= frame.bounding_box()["width"] and box[1] <= frame.bounding_box()["height"]
    page.get_by_role("button", name="Actual size").click()
    assert width() == natural


def test_on_a_phone_the_map_pans_in_a_frame_opened_on_its_first_box_and_the_list_follows(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(site_url + "arguments/")
        frame = page.locator("#argmap_frame").bounding_box()
        assert frame["x"] >= 0 and frame["x"] + frame["width"] <= 390 and frame["height"] < 844
        first = page.locator('svg.argmap a.node[data-arg="security-first"] rect.box').bounding_box()
        assert frame["x"] <= first["x"] and first["x"] + first["width"] <= frame["x"] + frame["width"]
        assert frame["y"] <= first["y"] < frame["y"] + frame["height"]
        items = page.locator("ol.argument-index > li")
        assert items.count() == 5 and items.first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_supports_and_opposes_differ_in_line_style_not_only_colour(page, site_url):
    page.goto(site_url + "arguments/")
    dash = page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('svg.argmap g.edge')).map(
        g => [g.dataset.from + '>' + g.dataset.to, getComputedStyle(g.querySelector('path')).strokeDasharray]))""")
    assert dash["trade-first>security-first"] not in ("none", "")
    assert dash["border-fear>security-first"] == "none"
    assert dash["harbour-matters>trade-first"] == "none"


def test_the_map_links_work_under_a_sub_path(browser, subpath_url):
    page = browser.new_page()
    try:
        page.goto(subpath_url + "arguments/")
        page.locator('svg.argmap a.node[data-arg="trade-first"]').click()
        page.wait_for_url("**/repo/arguments/trade-first/")
        page.locator("p.map-link a").click()
        assert page.url.endswith("/repo/arguments/#trade-first")
        assert in_viewport(page, "#trade-first")
        page.goto(subpath_url + "sources/harbour-report/")
        page.locator("a.hl-num").first.click()
        assert page.url.endswith("/repo/sources/harbour-report/#note_first-to-recognise")
    finally:
        page.close()


# ---- responsive, dark, print -------------------------------------------------------------------

@pytest.mark.parametrize("url_path", PAGE_TYPES)
def test_no_page_scrolls_sideways_on_a_360px_phone(browser, site_url, url_path):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    try:
        page = context.new_page()
        page.goto(site_url + url_path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


def test_dark_mode_changes_the_colours(browser, site_url):
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        try:
            page = context.new_page()
            page.goto(site_url)
            colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        finally:
            context.close()
    assert colours["light"] == "rgb(253, 252, 249)"
    assert colours["dark"] == "rgb(20, 22, 26)"


def test_print_hides_navigation_and_lays_notes_below_the_text(page, site_url):
    page.goto(site_url + "sources/harbour-report/")
    page.emulate_media(media="print")
    assert page.locator("nav.site-nav").is_hidden()
    text = page.locator("mark#trade-first").bounding_box()
    note = page.locator("#note_trade-first").bounding_box()
    assert note["y"] > text["y"]


def test_on_a_phone_a_stacked_table_s_caption_spans_the_table(page, site_url):
    """The stacked tables become blocks on a phone; their captions must too, or each shrinks to
    its longest word and runs down the side one word a line."""
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(site_url)
    widths = page.evaluate("""[...document.querySelectorAll('table.stack-table')].map(table => [
        Math.round(table.querySelector('caption').getBoundingClientRect().width),
        Math.round(table.getBoundingClientRect().width)])""")
    assert widths and all(caption >= table - 2 for caption, table in widths), widths
