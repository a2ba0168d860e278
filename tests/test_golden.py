"""The fixture site renders exactly as its reviewed golden copy (regenerate with `make golden`)."""

from __future__ import annotations

import difflib

from .conftest import ROOT
from .golden import GOLDEN, site_files


def test_fixture_site_matches_its_golden_output(fixture_site):
    expected = site_files(GOLDEN)
    actual = site_files(fixture_site)
    assert sorted(actual) == sorted(expected), "the set of output files changed: run `make golden` and review"
    for rel in sorted(expected):
        if actual[rel] != expected[rel]:
            diff = "\n".join(difflib.unified_diff(
                expected[rel].decode("utf-8", "replace").splitlines(),
                actual[rel].decode("utf-8", "replace").splitlines(),
                f"golden/{rel}", f"built/{rel}", lineterm="", n=2))
            raise AssertionError(f"{rel} differs from the golden copy (`make golden` if intended):\n{diff[:4000]}")


def test_static_assets_are_copied_verbatim(fixture_site):
    static = ROOT / "templates" / "static"
    sources = {p.relative_to(static).as_posix(): p.read_bytes() for p in static.rglob("*") if p.is_file()}
    built = {p.relative_to(fixture_site / "static").as_posix(): p.read_bytes()
             for p in (fixture_site / "static").rglob("*") if p.is_file()}
    assert sources and built == sources
