"""What a shared link shows: each page's own address, from `--site-url` or site.yaml's `site_url`."""

from __future__ import annotations

import re
import shutil

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
