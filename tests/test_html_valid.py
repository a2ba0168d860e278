"""Every page is valid HTML, as the Nu Html Checker (npm `vnu-jar`) sees it: no error at all."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT, require, run_build

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CONTENT = ROOT / "content"


def vnu_errors(site: Path) -> list[str]:
    """Errors the checker reports for every HTML file of `site`, as 'file:line: message'."""
    require(shutil.which("java") is not None, "Java is not installed (scripts/setup-test.sh installs it)")
    require(VNU.is_file(), "npm package vnu-jar is not installed (scripts/setup-test.sh installs it)")
    pages = sorted(str(p) for p in site.rglob("*.html"))
    assert pages, f"no pages in {site}"
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True, text=True, timeout=600,
    )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    errors = []
    for message in report["messages"]:
        if message.get("type") in ("error", "non-document-error") or message.get("subType") == "fatal":
            where = message.get("url", "").replace(f"file:{site}/", "")
            errors.append(f"{where}:{message.get('lastLine', '?')}: {message.get('message')}")
    assert result.returncode == 0 or errors, f"vnu failed without a message: {result.stderr[:2000]}"
    return errors


def test_every_page_of_the_fixture_site_is_valid_html(fixture_site):
    assert vnu_errors(fixture_site) == []


def test_every_page_of_the_fixture_site_at_a_sub_path_is_valid_html(fixture_site_subpath):
    assert vnu_errors(fixture_site_subpath) == []


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    require((CONTENT / "site.yaml").is_file(), "content/ is not written yet")
    out = tmp_path_factory.mktemp("real-valid") / "site"
    result = run_build("build", "--content", str(CONTENT), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_every_page_of_the_real_site_is_valid_html(real_site):
    assert vnu_errors(real_site) == []


def test_the_pages_of_a_timeline_and_a_list_of_sources_cut_into_pages_are_valid_html(tmp_path):
    """A site with many events and sources has a page per year and pages of sources (test_list_parts)."""
    from .test_list_parts import list_pages

    assert vnu_errors(list_pages(tmp_path)) == []
