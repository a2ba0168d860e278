"""The workbench in Chromium under a running `build.py serve`: select a passage, fill the form with
the keyboard, save, see the passage highlighted after the reload; edit a note; copy its ref; and
a page of another origin cannot write."""

from __future__ import annotations

import json

import pytest

from .browser import serve_directory
from .test_accessibility import AXE
from .test_serve import served  # noqa: F401  (the fixture: a running build.py serve)

SELECT = """text => {
  const walker = document.createTreeWalker(document.querySelector('.source-text'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const at = walker.currentNode.data.indexOf(text);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(walker.currentNode, at);
      range.setEnd(walker.currentNode, at + text.length);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      return true;
    }
  }
  return false;
}"""


def files(content):
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}


def test_select_a_passage_fill_the_form_save_and_see_it_highlighted(served, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(served.url + "sources/harbour-report/")
    page.wait_for_selector(".wb-ref")
    page.wait_for_function("window.sitegen_live_state !== undefined")
    assert page.evaluate(SELECT, "Officials said the harbour matters more than anything.")
    offer = page.wait_for_selector(".wb-offer")
    offer.focus()
    page.keyboard.press("Enter")
    form = page.wait_for_selector("form.wb-form")
    assert form.query_selector(".wb-quote").inner_text() == "Officials said the harbour matters more than anything."
    page.keyboard.type("northland")  # the actor field has the focus
    motives = form.query_selector_all("fieldset.wb-picker")[0]
    motives.query_selector(".wb-filter").fill("tra")
    shown = [row.inner_text() for row in motives.query_selector_all("li") if row.is_visible()]
    assert shown == ["Trade access trade · economic"], shown  # the label, the id, the group
    motives.query_selector("input[value=trade]").check()
    form.query_selector("textarea").fill("The officials put the harbour first.")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document.querySelector('form.wb-form'))).violations")
    assert violations == [], json.dumps(violations, indent=1)[:2000]
    page.evaluate("window.__before_reload = true")
    form.query_selector("button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("mark#officials-said-harbour-matters:target", timeout=20000)
    assert page.evaluate("window.__before_reload === undefined"), "the page must have reloaded"
    written = served.content / "annotations/harbour-report/officials-said-harbour-matters.md"
    assert written.read_text() == ("---\nactor: northland\nmotives: [trade]\n---\n\n"
                                   "> Officials said the harbour matters more than anything.\n\n"
                                   "The officials put the harbour first.\n")
    assert page.inner_text("#note_officials-said-harbour-matters .wb-ref code") == "harbour-report/officials-said-harbour-matters"

    # Edit a note's tags and commentary in place.
    note = page.wait_for_selector("#note_lighthouse")
    note.query_selector(".wb-ref button:has-text('Edit')").click()
    form = page.wait_for_selector("#note_lighthouse form.wb-form")
    form.query_selector("textarea").fill("Edited in the browser.")
    page.evaluate("window.__before_reload = true")
    form.query_selector("button[type=submit]").click()
    page.wait_for_function("window.__before_reload === undefined && "
                           "document.querySelector('#note_lighthouse').textContent.includes('Edited in the browser.')",
                           timeout=20000)
    assert (served.content / "annotations/harbour-report/lighthouse.md").read_text().endswith("\n\nEdited in the browser.\n")

    # A mistake is shown in the form, with the terminal's line, and nothing is written.
    before = files(served.content)
    page.wait_for_selector(".wb-ref")
    assert page.evaluate(SELECT, "Some readers wrote")
    page.wait_for_selector(".wb-offer").click()
    form = page.wait_for_selector("form.wb-form")
    form.query_selector("input[list]").fill("northlnd")
    form.query_selector("fieldset.wb-picker input[value=trade]").check()
    form.query_selector("button[type=submit]").click()
    error = page.wait_for_selector(".wb-errors pre")
    assert error.inner_text().splitlines() == [
        f"{served.content}/annotations/harbour-report/some-readers-wrote.md:2: unknown actor 'northlnd' in 'actor'",
        "    hint: did you mean 'northland'?"]
    assert files(served.content) == before
    context.close()
    assert served.stop() == 0


def test_a_page_of_another_origin_cannot_write(served, browser, tmp_path):
    before = files(served.content)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "index.html").write_text("<!DOCTYPE html><title>elsewhere</title>")
    page = browser.new_page()
    with serve_directory(tmp_path / "elsewhere") as elsewhere:
        page.goto(elsewhere)
        body = json.dumps({"source": "harbour-report", "quote": "The harbour matters.", "actor": "northland",
                           "motives": ["trade"]})
        # A "simple" request (no preflight) reaches the server with the page's Origin and no token.
        page.evaluate("([url, body]) => fetch(url, {method: 'POST', mode: 'no-cors', body: body})"
                      ".then(() => true, () => false)", [served.url + "_sitegen/annotations", body])
    # On the site's own page, a request without the token is refused too.
    page.goto(served.url + "sources/harbour-report/")
    status = page.evaluate("body => fetch('/_sitegen/annotations', {method: 'POST', body: body, "
                           "headers: {'Content-Type': 'application/json'}}).then(r => r.status)", body)
    assert status == 403
    assert files(served.content) == before
    page.close()


SELECT_ACROSS = """([first, last]) => {
  const walker = document.createTreeWalker(document.querySelector('.source-text'), NodeFilter.SHOW_TEXT);
  let start = null;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!start && node.data.includes(first)) { start = [node, node.data.indexOf(first)]; }
    if (start && node.data.includes(last)) {
      const range = document.createRange();
      range.setStart(...start);
      range.setEnd(node, node.data.indexOf(last) + last.length);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      return true;
    }
  }
  return false;
}"""


def test_a_passage_over_two_paragraphs_leaves_out_the_notes_between_them(served, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(served.url + "sources/harbour-report/")
    page.wait_for_selector(".wb-ref")
    # The first paragraph has notes beside it, which the selection runs over in the page.
    assert page.evaluate(SELECT_ACROSS, ["and the border is old.", "Some readers wrote"])
    page.wait_for_selector(".wb-offer").click()
    form = page.wait_for_selector("form.wb-form")
    assert form.query_selector(".wb-quote").inner_text() == "and the border is old. Some readers wrote"
    form.query_selector("input[list]").fill("northland")
    form.query_selector("fieldset.wb-picker input[value=trade]").check()
    form.query_selector("button[type=submit]").click()
    page.wait_for_selector(".wb-saved, .wb-errors pre", timeout=20000)
    assert page.query_selector(".wb-errors pre") is None, page.inner_text(".wb-errors pre")
    [written] = [p for p in (served.content / "annotations/harbour-report").iterdir() if p.name.startswith("border-old")]
    assert written.read_text() == ("---\nactor: northland\nmotives: [trade]\n---\n\n"
                                   "> and the border is old.\n>\n> Some readers wrote\n")
    page.close()
    assert served.stop() == 0


def test_a_paragraph_without_notes_gets_the_form_beside_it_and_keeps_its_text(served, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(served.url + "sources/harbour-report/")
    page.wait_for_selector(".wb-ref")
    paragraph = page.query_selector(".source-text > .block-text:has-text('Some readers wrote')")
    assert paragraph, "the fixture's paragraph has no note yet"
    text = paragraph.inner_html()
    width = paragraph.bounding_box()["width"]
    assert page.evaluate(SELECT, "in the comments.")
    page.wait_for_selector(".wb-offer").click()
    form = page.wait_for_selector("form.wb-form")
    assert not page.evaluate("([paragraph, form]) => paragraph.contains(form)", [paragraph, form])
    assert paragraph.inner_html() == text
    assert paragraph.bounding_box()["width"] == width, "the paragraph keeps its column"
    box, beside = paragraph.bounding_box(), form.bounding_box()
    assert beside["x"] >= box["x"] + box["width"] and beside["y"] < box["y"] + box["height"], (box, beside)
    form.query_selector("input[list]").fill("northland")
    form.query_selector("fieldset.wb-picker input[value=trade]").check()
    form.query_selector("button[type=submit]").click()
    page.wait_for_selector("mark#comments:target", timeout=20000)
    assert (served.content / "annotations/harbour-report/comments.md").read_text() == (
        "---\nactor: northland\nmotives: [trade]\n---\n\n> in the comments.\n")
    page.close()
    assert served.stop() == 0
