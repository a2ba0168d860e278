"""Open data under /data/: the model as JSON, annotations as CSV and as W3C Web Annotations."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitegen import export
from sitegen.pipeline import BuildOptions, make_urls, validate

from .conftest import FIXTURE_CONTENT, ROOT

DATA_FILES = ("data/site.json", "data/annotations.csv", "data/annotations.jsonld")
ANNO_TERMS = {
    "@context", "id", "type", "label", "total", "first", "items", "startIndex", "motivation", "body",
    "target", "purpose", "value", "format", "language", "source", "selector", "exact", "prefix", "suffix",
    "start", "end",
}
"""Every key the JSON-LD export uses; each is a term of http://www.w3.org/ns/anno.jsonld."""


def load_json(site: Path, rel: str):
    return json.loads((site / rel).read_text(encoding="utf-8"))


def annotations_of(collection: dict) -> list[dict]:
    return collection["first"]["items"]


def text_position_targets(item: dict) -> list[tuple[dict, dict, dict]]:
    """(target, the annotation's TextQuoteSelector, TextPositionSelector) for each target with a
    position: the source's text file, whose target gives the position alone (the other targets
    give the quote, the same on each)."""
    [quote] = {json.dumps(t["selector"]) for t in item["target"] if t["selector"]["type"] == "TextQuoteSelector"}
    return [(t, json.loads(quote), t["selector"]) for t in item["target"] if t["selector"]["type"] == "TextPositionSelector"]


def local_path(site: Path, url: str, base: str = "https://example.org/fixture/") -> Path:
    assert url.startswith(base), url
    return site / url[len(base):]


def keys_of(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()


# -- the files ----------------------------------------------------------------------------------


def test_data_files_are_written(fixture_site):
    for rel in DATA_FILES + ("data/index.html", "data/sources/harbour-report.txt"):
        assert (fixture_site / rel).is_file(), rel
    assert not (fixture_site / "data/sources/river-letter.txt").exists(), "a source in excerpts has no text file"


def test_site_json_holds_the_whole_model(fixture_site):
    data = load_json(fixture_site, "data/site.json")
    assert list(data) == ["format", "version", "site", "files", "actors", "motives", "sources", "annotations",
                          "events", "arguments", "attributions"]
    ids = {kind: [item["id"] for item in data[kind]] for kind in ("actors", "motives", "sources", "events", "arguments")}
    for kind, found in ids.items():
        on_disk = sorted(p.stem for p in (FIXTURE_CONTENT / kind).glob("*.md"))
        assert found == on_disk, kind
    refs = [a["ref"] for a in data["annotations"]]
    assert refs == sorted(f"{p.parent.name}/{p.stem}" for p in (FIXTURE_CONTENT / "annotations").glob("*/*.md"))

    northland = next(a for a in data["actors"] if a["id"] == "northland")
    assert northland["name"] == "Northland" and northland["primary"] is True
    assert northland["url"] == "https://example.org/fixture/actors/northland/"
    assert northland["evidence"] == ["harbour-report/first-to-recognise"]
    # A body is its HTML, wikilinks made links, and the items it links to.
    assert list(northland["profile"]) == ["html", "links"]
    assert '<a class="wikilink" href="https://example.org/fixture/motives/trade/">Trade access</a>' in northland["profile"]["html"]
    assert northland["profile"]["links"] == ["motives/trade"]

    harbour = next(s for s in data["sources"] if s["id"] == "harbour-report")
    assert harbour["published"] == "2024-03-10" and harbour["original_url"] == "https://example.org/harbour-report"
    river = next(s for s in data["sources"] if s["id"] == "river-letter")
    assert river["published"] == "2024-03" and river["original_url"] == "https://example.org/river-weekly/letter"
    assert (river["reproduce"], river["text_url"], river["rights"]) == ("excerpts", None, "")
    assert (harbour["reproduce"], harbour["partial"], harbour["text_url"]) == (
        "full", True, "https://example.org/fixture/data/sources/harbour-report.txt")
    assert harbour["missing"] == "the report’s last section, on the fisheries, which neither copy has."
    assert harbour["rights"].startswith("Published under a CC BY 4.0 licence")
    assert harbour["copies"] == [{"url": "https://blog.example.net/ada/harbour-report", "label": "Ada Example’s blog"},
                                 {"url": "https://news-digest.example.com/harbour-report", "label": "news-digest.example.com"}]

    trade_first = next(a for a in data["annotations"] if a["ref"] == "harbour-report/trade-first")
    assert trade_first["correction"] == "The route was closed at the time; it reopened in 2025."
    talks = next(e for e in data["events"] if e["id"] == "talks")
    assert (talks["date"], talks["end"], talks["after"]) == ("2023", "2024-02", [])
    review = next(e for e in data["events"] if e["id"] == "southland-review")
    assert (review["date"], review["after"]) == ("2024-03", ["recognition"])


def test_each_link_between_items_is_written_once_in_the_item_it_comes_from(fixture_site):
    data = load_json(fixture_site, "data/site.json")
    items = {(kind, item.get("ref") or item["id"]): item for kind in ("sources", "annotations", "events", "arguments")
             for item in data[kind]}
    assert items[("arguments", "trade-first")]["opposes"] == ["security-first"]
    assert items[("arguments", "harbour-matters")]["supports"] == ["trade-first"]
    assert items[("annotations", "river-letter/southland-waits")]["involves"] == ["northland"]
    assert items[("annotations", "harbour-report/first-to-recognise")]["commentary"]["links"] == [
        "annotations/river-letter/southland-waits"]
    assert "harbour-report/first-to-recognise" in items[("events", "recognition")]["evidence"]
    assert items[("events", "southland-review")]["after"] == ["recognition"]
    # A source's links are those of its text (an article's text seldom has any).
    assert [s["links"] for s in data["sources"]] == [[], []]


def test_csv_has_one_row_per_annotation_and_its_positions_hold(fixture_site):
    text = (fixture_site / "data/annotations.csv").read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == export.CSV_COLUMNS
    records = [dict(zip(rows[0], row)) for row in rows[1:]]
    data = load_json(fixture_site, "data/site.json")
    assert [r["ref"] for r in records] == [a["ref"] for a in data["annotations"]]
    # The texts are not repeated in site.json: each is at its `text_url`, under data/sources/.
    assert all("text" not in s for s in data["sources"])
    # A source shown in excerpts has none: its text is not published.
    texts = {s["id"]: (fixture_site / "data/sources" / f"{s['id']}.txt").read_text(encoding="utf-8") for s in data["sources"]
             if s["reproduce"] == "full"}
    assert [s["text_url"] for s in data["sources"]] == [f"https://example.org/fixture/data/sources/{s['id']}.txt"
                                                        if s["id"] in texts else None for s in data["sources"]]
    assert list(texts) == ["harbour-report"]
    for record in records:
        start, end = int(record["start"]), int(record["end"])
        if record["source"] in texts:
            assert texts[record["source"]][start:end] == record["exact"]
    southland = next(r for r in records if r["ref"] == "river-letter/southland-waits")
    assert southland["motives"] == "security;trade" and southland["motive_labels"] == "Border security;Trade access"
    assert southland["page_url"] == "https://example.org/fixture/sources/river-letter/southland-waits/"
    # A wikilink reads as its target's title in the commentary's plain text.
    assert southland["commentary"] == "The letter weighs security above trade, unlike The Harbour Report."


# -- W3C Web Annotations --------------------------------------------------------------------------


def test_jsonld_is_an_annotation_collection(fixture_site):
    collection = load_json(fixture_site, "data/annotations.jsonld")
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    assert collection["id"] == "https://example.org/fixture/data/annotations.jsonld"
    items = annotations_of(collection)
    assert collection["total"] == len(items) == len(load_json(fixture_site, "data/site.json")["annotations"])
    assert collection["first"]["type"] == "AnnotationPage"
    assert len({item["id"] for item in items}) == len(items)
    for item in items:
        assert item["type"] == "Annotation"
        assert item["id"].startswith(collection["id"] + "#")
    assert keys_of(collection) <= ANNO_TERMS, keys_of(collection) - ANNO_TERMS


def test_every_exported_selector_exact_text_is_at_its_position_in_the_source_text(fixture_site):
    items = annotations_of(load_json(fixture_site, "data/annotations.jsonld"))
    checked = 0
    for item in items:
        targets = text_position_targets(item)
        if "#river-letter/" in item["id"]:  # shown in excerpts: no text file to point into
            assert targets == [], item["id"]
            continue
        assert len(targets) == 1, item["id"]
        target, quote, position = targets[0]
        assert target["source"]["format"] == "text/plain"
        text = local_path(fixture_site, target["source"]["id"]).read_bytes().decode("utf-8")
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"], item["id"]
        assert text[:start].endswith(quote.get("prefix", "")) and text[end:].startswith(quote.get("suffix", "")), item["id"]
        assert quote.get("prefix") or start == 0, "a prefix is given unless the passage opens the text"
        assert quote.get("suffix") or end == len(text), "a suffix is given unless the passage closes the text"
        # Every other target names the passage by the same quote.
        assert [t["selector"] for t in item["target"] if t is not target] == [quote] * (len(item["target"]) - 1)
        checked += 1
    assert checked == len([i for i in items if "#river-letter/" not in i["id"]]) > 0


def test_the_selector_of_a_repeated_phrase_points_at_the_right_occurrence(fixture_site):
    items = annotations_of(load_json(fixture_site, "data/annotations.jsonld"))
    item = next(i for i in items if i["id"].endswith("#harbour-report/long-border"))
    _, quote, position = text_position_targets(item)[0]
    text = (fixture_site / "data/sources/harbour-report.txt").read_text(encoding="utf-8")
    assert quote["exact"] == "the border" and text.lower().count("the border") > 2
    assert position["start"] != text.lower().find("the border")
    assert quote["prefix"].endswith("quiet, and ") and text[:position["start"]].endswith("quiet, and ")


def test_targets_name_the_original_article_and_the_sites_source_page(fixture_site):
    items = {i["id"].split("#", 1)[1]: i for i in annotations_of(load_json(fixture_site, "data/annotations.jsonld"))}
    harbour = [t["source"] if isinstance(t["source"], str) else t["source"]["id"]
               for t in items["harbour-report/first-to-recognise"]["target"]]
    assert harbour == ["https://example.org/harbour-report", "https://example.org/fixture/sources/harbour-report/",
                       "https://example.org/fixture/data/sources/harbour-report.txt"]
    river = [t["source"] if isinstance(t["source"], str) else t["source"]["id"]
             for t in items["river-letter/southland-waits"]["target"]]
    assert river == ["https://example.org/river-weekly/letter", "https://example.org/fixture/sources/river-letter/"], \
        "a source in excerpts has no text file to point into"


def test_bodies_carry_commentary_tags_and_corrections(fixture_site):
    items = {i["id"].split("#", 1)[1]: i for i in annotations_of(load_json(fixture_site, "data/annotations.jsonld"))}
    item = items["river-letter/southland-waits"]
    assert item["motivation"] == "commenting"
    plain = {"type": "TextualBody", "purpose": "commenting", "format": "text/plain", "language": "en",
             "value": "The letter weighs security above trade, unlike The Harbour Report."}
    written = dict(plain, format="text/markdown", value="The letter weighs security above trade, unlike [[sources/harbour-report]].")
    assert [b for b in item["body"] if b["type"] == "Choice"] == [{"type": "Choice", "items": [plain, written]}]
    plain_only = items["river-letter/spokesman"]["body"]
    assert [b["type"] for b in plain_only if b.get("purpose") == "commenting"] == ["TextualBody"], "no markup: no choice"
    tags = [(b["type"], b["source"]["id"], b["source"]["label"]) for b in item["body"] if b.get("purpose") == "tagging"]
    base = "https://example.org/fixture/"
    assert tags == [
        ("SpecificResource", base + "actors/southland/", "Southland"),
        ("SpecificResource", base + "motives/security/", "Border security"),
        ("SpecificResource", base + "motives/trade/", "Trade access"),
        ("SpecificResource", base + "actors/northland/", "Northland"),
    ]
    corrections = [b["value"] for b in items["harbour-report/trade-first"]["body"] if b.get("purpose") == "editing"]
    assert corrections == ["The route was closed at the time; it reopened in 2025."]
    assert not [b for b in item["body"] if b.get("purpose") == "editing"]
    featured = [b["value"] for b in items["harbour-report/trade-first"]["body"] if b.get("purpose") == "highlighting"]
    assert featured == ["featured"]
    assert not [b for b in item["body"] if b.get("purpose") == "highlighting"]


# -- determinism and the real content -----------------------------------------------------------


def _reversed(mapping):
    return dict(reversed(list(mapping.items())))


def test_export_is_deterministic_whatever_order_the_content_was_read_in():
    validated = validate(FIXTURE_CONTENT)
    urls = make_urls(BuildOptions(content=FIXTURE_CONTENT), validated.model)
    first = export.data_files(validated.model, validated.index, urls)
    model = validated.model
    shuffled = dataclasses.replace(
        model, actors=_reversed(model.actors), motives=_reversed(model.motives), sources=_reversed(model.sources),
        annotations=_reversed(model.annotations), events=_reversed(model.events), arguments=_reversed(model.arguments),
    )
    assert export.data_files(shuffled, validated.index, urls) == first
    assert export.data_files(model, validated.index, urls) == first


def test_without_a_site_url_links_keep_the_base_path():
    validated = validate(FIXTURE_CONTENT)
    site = dataclasses.replace(validated.model.site, site_url="")
    model = dataclasses.replace(validated.model, site=site)
    urls = make_urls(BuildOptions(content=FIXTURE_CONTENT, base_path="/repo/"), model)
    files = export.data_files(model, validated.index, urls)
    data = json.loads(files["data/site.json"])
    assert data["actors"][0]["url"].startswith("/repo/actors/")
    collection = json.loads(files["data/annotations.jsonld"])
    assert collection["id"] == "/repo/data/annotations.jsonld"


def test_the_real_contents_selectors_all_hold():
    content = ROOT / "content"
    validated = validate(content)
    urls = make_urls(BuildOptions(content=content), validated.model)
    files = export.data_files(validated.model, validated.index, urls)
    items = annotations_of(json.loads(files["data/annotations.jsonld"]))
    assert len(items) == len(validated.model.annotations) > 0
    for item in items:
        # The sources are shown in excerpts, so their texts are not exported: check against content/.
        ann = validated.model.annotations[item["id"].split("#", 1)[1]]
        text = validated.model.sources[ann.source_id].plain_text
        start, end = ann.anchor.start, ann.anchor.end
        for target in item["target"]:
            quote = target["selector"]
            if quote["type"] == "TextPositionSelector":
                assert (quote["start"], quote["end"]) == (start, end), item["id"]
                continue
            assert text[start:end] == quote["exact"], item["id"]
            assert text[:start].endswith(quote.get("prefix", "")), item["id"]
            assert text[end:].startswith(quote.get("suffix", "")), item["id"]


# -- the /data/ page ------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href", ""))


@pytest.mark.parametrize("which, base", [("fixture_site", "/"), ("fixture_site_subpath", "/repo/")])
def test_the_data_page_links_to_every_data_file(request, which, base):
    site = request.getfixturevalue(which)
    parser = _Links()
    parser.feed((site / "data/index.html").read_text(encoding="utf-8"))
    data_files = sorted(p.relative_to(site).as_posix() for p in (site / "data").rglob("*") if p.is_file()
                        and p.name != "index.html")
    linked = sorted({h[len(base):] for h in parser.hrefs if h.startswith(base + "data/") and h != base + "data/"})
    # The sources' texts are one file each: the page links one, site.json names them all (a page
    # listing every source would grow past any size with the archive).
    texts = [f for f in data_files if f.startswith("data/sources/")]
    assert [f for f in linked if f not in texts] == [f for f in data_files if f not in texts]
    assert len([f for f in linked if f in texts]) == 1
    names = {"data/" + s["text_url"].split("/data/", 1)[1] for s in json.loads((site / "data/site.json").read_text())["sources"]
             if s["text_url"]}  # a source shown in excerpts has none
    assert sorted(names) == texts
    nav = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="{base}data/"' in nav, "the data page is linked from every page"
