"""Incremental rebuilds (`sitegen.incremental`): an edit re-renders the pages that show what
changed, rewrites only the files whose bytes changed, and leaves the output folder exactly as a
cold build of the edited content would."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.diagnostics import ContentError
from sitegen.incremental import Engine
from sitegen.pipeline import BuildOptions, render_site, validate
from sitegen.plan import plan_pages

from .conftest import FIXTURE_CONTENT, ROOT

TEMPLATES = ROOT / "templates"
SKIP = ("pagefind/",)


@pytest.fixture
def site(tmp_path):
    """A copy of the fixture content and the templates, built once by the engine as `serve` does."""
    content = tmp_path / "content"
    templates = tmp_path / "templates"
    shutil.copytree(FIXTURE_CONTENT, content)
    shutil.copytree(TEMPLATES, templates)
    options = BuildOptions(content=content, out=tmp_path / "site", templates=templates, extra_globals={"live_reload": True})
    engine = Engine(options)
    outcome = engine.build_all()
    assert outcome.ok, outcome.errors
    return engine


def on_disk(root: Path) -> dict[str, bytes]:
    return {rel: p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not (rel := p.relative_to(root).as_posix()).startswith(SKIP)}


def cold(options: BuildOptions) -> dict[str, bytes]:
    """What a full build of the content as it is now writes."""
    return render_site(options, validate(options.content, options.strict))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rebuild(engine: Engine, *paths: Path):
    """Tell the engine what changed (as the watcher would), rebuild, and check the result.

    Checks that the output folder equals a cold build byte for byte, and that the files
    written are exactly the files whose bytes changed. Returns (outcome, changed pages).
    """
    out = Path(engine.options.out)
    before = on_disk(out)
    content = [p for p in paths if engine.options.content in p.parents]
    templates = [p for p in paths if engine.options.templates in p.parents]
    engine.content_changed(content)
    engine.templates_changed(templates)
    outcome = engine.rebuild()
    assert outcome.ok, outcome.errors
    pages_now = on_disk(out)
    engine.refresh_data()
    now = on_disk(out)
    assert now == cold(engine.options), "the output differs from a cold build of the same content"
    changed_pages = {rel for rel in set(before) | set(pages_now)
                     if before.get(rel) != pages_now.get(rel)}
    assert set(outcome.written) == changed_pages, "written must be exactly the files whose bytes changed"
    return outcome, {rel for rel in changed_pages if rel.endswith((".html", ".xml", ".png"))}


ANNOTATION = "annotations/harbour-report/trade-first.md"


def test_quote_edit_rerenders_exactly_the_pages_that_show_the_passage(site):
    """A new quote changes every page that shows or links the passage, and nothing else is rendered."""
    path = site.options.content / ANNOTATION
    edit(path, '> "Trade comes first," one said, and the \'route\' must stay open.',
         "> Officials said the harbour matters more than anything.")
    outcome, changed = rebuild(site, path)
    assert set(outcome.rendered) == changed
    assert "sources/harbour-report/index.html" in changed
    assert "sources/river-letter/index.html" not in outcome.rendered
    assert len(outcome.rendered) < len(site.good.pages) / 2


def test_commentary_edit_renders_only_pages_that_show_the_annotation(site):
    path = site.options.content / ANNOTATION
    edit(path, "Typographic quotes in the source", "Curly quotes in the source")
    outcome, changed = rebuild(site, path)
    assert "sources/harbour-report/index.html" in changed
    assert changed <= set(outcome.rendered)
    for rel in outcome.rendered:  # every page rendered again shows or links the passage
        assert "trade-first" in (site.options.out / rel).read_text(encoding="utf-8"), rel
    assert len(outcome.rendered) < len(site.good.pages) / 2


def test_the_open_page_is_written_and_announced_before_the_other_pages_the_edit_affects(site):
    out = Path(site.options.out)
    before = on_disk(out)
    path = site.options.content / ANNOTATION
    edit(path, "Typographic quotes in the source", "Curly quotes in the source")
    site.content_changed([path])
    told = []
    outcome = site.rebuild(["sources/harbour-report/"], lambda written: told.append((written, on_disk(out))))
    [(written, at_that_moment)] = told
    assert written == ["sources/harbour-report/index.html"] == list(outcome.written[:1])
    assert at_that_moment[written[0]] != before[written[0]]
    later = set(outcome.written) - set(written)
    assert later and all(at_that_moment[rel] == before[rel] for rel in later)



def test_when_a_later_page_fails_to_render_the_open_page_written_first_is_put_back(site):
    out = Path(site.options.out)
    before = on_disk(out)
    path = site.options.content / ANNOTATION
    edit(path, "Typographic quotes in the source", "Curly quotes in the source")
    actor = site.options.templates / "actor.html"
    edit(actor, "{% block main %}\n", "{% block main %}\n{{ no_such_name }}\n")
    site.content_changed([path])
    site.templates_changed([actor])
    told = []
    outcome = site.rebuild(["sources/harbour-report/"], told.append)
    assert told == [["sources/harbour-report/index.html"]]
    assert not outcome.ok and "actor.html" in outcome.errors[0].path
    assert on_disk(out) == before, "the last good build stays on disk"

def test_editing_a_passage_updates_every_page_showing_it(site):
    """A passage shows in full or as a line on several pages, and a commentary's wikilink to it
    is labelled with its opening words: a new quote changes all of those pages (`rebuild` checks
    the output equals a cold build)."""
    showing = [rel for rel in site.good.pages
               if rel.endswith(".html") and "Southland will wait and see" in (site.options.out / rel).read_text()]
    assert "sources/harbour-report/index.html" in showing and len(showing) >= 4, showing
    path = site.options.content / "annotations/river-letter/southland-waits.md"
    edit(path, "> Southland will wait and see. It fears", "> It fears")
    outcome, changed = rebuild(site, path)
    assert set(showing) <= changed


def test_a_passage_s_page_follows_its_source_text_and_its_note(site):
    """The passage's page shows the source's words around it and its note: an edit to either
    renders it again (and `rebuild` checks it equals a cold build)."""
    page = "sources/harbour-report/trade-first/index.html"
    source = site.options.content / "sources/harbour-report.md"
    edit(source, "Officials said the harbour matters", "Officials said the port matters")
    outcome, changed = rebuild(site, source)
    assert page in changed
    assert "Officials said the port matters" in (site.options.out / page).read_text(encoding="utf-8")
    note = site.options.content / ANNOTATION
    edit(note, "Typographic quotes in the source", "Curly quotes in the source")
    outcome, changed = rebuild(site, note)
    assert page in changed and "sources/harbour-report/border-quiet/index.html" not in outcome.rendered


def test_motive_label_edit_rerenders_exactly_the_pages_that_show_the_label(site):
    path = site.options.content / "motives/trade.md"
    edit(path, "label: ", "label: Commerce and ")
    outcome, changed = rebuild(site, path)
    assert set(outcome.rendered) == changed
    assert "motives/trade/index.html" in changed


def test_a_stance_edit_rerenders_the_pages_that_label_it(site):
    """The River letter relays the council's words on Northland's trade; once it only hedges
    them, the home matrix, the actor and motive pages, the arguments page (where the letter no
    longer makes 'the harbour matters') and the letter's own page say so."""
    path = site.options.content / "annotations/river-letter/spokesman.md"
    edit(path, "stance: reports\nspeaker: islanders", "stance: considers")
    outcome, changed = rebuild(site, path)
    assert {"index.html", "actors/northland/index.html", "motives/trade/index.html", "arguments/index.html",
            "sources/river-letter/index.html"} <= changed <= set(outcome.rendered)
    assert "timeline/index.html" not in outcome.rendered


def test_an_argument_edit_updates_its_page_and_the_pages_that_name_it(site):
    """Its reasoning shows on its own page only; its claim also on the map, on the list, and on
    the pages of the arguments it bears on."""
    path = site.options.content / "arguments/harbour-matters.md"
    edit(path, "Officials put the harbour first.", "Officials put the harbour before all else.")
    outcome, changed = rebuild(site, path)
    assert changed == {"arguments/harbour-matters/index.html"}
    assert "arguments/security-first/index.html" not in outcome.rendered
    edit(path, "claim: The harbour matters more", "claim: The harbour counts for more")
    outcome, changed = rebuild(site, path)
    assert {"arguments/harbour-matters/index.html", "arguments/index.html", "arguments/trade-first/index.html",
            "actors/northland/index.html"} <= changed
    assert "arguments/border-fear/index.html" not in outcome.rendered


def test_unchanged_save_renders_nothing_and_writes_nothing(site):
    path = site.options.content / ANNOTATION
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    outcome, changed = rebuild(site, path)
    assert outcome.rendered == () and outcome.written == () and changed == set()


def test_template_edit_rerenders_the_pages_that_use_it(site):
    template = site.options.templates / "motive.html"
    edit(template, "{% block main %}", "{% block main %}\n<p>Edited template.</p>")
    outcome, changed = rebuild(site, template)
    motive_pages = {rel for rel in site.good.pages
                    if rel.startswith("motives/") and rel.endswith(".html") and rel != "motives/index.html"}
    assert set(outcome.rendered) == changed == motive_pages


def test_shared_template_edit_rerenders_every_page_that_includes_it(site):
    template = site.options.templates / "base.html"
    edit(template, "</footer>", "<p>Edited footer.</p>\n</footer>")
    outcome, changed = rebuild(site, template)
    assert set(outcome.rendered) == changed == {rel for rel in site.good.pages if rel.endswith(".html")}
    assert "feed.xml" not in outcome.rendered and "sitemap.xml" not in outcome.rendered


def test_static_asset_edit_rewrites_it_and_the_pages_that_link_it(site):
    css = site.options.templates / "static" / "style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8")
    outcome, changed = rebuild(site, css)
    assert "static/style.css" in outcome.written
    assert "index.html" in changed  # the stylesheet's ?v= version changed on every page


def test_new_annotation_appears_where_it_belongs(site):
    path = site.options.content / "annotations/river-letter/harbour-too.md"
    source = (site.options.content / "sources/river-letter.md").read_text(encoding="utf-8")
    sentence = next(line for line in source.split("---", 2)[2].splitlines() if len(line.split()) > 4).split(". ")[0]
    path.write_text(f"---\nactor: islanders\nmotives: [trade]\n---\n> {sentence}\n\nA new reading.\n", encoding="utf-8")
    outcome, changed = rebuild(site, path)
    assert "sources/river-letter/index.html" in changed
    assert "actors/islanders/index.html" in changed
    assert "sources/harbour-report/index.html" not in outcome.rendered


def test_deleting_an_unreferenced_file_removes_its_page(site):
    path = site.options.content / "annotations/harbour-report/lighthouse.md"
    path.unlink()
    outcome, changed = rebuild(site, path)
    assert "sources/harbour-report/index.html" in changed
    assert outcome.removed == ("sources/harbour-report/lighthouse/index.html",)  # the passage's own page
    # A source nothing refers to: add it, then delete it with its annotation folder.
    source = site.options.content / "sources/short-note.md"
    source.write_text("---\ntitle: A Short Note\nauthors: [B. Example]\npublished: 2024-05\n---\n"
                      "The harbour is busy again this spring.\n", encoding="utf-8")
    folder = site.options.content / "annotations/short-note"
    folder.mkdir()
    (folder / "busy.md").write_text("---\nactor: islanders\nmotives: [trade]\n---\n"
                                    "> The harbour is busy again this spring.\n\nA sign of trade.\n", encoding="utf-8")
    outcome, changed = rebuild(site, source, folder)
    assert {"sources/short-note/index.html", "sources/short-note/busy/index.html"} <= changed
    shutil.rmtree(folder)
    source.unlink()
    outcome, changed = rebuild(site, source, folder)
    assert outcome.removed == ("sources/short-note/busy/index.html", "sources/short-note/card.png",
                               "sources/short-note/index.html")
    assert not (Path(site.options.out) / "sources/short-note").exists()


def test_deleting_a_referenced_file_reports_the_broken_references_and_keeps_the_site(site):
    out = Path(site.options.out)
    before = on_disk(out)
    path = site.options.content / "annotations/river-letter/southland-waits.md"
    saved = path.read_text(encoding="utf-8")
    path.unlink()
    site.content_changed([path])
    outcome = site.rebuild()
    assert not outcome.ok
    lines = [d.format().splitlines()[0] for d in outcome.errors]
    content = str(site.options.content)
    assert f"{content}/arguments/security-first.md:5: unknown annotation 'river-letter/southland-waits' in 'evidence'" in lines
    assert all("river-letter/southland-waits" in line for line in lines)
    assert on_disk(out) == before, "a failed rebuild must not touch the output"
    path.write_text(saved, encoding="utf-8")
    outcome, changed = rebuild(site, path)
    assert changed == set() and outcome.written == ()


def test_moving_an_event_reports_the_events_that_followed_it_and_the_fix_reorders(site):
    """Whether an event can follow another depends on both dates: an edit to the earlier event
    is reported in the file of the one that names it in 'after', which was not edited."""
    out = Path(site.options.out)
    before = on_disk(out)
    path = site.options.content / "events/recognition.md"
    edit(path, "date: 2024-03-03", "date: 2024-04-02")
    site.content_changed([path])
    outcome = site.rebuild()
    assert not outcome.ok
    assert [d.format() for d in outcome.errors] == [
        f"{site.options.content}/events/southland-review.md:3: the event (2024-03) cannot come after "
        "'recognition' (2024-04-02): its date is earlier\n"
        "    hint: correct one of the two dates, or remove 'recognition' from 'after'"]
    assert on_disk(out) == before
    edit(path, "date: 2024-04-02", "date: 2024-03-02")
    outcome, changed = rebuild(site, path)
    assert "timeline/index.html" in changed
    timeline = (out / "timeline/index.html").read_text(encoding="utf-8")
    assert timeline.index('id="recognition"') < timeline.index('id="southland-review"')


def test_invalid_edit_keeps_the_last_good_build_and_the_fix_clears_it(site):
    out = Path(site.options.out)
    path = site.options.content / ANNOTATION
    good = path.read_text(encoding="utf-8")
    before = on_disk(out)
    edit(path, "motives: [trade]", "motives: [trade")
    site.content_changed([path])
    outcome = site.rebuild()
    assert not outcome.ok
    assert [d.format().splitlines()[0] for d in outcome.errors] == [
        f"{site.options.content}/{ANNOTATION}:3: malformed YAML: the '[' opened on this line is not closed (line 4: expected ',' or ']', but got ':')"]
    with pytest.raises(ContentError) as cold_errors:  # the same errors as `build.py check`
        validate(site.options.content)
    assert outcome.errors == tuple(cold_errors.value.diagnostics)
    assert site.errors == outcome.errors
    assert on_disk(out) == before
    # A second edit while broken: the next good build is diffed against the last good one.
    edit(path, "Typographic quotes", "Curly quotes")
    site.content_changed([path])
    assert not site.rebuild().ok
    path.write_text(good.replace("Typographic quotes", "Curly quotes"), encoding="utf-8")
    outcome, changed = rebuild(site, path)
    assert site.errors == ()
    assert "sources/harbour-report/index.html" in changed


def test_template_error_is_reported_and_nothing_is_written(site):
    out = Path(site.options.out)
    before = on_disk(out)
    template = site.options.templates / "motive.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("{% block main %}", "{% block main %}{{ no_such_name }}"), encoding="utf-8")
    site.templates_changed([template])
    outcome = site.rebuild()
    assert not outcome.ok
    assert outcome.errors[0].path.endswith("motive.html")
    assert on_disk(out) == before
    template.write_text(good, encoding="utf-8")
    outcome, changed = rebuild(site, template)
    assert changed == set()


def test_published_build_has_no_live_reload(tmp_path):
    options = BuildOptions(content=FIXTURE_CONTENT, out=tmp_path / "site")
    files = render_site(options, validate(FIXTURE_CONTENT))
    assert not any(b"sitegen_live_reload" in data for data in files.values())
    served = render_site(BuildOptions(content=FIXTURE_CONTENT, extra_globals={"live_reload": True}), validate(FIXTURE_CONTENT))
    assert b"sitegen_live_reload" in served["index.html"]


STRUCTURAL_EDITS = {
    # file: (old, new) -- edits that move things between pages, reorder lists or relink arguments
    "annotation-actor": (ANNOTATION, "actor: northland", "actor: southland"),
    "annotation-motives": (ANNOTATION, "motives: [trade]", "motives: [trade, security]"),
    "event-date": ("events/talks.md", "date: 2023\nend: 2024-02", "date: 2024-03-20\nend: 2024-04"),
    "argument-relation": ("arguments/harbour-matters.md", "supports: [trade-first]", "opposes: [security-first]"),
    "source-title": ("sources/river-letter.md", "title: A Letter from the River", "title: Letter from Downriver"),
    "source-date": ("sources/river-letter.md", "published: 2024-03", "published: 2023-01"),
    "actor-primary": ("actors/islanders.md", "primary: false", "primary: true"),
    "event-after": ("events/southland-review.md", "after: [recognition]", "after: [talks]"),
}


@pytest.mark.parametrize("name", sorted(STRUCTURAL_EDITS))
def test_structural_edits_leave_exactly_a_cold_build(site, name):
    rel, old, new = STRUCTURAL_EDITS[name]
    path = site.options.content / rel
    edit(path, old, new)
    outcome, changed = rebuild(site, path)
    assert changed, "the edit should change some page"
    assert changed <= set(outcome.rendered)
    assert len(outcome.rendered) < len(site.good.pages)


def test_parallel_builds_match_serial_ones(tmp_path, monkeypatch, forked):
    """Forked workers (the cold build's and serve's first build) give the same bytes and reads."""
    from sitegen import parallel

    monkeypatch.setattr(parallel, "MIN_TASKS", 1)  # the fixture is small: fork anyway
    options = BuildOptions(content=FIXTURE_CONTENT, out=tmp_path / "serial", extra_globals={"live_reload": True})
    validated = validate(FIXTURE_CONTENT)
    forked.clear()
    assert render_site(options, validated, jobs=2) == render_site(options, validated, jobs=1)
    assert len(forked) == 1, "one worker beside the parent"
    serial, in_workers = Engine(options), Engine(dataclasses.replace(options, out=tmp_path / "forked"))
    assert serial.build_all(jobs=1).ok and in_workers.build_all(jobs=2).ok
    assert len(forked) > 1
    assert on_disk(tmp_path / "serial") == on_disk(tmp_path / "forked")
    assert serial.good.reads == in_workers.good.reads


def test_parsing_on_several_cores_gives_what_parsing_in_turn_gives(tmp_path, monkeypatch):
    """The cold build parses in forked workers: the same records and the same errors, in order."""
    from sitegen import load, parse

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "motives" / "broken.md").write_text("---\nlabel: [unclosed\n---\n", encoding="utf-8")
    monkeypatch.setattr(parse, "PARALLEL_CHUNK", 2)  # the fixture is small: chunk it finely
    serial = parse.parse_all(load.load_tree(content), jobs=1)
    forked = parse.parse_all(load.load_tree(content), jobs=2)
    assert serial.diagnostics and serial.broken == {"motives:broken"}
    assert forked == serial


def test_a_failing_worker_reports_the_template_error(tmp_path, monkeypatch):
    from sitegen import parallel

    monkeypatch.setattr(parallel, "MIN_TASKS", 1)
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    edit(templates / "source.html", "{% block main %}", "{% block main %}{{ no_such_name }}")
    options = BuildOptions(content=FIXTURE_CONTENT, out=tmp_path / "site", templates=templates)
    with pytest.raises(ContentError) as error:
        render_site(options, validate(FIXTURE_CONTENT), jobs=2)
    assert error.value.diagnostics[0].path.endswith("source.html")
    assert "no_such_name" in error.value.diagnostics[0].message


EDIT_STEPS = {
    # name: (operation, file, old, new): the edits an editor makes, valid and invalid, in any order
    "commentary": ("replace", ANNOTATION, "Typographic quotes in the source", "Curly quotes in the source"),
    "no-commentary": ("replace", ANNOTATION, "\nTypographic quotes in the source, straight quotes here: the anchor still matches.", ""),
    "quote-not-found": ("replace", ANNOTATION, "must stay open", "must stay shut"),
    "unknown-actor": ("replace", ANNOTATION, "actor: northland", "actor: nowhere"),
    "other-actor": ("replace", ANNOTATION, "actor: northland", "actor: southland"),
    "more-motives": ("replace", ANNOTATION, "motives: [trade]", "motives: [trade, security]"),
    "broken-yaml": ("replace", ANNOTATION, "motives: [trade]", "motives: [trade"),
    "source-text": ("replace", "sources/river-letter.md", "will wait and see", "will wait"),
    "source-preface": ("replace", "sources/river-letter.md", "\nSouthland will wait", "\nNews from upriver. Southland will wait"),
    "source-title": ("replace", "sources/river-letter.md", "title: A Letter from the River", "title: Letter from Downriver"),
    "source-in-full": ("replace", "sources/river-letter.md", "reproduce: excerpts\n", "rights: Published for reproduction.\n"),
    "source-partial": ("replace", "sources/harbour-report.md", "partial: true", "partial: false"),
    "source-copies": ("replace", "sources/harbour-report.md", "    label: Ada Example’s blog", "    label: the author’s blog"),
    "restore-report": ("restore", "sources/harbour-report.md", "", ""),
    "argument-relation": ("replace", "arguments/harbour-matters.md", "supports: [trade-first]", "opposes: [security-first]"),
    "stance-disputes": ("replace", ANNOTATION, "motives: [trade]", "motives: [trade]\nstance: disputes"),
    "stance-hedged": ("replace", "annotations/river-letter/spokesman.md", "stance: reports\nspeaker: islanders", "stance: considers"),
    "stance-reported": ("replace", "annotations/river-letter/quiet-border-perhaps.md", "stance: considers", "stance: reports\nspeaker: southland"),
    "restore-spokesman": ("restore", "annotations/river-letter/spokesman.md", "", ""),
    "argument-disputed-by": ("replace", "arguments/harbour-matters.md", "supports:", "disputed_by: [river-letter/too-simple]\nsupports:"),
    "count-stated": ("replace", "arguments/border-fear.md", "Both sources", "Three sources"),
    "actor-name": ("replace", "actors/islanders.md", "name: Island Council", "name: The Island Council"),
    "actor-primary": ("replace", "actors/islanders.md", "primary: false", "primary: true"),
    "event-date": ("replace", "events/talks.md", "date: 2023\nend: 2024-02", "date: 2024-03-20\nend: 2024-04"),
    "event-after": ("replace", "events/southland-review.md", "after: [recognition]", "after: [talks]"),
    "event-after-loop": ("replace", "events/recognition.md", "date: 2024-03-03", "date: 2024-03-03\nafter: [southland-review]"),
    "event-followed-later": ("replace", "events/recognition.md", "date: 2024-03-03", "date: 2024-04-02"),
    "restore-event": ("restore", "events/recognition.md", "", ""),
    "site-title": ("replace", "site.yaml", "title: Fixture Analysis", "title: Fixture Analyses"),
    "delete-annotation": ("delete", "annotations/river-letter/southland-waits.md", "", ""),
    "delete-event": ("delete", "events/route-reopens.md", "", ""),
    "new-annotation": ("create", "annotations/river-letter/fears.md", "",
                       "---\nactor: southland\nmotives: [security]\n---\n> It fears the border\n\nA second passage.\n"),
    "restore-annotation": ("restore", ANNOTATION, "", ""),
    "restore-source": ("restore", "sources/river-letter.md", "", ""),
    "restore-deleted": ("restore", "annotations/river-letter/southland-waits.md", "", ""),
}


def apply_step(content: Path, name: str) -> Path:
    operation, rel, old, new = EDIT_STEPS[name]
    path = content / rel
    if operation == "replace" and path.is_file():
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    elif operation == "delete":
        path.unlink(missing_ok=True)
    elif operation == "create":
        path.write_text(new, encoding="utf-8")
    elif operation == "restore":
        shutil.copyfile(FIXTURE_CONTENT / rel, path)
    return path


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(sorted(EDIT_STEPS)), min_size=1, max_size=6))
def test_any_sequence_of_edits_checks_as_a_cold_build_does(steps):
    """However a rebuild gets there (edited records patched in, or everything parsed and
    resolved again), it finds what a cold build of the same files finds: the same model in the
    same order, the same index, warnings, pages and files on disk, or the same errors."""
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        shutil.copytree(FIXTURE_CONTENT, content)
        engine = Engine(BuildOptions(content=content, out=Path(folder) / "site", templates=TEMPLATES))
        assert engine.build_all().ok
        for name in steps:
            engine.content_changed([apply_step(content, name)])
            outcome = engine.rebuild()
            try:
                expected = validate(content)
            except ContentError as error:
                assert not outcome.ok, name
                assert list(outcome.errors) == list(error.diagnostics), name
                continue
            assert outcome.ok, (name, outcome.errors)
            model = engine.good.validated.model
            assert model == expected.model, name
            for kind in ("actors", "motives", "sources", "annotations", "events", "arguments"):
                assert list(getattr(model, kind)) == list(getattr(expected.model, kind)), (name, kind)
            assert engine.good.validated.index == expected.index, name
            assert outcome.warnings == expected.warnings, name
            assert list(engine.good.pages.values()) == plan_pages(expected.model, expected.index), name
            engine.refresh_data()
            assert on_disk(engine.options.out) == render_site(engine.options, expected), name


def test_refreshing_the_data_rewrites_only_the_exports_whose_bytes_changed(site):
    out = Path(site.options.out)

    def data_on_disk():
        return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.read_bytes())
                for p in sorted((out / "data").rglob("*")) if p.is_file()}

    before = data_on_disk()
    path = site.options.content / ANNOTATION
    edit(path, "Typographic quotes in the source", "Curly quotes in the source")
    site.content_changed([path])
    assert site.rebuild().ok
    assert site.data_stale and data_on_disk() == before, "the exports wait for refresh_data"
    written = site.refresh_data()
    after = data_on_disk()
    changed = {rel for rel in after if after[rel][1] != before[rel][1]}
    assert "data/site.json" in changed and "data/sources/harbour-report.txt" not in changed
    assert sorted(written) == sorted(changed)
    for rel in set(before) - changed:
        assert after[rel][0] == before[rel][0], f"{rel} was rewritten with the same bytes"
    assert not list(out.rglob("*.tmp")), "no temporary file is left behind"
    assert on_disk(out) == cold(site.options)
    assert site.refresh_data() == [], "nothing is stale any more"


def test_an_export_that_fails_while_it_is_written_leaves_the_last_one(tmp_path):
    from sitegen.write import update_pieces
    import hashlib

    (tmp_path / "data").mkdir()
    (tmp_path / "data/site.json").write_text('{"old": true}')

    def pieces():
        yield '{"new": '
        raise RuntimeError("the exporter failed")

    with pytest.raises(RuntimeError):
        update_pieces(tmp_path, "data/site.json", pieces(), hashlib.blake2b(), None)
    assert (tmp_path / "data/site.json").read_text() == '{"old": true}'
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["site.json"]


def test_serve_s_first_build_parses_on_two_cores_and_keeps_every_record(tmp_path, monkeypatch):
    """With two jobs the first build parses the files in a forked worker too (chunks of two
    here, so the small fixture is shared out) and writes what a cold build writes; an edit after
    it rebuilds to what a cold build writes."""
    import sitegen.parse

    monkeypatch.setattr(sitegen.parse, "PARALLEL_CHUNK", 2)
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    options = BuildOptions(content=content, out=tmp_path / "site", extra_globals={"live_reload": True})
    engine = Engine(options)
    assert engine.build_all(jobs=2).ok
    assert on_disk(tmp_path / "site") == cold(options)
    edit(content / ANNOTATION, "Typographic quotes in the source", "Curly quotes in the source")
    rebuild(engine, content / ANNOTATION)
