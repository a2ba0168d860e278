"""What the pages show, read from their view models (`sitegen/views.py`), without HTML."""

from __future__ import annotations

import shutil
from pathlib import Path

from sitegen import views
from sitegen.pipeline import validate

from .conftest import FIXTURE_CONTENT


def home(content: Path) -> views.HomeView:
    validated = validate(content)
    return views.home(validated.model, validated.index)


def mentions(items) -> str:
    return ", ".join(m.label + (f" ({m.held})" if m.held else "") for m in items) or "none"


def comparison_rows(view: views.HomeView) -> list[tuple]:
    """Each row of the home comparison as its cells' text."""
    rows = []
    for row in view.comparison.rows:
        only = tuple("; ".join(mentions(p.motives) + (f" ({p.source})" if p.source else "") for p in cell.parts) or cell.empty
                     for cell in row.only)
        held = ". ".join(f"{h.label}: " + "; ".join(f"{how} in {' and '.join(titles)}" for how, titles in h.by_stance)
                         for h in row.differing) or "none"
        rows.append((row.name, mentions(row.shared)) + only + (held,))
    return rows


def test_home_compares_the_sources_in_one_column_each():
    view = home(FIXTURE_CONTENT)
    assert view.comparison.source_columns == ("The Harbour Report", "A Letter from the River")
    assert comparison_rows(view) == [
        ("Northland", "none", "none", "none",
         "Trade access: asserted in The Harbour Report; reported in A Letter from the River; disputed in A Letter from "
         "the River. Border security: asserted in The Harbour Report; hedged in A Letter from the River"),
        ("Southland", "Border security", "none", "Trade access", "none"),
        ("Island Council", "none", "Trade access", "not discussed", "none"),
    ]
    assert [cell.label for cell in view.comparison.rows[0].only] == ["Only The Harbour Report", "Only A Letter from the River"]


def test_a_motive_one_source_only_hedges_is_shown_with_how_it_holds_it(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "annotations/harbour-report/long-border.md").unlink()
    security = content / "arguments/security-first.md"
    security.write_text(security.read_text().replace(", harbour-report/long-border", "", 1))
    northland = comparison_rows(home(content))[0]
    assert northland[:4] == ("Northland", "none", "none", "Border security (hedged)")


def test_past_the_column_limit_one_column_names_the_source_of_each_entry(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    letter = (content / "sources/river-letter.md").read_text()
    for n in range(views.SOURCE_COLUMNS):
        (content / f"sources/empty-{n}.md").write_text(letter.replace("A Letter from the River", f"Empty {n}", 1))
    view = home(content)
    assert view.comparison.source_columns == ()
    rows = comparison_rows(view)
    assert [(name, only) for name, _, only, _ in rows] == [
        ("Northland", "none"), ("Southland", "Trade access (A Letter from the River)"),
        ("Island Council", "Trade access (The Harbour Report)")]
    assert {cell.label for row in view.comparison.rows for cell in row.only} == {"Only one source"}
