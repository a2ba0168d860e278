"""Who edits the site and how to reach them: the repository, from `--repository` or site.yaml."""

from __future__ import annotations

import json
import re
import shutil

from .conftest import FIXTURE_CONTENT, run_build
from .htmltree import load_page


def test_the_repository_given_on_the_command_line_is_where_readers_reach_the_editors(tmp_path):
    result = run_build("build", "--content", str(FIXTURE_CONTENT), "--out", str(tmp_path / "site"),
                       "--repository", "https://github.com/example-owner/example-site")
    assert result.returncode == 0, result.stderr
    about = load_page(tmp_path / "site", "about/")
    editors = about.by_id("editors_heading").parent
    assert [a.attrs["href"] for a in editors.find_all("a")] == [
        "https://github.com/example-owner/example-site", "https://github.com/example-owner/example-site/issues"]
    corrections = about.by_id("corrections_heading").parent
    assert "https://github.com/example-owner/example-site/issues" in [a.attrs["href"] for a in corrections.find_all("a")]
    page = load_page(tmp_path / "site", "corrections/")
    assert "https://github.com/example-owner/example-site/issues" in [a.attrs["href"] for a in page.find_all("a")]
    data = json.loads((tmp_path / "site" / "data" / "site.json").read_text())
    assert data["site"]["repository"] == "https://github.com/example-owner/example-site"


def test_site_yaml_names_the_repository_when_the_command_line_does_not(tmp_path):
    result = run_build("build", "--content", str(FIXTURE_CONTENT), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    editors = load_page(tmp_path / "site", "about/").by_id("editors_heading").parent
    assert [a.attrs["href"] for a in editors.find_all("a")] == ["https://example.org/fixture", "https://example.org/fixture/issues"]


def test_without_a_repository_the_about_page_says_there_is_no_address(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(re.sub(r"(?m)^repository:.*\n", "", site_yaml.read_text()))
    result = run_build("build", "--content", str(content), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    editors = load_page(tmp_path / "site", "about/").by_id("editors_heading").parent
    assert editors.find_all("a") == []
    assert "this build names no repository" in editors.text()


def test_a_repository_that_is_not_a_web_address_is_refused(tmp_path):
    result = run_build("build", "--content", str(FIXTURE_CONTENT), "--out", str(tmp_path / "site"),
                       "--repository", "javascript:alert(1)")
    assert result.returncode == 2
    assert "'javascript:alert(1)' is not a web address the site can link to" in result.stderr
    assert not (tmp_path / "site").exists()
