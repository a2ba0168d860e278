"""`build.py new KIND ID`: the file it writes, what `check` says of it, and what it refuses."""

from __future__ import annotations

import shutil

import pytest

from sitegen.parse import SCHEMAS
from sitegen.scaffold import KINDS, render

from .conftest import FIXTURE_CONTENT, ROOT, run_build


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, folder)
    return folder


def new(folder, *args):
    return run_build("new", *args, "--content", str(folder), cwd=folder.parent)


def check(folder):
    return run_build("check", "--content", "content", cwd=folder.parent)


def test_an_actor_and_a_motive_check_clean_but_for_having_no_passage(content):
    assert new(content, "actor", "iran").stdout == (
        f"wrote {content}/actors/iran.md: check the name made from the id (each field is explained in the file); "
        f"then run python build.py check --content {content}\n")
    assert new(content, "motive", "water-rights").returncode == 0
    actor = (content / "actors" / "iran.md").read_text()
    assert actor.splitlines()[:4] == [
        "---",
        "# An actor: a state, movement, group or person the sources give a role. Every field is explained in docs/content.md.",
        "name: Iran  # required; text: the actor's name everywhere",
        "# kind:  # text, free: a label beside the name; this site uses state, movement or group",
    ]
    assert "label: Water rights  # required;" in (content / "motives" / "water-rights.md").read_text()
    result = check(content)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[:4] == [
        "content/actors/iran.md:1: warning: actor 'iran' has no passage",
        "    hint: annotate a passage with 'actor:' or 'involves:' naming it, or remove the actor",
        "content/motives/water-rights.md:1: warning: motive 'water-rights' tags no passage",
        "    hint: tag a passage with it, or remove the motive",
    ]


def test_a_source_event_and_argument_report_each_placeholder_to_fill_at_its_line(content):
    fill = {"source": "title, authors, published and the article's text", "event": "date, title and actors",
            "argument": "claim and evidence"}
    for kind in fill:
        result = new(content, kind, f"new-{kind}")
        assert result.returncode == 0
        assert result.stdout.startswith(f"wrote {content}/{kind}s/new-{kind}.md: fill in {fill[kind]} (each field")
    result = check(content)
    assert result.returncode == 1
    assert result.stderr == "\n".join([
        "content/arguments/new-argument.md:3: 'claim' is empty",
        "    hint: give the claim",
        "content/arguments/new-argument.md:6: 'evidence' is empty",
        "    hint: list at least one entry in 'evidence'",
        "content/events/new-event.md:3: 'date' is empty",
        "    hint: give the date: YYYY, YYYY-MM or YYYY-MM-DD",
        "content/events/new-event.md:4: 'title' is empty",
        "    hint: give the title",
        "content/events/new-event.md:5: 'actors' is empty",
        "    hint: list at least one entry in 'actors'",
        "content/sources/new-source.md:3: 'title' is empty",
        "    hint: give the title",
        "content/sources/new-source.md:5: 'authors' is empty",
        "    hint: list at least one entry in 'authors'",
        "content/sources/new-source.md:7: 'published' is empty",
        "    hint: give the date: YYYY, YYYY-MM or YYYY-MM-DD",
        "content/sources/new-source.md:18: the source has no text",
        "    hint: paste the article's text below the front matter",
        "9 errors",
    ]) + "\n"


def test_a_filled_in_source_checks_clean(content):
    new(content, "source", "op-ed")
    path = content / "sources" / "op-ed.md"
    text = path.read_text().replace("title: ", "title: An op-ed").replace("authors: []", "authors: [Ann Author]")
    path.write_text(text.replace("published: ", "published: 2025-07") + "The article's text.\n")
    result = check(content)
    assert result.returncode == 0, result.stderr
    assert "content/sources/op-ed.md:1: warning: source 'op-ed' has no annotations" in result.stderr
    assert "content/sources/op-ed.md:1: warning: source 'op-ed' is reproduced in full but does not say why that is allowed" in result.stderr


def test_a_new_source_in_excerpts_needs_only_its_original(content):
    """Uncommenting `url` and `reproduce: excerpts` in the scaffold is all a press article needs."""
    new(content, "source", "op-ed")
    path = content / "sources" / "op-ed.md"
    text = path.read_text().replace("title: ", "title: An op-ed").replace("authors: []", "authors: [Ann Author]")
    text = text.replace("# url:", "url: https://example.org/op-ed").replace("# reproduce:", "reproduce: excerpts")
    path.write_text(text.replace("published: ", "published: 2025-07") + "The article's text.\n")
    result = check(content)
    assert result.returncode == 0, result.stderr
    assert "reproduced in full" not in result.stderr


@pytest.mark.parametrize("folder", sorted(KINDS.values()))
def test_every_field_is_written_required_ones_set_optional_ones_commented_out(folder):
    lines = render(folder, "some-id").splitlines()
    for name, spec in SCHEMAS[folder].items():
        [line] = [line for line in lines if line.startswith((f"{name}:", f"# {name}:"))]
        assert line.startswith(name if spec.required else "# ") and "  # " in line.removeprefix("# "), line


def test_an_existing_id_is_refused_and_nothing_written(content):
    before = (content / "actors" / "northland.md").read_bytes()
    result = new(content, "actor", "northland")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (f"{content}/actors/northland.md:1: actor 'northland' already exists\n"
                             "    hint: edit this file, or choose another id for the new actor\n")
    assert (content / "actors" / "northland.md").read_bytes() == before


def test_the_same_id_in_another_kind_is_fine(content):
    result = new(content, "motive", "northland")
    assert result.returncode == 0, result.stderr
    assert (content / "motives" / "northland.md").is_file()


def test_the_default_content_folder(tmp_path):
    (tmp_path / "content").mkdir()
    result = run_build("new", "event", "talks-resume", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("wrote content/events/talks-resume.md: fill in date, title and actors "
                             "(each field is explained in the file); then run python build.py check\n")


@pytest.mark.parametrize("args, error", [
    (("actor", "Iran"), "argument id: 'Iran' is not a valid id: ids are lowercase a-z, 0-9 and hyphens, like 'iran'"),
    (("actor", "new-"), "argument id: 'new-' is not a valid id: ids are lowercase a-z, 0-9 and hyphens, like 'new'"),
    (("annotation", "x"), "argument kind: invalid choice: 'annotation'"),
])
def test_a_bad_id_or_kind_is_a_usage_error(content, args, error):
    before = sorted(p for p in content.rglob("*"))
    result = new(content, *args)
    assert result.returncode == 2
    assert f"build.py new: error: {error}" in result.stderr
    assert sorted(p for p in content.rglob("*")) == before


def test_each_fields_comment_starts_with_its_value_in_the_editors_guide():
    """The comments say what docs/content.md's tables say a field takes, in the same words."""
    lines = (ROOT / "docs" / "content.md").read_text().splitlines()
    for folder in KINDS.values():
        start = next(i for i, line in enumerate(lines) if line.startswith("## ") and f"`content/{folder}/" in line)
        table = next(i for i in range(start, len(lines)) if lines[i].startswith("| field |"))
        rows = [line.split("|") for line in lines[table + 2:] if line.startswith("|")][:len(SCHEMAS[folder])]
        values = {row[1].strip(" *`"): row[2].strip().replace("`", "") for row in rows}
        assert set(values) == set(SCHEMAS[folder]), folder
        for line in render(folder, "some-id").splitlines():
            name, _, comment = line.removeprefix("# ").partition(":")
            if name in values:
                assert comment.partition("  # ")[2].removeprefix("required; ").removeprefix("required, to fill in; ") \
                    .startswith(values[name]), (folder, name, values[name], line)


def test_a_missing_content_folder_is_a_usage_error_and_nothing_is_made(tmp_path):
    result = run_build("new", "actor", "iran", "--content", "nowhere", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("nowhere:1: content folder not found\n"
                             "    hint: pass --content DIR, or run from the project folder\n")
    assert list(tmp_path.iterdir()) == []
