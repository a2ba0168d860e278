"""The site's own content builds in strict mode, and covers what the issue asks of it."""

from __future__ import annotations

import re

import pytest

from sitegen import views
from sitegen.pipeline import validate

from .browser import serve_directory
from .conftest import ROOT, run_build
from .htmltree import load_page
from .links import broken_links

CONTENT = ROOT / "content"
PRIMARY = ("russia", "china", "india", "pakistan", "united-states")


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("real") / "site"
    result = run_build("build", "--strict", "--content", str(CONTENT), "--out", str(out), "--base-path", "/repo/")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("built ")
    return out


def test_check_strict_reports_no_error_and_no_warning():
    result = run_build("check", "--strict", "--content", str(CONTENT))
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr


ANALYSES = ("deciphering-diplomacy", "russia-recognised-taliban-india-cautious")


def test_every_paragraph_of_the_analyses_but_the_author_notes_is_annotated():
    """The analyses are annotated throughout; the reports of the actors' words only where an
    actor speaks or the report sums up what one said (their background paragraphs are not)."""
    result = run_build("check", "--content", str(CONTENT))
    bare = [line for line in result.stdout.splitlines() if "paragraph not annotated" in line
            and any(f"/sources/{s}.md:" in line for s in ANALYSES)]
    assert len(bare) == 2, bare
    assert "“The writer is a political" in bare[0]
    assert "“Amitabh Singh teaches" in bare[1]


def test_the_five_primary_actors_have_a_position_backed_by_passages():
    model = validate(CONTENT, strict=True).model
    for actor_id in PRIMARY:
        actor = model.actors[actor_id]
        assert actor.primary and actor.position, actor_id
        assert actor.evidence, f"{actor_id}: position without evidence"


def test_the_analyses_are_annotated_in_depth_and_every_source_credited():
    validated = validate(CONTENT, strict=True)
    for source_id in ANALYSES:
        assert len(validated.index.by_source[source_id]) >= 25, source_id
    for source_id, source in validated.model.sources.items():
        # Where the text can be read whole: the original, or the copy it was taken from.
        assert source.authors and source.publication and source.whole_text_at[0] and source.normalised, source_id


def test_every_report_relays_an_actors_own_words():
    """Each source besides the analyses is there for what an actor said: it has a passage that
    reports a primary actor's or the Taliban's words."""
    model = validate(CONTENT, strict=True).model
    speakers = {}
    for ann in model.annotations.values():
        if ann.stance == "reports":
            speakers.setdefault(ann.source_id, set()).add(ann.speaker)
    for source_id in set(model.sources) - set(ANALYSES):
        assert speakers.get(source_id, set()) & {*PRIMARY, "taliban"}, source_id


def test_every_primary_actor_leads_with_its_own_words_or_says_what_was_searched():
    validated = validate(CONTENT, strict=True)
    spoken = {a: views.actor(validated.model, validated.index, a).own_words for a in (*PRIMARY, "taliban")}
    assert {a for a, w in spoken.items() if w.words} == {"russia", "china", "pakistan", "taliban"}
    for actor_id in ("india", "united-states"):
        assert spoken[actor_id].searched.startswith("The editors looked for one on 6 December 2026"), actor_id
    # The passage the page shows in full under the position is the analysts', not the same words again.
    for actor_id, words in spoken.items():
        position = views.actor(validated.model, validated.index, actor_id).position
        assert not words.words or position.lead != words.words.lead, actor_id


def test_the_real_site_has_no_broken_link_under_a_sub_path(real_site):
    assert broken_links(real_site, "/repo/") == []
    for actor_id in PRIMARY:
        assert (real_site / "actors" / actor_id / "index.html").is_file()


def test_the_timeline_lists_what_answered_an_event_after_it():
    """The Firstpost article is dated only to July 2025, and the US-led intervention only to
    2001, which alone would list them before 3 July 2025 and 11 September 2001; their 'after'
    lists them after the events they answered, as the sources say. The statements of 3 July
    answered the recognition and follow it on the day."""
    timeline = validate(CONTENT).index.timeline
    start = timeline.index("gudkov-killed")
    assert timeline[start:start + 9] == (
        "gudkov-killed", "russia-recognises-taliban", "kabul-announces-recognition",
        "russian-foreign-ministry-statement", "china-welcomes-recognition", "firstpost-article-published",
        "pakistan-takes-note", "pakistan-calls-reports-speculative", "deciphering-diplomacy-published")
    assert timeline.index("september-11-attacks") + 1 == timeline.index("us-led-intervention")


def test_corrections_reach_the_source_page_and_the_timeline(real_site):
    model = validate(CONTENT).model
    corrected = [a for a in model.annotations.values() if a.correction]
    assert corrected
    for ann in corrected:
        page = (real_site / "sources" / ann.source_id / "index.html").read_text()
        first_words = re.escape(" ".join(ann.correction.split()[:6]))
        assert re.search(first_words.replace(r"\ ", r"\s+"), page), ann.ref


def test_the_summary_quotes_china_in_chinese_marked_as_chinese(real_site):
    """In brief gives Mao Ning's own words, not the analysts' "welcomed the move", and a link
    labelled with her Chinese words says they are Chinese."""
    brief = load_page(real_site, "").by_id("brief_heading").parent
    assert "welcomed “the new development in relations”" in " ".join(brief.text().split())
    link = brief.find("a", href="/repo/sources/bjnews-mao-ning-4-july/welcomes-new-development/")
    assert link.attrs["lang"] == "zh-Hans" and link.text().startswith("“首先中方")


def test_a_report_known_only_from_a_copy_links_its_passages_into_the_copy_and_says_so(real_site):
    link = load_page(real_site, "sources/gulf-today-first-state/mfa-statement/").find("a", cls="in-original")
    assert link.attrs["href"].startswith("https://test.daily8.com/en/article/af57a46f0ed1889cda485b63f8c7b372#:~:text=")
    assert link.text() == "Find it in the copy the text was taken from"


def test_a_russian_publication_s_name_is_marked_russian_wherever_its_source_page_prints_it(real_site):
    """Российская газета in the kicker, the byline, the links to the original and the excerpts'
    "read on" lines: in Russian, for screen readers and fonts, and nowhere in the page's English."""
    page = (real_site / "sources/rg-russia-recognised-emirate/index.html").read_text()
    main = page[page.index("<main"):page.index("</main>")]
    named = main.count("Российская газета")
    assert named == 7, named  # kicker, author, search filter, "Read the original", "read it at", two "Read on"
    unmarked = main.replace('<span lang="ru">Российская газета</span>', "").count("Российская газета")
    assert unmarked == 1, "only the hidden search filter (not shown) may carry it bare"


def test_a_passage_that_quotes_someone_is_cited_with_single_quotes_inside(real_site):
    """Passages quote people (the Firstpost passage on China's reaction quotes the ministry's
    spokesperson); wrapped in quotation marks of their own (a passage page's title and
    description, the passage lists), their marks become single."""
    # Nowhere on the site does a quotation open inside another one's double marks.
    for path in real_site.rglob("*.html"):
        for text in re.findall(r">([^<]+)<", path.read_text()):
            assert not re.search(r"“[^”]*“", text), (path.relative_to(real_site).as_posix(), text)


def test_a_block_quotation_shows_the_passage_as_printed_without_marks_of_its_own(real_site, browser):
    """Actor, motive and argument pages show passages as block quotations. The stylesheet once
    wrapped them in curly quotes, which the HTML checks above cannot see: the passage quoting
    Mao Ning then read “… said, “Beijing supports … government.””. A block quotation takes no
    marks (its rule sets it off), so the passage shows exactly as the source prints it. Pakistan's
    page opens with such a passage: a report quoting its Foreign Office spokesperson."""
    from .browser import serve_directory

    with serve_directory(real_site, "/repo/") as url:
        page = browser.new_page()
        try:
            page.goto(url + "actors/pakistan/")
            seen = page.eval_on_selector_all(
                ".passage blockquote p",
                """ps => ps.map(p => [getComputedStyle(p, '::before').content, p.textContent,
                                      getComputedStyle(p, '::after').content])""")
        finally:
            page.close()
    assert any("Shafqat Ali Khan stated, “We have taken note" in text for _, text, _ in seen)
    for before, text, after in seen:
        assert (before, after) in {("none", "none"), ("normal", "normal")}, (before, text, after)


def test_no_page_of_the_real_site_scrolls_sideways_on_a_360px_phone(real_site, browser):
    """The real titles and names are longer than the fixture's ("Only Russia recognised Taliban,
    but India must tread cautiously" once pushed the actor pages 100 px past a phone's width)."""
    pages = sorted(path.parent.relative_to(real_site).as_posix() for path in real_site.rglob("index.html"))
    assert {f"actors/{actor_id}" for actor_id in PRIMARY} | {"timeline", "arguments", "sources/deciphering-diplomacy"} <= set(pages)
    context = browser.new_context(viewport={"width": 360, "height": 800})
    wide = []
    try:
        page = context.new_page()
        with serve_directory(real_site, "/repo/") as url:
            for path in pages:
                page.goto(url + ("" if path == "." else path + "/"))
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > 360:
                    wide.append((path, width))
    finally:
        context.close()
    assert wide == []


def test_the_matrix_keeps_each_actor_in_view_when_scrolled_sideways(real_site, browser):
    """The real matrix has 14 motives: on a phone it scrolls, and the actors' names must stay."""
    context = browser.new_context(viewport={"width": 390, "height": 800})
    try:
        phone = context.new_page()
        with serve_directory(real_site, "/repo/") as url:
            phone.goto(url)
            found = phone.evaluate("""() => {
                const table = document.querySelector('.matrix');
                const region = table.closest('.table-scroll');
                region.scrollLeft = region.scrollWidth;
                const edge = region.getBoundingClientRect().left;
                return [region.scrollLeft > 0, ...[...table.querySelectorAll('tbody th')].map(th => {
                    window.scrollTo(0, window.scrollY + th.getBoundingClientRect().top - 300);
                    const box = th.getBoundingClientRect();
                    const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
                    return Math.abs(box.left - edge) <= 1 && th.contains(top);
                })];
            }""")
    finally:
        context.close()
    assert found[0], "the matrix is wider than a phone: it scrolls"
    assert len(found) > 1 and all(found[1:]), found


def test_a_chinese_phrase_and_its_english_translation_both_find_mao_nings_answer(real_site, browser):
    """Mao Ning's answer is on the site in Chinese with the editors' translation: searching for
    her words (接触交流, "contacts and exchanges") in either language finds the passage."""
    from urllib.parse import quote

    page = browser.new_page()
    try:
        with serve_directory(real_site, "/repo/") as url:
            for query in ("接触交流", "strengthening contacts and exchanges"):
                page.goto(url + "search/?q=" + quote(query))
                page.wait_for_selector('main a[href$="/sources/bjnews-mao-ning-4-july/#contacts-and-exchanges"]')
    finally:
        page.close()
