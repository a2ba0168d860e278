"""The long lists cut into pages (`sitegen/parts.py`): the timeline by year, the sources by page,
with navigation between the parts; a small site keeps each list on one page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitegen import list_views, parts, views
from sitegen.incremental import Engine
from sitegen.pipeline import BuildOptions, render_site, validate

from .conftest import FIXTURE_CONTENT, ROOT
from .htmltree import parse_html
from .test_incremental import rebuild

YEARS = (2021, 2022)


def grow(content: Path, events: int, sources: int) -> None:
    """Add `events` events (over YEARS, each involving Northland) and `sources` short sources."""
    for k in range(events):
        (content / "events" / f"extra-{k:03d}.md").write_text(
            f"---\ndate: {YEARS[k % 2]}-{1 + k % 12:02d}-{1 + k % 28:02d}\ntitle: Extra event {k}\nactors: [northland]\n---\n"
            f"Event number {k}.\n", encoding="utf-8")
    for k in range(sources):
        (content / "sources" / f"extra-{k:03d}.md").write_text(
            f"---\ntitle: Extra source {k}\nauthors: [Ann Other]\npublished: 2022-{1 + k % 12:02d}-{1 + k % 28:02d}\n---\n"
            f"An article with nothing annotated, number {k}.\n", encoding="utf-8")


def list_pages(tmp_path: Path) -> Path:
    """The pages of the lists cut into pages (the timeline's and the sources'), built from the
    fixture content grown past one page each, in a folder of their own; their lists of pages
    are folded, as on a larger site."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    grow(content, 70, 120)
    fold = list_views.FOLD_PARTS
    list_views.FOLD_PARTS = 1
    try:
        files = render_site(BuildOptions(content=content, out=tmp_path / "site"), validate(content))
    finally:
        list_views.FOLD_PARTS = fold
    out = tmp_path / "lists"
    for rel, data in files.items():
        if rel.startswith(("timeline/", "sources/index.html", "sources/page_", "static/")):
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_bytes(data)
    return out


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """The fixture content with 70 more events and 120 more sources, and its built pages."""
    content = tmp_path_factory.mktemp("big") / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    grow(content, 70, 120)
    files = render_site(BuildOptions(content=content, out=content.parent / "site"), validate(content))
    return content, files


def page(files: dict[str, bytes], path: str):
    return parse_html(files[path].decode("utf-8"))


def test_a_short_list_stays_one_page_and_a_long_one_is_cut_evenly():
    assert parts.timeline_parts(["a", "b"], lambda e: 2024) == (parts.Part("", "", ("a", "b")),)
    ids = [f"e{k}" for k in range(parts.EVENTS_PER_PAGE * 2 + 1)]
    cut = parts.timeline_parts(ids + ["late"], lambda e: 2025 if e == "late" else 2024)
    assert [(p.key, p.label, len(p.ids)) for p in cut] == [
        ("2024", "2024, part 1 of 3", 67), ("2024/part_2", "2024, part 2 of 3", 67), ("2024/part_3", "2024, part 3 of 3", 67),
        ("2025", "2025", 1)]
    assert [p.key for p in parts.source_pages([f"s{k}" for k in range(parts.SOURCES_PER_PAGE + 1)])] == ["", "page_2"]


def test_the_views_of_a_timeline_cut_by_year(big, monkeypatch):
    content, _ = big
    validated = validate(content)
    first = views.timeline(validated.model, validated.index)
    # The first page lists no event in full: the years with their counts, and the latest events.
    assert first.heading == "Timeline" and first.years == () and first.filters == ()
    assert [(p.key, p.detail, p.current) for p in first.parts] == [
        ("2021", "35 events", False), ("2022", "35 events", False), ("2023", "1 event", False), ("2024", "2 events", False),
        ("2025", "1 event", False)]
    assert first.latest == ("route-reopens", "southland-review", "recognition") + first.latest[3:]
    year = views.timeline(validated.model, validated.index, "2024")
    assert (year.heading, year.holds, year.folded, first.holds) == ("Timeline: 2024", "the 2 of 2024", False, "")
    assert [(y, [r.event for r in rows]) for y, rows in year.years] == [(2024, ["recognition", "southland-review"])]
    assert (year.previous.key, year.next.key) == ("2023", "2025")
    assert [p.key for p in year.parts if p.current] == ["2024"]
    # The filter offers the actors of this page's events only.
    assert year.filters == (("northland", "Northland", 1), ("southland", "Southland", 1), ("islanders", "Island Council", 1))
    sources = views.sources(validated.model, validated.index, "page_2")
    assert [p.key for p in sources.pages] == ["", "page_2"] and sources.previous.key == "" and sources.next is None
    assert not sources.folded
    # Past FOLD_PARTS pages the list of them is folded, but on the timeline's first page, which lists only them.
    monkeypatch.setattr(list_views, "FOLD_PARTS", 1)
    assert views.sources(validated.model, validated.index).folded and views.timeline(validated.model, validated.index, "2021").folded
    assert not views.timeline(validated.model, validated.index).folded
    assert len(sources.cards) == 61 and sources.summary.startswith("The 122 articles this site reads, newest first, in 2 pages; "
                                                                   "this one holds 61 articles published ")


def test_a_long_timeline_has_a_page_per_year_linked_both_ways(big):
    _, files = big
    assert {p for p in files if p.startswith("timeline/") and p.endswith(".html")} == {
        f"timeline/{y}/index.html" for y in (2021, 2022, 2023, 2024, 2025)} | {"timeline/index.html"}
    first = page(files, "timeline/index.html")
    assert [a.attrs["href"] for a in first.find("nav", cls="part-nav").find("ol").find_all("a")] == [
        f"/timeline/{y}/" for y in (2021, 2022, 2023, 2024, 2025)]
    assert first.find_all("li", cls="event") == []
    # Search finds each event on its year's page, not again among the latest on the first page.
    assert "data-pagefind-body" not in files["timeline/index.html"].decode()
    assert "data-pagefind-body" in files["timeline/2024/index.html"].decode()
    latest = first.find("ol", cls="event-lines").find_all("a")
    assert (latest[0].text(), latest[0].attrs["href"]) == ("The harbour route reopens", "/timeline/2025/#route-reopens")
    year = page(files, "timeline/2024/index.html")
    assert year.find("h1").text() == "Timeline: 2024"
    assert [e.attrs["id"] for e in year.find_all("li", cls="event")] == ["recognition", "southland-review"]
    current = [a for a in year.find("nav", cls="part-nav").find_all("a") if a.attrs.get("aria-current") == "page"]
    assert [a.attrs["href"] for a in current] == ["/timeline/2024/"]
    steps = {a.attrs["rel"]: a.attrs["href"] for a in year.find("p", cls="part-steps").find_all("a")}
    assert steps == {"prev": "/timeline/2023/", "next": "/timeline/2025/"}
    # Every link to an event leads to the page it stands on: from another event, an actor, the sitemap.
    after = year.by_id("southland-review").find("p", cls="event-after").find("a")
    assert after.attrs["href"] == "/timeline/2024/#recognition"
    actor_links = {a.attrs["href"] for a in page(files, "actors/northland/index.html").find_all("a")}
    assert {"/timeline/2021/#extra-000", "/timeline/2025/#route-reopens"} <= actor_links
    assert "/timeline/#" not in "".join(f.decode("utf-8", "replace") for p, f in files.items() if p.endswith(".html"))
    assert b"/timeline/2022/</loc>" in files["sitemap.xml"]


def test_a_long_list_of_sources_has_pages_of_newest_first(big):
    _, files = big
    assert {p for p in files if p.startswith("sources/page_")} == {"sources/page_2/index.html"}
    first, second = page(files, "sources/index.html"), page(files, "sources/page_2/index.html")
    assert len(first.find("ul", cls="card-list").find_all("li")) == 61
    labels = [a.text() for a in second.find("nav", cls="part-nav").find("ol").find_all("a")]
    assert labels[0] == "Page 1 10 March 2024 to 3 July 2022" and labels[1].startswith("Page 2 3 July 2022 to ")
    assert {a.attrs["rel"]: a.attrs["href"] for a in first.find("p", cls="part-steps").find_all("a")} == {"next": "/sources/page_2/"}
    assert {a.attrs["rel"]: a.attrs["href"] for a in second.find("p", cls="part-steps").find_all("a")} == {"prev": "/sources/"}


def test_a_small_site_keeps_each_list_on_one_page(fixture_site):
    assert not (fixture_site / "timeline" / "2024").exists() and not (fixture_site / "sources" / "page_2").exists()
    timeline = parse_html((fixture_site / "timeline/index.html").read_text(encoding="utf-8"))
    assert timeline.find_all("nav", cls="part-nav") == [] and len(timeline.find_all("li", cls="event")) == 4


def test_under_serve_an_event_moves_between_year_pages_and_the_timeline_splits(tmp_path):
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(FIXTURE_CONTENT, content)
    shutil.copytree(ROOT / "templates", templates)
    grow(content, parts.TIMELINE_ONE_PAGE - 4, 0)  # one event short of a split
    engine = Engine(BuildOptions(content=content, out=tmp_path / "site", templates=templates))
    assert engine.build_all().ok
    assert not (tmp_path / "site/timeline/2024").exists()
    # One more event: the timeline is cut by year, and every link to an event follows.
    added = content / "events" / "one-more.md"
    added.write_text("---\ndate: 2024-05-01\ntitle: One more\nactors: [southland]\n---\nIt tips the balance.\n", encoding="utf-8")
    rebuild(engine, added)
    assert (tmp_path / "site/timeline/2024/index.html").exists()
    # An event that changes year moves to the other year's page (`rebuild` compares with a cold build).
    moved = content / "events" / "route-reopens.md"
    moved.write_text(moved.read_text(encoding="utf-8").replace("date: 2025", "date: 2024-06-01"), encoding="utf-8")
    rebuild(engine, moved)
    assert 'id="route-reopens"' in (tmp_path / "site/timeline/2024/index.html").read_text(encoding="utf-8")
    assert not (tmp_path / "site/timeline/2025").exists()


def test_a_sitemap_past_its_limit_becomes_a_sitemap_index_of_files_within_it(tmp_path, monkeypatch):
    import re

    from sitegen import plan

    options = BuildOptions(content=FIXTURE_CONTENT, out=tmp_path / "site")
    whole = render_site(options, validate(FIXTURE_CONTENT))
    addresses = re.findall(r"<loc>([^<]+)</loc>", whole["sitemap.xml"].decode())
    assert b"<urlset" in whole["sitemap.xml"] and not any(p.startswith("sitemap_") for p in whole)
    monkeypatch.setattr(plan, "SITEMAP_URLS", 10)
    cut = render_site(options, validate(FIXTURE_CONTENT))
    index = cut["sitemap.xml"].decode()
    files = [f"sitemap_{k + 1}.xml" for k in range(-(-len(addresses) // 10))]
    assert index.startswith('<?xml version="1.0" encoding="utf-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    assert re.findall(r"<loc>([^<]+)</loc>", index) == ["https://example.org/fixture/" + f for f in files]
    parts = [re.findall(r"<loc>([^<]+)</loc>", cut[f].decode()) for f in files]
    assert all(0 < len(part) <= 10 for part in parts) and sum(parts, []) == addresses
    assert sorted(p for p in cut if p.startswith("sitemap")) == sorted(files + ["sitemap.xml"])
