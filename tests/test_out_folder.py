"""`--out`: a build replaces its output folder whole, so it refuses any folder it did not make."""

from __future__ import annotations

import shutil
from pathlib import Path

from sitegen.outdir import MARKER, MARKER_TEXT

from .conftest import FIXTURE_CONTENT, ROOT, run_build

SEPARATE = "    hint: pass a separate folder to --out, such as site\n"


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under `root` with its bytes (None for a folder)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None for p in sorted(root.rglob("*"))}


def with_content(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    return tmp_path


def test_a_folder_holding_a_users_files_is_refused_and_left_as_it_was(tmp_path):
    with_content(tmp_path)
    mine = tmp_path / "thesis"
    (mine / "chapters").mkdir(parents=True)
    (mine / "chapters" / "one.md").write_text("years of work")
    (mine / "index.html").write_text("my own page")
    before = snapshot(tmp_path)
    for command in ("build", "serve"):
        result = run_build(command, "--content", "content", "--out", "thesis", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr == (
            "--out thesis: the folder holds files that no build made (it has no .sitegen file); nothing was written\n"
            "    hint: pass a new or empty folder to --out; every build replaces the output folder whole\n")
        assert snapshot(tmp_path) == before


def test_the_content_folder_is_refused(tmp_path):
    with_content(tmp_path)
    before = snapshot(tmp_path)
    result = run_build("build", "--content", "content", "--out", "content", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "--out content: is the content folder, which every build would replace\n" + SEPARATE
    result = run_build("build", "--content", "content", "--out", "content/site", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "--out content/site: lies inside the content folder content\n" + SEPARATE
    assert snapshot(tmp_path) == before


def test_the_current_folder_holding_the_content_is_refused(tmp_path):
    with_content(tmp_path)
    before = snapshot(tmp_path)
    result = run_build("build", "--content", "content", "--out", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "--out .: holds the content folder, which every build would replace\n" + SEPARATE
    assert snapshot(tmp_path) == before


def test_a_folder_inside_the_templates_or_holding_the_project_is_refused(tmp_path):
    with_content(tmp_path)
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    before = snapshot(tmp_path)
    result = run_build("build", "--content", "content", "--templates", "templates", "--out", "templates/site",
                       cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "--out templates/site: lies inside the templates folder templates\n" + SEPARATE
    assert snapshot(tmp_path) == before
    result = run_build("build", "--content", str(tmp_path / "content"), "--out", str(ROOT.parent), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"--out {ROOT.parent}: holds the project folder {ROOT}, which every build would replace\n" \
        + SEPARATE
    result = run_build("build", "--content", str(tmp_path / "content"), "--out", str(ROOT), cwd=tmp_path)
    assert result.stderr == f"--out {ROOT}: is the project folder, which every build would replace\n" + SEPARATE


def test_a_file_is_refused(tmp_path):
    with_content(tmp_path)
    (tmp_path / "notes.txt").write_text("not a folder")
    result = run_build("build", "--content", "content", "--out", "notes.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "--out notes.txt: is a file, not a folder\n    hint: pass a folder to --out; a new one is created\n"
    assert (tmp_path / "notes.txt").read_text() == "not a folder"


def test_an_empty_folder_is_used_and_a_second_build_replaces_the_first(tmp_path):
    with_content(tmp_path)
    (tmp_path / "site").mkdir()
    assert run_build("build", "--content", "content", "--out", "site", cwd=tmp_path).returncode == 0
    assert (tmp_path / "site" / MARKER).read_bytes() == MARKER_TEXT
    (tmp_path / "site" / "left-over.html").write_text("from the first build")
    result = run_build("build", "--content", "content", "--out", "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site" / "left-over.html").exists()
    assert (tmp_path / "site" / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


def test_a_killed_builds_staging_folders_are_removed_and_a_users_are_kept(tmp_path):
    with_content(tmp_path)
    stale_new, stale_old = tmp_path / ".site.new-xyz", tmp_path / ".site.old-999999999"
    for folder in (stale_new, stale_old):
        folder.mkdir()
        (folder / MARKER).write_bytes(MARKER_TEXT)
        (folder / "index.html").write_text("half a site")
    mine = tmp_path / ".site.new-ideas"  # the same name pattern, but not made by a build
    mine.mkdir()
    (mine / "todo.txt").write_text("mine")
    result = run_build("build", "--content", "content", "--out", "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.new-ideas", "content", "site"]
    assert (mine / "todo.txt").read_text() == "mine"
