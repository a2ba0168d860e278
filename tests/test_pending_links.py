"""A wikilink to an item not written yet: a warning under serve, marked on the page and then a
link once the item is written; `build` and `check` keep it an error."""

from __future__ import annotations

import shutil

import pytest

from sitegen.diagnostics import ContentError
from sitegen.incremental import Engine
from sitegen.pipeline import BuildOptions, render_site, validate

from .conftest import FIXTURE_CONTENT, run_build

NOTE = "annotations/harbour-report/lighthouse.md"
LINK = "The council holds the one thing every ship needs; see [[arguments/not-written-yet]]."
ARGUMENT = ("---\nclaim: The lighthouse matters.\nactors: [islanders]\nmotives: [trade]\n"
            "evidence: [harbour-report/lighthouse]\nsupports: [trade-first]\n---\nWritten second.\n")


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, folder)
    path = folder / NOTE
    path.write_text(path.read_text().replace(
        "The council holds the one thing every ship bound for the harbour needs.", LINK))
    return folder


def test_build_and_check_refuse_it(content, tmp_path):
    message = (f"{content}/{NOTE}:7: wikilink [[arguments/not-written-yet]]: unknown argument 'not-written-yet'\n"
               "    hint: no file content/arguments/not-written-yet.md")
    with pytest.raises(ContentError) as raised:
        validate(content)
    assert [d.format() for d in raised.value.diagnostics] == [message]
    for command in (("check",), ("build", "--out", str(tmp_path / "site"))):
        result = run_build(*command, "--content", str(content))
        assert result.returncode == 1 and result.stderr.startswith(message + "\n"), result.stderr
    assert not (tmp_path / "site").exists()


def test_serve_warns_marks_the_link_and_links_it_once_the_item_is_written(content, tmp_path):
    options = BuildOptions(content=content, out=tmp_path / "site", pending_links=True, extra_globals={"live_reload": True})
    engine = Engine(options)
    outcome = engine.build_all()
    assert outcome.ok
    assert [d.format() for d in outcome.warnings] == [
        f"{content}/{NOTE}:7: warning: wikilink [[arguments/not-written-yet]]: unknown argument 'not-written-yet'\n"
        "    hint: no file content/arguments/not-written-yet.md\n"
        "    hint: serve shows the link marked until the item is written; build and check refuse it"]
    page = (tmp_path / "site/sources/harbour-report/index.html").read_text()
    assert ('see <span class="wikilink wikilink-pending">arguments/not-written-yet'
            '<span class="visually-hidden"> (not written yet)</span></span>.') in page
    engine.refresh_data()  # the data export shows the target as it is named
    assert "arguments/not-written-yet" in (tmp_path / "site/data/site.json").read_text()

    (content / "arguments/not-written-yet.md").write_text(ARGUMENT)
    engine.content_changed([content / "arguments/not-written-yet.md"])
    outcome = engine.rebuild()
    assert outcome.ok and outcome.warnings == ()
    page = (tmp_path / "site/sources/harbour-report/index.html").read_bytes()
    assert b'see <a class="wikilink" href="/arguments/not-written-yet/">The lighthouse matters.</a>.' in page
    cold = render_site(options, validate(content))
    assert page == cold["sources/harbour-report/index.html"]
