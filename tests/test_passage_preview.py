"""The preview of a passage beside a link to its page, in headless Chromium: hover, keyboard
focus and a first tap show it as a tooltip; Escape hides it; without the script the link works."""

from __future__ import annotations

import pytest

from .browser import serve_directory

REFERENCE = '.passage-refs a[href$="/sources/harbour-report/trade-first/"]'
"""On the page of the argument 'trade-first', its evidence: a reference to the passage of that name."""


@pytest.fixture(scope="module")
def site_url(fixture_site):
    with serve_directory(fixture_site) as url:
        yield url


def open_page(browser, url: str, **options):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    return context, page, errors


def tooltip_of(page, selector: str):
    """The element the link names in aria-describedby, once it shows."""
    page.wait_for_function("s => document.querySelector(s).getAttribute('aria-describedby')", arg=selector)
    described = page.get_attribute(selector, "aria-describedby")
    return page.locator(f"#{described}")


def test_hovering_a_reference_shows_the_passage_as_a_tooltip_and_escape_hides_it(browser, site_url):
    context, page, errors = open_page(browser, site_url + "arguments/trade-first/")
    try:
        page.hover(REFERENCE)
        tip = tooltip_of(page, REFERENCE)
        tip.wait_for(state="visible")
        assert tip.get_attribute("role") == "tooltip"
        assert "one said, and the ‘route’ must stay open." in tip.inner_text()
        assert "The route was closed at the time" in tip.inner_text()  # its correction
        assert tip.locator("a.passage-preview-open").get_attribute("href").endswith("/sources/harbour-report/trade-first/")
        page.keyboard.press("Escape")
        tip.wait_for(state="hidden")
        assert page.get_attribute(REFERENCE, "aria-describedby") is None
    finally:
        context.close()
    assert errors == []


def test_keyboard_focus_shows_the_preview_and_enter_follows_the_link(browser, site_url):
    context, page, errors = open_page(browser, site_url + "arguments/trade-first/")
    try:
        page.focus(REFERENCE)
        tip = tooltip_of(page, REFERENCE)
        tip.wait_for(state="visible")
        assert "Trade comes first" in tip.inner_text()
        page.keyboard.press("Escape")
        tip.wait_for(state="hidden")
        page.focus(REFERENCE)
        page.keyboard.press("Enter")
        page.wait_for_url("**/sources/harbour-report/trade-first/")
        assert page.locator("h1").inner_text() == "Passage 2 of The Harbour Report"
    finally:
        context.close()
    assert errors == []


def test_a_first_tap_previews_and_a_second_opens_the_page(browser, site_url):
    context, page, errors = open_page(browser, site_url + "arguments/trade-first/", has_touch=True, is_mobile=True)
    try:
        page.tap(REFERENCE)
        tip = tooltip_of(page, REFERENCE)
        tip.wait_for(state="visible")
        assert page.url == site_url + "arguments/trade-first/"
        page.tap(REFERENCE)
        page.wait_for_url("**/sources/harbour-report/trade-first/")
    finally:
        context.close()
    assert errors == []


def test_without_the_script_the_reference_is_a_plain_link(browser, site_url):
    context, page, errors = open_page(browser, site_url + "arguments/trade-first/", java_script_enabled=False)
    try:
        page.click(REFERENCE)
        page.wait_for_url("**/sources/harbour-report/trade-first/")
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ("light", "dark"))
def test_an_open_preview_has_no_axe_violation(browser, site_url, scheme):
    from .test_accessibility import AXE
    context, page, errors = open_page(browser, site_url + "arguments/trade-first/", color_scheme=scheme)
    try:
        page.hover(REFERENCE)
        tooltip_of(page, REFERENCE).wait_for(state="visible")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
    finally:
        context.close()
    assert errors == []
