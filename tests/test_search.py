"""Search: Pagefind runs in every build, indexes each passage once, and the /search/ page works
at the root and under a sub-path, with and without JavaScript."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import cbor2
import pytest

from .browser import serve_directory
from .conftest import FIXTURE_CONTENT, ROOT, require, run_build

BASES = ["/", "/repo/"]
SEARCH_TERM = "lighthouse"
"""In the fixture it occurs on one actor page (Island Council's profile) and in one passage
(harbour-report/lighthouse); the passage is quoted again on aggregate pages, which must not index it."""


def built(request, base: str) -> Path:
    return request.getfixturevalue("fixture_site" if base == "/" else "fixture_site_subpath")


def fragments(site: Path) -> dict[str, dict]:
    """The indexed pages, by URL: Pagefind's fragment files are gzipped JSON behind a short signature."""
    pages = {}
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        data = json.loads(raw[raw.index(b"{"):])
        pages[data["url"]] = data
    assert pages, "no fragments: Pagefind indexed nothing"
    return pages


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def squash(text: str) -> str:
    return " ".join(text.replace("“", '"').replace("”", '"').split())


# -- the index ----------------------------------------------------------------------------------


def test_every_build_writes_the_pagefind_bundle(fixture_site):
    bundle = fixture_site / "pagefind"
    for name in ("pagefind.js", "pagefind-entry.json", "pagefind-worker.js"):
        assert (bundle / name).is_file(), name
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["en"]
    # Pagefind's own search interfaces are not published: the site has its own.
    assert not [p.name for p in bundle.iterdir() if p.name.startswith("pagefind-") and "ui" in p.name]
    assert not (bundle / "pagefind-highlight.js").exists()


def test_only_content_pages_are_indexed(fixture_site):
    indexed = set(fragments(fixture_site))
    for url in ("/", "/about/", "/actors/northland/", "/actors/islanders/", "/motives/trade/",
                "/sources/harbour-report/", "/sources/river-letter/", "/timeline/", "/arguments/trade-first/",
                "/arguments/quiet-border/", "/corrections/"):
        assert url in indexed, url
    for url in ("/search/", "/data/", "/404.html", "/actors/", "/motives/", "/sources/", "/arguments/"):
        assert url not in indexed, f"{url} should not be indexed"
    with_body = {p for p in fixture_site.rglob("*.html") if "data-pagefind-body" in p.read_text()}
    assert len(with_body) == len(indexed)


def test_each_passage_is_indexed_once_on_its_source_page(fixture_site):
    pages = fragments(fixture_site)
    exports = json.loads((fixture_site / "data/site.json").read_text())
    for ann in exports["annotations"]:
        quote = squash(ann["exact"])
        if len(quote.split()) < 4:
            continue  # a two-word passage ("the border") is not distinctive enough to count
        where = sorted(url for url, page in pages.items() if quote in squash(page["content"]))
        assert where == [f"/sources/{ann['source']}/"], ann["ref"]


def test_labels_and_links_around_the_text_are_not_indexed(fixture_site):
    """Search excerpts show the sources' and editors' words, not the notes' tag lists, their
    links or an argument's "Made in ... Actors ..." list; the filters still come from those."""
    pages = fragments(fixture_site)
    source = pages["/sources/harbour-report/"]
    for chrome in ("Permalink", "Find it in the original", "Motive Trade access", "Actor Northland"):
        assert chrome not in source["content"], chrome
    assert "Trade access" in source["filters"]["motive"]
    # An argument is found by its own words: another's claim, repeated in its relations, is not
    # indexed again (each claim occurs once in the indexed text, on its own page).
    claims = {a["id"]: a["claim"] for a in json.loads((fixture_site / "data/site.json").read_text())["arguments"]}
    for arg_id in claims:
        argument = pages[f"/arguments/{arg_id}/"]
        for chrome in ("Made in", "Reasoning", "Evidence", "Supported by", "Opposes", "argument map"):
            assert chrome not in argument["content"], (arg_id, chrome)
        assert argument["filters"]["source"]
        for other, claim in claims.items():
            assert squash(argument["content"]).count(squash(claim)) == (other == arg_id), (arg_id, other)


def test_aggregate_pages_do_not_index_the_names_they_list(fixture_site):
    """The home, actor and motive pages list sources, events and arguments by name; a search
    for one of those names finds the page it belongs to, not every page that lists it. (At
    N=1000 those lists were about one word in nine of all that Pagefind indexed.) Only the
    page's own prose (a profile, a definition, the summary) may name them."""
    pages = fragments(fixture_site)
    exports = json.loads((fixture_site / "data/site.json").read_text())
    names = ([(s["title"], f"/sources/{s['id']}/") for s in exports["sources"]]
             + [(e["title"], "/timeline/") for e in exports["events"]]
             + [(a["claim"], f"/arguments/{a['id']}/") for a in exports["arguments"]])
    text = lambda body: re.sub(r"<[^>]+>", "", body["html"]) if body else ""  # noqa: E731
    own_prose = {"/": text(exports["site"]["summary"])}
    own_prose.update({f"/actors/{a['id']}/": text(a["profile"]) for a in exports["actors"]})
    own_prose.update({f"/motives/{m['id']}/": text(m["definition"]) for m in exports["motives"]})
    assert set(own_prose) <= set(pages)
    for name, owner in names:
        assert squash(name) in squash(pages[owner]["content"]), (name, owner)
        for url, prose in own_prose.items():
            if squash(name) not in squash(prose):
                assert squash(name) not in squash(pages[url]["content"]), (name, url)


def test_the_search_term_is_on_one_actor_page_and_one_passage(fixture_site):
    pages = fragments(fixture_site)
    where = sorted(url for url, page in pages.items() if SEARCH_TERM in page["content"].lower())
    assert where == ["/actors/islanders/", "/sources/harbour-report/"]
    anchors = {a["id"]: a for a in pages["/sources/harbour-report/"]["anchors"]}
    assert anchors["lighthouse"]["element"] == "mark"


def test_filters_by_actor_motive_and_source(fixture_site):
    pages = fragments(fixture_site)
    source = pages["/sources/harbour-report/"]["filters"]
    assert source["source"] == ["The Harbour Report"]
    assert {"Northland", "Southland", "Island Council"} <= set(source["actor"])
    assert {"Trade access", "Border security"} <= set(source["motive"])
    assert pages["/actors/northland/"]["filters"]["actor"] == ["Northland"]
    assert pages["/motives/trade/"]["filters"]["motive"] == ["Trade access"]


def test_actor_and_argument_titles_weigh_more_than_mentions(fixture_site):
    actor = (fixture_site / "actors/northland/index.html").read_text()
    assert re.search(r'<h1[^>]*data-pagefind-weight="10"[^>]*>\s*Northland', actor)
    for path in (FIXTURE_CONTENT / "arguments").glob("*.md"):
        argument = (fixture_site / "arguments" / path.stem / "index.html").read_text()
        assert re.search(r'<h1[^>]*data-pagefind-weight="10"[^>]*>', argument), path.stem


def test_the_search_page_sets_the_bundle_path_for_the_base_path(fixture_site, fixture_site_subpath):
    for site, base in ((fixture_site, "/"), (fixture_site_subpath, "/repo/")):
        page = (site / "search/index.html").read_text()
        assert f'data-bundle="{base}pagefind/"' in page and f'data-base="{base}"' in page
        assert f'action="{base}search/"' in page and 'method="get"' in page
        assert "<noscript>" in page and "Search needs JavaScript" in page
        assert not re.search(r'(src|href)="(https?:)?//', page.split("<main", 1)[1].split("</main>", 1)[0]), \
            "the search page loads nothing from elsewhere"


def test_pagefind_indexes_only_the_pages_it_is_given_whatever_their_names(tmp_path):
    from sitegen import search

    page = '<!doctype html><html lang="en"><head><title>{0}</title></head><body><main data-pagefind-body><h1>{0}</h1><p>harbour {0}</p></main></body></html>'
    names = {"a/index.html": "listed", "b {x,y}/index.html": "braces", "c*[1]/index.html": "stars", "d/index.html": "unlisted"}
    for rel, title in names.items():
        (tmp_path / rel).parent.mkdir(parents=True)
        (tmp_path / rel).write_text(page.format(title))
    search.index_site(tmp_path, ["a/index.html", "b {x,y}/index.html", "c*[1]/index.html"])
    assert sorted(data["meta"]["title"] for data in fragments(tmp_path).values()) == ["braces", "listed", "stars"]
    assert not list(tmp_path.glob("*.json")), "the list of pages is not left in the site"


def test_pagefind_output_is_deterministic(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        result = run_build("build", "--content", str(FIXTURE_CONTENT), "--out", str(out), "--base-path", "/repo/")
        assert result.returncode == 0, result.stderr
    assert tree_digest(first / "pagefind") == tree_digest(second / "pagefind")


def test_filter_indexes_in_any_order_come_out_the_same(fixture_site, tmp_path):
    """Pagefind writes filter values in hash-map order; the build puts them in one order."""
    from sitegen import search

    bundle = tmp_path / "pagefind"
    shutil.copytree(fixture_site / "pagefind", bundle)
    expected = tree_digest(bundle)
    # Shuffle as another Pagefind run might: values reversed in every filter file, filters
    # reversed in the meta file, files renamed after their new content.
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    meta_hash = entry["languages"]["en"]["hash"]
    meta = search._read_packed(bundle / f"pagefind.{meta_hash}.pf_meta")
    table = search._filter_table(meta, bundle)
    assert [name for name, _ in table] == ["actor", "author", "kind", "motive", "outlet", "source"]
    for pair in table:
        path = bundle / "filter" / f"{pair[1]}.pf_filter"
        index = search._read_packed(path)
        index[1].reverse()
        data = cbor2.dumps(index)
        path.unlink()
        pair[1] = search._short_hash("en", data, 7)
        search._write_packed(bundle / "filter" / f"{pair[1]}.pf_filter", data)
    table.reverse()
    data = cbor2.dumps(meta)
    (bundle / f"pagefind.{meta_hash}.pf_meta").unlink()
    new_hash = search._short_hash("en", data, 10)
    search._write_packed(bundle / f"pagefind.{new_hash}.pf_meta", data)
    entry_path = bundle / "pagefind-entry.json"
    entry_path.write_text(entry_path.read_text().replace(meta_hash, new_hash))
    assert tree_digest(bundle) != expected

    search.make_deterministic(bundle)
    assert tree_digest(bundle) == expected


def test_a_failed_index_leaves_the_old_site(tmp_path):
    out = tmp_path / "site"
    assert run_build("build", "--content", str(FIXTURE_CONTENT), "--out", str(out)).returncode == 0
    before = tree_digest(out)
    env = {**os.environ, "PAGEFIND_BINARY_PATH": "/bin/false"}
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(FIXTURE_CONTENT),
                             "--out", str(out), "--base-path", "/other/"], capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("search index failed: ")
    assert "Pagefind" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "the half-built folder is cleaned up"


# -- the search page in Chromium ----------------------------------------------------------------


@pytest.fixture
def served(request):
    """(site folder, URL of the site) for a base path; the server behaves like GitHub Pages."""
    base = request.param
    site = built(request, base)
    with serve_directory(site, base) as url:
        yield site, url


def base_of(url: str) -> str:
    """The base path of a served site's URL: `http://127.0.0.1:8000/repo/` -> `/repo/`."""
    return "/" + url.split("/", 3)[3]


def open_search(browser, url: str, query: str = "", javascript: bool = True, viewport=None):
    context = browser.new_context(java_script_enabled=javascript, viewport=viewport or {"width": 1200, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url + "search/" + (f"?q={query}" if query else ""))
    return context, page, requests


def wait_for_results(page, count: int | None = None):
    page.wait_for_function("document.querySelectorAll('#search_results > li').length > 0")
    if count is not None:
        page.wait_for_function(f"document.querySelectorAll('#search_results > li').length === {count}")
    return page.locator("#search_results > li")


@pytest.mark.parametrize("served", BASES, indirect=True)
def test_search_finds_the_actor_page_and_the_passage_and_opens_it(browser, served):
    site, url = served
    context, page, requests = open_search(browser, url)
    try:
        page.wait_for_selector("#search_form[data-ready='true']")
        page.fill("#search_query", SEARCH_TERM)
        page.press("#search_query", "Enter")
        results = wait_for_results(page, 2)
        titles = sorted(results.locator("h2").all_inner_texts())
        assert titles == ["Island Council", "The Harbour Report"]
        assert "2 pages match" in page.inner_text("#search_status")
        assert f"?q={SEARCH_TERM}" in page.url, "the query is kept in the address"

        source = results.filter(has_text="The Harbour Report")
        passage = source.locator(".search-subresult a").first
        assert passage.inner_text().startswith("Passage: “The Island Council keeps the lighthouse")
        assert source.locator(".search-subresult mark").first.inner_text().lower() == SEARCH_TERM
        assert passage.get_attribute("href") == base_of(url) + "sources/harbour-report/#lighthouse"
        passage.click()
        page.wait_for_url("**/sources/harbour-report/#lighthouse")
        assert page.url == url + "sources/harbour-report/#lighthouse"
        target = page.evaluate("document.querySelector(':target') && document.querySelector(':target').textContent")
        assert target and SEARCH_TERM in target
        origin = url.split("/", 3)[:3]
        outside = [r for r in requests if r.split("/", 3)[:3] != origin]
        assert outside == [], "search must not fetch anything from elsewhere"
        assert any(r.startswith(url + "pagefind/") for r in requests), "the bundle is loaded from under the base path"
    finally:
        context.close()


@pytest.mark.parametrize("served", BASES, indirect=True)
@pytest.mark.parametrize("query, first, anchor, found", [
    ("Southland", "actors/southland/", None, "many"),  # named on most pages; its own page comes first
    # A claim: actor and motive pages list it, but do not index it again, so only its own page is found.
    ("drives", "arguments/security-first/", None, "one"),
])
def test_actor_and_argument_titles_rank_above_pages_that_mention_them(browser, served, query, first, anchor, found):
    _, url = served
    context, page, _ = open_search(browser, url, query)
    try:
        results = wait_for_results(page)
        if found == "many":
            assert results.count() > 2
        else:
            assert results.count() == 1
        assert results.first.locator("h2 a").get_attribute("href") == base_of(url) + first
        if anchor:
            sub = results.first.locator(".search-subresult a").first.get_attribute("href")
            assert sub == f"{base_of(url)}{first}#{anchor}"
    finally:
        context.close()


@pytest.mark.parametrize("served", ["/repo/"], indirect=True)
def test_filters_narrow_the_results_and_stay_in_the_address(browser, served):
    _, url = served
    context, page, _ = open_search(browser, url, "border")
    try:
        before = wait_for_results(page).count()
        assert before > 1
        panel = page.locator("#search_filters details")
        assert not panel.evaluate("d => d.open"), "the filters stay folded until asked for"
        panel.locator("summary").click()
        groups = page.locator("#search_filters legend").all_inner_texts()
        assert groups == ["Actor", "Motive", "Source"]
        page.get_by_label(re.compile(r"^A Letter from the River")).check()
        page.wait_for_function(f"document.querySelectorAll('#search_results > li').length < {before}")
        hrefs = page.locator("#search_results > li h2 a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        # The letter's own page, and the pages of the arguments that cite it and speak of a border.
        assert sorted(hrefs) == [base_of(url) + p for p in (
            "arguments/border-fear/", "arguments/quiet-border/", "arguments/security-first/", "sources/river-letter/")]
        assert "source=A+Letter+from+the+River" in page.url
        page.reload()
        wait_for_results(page, 4)
        assert page.get_by_label(re.compile(r"^A Letter from the River")).is_checked()
        assert panel.evaluate("d => d.open") and "(1 chosen)" in panel.locator("summary").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("served", ["/"], indirect=True)
def test_result_text_is_never_markup(browser, served):
    _, url = served
    context, page, _ = open_search(browser, url, "alert")
    try:
        wait_for_results(page)
        assert page.locator("#search_results script").count() == 0
        assert "<script>" in page.inner_text("#search_results")
    finally:
        context.close()


@pytest.mark.parametrize("served", BASES, indirect=True)
def test_without_javascript_the_page_says_so_and_the_form_still_submits(browser, served):
    _, url = served
    context, page, _ = open_search(browser, url, javascript=False)
    try:
        message = page.locator(".search-nojs")
        assert message.is_visible()
        assert "Search needs JavaScript" in message.inner_text()
        links = message.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert all(h.startswith(base_of(url)) for h in links)
        assert set(links) >= {base_of(url) + "actors/", base_of(url) + "timeline/", base_of(url) + "data/"}
        page.fill("#search_query", SEARCH_TERM)
        with page.expect_navigation():
            page.press("#search_query", "Enter")
        assert page.url == f"{url}search/?q={SEARCH_TERM}"
        assert page.locator(".search-nojs").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("served", ["/repo/"], indirect=True)
def test_a_missing_index_gives_a_clear_message(browser, served):
    site, url = served
    context = browser.new_context()
    page = context.new_page()
    try:
        page.route("**/pagefind/**", lambda route: route.fulfill(status=404, body="not found"))
        page.goto(url + "search/?q=harbour")
        page.wait_for_function("document.getElementById('search_status').textContent.length > 0")
        assert "could not load" in page.inner_text("#search_status")
    finally:
        context.close()


@pytest.mark.parametrize("served", ["/repo/"], indirect=True)
@pytest.mark.parametrize("scheme, width", [("light", 1280), ("dark", 360)])
def test_the_search_page_with_results_has_no_axe_violation(browser, served, scheme, width):
    axe = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    require(axe.is_file(), "npm package axe-core is not installed (scripts/setup-test.sh installs it)")
    _, url = served
    context, page, _ = open_search(browser, url, SEARCH_TERM, viewport={"width": width, "height": 900})
    try:
        page.emulate_media(color_scheme=scheme)
        wait_for_results(page, 2)
        page.click("#search_filters summary")
        page.add_script_tag(path=str(axe))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        assert [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]] == []
    finally:
        context.close()


@pytest.mark.parametrize("served", ["/"], indirect=True)
def test_search_titles_a_passage_as_the_pages_do_with_nested_marks_made_single(browser, served):
    """A passage's search result is titled with the passage in quotation marks; the script's
    `quoted` does what `sitegen.typography.quoted` does on the pages."""
    from sitegen.typography import quoted

    _, url = served
    context, page, _ = open_search(browser, url)
    try:
        page.wait_for_selector("#search_form[data-ready='true']")
        samples = ['He said, “No.”', 'the "interim" government ("IEA")', "Russia’s ‘multipolar’ order",
                   "The Kremlin moved first, “and” Beijing followed it closely, as did several others in the region",
                   "Moscow moved first, then Beijing, then Tehran, then Islamabad, Delhi, and then the others",
                   "https://example.org/" + "a-very-long-address/" * 5]
        got = page.evaluate("""async (samples) => {
            const script = await import(document.querySelector("script[src*='search.js']").src);
            return samples.map((s) => script.quoted(s, 70));
        }""", samples)
        assert got == [quoted(s, 70) for s in samples]
    finally:
        context.close()


@pytest.fixture(scope="module")
def real_served(tmp_path_factory):
    """The site's own content, built and served at `/`."""
    site = tmp_path_factory.mktemp("real-search") / "site"
    result = run_build("build", "--content", str(ROOT / "content"), "--out", str(site))
    assert result.returncode == 0, result.stderr
    with serve_directory(site, "/") as url:
        yield url


@pytest.mark.parametrize("query, first", [
    # The editors' notes on the other source, the timeline and the arguments name "Khan" and
    # "the Firstpost piece" dozens of times; the articles' own bylines name them once.
    ("Khan", "/sources/deciphering-diplomacy/"),
    ("Raza Khan", "/sources/deciphering-diplomacy/"),
    ("TNS", "/sources/deciphering-diplomacy/"),
    ("Firstpost", "/sources/russia-recognised-taliban-india-cautious/"),
    ("amitabh singh", "/sources/russia-recognised-taliban-india-cautious/"),
    # Every page names Russia; the source whose title does would otherwise come first.
    ("Russia", "/actors/russia/"),
    ("united states", "/actors/united-states/"),
    ("Taliban", "/actors/taliban/"),
    ("ISKP", "/actors/iskp/"),
    ("NATO", "/actors/western-allies/"),
    ("Counter-terrorism", "/motives/counter-terrorism/"),
])
def test_a_search_for_a_name_finds_its_page_first(browser, real_served, query, first):
    context, page, _ = open_search(browser, real_served, query)
    try:
        results = wait_for_results(page)
        assert results.first.locator("h2 a").get_attribute("href") == first
    finally:
        context.close()


@pytest.mark.parametrize("query", ["Sunday", "Iran Syria", "recognition"])
def test_other_queries_keep_pagefinds_order(browser, real_served, query):
    """A word of an outlet's name is not the name; a motive's bracketed examples are not its name
    ("West Asian order (Iran, Syria)"); a word of many names names none."""
    context, page, _ = open_search(browser, real_served, query)
    try:
        shown = [a.get_attribute("href") for a in wait_for_results(page).locator("h2 a").all()]
        ranked = page.evaluate("""async (query) => {
            const pagefind = await import("/pagefind/pagefind.js");
            await pagefind.options({ ranking: { pageLength: 0.3 } });
            const search = await pagefind.search(query);
            return Promise.all(search.results.slice(0, 10).map(async (r) => (await r.data()).url));
        }""", query)
        assert shown == ranked
    finally:
        context.close()


def test_names_match_whole_by_alias_or_by_surname(browser, real_served):
    context, page, _ = open_search(browser, real_served)
    try:
        page.wait_for_selector("#search_form[data-ready='true']")
        surname, aliases = {"bySurname": True}, {"aliases": True}
        cases = [("Dr Raza Khan", "Khan", surname, True), ("Dr Raza Khan", "raza khan", surname, True),
                 ("Dr Raza Khan", "Raza", surname, False), ("Dr Raza Khan", "Kha", surname, False),
                 ("The News on Sunday (TNS)", "TNS", aliases, True),
                 ("The News on Sunday (TNS)", "the news on sunday", aliases, True),
                 ("The News on Sunday (TNS)", "Sunday", aliases, False),
                 ("Firstpost (opinion)", "Firstpost", aliases, True), ("Firstpost (opinion)", "", aliases, False),
                 ("Western allies of the US (Europe, NATO)", "nato", aliases, True),
                 ("Western allies of the US (Europe, NATO)", "Europe NATO", aliases, False),
                 ("West Asian order (Iran, Syria)", "Iran", {}, False),
                 ("West Asian order (Iran, Syria)", "west asian order", {}, True)]
        got = page.evaluate("""async (cases) => {
            const script = await import(document.querySelector("script[src*='search.js']").src);
            return cases.map(([name, query, how]) => script.namesMatch(name, query, how));
        }""", cases)
        assert got == [expected for *_, expected in cases]
    finally:
        context.close()


# -- sources in other languages -------------------------------------------------------------------


@pytest.fixture(scope="module")
def languages_site(tmp_path_factory) -> Path:
    """The fixture site with a Chinese source and its English translation (tests/test_languages.py)."""
    from .test_languages import languages_content

    folder = tmp_path_factory.mktemp("search-languages")
    result = run_build("build", "--content", str(languages_content(folder)), "--out", str(folder / "site"))
    assert result.returncode == 0, result.stderr
    return folder / "site"


def test_chinese_text_is_indexed_character_by_character_in_the_one_index(languages_site):
    entry = json.loads((languages_site / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["en"], "one index, so that one search box finds both languages"
    page = fragments(languages_site)["/sources/harbour-notice/"]
    assert "港 口 对 双 方 的 贸 易 都 很 重 要 。" in page["content"]
    assert "The harbour matters to the trade of both sides." in page["content"]


@pytest.mark.parametrize("query", ["贸易", "港口对双方的贸易", "trade of both sides"])
def test_a_chinese_phrase_and_its_english_translation_both_find_the_passage(browser, languages_site, query):
    with serve_directory(languages_site, "/") as url:
        context, page, _ = open_search(browser, url, query)
        try:
            results = wait_for_results(page, 1)
            assert results.locator("h2").all_inner_texts() == ["北方国承认岛屿委员会"]
            passage = results.locator(".search-subresult a").first
            assert passage.inner_text() == "Passage: “港口对双方的贸易都很重要。”"
            assert passage.get_attribute("href") == "/sources/harbour-notice/#harbour-trade"
            excerpt = results.locator(".search-subresult .search-result-excerpt").first.inner_text()
            assert ("港口对双方的贸易都很重要" if query != "trade of both sides" else "trade of both sides") in excerpt
        finally:
            context.close()


def test_a_chinese_query_finds_only_pages_holding_its_characters_in_that_order(browser, languages_site):
    with serve_directory(languages_site, "/") as url:
        context, page, _ = open_search(browser, url, "国港")  # both characters are on the page, never together
        try:
            page.wait_for_function("document.getElementById('search_status').textContent.includes('No pages')")
        finally:
            context.close()
