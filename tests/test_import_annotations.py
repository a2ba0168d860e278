"""`build.py import-annotations FILE`: annotation files from our own export and from Hypothesis'
API JSON; what it cannot match it reports and does not write; exporting and importing again
gives the same files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sitegen import export
from sitegen.pipeline import BuildOptions, make_urls, validate

from .conftest import FIXTURE_CONTENT, ROOT, run_build

HYPOTHESIS = ROOT / "tests" / "fixtures" / "import" / "hypothesis.json"


def exported(content: Path) -> bytes:
    validated = validate(content)
    urls = make_urls(BuildOptions(content=content), validated.model)
    return export.data_files(validated.model, validated.index, urls)["data/annotations.jsonld"]


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.md"))}


def without_annotations(original: Path, tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(original, content, ignore=shutil.ignore_patterns(".*"))
    shutil.rmtree(content / "annotations")
    (content / "annotations").mkdir()
    return content


def test_exporting_the_real_site_and_importing_it_again_gives_the_same_files(tmp_path):
    original = ROOT / "content"
    jsonld = tmp_path / "annotations.jsonld"
    jsonld.write_bytes(exported(original))
    content = without_annotations(original, tmp_path)
    result = run_build("import-annotations", str(jsonld), "--content", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    before = files_under(original / "annotations")
    assert files_under(content / "annotations") == before
    assert result.stderr == f"{len(before)} annotation(s) written, 0 not imported; then run python build.py check\n"
    assert run_build("check", "--content", "content", cwd=tmp_path).returncode == 0


def test_the_fixture_site_comes_back_the_same_but_for_how_its_values_are_written(tmp_path):
    """The import writes one way: a blank line before the quote, corrections and prefixes in
    double quotes, and the quote as the source prints it (typographic quotes included)."""
    jsonld = tmp_path / "annotations.jsonld"
    jsonld.write_bytes(exported(FIXTURE_CONTENT))
    content = without_annotations(FIXTURE_CONTENT, tmp_path)
    assert run_build("import-annotations", str(jsonld), "--content", "content", cwd=tmp_path).returncode == 0
    again = files_under(content / "annotations")
    assert again.keys() == files_under(FIXTURE_CONTENT / "annotations").keys()
    assert again["harbour-report/trade-first.md"].decode() == (
        "---\nactor: northland\nmotives: [trade]\ncorrection: \"The route was closed at the time; it reopened in 2025.\"\n"
        "featured: true\n---\n\n> \"Trade comes first,\" one said, and the ‘route’ must stay open.\n\n"
        "Typographic quotes in the source, straight quotes here: the anchor still matches.\n")
    assert again["harbour-report/long-border.md"].decode().startswith(
        "---\nactor: northland\nmotives: [security]\nprefix: \"quiet, and\"\n---\n\n> the border\n")
    assert exported(content) == jsonld.read_bytes()


@pytest.fixture
def imported(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    result = run_build("import-annotations", str(HYPOTHESIS), "--content", "content", cwd=tmp_path)
    return content, result


def test_hypothesis_rows_become_annotation_files(imported):
    content, result = imported
    folder = content / "annotations" / "harbour-report"
    assert result.stdout == (
        "wrote content/annotations/harbour-report/officials-said-harbour-matters.md\n"
        "wrote content/annotations/harbour-report/border.md\n"
        "wrote content/annotations/harbour-report/officials-said-harbour-matters-2.md\n")
    assert (folder / "officials-said-harbour-matters.md").read_text() == (
        "---\nactor: northland\nmotives: [trade]\ninvolves: [islanders]\n---\n\n"
        "> Officials said the harbour matters more than anything.\n\n"
        "The officials rank the harbour above everything else.\n")
    assert (folder / "border.md").read_text() == (  # the third "the border" of three: two words of prefix pick it
        "---\nactor: southland\nmotives: [security]\nstance: considers\nprefix: \"long, and\"\n---\n\n"
        "> the border\n\nOnly the third mention of the border.\n")
    assert (folder / "officials-said-harbour-matters-2.md").read_text() == (  # the source's spacing, not the row's
        "---\nactor: islanders\nmotives: [trade]\n---\n\n> Officials said the harbour matters more than anything.\n\n"
        "The same words, seen from the islands.\n")
    check = run_build("check", "--content", "content", cwd=content.parent)
    assert check.returncode == 0, check.stderr


def test_what_cannot_be_matched_is_reported_and_not_written(imported):
    content, result = imported
    assert result.returncode == 1
    path = str(HYPOTHESIS)
    assert result.stderr.splitlines() == [
        f"{path}:14: warning: annotation 'hyp-old-border': tag 'reading-group' ignored",
        "    hint: tags this site reads: actor:, motive:, involves:, stance:, speaker:",
        f"{path}:30: annotation 'hyp-page-note' not imported: it quotes no passage (no TextQuoteSelector)",
        "    hint: only annotations of a passage can be imported",
        f"{path}:37: annotation 'hyp-typo-actor' not imported: unknown actor 'nortland'",
        "    hint: did you mean 'northland'?",
        f"{path}:45: annotation 'hyp-elsewhere' not imported: no source has its address "
        "(https://example.net/another-article)",
        "    hint: import the article first (python build.py import), or set the source's url to this address",
        f"{path}:53: annotation 'hyp-misquoted' not imported: quote not found in source 'harbour-report'",
        "    hint: the closest passage is 98% similar; where they differ, in [brackets]:",
        "    hint:   you typed:  … the first state to [recognize] the Island Council",
        "    hint:   the source: … the first state to [recognise] the Island Council",
        "3 annotation(s) written, 4 not imported; then run python build.py check",
    ]
    assert len(list((content / "annotations").rglob("*.md"))) == len(list(FIXTURE_CONTENT.rglob("annotations/*/*.md"))) + 3


def test_importing_again_overwrites_nothing(imported, tmp_path):
    content, _ = imported
    before = files_under(content)
    again = run_build("import-annotations", str(HYPOTHESIS), "--content", "content", cwd=tmp_path)
    assert again.returncode == 1
    assert "annotation 'hyp-officials' not imported: source 'harbour-report' already has this passage annotated for " \
           "'northland'" in again.stderr
    assert again.stderr.endswith("0 annotation(s) written, 7 not imported; then run python build.py check\n")
    jsonld = tmp_path / "ours.jsonld"
    jsonld.write_bytes(exported(FIXTURE_CONTENT))
    ours = run_build("import-annotations", str(jsonld), "--content", "content", cwd=tmp_path)
    assert ours.returncode == 1
    assert ours.stdout == ""
    assert files_under(content) == before


def test_a_file_that_is_not_annotations_is_refused(tmp_path):
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    broken = tmp_path / "broken.json"
    broken.write_text('{"rows": [')
    result = run_build("import-annotations", str(broken), "--content", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{broken}:1: not JSON: ")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"hello": "world"}))
    result = run_build("import-annotations", str(other), "--content", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{other}:1: no annotations found in the file\n")
    assert run_build("import-annotations", cwd=tmp_path).returncode == 2
