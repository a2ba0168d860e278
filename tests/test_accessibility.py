"""No axe-core violation on any page type, in light and in dark mode, in headless Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .browser import serve_directory
from .conftest import ROOT, require, run_build

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CONTENT = ROOT / "content"

FIXTURE_PAGES = (
    "", "actors/", "actors/northland/", "actors/islanders/", "motives/", "motives/trade/",
    "sources/", "sources/harbour-report/", "sources/river-letter/", "sources/harbour-report/trade-first/",
    "sources/river-letter/southland-waits/", "timeline/", "arguments/", "arguments/trade-first/", "arguments/quiet-border/",
    "corrections/", "about/", "404.html",
)
REAL_PAGES = (
    "", "actors/", "actors/russia/", "actors/united-states/", "motives/", "sources/",
    "sources/deciphering-diplomacy/", "sources/russia-recognised-taliban-india-cautious/",
    "sources/deciphering-diplomacy/bagram-revival/", "timeline/", "arguments/", "arguments/taliban-only-viable-authority/",
    "arguments/reward-for-cooperation/", "corrections/", "about/",
)
SCHEMES = ("light", "dark")


def axe_violations(browser, base_url: str, url_path: str, scheme: str, width: int = 1280) -> list[str]:
    """axe-core's violations on one page, as readable lines (rule, impact, offending nodes)."""
    require(AXE.is_file(), "npm package axe-core is not installed (scripts/setup-test.sh installs it)")
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.emulate_media(color_scheme=scheme)
        response = page.goto(base_url + url_path)
        assert response is not None and (response.ok or url_path == "404.html"), url_path
        page.add_script_tag(path=str(AXE))
        # Open every <details>, so that what it hides is checked too.
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    lines = []
    for violation in result["violations"]:
        targets = "; ".join(json.dumps(node["target"]) + " " + node.get("failureSummary", "").replace("\n", " ")
                            for node in violation["nodes"][:5])
        lines.append(f"{url_path or '/'} [{scheme}] {violation['id']} ({violation['impact']}): {targets}")
    return lines


@pytest.fixture(scope="module")
def fixture_url(fixture_site):
    with serve_directory(fixture_site) as url:
        yield url


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("url_path", FIXTURE_PAGES)
def test_fixture_pages_have_no_axe_violation(browser, fixture_url, url_path, scheme):
    assert axe_violations(browser, fixture_url, url_path, scheme) == []


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("url_path", ("", "sources/harbour-report/", "sources/harbour-report/trade-first/", "timeline/",
                                      "arguments/", "arguments/trade-first/"))
def test_fixture_pages_have_no_axe_violation_on_a_phone(browser, fixture_url, url_path, scheme):
    assert axe_violations(browser, fixture_url, url_path, scheme, width=360) == []


@pytest.fixture(scope="module")
def real_url(tmp_path_factory):
    require((CONTENT / "site.yaml").is_file(), "content/ is not written yet")
    out: Path = tmp_path_factory.mktemp("real-axe") / "site"
    result = run_build("build", "--content", str(CONTENT), "--out", str(out))
    assert result.returncode == 0, result.stderr
    with serve_directory(out) as url:
        yield url


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("url_path", REAL_PAGES)
def test_real_pages_have_no_axe_violation(browser, real_url, url_path, scheme):
    assert axe_violations(browser, real_url, url_path, scheme) == []


@pytest.fixture(scope="module")
def lists_url(tmp_path_factory):
    """The timeline by year and the sources by page, of a site grown past one page each (test_list_parts)."""
    from .test_list_parts import list_pages

    with serve_directory(list_pages(tmp_path_factory.mktemp("lists"))) as url:
        yield url


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", (1280, 360))
@pytest.mark.parametrize("url_path", ("timeline/", "timeline/2024/", "sources/page_2/"))
def test_the_pages_of_lists_cut_into_pages_have_no_axe_violation(browser, lists_url, url_path, scheme, width):
    assert axe_violations(browser, lists_url, url_path, scheme, width) == []


def test_the_skip_link_is_the_first_stop_and_shows_when_focused(browser, fixture_url):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        page.goto(fixture_url + "sources/harbour-report/")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        assert focused == "skip"
        box = page.evaluate("(() => { const r = document.activeElement.getBoundingClientRect(); return [r.top, r.bottom]; })()")
        assert box[0] >= 0 and box[1] <= 800, "the focused skip link is off screen"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main_content"
    finally:
        page.close()
