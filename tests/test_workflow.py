"""The GitHub Pages workflow: valid against GitHub's schema, clean under zizmor, and doing what the README says."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, require

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
BIN = Path(sys.executable).parent
SEVERITY = {"Unknown": 0, "Informational": 1, "Low": 2, "Medium": 3, "High": 4}
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def tool(name: str) -> str:
    path = BIN / name
    require(path.is_file(), f"{name} is not installed in the venv (pip install -e '.[test]')")
    return str(path)


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def uses(workflow: dict, job: str, action: str) -> dict:
    found = [s for s in steps(workflow, job) if s.get("uses", "").split("@")[0] == action]
    assert len(found) == 1, f"job {job} should use {action} once"
    return found[0]


def run_schema_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path)],
                          capture_output=True, text=True)


def zizmor_findings(path: Path) -> list[dict]:
    # The auditor persona reports everything zizmor knows, including pedantic findings.
    result = subprocess.run([tool("zizmor"), "--offline", "--persona", "auditor", "--format", "json", str(path)],
                            capture_output=True, text=True)
    assert result.stdout.strip().startswith("["), f"zizmor gave no JSON report:\n{result.stderr}"
    return json.loads(result.stdout)


def above_low(findings: list[dict]) -> list[str]:
    return [f"{f['ident']} ({f['determinations']['severity']}): {f['desc']}"
            for f in findings
            if not f.get("ignored") and SEVERITY.get(f["determinations"]["severity"], 4) > SEVERITY["Low"]]


# -- the checkers themselves ------------------------------------------------------------------


def test_workflow_is_valid_against_githubs_workflow_schema():
    result = run_schema_check(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_an_invalid_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps: not-a-list\n")
    assert run_schema_check(bad).returncode != 0


def test_zizmor_reports_nothing_above_low_severity():
    findings = zizmor_findings(WORKFLOW)
    assert above_low(findings) == []


def test_zizmor_would_catch_an_unsafe_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: echo \"${{ github.event.pull_request.title }}\"\n"
    )
    idents = {line.split(" ")[0] for line in above_low(zizmor_findings(bad))}
    assert {"unpinned-uses", "template-injection", "artipacked"} <= idents


def test_every_ignored_zizmor_finding_is_justified_beside_it():
    lines = WORKFLOW.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        for audit in re.findall(r"zizmor: ignore\[([\w-]+)\]", line):
            context = "\n".join(lines[max(0, number - 4): number + 1])
            assert audit in context.split("zizmor: ignore")[0], f"line {number + 1}: say why {audit} is ignored"


# -- what the workflow does ---------------------------------------------------------------------


def test_runs_on_push_to_main_and_on_demand(workflow):
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in workflow["on"]


def test_every_action_is_pinned_to_a_commit_with_its_release_named():
    text = WORKFLOW.read_text(encoding="utf-8")
    refs = re.findall(r"uses:\s*(\S+)(.*)", text)
    assert refs
    for ref, rest in refs:
        assert PINNED.match(ref), f"{ref} is not pinned to a full commit SHA"
        assert re.search(r"#\s*v\d+\.\d+\.\d+", rest), f"{ref}: name the release in a comment"


def test_permissions_are_minimal(workflow):
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["test"]["permissions"] == {"contents": "read"}
    assert jobs["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_checkouts_do_not_keep_credentials(workflow):
    for job in ("test", "build"):
        assert uses(workflow, job, "actions/checkout")["with"]["persist-credentials"] is False


def test_one_deployment_at_a_time(workflow):
    assert workflow["concurrency"]["group"]
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_test_job_runs_the_readme_test_command_with_chromium_and_java(workflow):
    job = workflow["jobs"]["test"]
    assert job["container"].startswith("debian:")
    commands = "\n".join(s.get("run", "") for s in job["steps"])
    assert "chromium" in commands and "default-jre-headless" in commands
    assert any(s.get("run", "").strip() == "make test" for s in job["steps"])


def test_build_uses_the_base_path_and_url_that_pages_gives(workflow):
    job = workflow["jobs"]["build"]
    assert job["needs"] == "test"
    configure = uses(workflow, "build", "actions/configure-pages")
    build = next(s for s in job["steps"] if "build.py build" in s.get("run", ""))
    assert build["env"]["BASE_PATH"] == "${{ steps.%s.outputs.base_path }}" % configure["id"]
    assert build["env"]["BASE_URL"] == "${{ steps.%s.outputs.base_url }}" % configure["id"]
    assert '--base-path "${BASE_PATH}/"' in build["run"] and '--site-url "${BASE_URL}/"' in build["run"]
    assert "--strict" in build["run"].split(), "a warning (a full text without rights...) must not be published"
    assert "${{" not in build["run"], "expand workflow values through env, not into the script"
    out = re.search(r"--out (\S+)", build["run"]).group(1)
    assert uses(workflow, "build", "actions/upload-pages-artifact")["with"]["path"] == out


def test_deploys_with_the_official_pages_action(workflow):
    job = workflow["jobs"]["deploy"]
    assert job["needs"] == "build"
    assert job["environment"]["name"] == "github-pages"
    deploy = uses(workflow, "deploy", "actions/deploy-pages")
    assert job["environment"]["url"] == "${{ steps.%s.outputs.page_url }}" % deploy["id"]


# -- what GitHub Pages serves ---------------------------------------------------------------------


def test_the_site_has_nojekyll(fixture_site_subpath):
    assert (fixture_site_subpath / ".nojekyll").is_file()


def test_the_404_page_works_at_any_depth_under_the_sub_path(browser, fixture_site_subpath):
    from .browser import serve_directory

    with serve_directory(fixture_site_subpath, "/repo/") as url:
        context = browser.new_context()
        page = context.new_page()
        failed: list[str] = []
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
                if r.status >= 400 and r.request.resource_type != "document" and not r.url.endswith("/favicon.ico")
                else None)
        try:
            response = page.goto(url + "no/such/page/")
            assert response.status == 404
            assert "not found" in page.title().lower()
            assert failed == [], "the 404 page's own assets load from the sub-path"
            sheets = page.evaluate("[...document.styleSheets].filter(s => s.cssRules.length).length")
            assert sheets > 0, "the 404 page is styled"
            page.click("main a[href='/repo/']")
            page.wait_for_url(url)
            assert page.locator("h1").count() == 1
        finally:
            context.close()
