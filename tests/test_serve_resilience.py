"""`serve` survives a rebuild that fails other than by a content error (a template that raises,
a full disk): the editor sees the error, the last good build stays served, and the next good
save rebuilds the whole site."""

from __future__ import annotations

import errno
import http.client
import json
import re
import shutil
from pathlib import Path

import pytest

from sitegen import incremental
from sitegen.pipeline import BuildOptions, validate
from sitegen.plan import plan_pages
from sitegen.rebuilds import failure_report

from .conftest import ROOT
from .test_incremental import cold, edit, on_disk, site  # noqa: F401 - `site` is a fixture
from .test_serve import ANNOTATION, Served

BROKEN_LINE = "{{ actor.name | length // 0 }}"
EXPECTED = ["templates/actor.html:5: ZeroDivisionError: integer division or modulo by zero",
            "    hint: the template raised this at this line; fix it and save (the whole site is rebuilt)"]


def test_a_rebuild_that_fails_to_write_is_followed_by_a_full_one(site, monkeypatch):  # noqa: F811
    engine = site
    annotation = engine.options.content / ANNOTATION
    attempts = []

    def full_disk(out_dir, files, removed=()):
        attempts.append(sorted(files))
        raise OSError(errno.ENOSPC, "No space left on device")

    edit(annotation, "Typographic quotes in the source", "Curly quotes in the source")
    engine.content_changed([annotation])
    with monkeypatch.context() as patched:
        patched.setattr(incremental.outputs, "update_files", full_disk)
        with pytest.raises(OSError):
            engine.rebuild()
    assert attempts and "sources/harbour-report/index.html" in attempts[0]
    engine.forget()
    northland = engine.options.content / "actors" / "northland.md"
    edit(northland, "name: Northland", "name: Northland Republic")
    engine.content_changed([northland])
    outcome = engine.rebuild()
    assert outcome.ok, outcome.errors
    engine.refresh_data()
    assert on_disk(engine.options.out) == cold(engine.options), "the output differs from a cold build"
    edit(northland, "name: Northland Republic", "name: Northland")  # and the next one is incremental again
    engine.content_changed([northland])
    outcome = engine.rebuild()
    assert outcome.ok and outcome.phases
    engine.refresh_data()
    assert on_disk(engine.options.out) == cold(engine.options)


def broken_actor_template(tmp_path) -> tuple[Path, str, str]:
    """A copy of the templates; the actor page's template, its text, and its text with a line that raises."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    actor = tmp_path / "templates" / "actor.html"
    good = actor.read_text(encoding="utf-8")
    assert good.splitlines()[3] == "{% block main %}"
    return actor, good, good.replace("{% block main %}\n", "{% block main %}\n" + BROKEN_LINE + "\n", 1)


def test_a_template_that_raises_is_reported_and_the_fix_rebuilds(tmp_path):
    actor, good, broken = broken_actor_template(tmp_path)
    served = Served(tmp_path, "--templates", "templates")
    try:
        stream = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
        stream.request("GET", "/__sitegen/events?page=/actors/northland/&build=0")
        events = stream.getresponse()

        def next_state() -> dict:
            while True:
                line = events.fp.readline().decode()
                if line.startswith("data: "):
                    return json.loads(line[6:])

        assert next_state()["errors"] == []
        actor.write_text(broken, encoding="utf-8")
        served.wait_for_line(EXPECTED[0])
        assert next_state()["errors"] == EXPECTED
        served.wait_for_line("build failed after templates/actor.html; still serving the last good build")
        status, body, _ = served.get("/actors/northland/")
        assert status == 200 and b"<h1" in body, "the last good build is still served"

        actor.write_text(good, encoding="utf-8")
        fixed = served.wait_for_line("fixed: rebuilt in")
        validated = validate(served.content)
        pages = len(plan_pages(validated.model, validated.index))
        assert f"(full rebuild) after templates/actor.html: {pages} pages re-rendered;" in fixed
        state = next_state()
        assert state["errors"] == [] and state["reload"] is True
        served.edit(ANNOTATION, "Typographic quotes in the source", "Curly quotes, after the failure,")
        served.wait_for_line("rebuilt in")
        status, body, _ = served.get("/sources/harbour-report/")
        assert status == 200 and b"Curly quotes, after the failure," in body
        stream.close()
        assert served.stop() == 0
    finally:
        if served.process.poll() is None:
            served.process.kill()
            served.process.wait()
    assert not any("Traceback" in line for line in served.lines), "\n".join(served.lines)


def test_a_first_build_that_raises_is_reported_and_the_fix_builds_the_site(tmp_path):
    actor, good, broken = broken_actor_template(tmp_path)
    actor.write_text(broken, encoding="utf-8")
    served = Served(tmp_path, "--templates", "templates")
    try:
        assert served.lines[:3] == EXPECTED + [
            "the first build failed: fix the cause and save; the site is built as soon as it can be"]
        status, body, _ = served.get("/actors/northland/")
        assert status == 404 and b"The site has not been built yet" in body  # the page over which the overlay shows
        actor.write_text(good, encoding="utf-8")
        served.wait_for_line("fixed: rebuilt in")
        status, body, _ = served.get("/actors/northland/")
        assert status == 200 and b"<h1" in body and b"Northland" in body
        assert served.stop() == 0
    finally:
        if served.process.poll() is None:
            served.process.kill()
            served.process.wait()
    assert not any("Traceback" in line for line in served.lines), "\n".join(served.lines)


def test_a_failure_outside_the_templates_is_named_with_where_it_was_raised(tmp_path):
    try:
        (tmp_path / "gone" / "page.html").write_bytes(b"")
    except OSError as error:
        lines = failure_report(error, BuildOptions(content=tmp_path / "content", templates=ROOT / "templates"))
    first = re.fullmatch(r"the build failed unexpectedly: FileNotFoundError: \[Errno 2\] No such file or directory: "
                         r"'(.*)' \(raised at (.*):(\d+)\)", lines[0])
    assert first is not None, lines[0]
    assert first.group(1) == str(tmp_path / "gone" / "page.html") and first.group(2).endswith("pathlib.py")
    assert lines[1:] == ["    hint: not a mistake in the content; fix its cause (a full disk, a permission, a bug), "
                         "then save any file (the whole site is rebuilt)"]


BREAKAGES = {
    # A YAML tag, which the constructor once raised on in the rebuild thread, stopping it.
    "yaml-tag": ("motives/trade.md", "label: Trade access", "label: !custom Trade access",
                 "motives/trade.md:2: YAML tags ('!custom') are not allowed in front matter"),
    # A lone surrogate escape, which is valid YAML but cannot be written out as UTF-8.
    "lone-surrogate": ("motives/trade.md", "label: Trade access", 'label: "Trade \\ud800 access"',
                       "motives/trade.md:2: an escape in this value stands for half of a character"),
    # Ten thousand nested brackets in a body.
    "nested-brackets": ("motives/trade.md", "The actor acts", "[" * 10_000 + "The actor acts",
                        None),
}


@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_an_edit_that_once_stopped_rebuilds_is_reported_and_the_next_edit_is_served(tmp_path, case):
    rel, good, bad, error = BREAKAGES[case]
    served = Served(tmp_path)
    try:
        served.edit(rel, good, bad)
        if error is None:  # not an error: the page is rebuilt with the text as written
            served.wait_for_line("rebuilt in")
            status, body, _ = served.get("/motives/trade/")
            assert status == 200 and b"[[[[" in body
        else:
            line = served.wait_for_line(error)
            assert line.startswith(str(served.content)), line
            served.wait_for_line("still serving the last good build")
        served.edit(rel, bad, good)
        served.wait_for_line("rebuilt in")
        served.edit(ANNOTATION, "Typographic quotes in the source", "Curly quotes, after the breakage,")
        served.wait_for_line("rebuilt in")
        status, body, _ = served.get("/sources/harbour-report/")
        assert status == 200 and b"Curly quotes, after the breakage," in body
        assert served.stop() == 0
    finally:
        if served.process.poll() is None:
            served.process.kill()
            served.process.wait()
    assert not any("Traceback" in line for line in served.lines), "\n".join(served.lines)
