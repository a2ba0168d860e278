"""Every content mistake: exact `path:line: message` lines with a hint, exit 1, old site intact."""

from __future__ import annotations

import pytest

from sitegen.outdir import MARKER, MARKER_TEXT

from .conftest import run_build
from .invalid_cases import CASES_DIR, case_names, make_content


@pytest.mark.parametrize("case", case_names())
def test_invalid_content_reports_exact_errors(case, tmp_path):
    make_content(case, tmp_path)
    result = run_build("check", "--content", "content", cwd=tmp_path)
    expected = (CASES_DIR / case / "expected.txt").read_text()
    assert result.stderr == expected
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("case", case_names())
def test_invalid_content_leaves_the_previous_site_untouched(case, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / MARKER).write_bytes(MARKER_TEXT)  # made by a build: the next build may replace it
    (site / "index.html").write_text("the last good build")
    make_content(case, tmp_path)
    result = run_build("build", "--content", "content", "--out", "site", cwd=tmp_path)
    assert result.returncode == 1
    assert sorted(p.name for p in site.iterdir()) == [MARKER, "index.html"]
    assert (site / "index.html").read_text() == "the last good build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"], "no temporary folder left behind"


def test_every_case_has_a_hint_on_each_error():
    for case in case_names():
        lines = (CASES_DIR / case / "expected.txt").read_text().splitlines()
        errors = [i for i, line in enumerate(lines) if line.startswith("content/")]
        assert errors, f"{case}: no error lines"
        for i in errors:
            assert lines[i + 1].startswith("    hint: "), f"{case}: error without a hint: {lines[i]}"
