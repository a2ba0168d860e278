"""What a shared link shows: each page's own address (from `--site-url` or site.yaml's
`site_url`), a title that names the site, a description written for people, and a preview card."""

from __future__ import annotations

import html as html_lib
import re
import shutil
from io import BytesIO
from types import SimpleNamespace

from PIL import Image, ImageDraw

from sitegen import cards, sharing
from sitegen.incremental import Engine
from sitegen.markdown import parse_body
from sitegen.model import Motive
from sitegen.pipeline import BuildOptions

from .conftest import FIXTURE_CONTENT, run_build


def page_addresses(html: str) -> tuple[list[str], list[str]]:
    return (re.findall(r'<meta property="og:url" content="([^"]*)">', html),
            re.findall(r'<link rel="canonical" href="([^"]*)">', html))


def content_without_site_url(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(re.sub(r"(?m)^site_url:.*\n", "", site_yaml.read_text()))
    return content


def test_site_url_from_the_command_line_gives_each_page_its_address(tmp_path):
    content = content_without_site_url(tmp_path)
    result = run_build("build", "--content", str(content), "--out", str(tmp_path / "site"),
                       "--base-path", "/repo/", "--site-url", "https://example.net/repo/")
    assert result.returncode == 0, result.stderr
    actor = (tmp_path / "site" / "actors" / "northland" / "index.html").read_text()
    assert page_addresses(actor) == (["https://example.net/repo/actors/northland/"],
                                     ["https://example.net/repo/actors/northland/"])
    home = (tmp_path / "site" / "index.html").read_text()
    assert page_addresses(home) == (["https://example.net/repo/"], ["https://example.net/repo/"])


def test_without_a_site_address_pages_claim_none(tmp_path):
    content = content_without_site_url(tmp_path)
    result = run_build("build", "--content", str(content), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    actor = (tmp_path / "site" / "actors" / "northland" / "index.html").read_text()
    assert page_addresses(actor) == ([], [])


def meta(html: str, key: str) -> list[str]:
    return re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)


def test_every_page_has_a_card_of_its_own_size_and_a_title_that_names_the_site(fixture_site):
    pages = sorted(p for p in fixture_site.rglob("*.html") if p.name in ("index.html", "404.html"))
    assert len(pages) > 10
    for path in pages:
        html = path.read_text()
        title = re.search(r"<title>([^<]*)</title>", html).group(1)
        assert title == "Fixture Analysis" or title.endswith(" — Fixture Analysis"), path
        assert meta(html, "og:title") == [title]
        assert meta(html, "twitter:card") == ["summary_large_image"]
        [image] = meta(html, "og:image")
        assert image.startswith("https://example.org/fixture/") and image.endswith("/card.png")
        card = Image.open(fixture_site / image.removeprefix("https://example.org/fixture/"))
        assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ([str(card.width)], [str(card.height)])
        assert card.size == (1200, 630) and card.format == "PNG" and card.mode == "P"
    northland = (fixture_site / "actors/northland/index.html").read_text()
    assert meta(northland, "og:image") == ["https://example.org/fixture/actors/northland/card.png"]
    assert meta((fixture_site / "404.html").read_text(), "og:image") == ["https://example.org/fixture/card.png"]


def test_cards_are_small_palette_images_and_the_same_bytes_every_build(fixture_site, tmp_path):
    again = tmp_path / "again"
    result = run_build("build", "--content", str(FIXTURE_CONTENT), "--out", str(again))
    assert result.returncode == 0, result.stderr
    cards = sorted(p.relative_to(fixture_site).as_posix() for p in fixture_site.rglob("*.png"))
    assert "actors/northland/card.png" in cards and "sources/harbour-report/card.png" in cards and "card.png" in cards
    for rel in cards:
        data = (fixture_site / rel).read_bytes()
        assert data == (again / rel).read_bytes(), rel
        assert len(data) < 20_000, rel
        assert len(Image.open(BytesIO(data)).getpalette()) == 4 * 3, rel


def test_a_card_shows_its_title_as_large_as_fits():
    short = Image.open(BytesIO(cards.draw("Northland", "Actor", "Fixture Analysis")))
    long = Image.open(BytesIO(cards.draw("A much longer title " * 12, "Source", "Fixture Analysis")))
    ink = [image.histogram()[cards.SHADES - 1] for image in (short, long)]
    assert 0 < ink[0] < ink[1]  # the long title is drawn, and more of it than the short one
    # nothing is drawn below the site's name, nor right of the margin, however long the title
    assert long.crop((cards.WIDTH - cards.MARGIN + 30, cards.BAR, cards.WIDTH, cards.HEIGHT)).getextrema() == (0, 0)


def test_a_card_draws_its_text_glyph_by_glyph_as_the_font_draws_the_whole_line():
    # exact only while the bundled font has no kerning and whole-pixel advances: kerned pairs
    # ("AV", "To", "Yo"), overhanging letters ("fj", "y,"), punctuation, digits
    text = "AVATAR To: Yo! «Wavy» “quotes”, 1,234.5 fjord’s jinx y, (ISKP) ffi"
    for size in (30, *cards.TITLE_SIZES):
        assert cards._length(text, size) == cards._font(size).getlength(text), size
        whole, by_glyph = Image.new("L", (cards.WIDTH, 200)), Image.new("L", (cards.WIDTH, 200))
        ImageDraw.Draw(whole).text((20, 30), text, font=cards._font(size), fill=2)
        cards._text(by_glyph, (20, 30), text, size, 2)
        assert by_glyph.tobytes() == whole.tobytes() and whole.getextrema() == (0, 2), size

def test_descriptions_say_what_each_page_holds_in_whole_sentences(fixture_site):
    def description(rel: str) -> str:
        [text] = meta((fixture_site / rel).read_text(), "description")
        return html_lib.unescape(text)

    assert description("actors/northland/index.html") == (
        "Northland: Recognised the Island Council, the first state to do so. "
        "6 annotated passages from 2 sources on what it wants and why.")
    assert description("motives/security/index.html") == (
        "Border security: The actor acts to keep threats away from its borders. 4 passages from 2 sources attribute it.")
    assert description("sources/harbour-report/index.html").startswith("“")
    for rel in ("index.html", "actors/index.html", "about/index.html", "sources/river-letter/index.html", "404.html"):
        assert description(rel).endswith("."), rel


def test_a_long_motive_text_gives_its_first_paragraph_cut_at_a_word_never_the_tagging_rules():
    text = "Keeping the border quiet " * 20 + "\n\n**Counts:** passages that name the border."
    motive = Motive("security", "Border security", "security", parse_body(text, 1), None)
    model = SimpleNamespace(motives={"security": motive}, annotations={})
    index = SimpleNamespace(by_motive={})
    said = sharing.motive_description("security", model, index)
    assert said.startswith("Border security: Keeping the border quiet Keeping")
    assert re.search(r" (Keeping|the|border|quiet)… No passage attributes it yet\.$", said)  # whole words
    assert "Counts" not in said and len(said) <= sharing.DESCRIPTION_LIMIT


def test_serve_redraws_a_card_when_its_page_title_changes(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    engine = Engine(BuildOptions(content=content, out=tmp_path / "site"))
    assert engine.build_all().ok
    card = tmp_path / "site" / "actors/northland/card.png"
    before = card.read_bytes()
    actor = content / "actors/northland.md"
    actor.write_text(actor.read_text().replace("name: Northland", "name: Northland Republic"))
    engine.content_changed([actor])
    outcome = engine.rebuild()
    assert outcome.ok, outcome.errors
    assert "actors/northland/card.png" in outcome.written and card.read_bytes() != before
    assert "actors/southland/card.png" not in outcome.rendered
    assert card.read_bytes() == cards.draw("Northland Republic", "Actor", "Fixture Analysis")
