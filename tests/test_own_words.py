"""An actor's page leads with its own words: the passages that relay what it said, or what the
editors searched where none does (`actor_views.OwnWords`)."""

from __future__ import annotations

import shutil

from sitegen import actor_views, views
from sitegen.pipeline import validate

from .conftest import FIXTURE_CONTENT, run_build


def own_words(content, actor_id: str) -> actor_views.OwnWords:
    validated = validate(content)
    return views.actor(validated.model, validated.index, actor_id).own_words


def copy(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    return content


def test_the_passage_relaying_an_actors_words_leads_its_page():
    view = own_words(FIXTURE_CONTENT, "islanders")
    assert view.words.lead == "river-letter/spokesman"
    assert (view.words.more, view.words.more_label, view.sources, view.searched) == ((), "", "1 source", "")


def test_a_passage_about_an_actor_is_not_its_own_words_unless_it_speaks():
    """The spokesman's passage is about Northland (its `actor`) but in the Islanders' words."""
    view = own_words(FIXTURE_CONTENT, "northland")
    assert (view.words, view.sources, view.searched) == (None, "", "")


def test_without_its_words_the_page_says_what_was_searched(tmp_path):
    content = copy(tmp_path)
    southland = content / "actors/southland.md"
    southland.write_text(southland.read_text().replace(
        "---\n", "---\nown_words_searched: \"Searched the council's minutes, May 2025.\"\n", 1))
    view = own_words(content, "southland")
    assert (view.words, view.searched) == (None, "Searched the council's minutes, May 2025.")


def test_the_featured_passage_leads_and_the_others_are_lines_oldest_source_first(tmp_path):
    content = copy(tmp_path)
    for ann_id, featured in (("council-quoted", "featured: true\n"), ("council-again", "")):
        (content / f"annotations/harbour-report/{ann_id}.md").write_text(
            f"---\nactor: northland\nmotives: [trade]\nstance: reports\nspeaker: islanders\n{featured}---\n"
            + (content / "annotations/harbour-report/trade-first.md").read_text().split("---\n", 2)[2])
    validated = validate(content)
    view = views.actor(validated.model, validated.index, "islanders").own_words
    by_source = validated.index.spoken_by["islanders"]
    assert view.words.lead == "harbour-report/council-quoted"
    assert [line.ref for line in view.words.more] == [r for r in by_source if r != "harbour-report/council-quoted"]
    assert (view.words.more_label, view.sources) == ("2 more passages", "2 sources")


def test_the_actor_page_shows_its_own_words_before_the_analysts(tmp_path):
    out = tmp_path / "site"
    assert run_build("build", "--content", str(FIXTURE_CONTENT), "--out", str(out)).returncode == 0
    page = (out / "actors/islanders/index.html").read_text()
    assert page.index('id="own_words_heading"') < page.index('id="position_heading"')
    assert "An Island Council spokesman said" in page[page.index('id="own_words_heading"'):page.index('id="position_heading"')]
    northland = (out / "actors/northland/index.html").read_text()
    assert "No statement by Northland is on record in the sources." in northland
    # Its events and arguments are folded, with how many there are.
    assert '<details class="list-fold" data-pagefind-ignore><summary>3 events on the timeline</summary>' in northland


def test_without_a_featured_passage_the_actors_evidence_chooses_which_words_to_show_in_full(tmp_path):
    content = copy(tmp_path)
    islanders = content / "actors/islanders.md"
    quoted = content / "annotations/harbour-report/council-quoted.md"
    quoted.write_text("---\nactor: northland\nmotives: [trade]\nstance: reports\nspeaker: islanders\n---\n"
                      + (content / "annotations/harbour-report/trade-first.md").read_text().split("---\n", 2)[2])
    assert own_words(content, "islanders").words.lead == "river-letter/spokesman"  # the oldest source's
    islanders.write_text(islanders.read_text().replace("---\n", "---\nevidence: [harbour-report/council-quoted]\n", 1))
    assert own_words(content, "islanders").words.lead == "harbour-report/council-quoted"
    spokesman = content / "annotations/river-letter/spokesman.md"
    spokesman.write_text(spokesman.read_text().replace("speaker: islanders\n", "speaker: islanders\nfeatured: true\n"))
    assert own_words(content, "islanders").words.lead == "river-letter/spokesman"


def test_serve_updates_an_actors_own_words_as_cold_build_would(tmp_path):
    """`serve` re-renders an actor's page when the note on what was searched changes, and when a
    passage in another source stops relaying its words (`rebuild` checks the cold-build equality)."""
    from sitegen.incremental import Engine
    from sitegen.pipeline import BuildOptions

    from .test_incremental import TEMPLATES, edit, rebuild

    content, templates = copy(tmp_path), tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    engine = Engine(BuildOptions(content=content, out=tmp_path / "site", templates=templates,
                                 extra_globals={"live_reload": True}))
    assert engine.build_all().ok
    southland = content / "actors/southland.md"
    edit(southland, "---\n", "---\nown_words_searched: \"Searched the council's minutes.\"\n")
    _, changed = rebuild(engine, southland)
    assert "actors/southland/index.html" in changed
    spokesman = content / "annotations/river-letter/spokesman.md"
    edit(spokesman, "stance: reports\nspeaker: islanders", "stance: considers")
    _, changed = rebuild(engine, spokesman)
    assert "actors/islanders/index.html" in changed
