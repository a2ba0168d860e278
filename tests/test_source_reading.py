"""A source page for reading: notes a line each that open to the whole note, a button that hides
them (the choice kept), and passages inside others drawn as levels of one highlight."""

from __future__ import annotations

import re
import shutil

import pytest


from .browser import serve_directory
from .conftest import FIXTURE_CONTENT, run_build
from .htmltree import load_page

SOURCE = "sources/harbour-report/"


WORDS = ("Ships from the north came into the harbour at dawn and left before the tide turned, "
         "laden with grain and timber for the island towns.").split()


@pytest.fixture(scope="module")
def nested_site(tmp_path_factory):
    """The fixture with a source of one paragraph, a passage over its first twelve words, one
    inside that, and one across its end."""
    root = tmp_path_factory.mktemp("nested")
    content = root / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "sources/nested.md").write_text(
        f"---\ntitle: Nested\nauthors: [Ann Author]\npublished: 2024\n---\n{' '.join(WORDS)}\n", encoding="utf-8")
    folder = content / "annotations/nested"
    folder.mkdir()
    for name, quote in (("whole-clause", WORDS[:12]), ("inside-it", WORDS[3:6]), ("across-its-end", WORDS[9:15])):
        (folder / f"{name}.md").write_text(
            f"---\nactor: northland\nmotives: [trade]\n---\n> {' '.join(quote)}\n\nNote on {name}.\n", encoding="utf-8")
    out = root / "site"
    result = run_build("build", "--content", str(content), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def marks(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<mark class="([^"]*)" data-ann="([^"]*)"', html)


def test_a_passage_inside_another_is_drawn_one_level_deeper_and_the_outer_one_stays_whole(nested_site):
    html = (nested_site / "sources/nested/index.html").read_text(encoding="utf-8")
    drawn = marks(html)
    assert {c for c, a in drawn if a == "inside-it"} == {"hl hl-2"}
    assert {c for c, a in drawn if a == "whole-clause"} == {"hl"}
    # overlapping its end: one level deeper where both cover the text, the first level after it
    assert [c for c, a in drawn if a == "across-its-end"] == ["hl hl-2", "hl"]
    # the inner mark sits inside a piece of the outer one, which carries no id of its own
    assert re.search(r'<mark class="hl" data-ann="whole-clause">(<a class="hl-num"[^>]*>.*?</a>)?'
                     r'<mark class="hl hl-2" data-ann="inside-it" id="inside-it">', html)
    assert html.count('id="whole-clause"') == 1


def test_each_note_is_a_line_that_opens_to_the_whole_note(fixture_site):
    page = load_page(fixture_site, SOURCE)
    notes = page.find_all("aside", cls="note")
    assert notes
    for note in notes:
        details = note.find("details")
        assert "open" not in details.attrs
        summary = details.find("summary")
        assert re.fullmatch(r"(\d+)Passage \1: .+: .+", summary.text()), summary.text()
        assert details.find("ul", cls="note-actions") is not None
    first = notes[0].find("summary").text()
    assert first.startswith("1Passage 1: Northland: ")


def test_without_javascript_the_control_is_hidden_and_the_notes_are_there(fixture_site):
    page = load_page(fixture_site, SOURCE)
    control = page.find("p", cls="notes-control")
    assert "hidden" in control.attrs
    button = control.find("button")
    assert button.attrs["type"] == "button" and button.attrs["aria-pressed"] == "false"
    assert button.text() == "Hide the notes"


@pytest.fixture
def reader(browser, fixture_site):
    with serve_directory(fixture_site) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page, url + SOURCE
        context.close()
        assert errors == [], errors


def test_the_button_hides_the_notes_and_the_choice_is_kept(reader):
    page, url = reader
    page.goto(url)
    button = page.get_by_role("button", name="Hide the notes")
    assert button.get_attribute("aria-pressed") == "false"
    assert page.locator(".block-notes").first.is_visible()
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert not page.locator(".block-notes").first.is_visible()
    assert not page.locator(".source-text .hl-num").first.is_visible()
    page.reload()
    # applied by the page's head, before site.js runs: the notes never show
    assert page.evaluate("document.documentElement.classList.contains('notes-hidden')")
    assert page.get_by_role("button", name="Hide the notes").get_attribute("aria-pressed") == "true"
    assert not page.locator(".block-notes").first.is_visible()
    page.get_by_role("button", name="Hide the notes").click()
    page.reload()
    assert page.locator(".block-notes").first.is_visible()


def test_the_button_works_from_the_keyboard(reader):
    page, url = reader
    page.goto(url)
    button = page.get_by_role("button", name="Hide the notes")
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Space")
    assert button.get_attribute("aria-pressed") == "false"
    assert page.locator(".block-notes").first.is_visible()


def test_a_link_to_a_note_opens_it_even_when_the_notes_were_hidden(reader):
    page, url = reader
    page.goto(url)
    page.get_by_role("button", name="Hide the notes").click()
    note_id = page.locator("aside.note").first.get_attribute("id")
    page.goto(url + "#" + note_id)
    note = page.locator(f"#{note_id}")
    assert note.is_visible()
    assert note.locator(":scope > details").evaluate("d => d.open")
    assert note.locator(".note-actions").is_visible()
