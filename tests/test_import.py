"""`build.py import FILE|URL`: the source file it writes from saved pages of three shapes, what
it says it could not find, what `check` makes of the result, and what it refuses."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading

import pytest

from .conftest import FIXTURE_CONTENT, ROOT, run_build

PAGES = ROOT / "tests" / "fixtures" / "import"
EXPECTED = PAGES / "expected"


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, folder)
    return folder


def imported(content, page, *args):
    return run_build("import", page, *args, "--content", "content", cwd=content.parent)


@pytest.mark.parametrize("page, ident, blocks, notes", [
    ("harbour-news", "port-deal-reshapes-the-northern-coast", 5, 8),
    ("river-blog", "why-the-river-treaty-matters-more-than-the-port", 10, 4),
])
def test_a_page_with_its_metadata_becomes_a_source_that_checks_clean(content, page, ident, blocks, notes):
    result = imported(content, str(PAGES / f"{page}.html"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == (f"wrote content/sources/{ident}.md: {blocks} blocks of text, {notes} notes in normalised; "
                             "read both against the page, then run python build.py check\n")
    written = (content / "sources" / f"{ident}.md").read_bytes()
    assert written == (EXPECTED / f"{ident}.md").read_bytes()
    check = run_build("check", "--content", "content", cwd=content.parent)
    assert check.returncode == 0, check.stderr
    assert f"content/sources/{ident}.md:1: warning: source '{ident}' has no annotations" in check.stderr


def test_the_news_page_loses_its_furniture_and_keeps_its_words():
    text = (EXPECTED / "port-deal-reshapes-the-northern-coast.md").read_text()
    body = text.split("\n---\n", 1)[1]
    for furniture in ("Share on", "newsletter", "Subscribe", "More from News", "All rights reserved", "Weather"):
        assert furniture not in body
    assert "\nThe government signed the harbour agreement" in body  # the drop cap rejoined, not lost
    assert body.count("could set fees that local shippers cannot pay") == 1  # the pull quote gone, the paragraph kept
    assert 'subtitle: A new agreement hands the harbour to a foreign operator for thirty years.' in text
    assert "published: 2025-03-14\n" in text


def test_what_the_aggregator_copy_lacks_is_left_empty_and_named(content):
    ident = "ferry-operators-warn-of-higher-fares-after-port-handover"
    result = imported(content, str(PAGES / "ferry-amp.html"))
    assert result.returncode == 0
    path = f"content/sources/{ident}.md"
    hint = "    hint: fill it in from the article, then run python build.py check"
    assert result.stderr.splitlines() == [
        f"{path}:3: warning: authors not found in the page, left empty", hint,
        f"{path}:4: warning: publication not found in the page, left empty", hint,
        f"{path}:5: warning: published not found in the page, left empty", hint,
    ]
    assert (content / "sources" / f"{ident}.md").read_bytes() == (EXPECTED / f"{ident}.md").read_bytes()
    check = run_build("check", "--content", "content", cwd=content.parent)
    assert check.returncode == 1
    assert check.stderr.splitlines()[:4] == [
        f"{path}:3: 'authors' is empty", "    hint: list at least one entry in 'authors'",
        f"{path}:5: 'published' is empty", "    hint: give the date: YYYY, YYYY-MM or YYYY-MM-DD",
    ]


def test_a_web_address_is_fetched_and_the_id_can_be_given(content):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(PAGES))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}/river-blog.html"
            result = imported(content, url, "--id", "river-treaty")
            missing = imported(content, url.replace("river-blog", "no-such-page"))
        finally:
            server.shutdown()
    assert result.returncode == 0, result.stderr
    expected = (EXPECTED / "why-the-river-treaty-matters-more-than-the-port.md").read_bytes()
    assert (content / "sources" / "river-treaty.md").read_bytes() == expected  # the canonical address, not ours
    assert missing.returncode == 1
    assert missing.stderr.endswith(": could not fetch the page: HTTP 404 File not found\n    hint: check the address, or save the page "
                                   "in a browser and import the file\n")


def test_an_existing_source_is_never_replaced(content):
    target = content / "sources" / "harbour-report.md"
    before = target.read_bytes()
    result = imported(content, str(PAGES / "harbour-news.html"), "--id", "harbour-report")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == ("content/sources/harbour-report.md:1: source 'harbour-report' already exists; nothing was "
                             "written\n    hint: import it under another id with --id ID, or edit the existing file\n")
    assert target.read_bytes() == before


def test_usage_mistakes_exit_2_and_write_nothing(content, tmp_path):
    before = sorted(p.name for p in (content / "sources").iterdir())
    bad_id = imported(content, str(PAGES / "harbour-news.html"), "--id", "Port Deal")
    assert bad_id.returncode == 2
    assert "'Port Deal' is not a valid id: ids are lowercase a-z, 0-9 and hyphens, like 'port-deal'" in bad_id.stderr
    assert run_build("import", cwd=content.parent).returncode == 2
    untitled = tmp_path / "untitled.html"
    untitled.write_text("<html><body><p>" + "A paragraph of text with no title anywhere. " * 20 + "</p></body></html>")
    no_title = imported(content, str(untitled))
    assert no_title.returncode == 2
    assert no_title.stderr == f"{untitled}:1: no title found in the page to make an id from\n    hint: give one with --id ID\n"
    unreadable = imported(content, str(tmp_path / "missing.html"))
    assert unreadable.returncode == 1
    assert unreadable.stderr == (f"{tmp_path}/missing.html:1: could not read the file: No such file or directory\n"
                                 "    hint: give the path of a saved .html page, or a web address\n")
    assert sorted(p.name for p in (content / "sources").iterdir()) == before


def test_a_page_with_no_article_gives_a_file_of_empty_fields_that_check_points_at(content, tmp_path):
    page = tmp_path / "menu.html"
    page.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    result = imported(content, str(page), "--id", "menu")
    assert result.returncode == 0
    assert result.stdout.startswith("wrote content/sources/menu.md: 0 blocks of text, 0 notes in normalised;")
    assert [line for line in result.stderr.splitlines() if not line.startswith("    hint:")] == [
        f"content/sources/menu.md:{line}: warning: {what} not found in the page, left empty" for line, what in
        ((2, "title"), (3, "authors"), (4, "publication"), (5, "published"), (6, "url"), (9, "the article's text"))]
    assert (content / "sources" / "menu.md").read_text().endswith(
        "https://...\n---\n\n<!-- no article text was found in the page: paste it here, paragraphs separated by a blank "
        "line -->\n")
    check = run_build("check", "--content", "content", cwd=content.parent)
    assert check.returncode == 1
    assert "content/sources/menu.md:2: 'title' is empty" in check.stderr
