"""On a phone: targets a finger can hit."""

from __future__ import annotations

import pytest

from .browser import serve_directory


@pytest.fixture(scope="module")
def site_url(fixture_site):
    with serve_directory(fixture_site) as url:
        yield url


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("url_path", ["sources/harbour-report/", "sources/river-letter/"])
def test_passage_and_note_numbers_are_at_least_24_px_square(phone, site_url, url_path):
    phone.goto(site_url + url_path)
    sizes = phone.evaluate("""[...document.querySelectorAll('a.hl-num, a.note-num')].map(a => {
        const box = a.getBoundingClientRect(); return [a.className, box.width, box.height]; })""")
    assert sizes, "the fixture's source pages have numbered passages"
    assert [s for s in sizes if s[1] < 24 or s[2] < 24] == []

