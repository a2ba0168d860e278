"""Sources in other languages: a Chinese source and its English translation (tests/fixtures/languages,
laid over the fixture site) marked up in their languages, side by side, checked, exported,
searchable, and kept up to date by `serve`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from sitegen import cards, languages
from sitegen.incremental import Engine
from sitegen.pipeline import BuildOptions
from sitegen.plan import Page, kicker

from .browser import serve_directory
from .conftest import FIXTURE_CONTENT, ROOT, run_build
from .htmltree import Element, parse_html
from .test_accessibility import axe_violations
from .test_html_valid import vnu_errors
from .test_incremental import edit, rebuild

LANGUAGES = ROOT / "tests" / "fixtures" / "languages"
SOURCE_PAGE = "sources/harbour-notice/index.html"
PASSAGE_PAGE = "sources/harbour-notice/harbour-trade/index.html"
ORIGINAL = ("北方国外交部发言人表示，北方国尊重岛屿委员会的选择。", "港口", "发言人说：“港口对双方的贸易都很重要。”北方国希望航线保持畅通。")
TRANSLATION = ("A spokesperson for Northland's foreign ministry said Northland respects the Island Council's choice.",
               "The harbour",
               'The spokesperson said: "The harbour matters to the trade of both sides." Northland hopes the route stays open.')


def languages_content(folder: Path) -> Path:
    """The fixture content with the Chinese source, its translation and its annotation laid over it."""
    content = folder / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    shutil.copytree(LANGUAGES, content, dirs_exist_ok=True)
    return content


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("languages")
    out = folder / "site"
    result = run_build("build", "--content", str(languages_content(folder)), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def parse_file(path: Path) -> Element:
    return parse_html(path.read_text(encoding="utf-8"))


def text(element: Element) -> str:
    """The text a reader sees: without what is `hidden` (the search index's copy of Chinese text)."""
    parts: list[str] = []

    def walk(el: Element) -> None:
        for child in el.children:
            if isinstance(child, str):
                parts.append(child)
            elif "hidden" not in child.attrs:
                walk(child)
    walk(element)
    return " ".join("".join(parts).split())


# -- the source page ---------------------------------------------------------------------------


def test_the_source_page_marks_the_original_up_in_its_language(site):
    page = parse_file(site / SOURCE_PAGE)
    assert page.find("html").attrs["lang"] == "en", "the page (its interface) stays in the site's language"
    assert page.find("h1").attrs["lang"] == "zh-Hans"
    originals = page.find_all("div", cls="original")
    assert [el.attrs.get("lang") for el in originals] == ["zh-Hans"] * 3
    assert [text(el) for el in originals] == ["北方国外交部发言人表示，北方国尊重岛屿委员会的选择。", "港口",
                                              "发言人说：“note 1港口对双方的贸易都很重要。”北方国希望航线保持畅通。"]


def test_the_source_page_shows_the_translation_beside_each_paragraph_and_who_made_it(site):
    page = parse_file(site / SOURCE_PAGE)
    blocks = page.find_all("div", cls="bilingual")
    assert len(blocks) == 3
    for block, translated in zip(blocks, TRANSLATION):
        original, translation = [child for child in block.children if not isinstance(child, str)]
        assert original.has_class("original") and translation.has_class("translation")
        assert "lang" not in translation.attrs, "English, as the page is"
        assert text(translation) == translated
    assert page.find("p", cls="translated-heading").text() == "The harbour"
    assert text(page.find("p", cls="translation-credit")).startswith("Translation: the editors.")
    assert text(page.find("p", cls="translated-title")) == "Title in translation: Northland recognises the Island Council"


def test_a_published_translation_credits_and_links_its_publication(tmp_path):
    content = languages_content(tmp_path)
    edit(content / "translations/harbour-notice.md", "by: the editors",
         "by: Harbour Daily English\nurl: https://example.org/harbour-notice-en")
    out = tmp_path / "site"
    assert run_build("build", "--content", str(content), "--out", str(out)).returncode == 0
    credit = parse_file(out / SOURCE_PAGE).find("p", cls="translation-credit")
    assert text(credit).startswith("Translation: Harbour Daily English.")
    assert credit.find("a").attrs["href"] == "https://example.org/harbour-notice-en"


def test_the_note_gives_the_passage_with_its_translation_and_the_citation_its_translator(site):
    page = parse_file(site / SOURCE_PAGE)
    quote = page.find("p", cls="note-quote")
    assert quote.attrs["lang"] == "zh-Hans"
    assert quote.find("span", cls="note-translation").attrs["lang"] == "en", "English inside Chinese says so"
    citation = parse_file(site / PASSAGE_PAGE).find("p", cls="citation")
    assert text(citation).startswith("Lin Example, 北方国承认岛屿委员会, Harbour Daily, 4 March 2024, "
                                     "https://example.org/harbour-notice. Translation: the editors. Passage 1, annotated at ")
    assert citation.find("cite").attrs["lang"] == "zh-Hans"


def test_citations_and_bylines_mark_names_written_in_the_source_s_script_in_its_language(tmp_path):
    content = languages_content(tmp_path)
    edit(content / "sources/harbour-notice.md", "authors: [Lin Example]\npublication: Harbour Daily",
         "authors: [Lin Example, 林明]\npublication: 港口日报")
    out = tmp_path / "site"
    assert run_build("build", "--content", str(content), "--out", str(out)).returncode == 0
    citation = parse_file(out / PASSAGE_PAGE).find("p", cls="citation")
    assert text(citation).startswith("Lin Example and 林明, 北方国承认岛屿委员会, 港口日报, 4 March 2024, ")
    marked = [(el.tag, el.text(), el.attrs["lang"]) for el in citation.iter() if "lang" in el.attrs]
    assert marked == [("span", "林明", "zh-Hans"), ("cite", "北方国承认岛屿委员会", "zh-Hans"), ("span", "港口日报", "zh-Hans")]
    source = parse_file(out / SOURCE_PAGE)
    byline = source.find("p", cls="byline")
    assert [(el.text(), el.attrs["lang"]) for el in byline.iter() if el.attrs.get("lang")] == \
        [("林明", "zh-Hans"), ("港口日报", "zh-Hans"), ("港口日报", "zh-Hans")]  # the author, the publication, "Read the original at"
    assert [el.text() for el in source.find("p", cls="kicker").iter() if el.attrs.get("lang") == "zh-Hans"] == ["港口日报"]
    credit = next(c for c in parse_file(out / "sources/index.html").find_all("p", cls="credit") if "林明" in text(c))
    assert text(credit).startswith("Lin Example and 林明, 港口日报, ")
    assert [el.text() for el in credit.iter() if el.attrs.get("lang") == "zh-Hans"] == ["林明", "港口日报"]
    assert vnu_errors_of(out, (PASSAGE_PAGE, SOURCE_PAGE, "sources/index.html")) == []


@pytest.mark.parametrize("language, title, name, marked", [
    ("ru", "Россия признала", "Российская газета", '<span lang="ru">Российская газета</span>'),
    ("ru", "Россия признала", "Ivan Petrov", "Ivan Petrov"),  # a transliteration reads as the page does
    ("fa-AF", "یادداشت کابل", "هشت صبح", '<span lang="fa-AF" dir="rtl">هشت صبح</span>'),
    ("fr", "La Russie reconnaît", "Jean Dupont", '<span lang="fr">Jean Dupont</span>'),
    ("en", "Russia recognised", "A & B", "A &amp; B"),
])
def test_a_name_takes_the_source_s_language_when_it_is_written_in_the_script_of_its_title(language, title, name, marked):
    model = SimpleNamespace(site=SimpleNamespace(language="en"),
                            sources={"s": SimpleNamespace(language=language, title=title)})
    assert str(languages.name(model, "s", name)) == marked


def test_the_passage_page_and_its_preview_show_the_original_with_the_translation(site):
    page = parse_file(site / PASSAGE_PAGE)
    preview = page.find(cls="passage-card")
    original, translation = preview.find_all("blockquote")
    assert original.attrs["lang"] == "zh-Hans" and text(original) == "发言人说：“港口对双方的贸易都很重要。”北方国希望航线保持畅通。"
    assert original.find("mark").text() == "港口对双方的贸易都很重要。"
    assert translation.has_class("passage-translation") and text(translation) == "The harbour matters to the trade of both sides."
    assert text(preview.find("figcaption")).startswith("Lin Example, 北方国承认岛屿委员会, Harbour Daily, 4 March 2024, https://example.org/harbour-notice. Translation: the editors. ")
    assert page.find("h1").find("cite").attrs["lang"] == "zh-Hans"


def test_other_pages_quoting_the_passage_mark_its_language(site):
    page = parse_file(site / "actors/northland/index.html")
    links = [a for a in page.find_all("a", cls="passage-ref") if "harbour-notice" in a.attrs["href"]]
    assert links and all(a.attrs.get("lang") == "zh-Hans" for a in links)


def test_the_sources_list_marks_a_title_s_language(site):
    titles = [c for c in parse_file(site / "sources/index.html").find_all("cite") if c.text() == "北方国承认岛屿委员会"]
    assert titles and all(c.attrs.get("lang") == "zh-Hans" for c in titles)


def test_english_sources_carry_no_lang_attribute(site):
    page = parse_file(site / "sources/harbour-report/index.html")
    assert not [el for el in page.iter() if "lang" in el.attrs and el.tag != "html"]


def test_the_translated_pages_are_valid_html(site):
    assert vnu_errors_of(site, (SOURCE_PAGE, PASSAGE_PAGE, "actors/northland/index.html")) == []


def vnu_errors_of(site: Path, pages: tuple[str, ...]) -> list[str]:
    """vnu on a copy of the site holding only `pages`."""
    only = site.parent / "only"
    shutil.rmtree(only, ignore_errors=True)
    for rel in pages:
        (only / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(site / rel, only / rel)
    return vnu_errors(only)


@pytest.mark.parametrize("scheme", ("light", "dark"))
@pytest.mark.parametrize("width", (360, 1280))
@pytest.mark.parametrize("url_path", ("sources/harbour-notice/", "sources/harbour-notice/harbour-trade/"))
def test_the_translated_pages_have_no_axe_violation(browser, site, url_path, scheme, width):
    with serve_directory(site) as url:
        assert axe_violations(browser, url, url_path, scheme, width=width) == []


@pytest.mark.parametrize("width, side_by_side", ((390, False), (1280, True)))
def test_original_and_translation_read_side_by_side_on_a_desktop_and_one_under_the_other_on_a_phone(
        browser, site, width, side_by_side):
    with serve_directory(site) as url:
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            page = context.new_page()
            page.goto(url + "sources/harbour-notice/")
            boxes = page.evaluate("""() => [...document.querySelectorAll('.bilingual')].map(b =>
                [b.querySelector('.original').getBoundingClientRect().toJSON(),
                 b.querySelector('.translation').getBoundingClientRect().toJSON()])""")
        finally:
            context.close()
    assert len(boxes) == 3
    for original, translation in boxes:
        beside = translation["left"] >= original["right"] and translation["top"] < original["bottom"]
        below = translation["top"] >= original["bottom"] - 1
        assert (beside, below) == (side_by_side, not side_by_side), (original, translation)


# -- languages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("tag, attributes", [
    ("zh-Hans", ' lang="zh-Hans"'), ("ru", ' lang="ru"'), ("en", ""), ("EN", ""),
    ("fa", ' lang="fa" dir="rtl"'), ("fa-AF", ' lang="fa-AF" dir="rtl"'), ("ps", ' lang="ps" dir="rtl"'),
    ("ur", ' lang="ur" dir="rtl"'), ("ar", ' lang="ar" dir="rtl"'), ("az-Arab", ' lang="az-Arab" dir="rtl"'),
    ("az", ' lang="az"'), ("uz-Latn", ' lang="uz-Latn"'),
])
def test_lang_and_dir_attributes(tag, attributes):
    assert str(languages.attributes(tag, "en")) == attributes


def test_search_terms_space_out_only_scripts_without_spaces():
    assert languages.search_terms("发言人说：“港口”") == "发 言 人 说 ：“ 港 口 ”"
    assert languages.search_terms("Russia recognised the Taliban") == ""
    assert languages.search_terms("Россия признала") == ""


# -- the card ----------------------------------------------------------------------------------


def test_the_card_draws_the_translated_title_when_its_font_lacks_the_original_s_script(site):
    assert not cards.drawable("北方国承认岛屿委员会") and cards.drawable("Northland recognises the Island Council")
    assert not cards.drawable("Россия") and not cards.drawable("طالبان")
    card = (site / "sources/harbour-notice/card.png").read_bytes()
    assert card == cards.draw("Northland recognises the Island Council", "Source · Harbour Daily", "Fixture Analysis")


def test_a_card_draws_a_dash_or_an_accented_letter_its_font_lacks_as_the_nearest_it_has():
    assert cards.draw("Islamic State–Khorasan — café", "Actor", "Fixture Analysis") == cards.draw(
        "Islamic State-Khorasan - cafe", "Actor", "Fixture Analysis")
    assert cards.drawable("Russia–Afghanistan: Sánchez") and not cards.drawable("Россия – Афганистан")


def test_a_card_draws_latin_letters_its_font_lacks_in_the_plain_letters_that_spell_them():
    title = "Færøerne, Œuvre, Straße, Łódź, Đakovo, Þingvellir, Əliyev"
    assert cards.drawable(title) and cards.drawable("ẞ ð ħ ı ŋ ŧ ǿ ǽ")
    assert cards.draw(title, "Source · Ærø Avis", "Fixture Analysis") == cards.draw(
        "Faeroerne, Oeuvre, Strasse, Lodz, Dakovo, Thingvellir, Aliyev", "Source · AERO AVIS", "Fixture Analysis")


def test_a_source_s_card_names_its_publication_only_in_a_script_the_card_can_draw():
    def page(publication: str) -> Page:
        return Page("sources/x/", "source.html", "X", {"source": SimpleNamespace(publication=publication)}, 1)

    assert kicker(page("Harbour Daily")) == "Source · Harbour Daily"
    assert kicker(page("新京报")) == kicker(page("Российская газета")) == kicker(page("")) == "Source"


# -- exports -----------------------------------------------------------------------------------


def test_the_exports_carry_each_text_s_language_and_the_translation(site):
    data = json.loads((site / "data/site.json").read_text(encoding="utf-8"))
    sources = {s["id"]: s for s in data["sources"]}
    assert sources["harbour-report"]["language"] == "en" and sources["harbour-report"]["translation"] is None
    notice = sources["harbour-notice"]
    assert notice["language"] == "zh-Hans"
    assert notice["translation"] == {"language": "en", "by": "the editors", "url": "",
                                     "title": "Northland recognises the Island Council", "paragraphs": list(TRANSLATION)}
    annotations = {a["ref"]: a for a in data["annotations"]}
    assert annotations["harbour-notice/harbour-trade"]["translation"] == "The harbour matters to the trade of both sides."
    assert annotations["harbour-report/lighthouse"]["translation"] == ""
    collection = json.loads((site / "data/annotations.jsonld").read_text(encoding="utf-8"))
    items = {item["id"].rsplit("#", 1)[1]: item for item in collection["first"]["items"]}
    assert [t["source"]["language"] for t in items["harbour-notice/harbour-trade"]["target"]] == ["zh-Hans"] * 3
    assert [t["source"]["language"] for t in items["harbour-report/lighthouse"]["target"]] == ["en"] * 3
    assert items["harbour-notice/harbour-trade"]["target"][0]["selector"]["exact"] == "港口对双方的贸易都很重要。"


# -- serve -------------------------------------------------------------------------------------


@pytest.fixture
def engine(tmp_path):
    """The languages content, without the translation, built by the engine as `serve` does."""
    content = languages_content(tmp_path)
    (content / "translations/harbour-notice.md").unlink()
    edit(content / "annotations/harbour-notice/harbour-trade.md",
         'translation: "The harbour matters to the trade of both sides."\n', "")
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    engine = Engine(BuildOptions(content=content, out=tmp_path / "site", templates=templates,
                                 extra_globals={"live_reload": True}))
    assert engine.build_all().ok
    return engine


def test_serve_shows_a_new_translation_and_its_edits_as_a_cold_build_would(engine, tmp_path):
    content = engine.options.content
    added = content / "translations/harbour-notice.md"
    shutil.copy(LANGUAGES / "translations/harbour-notice.md", added)
    _, changed = rebuild(engine, added)  # checks the output against a cold build
    assert {SOURCE_PAGE, "sources/harbour-notice/card.png"} <= changed
    assert "The harbour matters" in (tmp_path / "site" / SOURCE_PAGE).read_text(encoding="utf-8")
    edit(added, "Northland hopes the route stays open.", "Northland wants the route to stay open.")
    _, changed = rebuild(engine, added)
    assert SOURCE_PAGE in changed
    annotation = content / "annotations/harbour-notice/harbour-trade.md"
    edit(annotation, "speaker: northland\n", 'speaker: northland\ntranslation: "the trade of both sides"\n')
    _, changed = rebuild(engine, annotation)
    assert {SOURCE_PAGE, PASSAGE_PAGE} <= changed
    added.unlink()
    edit(annotation, 'translation: "the trade of both sides"\n', "")
    _, changed = rebuild(engine, added, annotation)
    assert SOURCE_PAGE in changed and "The harbour matters" not in (tmp_path / "site" / SOURCE_PAGE).read_text(encoding="utf-8")


# -- quotes ------------------------------------------------------------------------------------


def test_a_chinese_quote_anchors_and_its_differences_are_shown_character_by_character():
    from sitegen.anchoring import NormalisedText, NotFound, anchor_quote, differences

    text = "北方国外交部发言人表示，北方国尊重岛屿委员会的选择。\n\n发言人说：“港口对双方的贸易都很重要。”"
    anchor = anchor_quote(NormalisedText.of(text), text, "港口对双方的贸易都很重要。")
    assert anchor.exact == "港口对双方的贸易都很重要。" and text[anchor.start:anchor.end] == anchor.exact
    missing = anchor_quote(NormalisedText.of(text), text, "港口对两方的贸易都很重要。")
    assert isinstance(missing, NotFound) and missing.closest == '港口对双方的贸易都很重要。"'
    assert differences("港口对两方的贸易都很重要。", missing.closest) == ("港口对[两]方的贸易 …", "港口对[双]方的贸易 …")


def test_a_source_in_a_right_to_left_language_reads_right_to_left(tmp_path):
    content = languages_content(tmp_path)
    (content / "sources/kabul-note.md").write_text(
        "---\ntitle: یادداشت کابل\nauthors: [Lin Example]\npublished: 2024-03-06\nlanguage: fa-AF\n---\n"
        "شورای جزیره راه بندر را باز نگه می‌دارد.\n", encoding="utf-8")
    out = tmp_path / "site"
    result = run_build("build", "--content", str(content), "--out", str(out))
    assert result.returncode == 0, result.stderr
    page = parse_file(out / "sources/kabul-note/index.html")
    assert page.find("h1").attrs["lang"] == "fa-AF" and page.find("h1").attrs["dir"] == "rtl"
    block = page.find("div", cls="block-text")
    assert (block.attrs["lang"], block.attrs["dir"]) == ("fa-AF", "rtl")
    assert vnu_errors_of(out, ("sources/kabul-note/index.html",)) == []
