"""Content that could hurt the build or the reader: files that are no regular files, files too
large or unreadable, alias bombs, and links with schemes that run code. Each is an error at its
path (never a hang, a traceback, a file from outside the content folder, or a skipped file),
or a link that stays text. Cases an overlay can express are in tests/invalid/."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen import load
from sitegen.diagnostics import ContentError
from sitegen.incremental import Engine
from sitegen.markdown import parse_body, render_body
from sitegen.pipeline import BuildOptions, validate

from .conftest import FIXTURE_CONTENT, ROOT, run_build

MEMORY_LIMIT = 1024 ** 3
"""Address space given to `build.py check` in the memory-bounded tests (1 GiB)."""


@pytest.fixture
def content(tmp_path) -> Path:
    """A copy of the fixture content, as `content/` beside where the commands run."""
    folder = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, folder)
    return folder


def check_bounded(cwd: Path) -> subprocess.CompletedProcess:
    """`build.py check --content content` with at most MEMORY_LIMIT of memory and a minute."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content", "content"], cwd=cwd,
                          capture_output=True, text=True, timeout=60, preexec_fn=limit)


def errors(content: Path) -> list[str]:
    """The lines of the errors a check of `content` reports, hints included."""
    with pytest.raises(ContentError) as raised:
        validate(content)
    return [line for d in raised.value.diagnostics for line in d.format().splitlines()]


LINK_HINT = ("    hint: links are not followed, so that nothing from outside the content folder is published: "
             "put the file itself here")


# -- memory-bounded: alias bomb, /dev/zero --------------------------------------------------

def test_an_alias_bomb_is_refused_within_a_gigabyte(content):
    laughs = ["&a [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    for prev, name in zip("abcdefgh", "bcdefghi"):
        laughs.append(f"&{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = "[" + ", ".join(laughs) + "]"
    assert len(bomb) < 500
    (content / "events/talks.md").write_text(
        f"---\ndate: {bomb}\ntitle: Talks\nactors: [northland, islanders]\n---\nTalks.\n")
    result = check_bounded(content.parent)
    assert result.returncode == 1, result.stderr
    assert result.stderr == (
        "content/events/talks.md:2: YAML anchors and aliases ('&a') are not allowed in front matter\n"
        "    hint: write the value out in full; quote a value that starts with '&'\n"
        "1 error\n")


def test_a_link_to_dev_zero_is_refused_unread_within_a_gigabyte(content):
    (content / "sources/zero.md").symlink_to("/dev/zero")
    result = check_bounded(content.parent)
    assert result.returncode == 1, result.stderr
    assert result.stderr == (
        "content/sources/zero.md:1: 'zero.md' is a symbolic link, not a regular file\n" + LINK_HINT + "\n1 error\n")


# -- files that are no regular files ----------------------------------------------------------

def test_a_named_pipe_is_an_error_not_a_hang(content):
    os.mkfifo(content / "motives/pipe.md")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content", "content"],
                            cwd=content.parent, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr == (
        "content/motives/pipe.md:1: 'pipe.md' is a named pipe, not a regular file\n"
        "    hint: content files are ordinary text files: remove it\n1 error\n")


def test_a_link_to_a_file_outside_the_content_is_not_published(content, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("---\nlabel: Secret\n---\nNot for publication.\n")
    (content / "motives/secret.md").symlink_to(outside)
    site = tmp_path / "site"
    result = run_build("build", "--content", "content", "--out", "site", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "content/motives/secret.md:1: 'secret.md' is a symbolic link, not a regular file", LINK_HINT]
    assert not site.exists()


def test_a_linked_folder_is_an_error_not_skipped(content, tmp_path):
    elsewhere = tmp_path / "more-motives"
    elsewhere.mkdir()
    (elsewhere / "fear.md").write_text("---\nlabel: Fear\n---\nFear.\n")
    shutil.rmtree(content / "events")
    (content / "events").symlink_to(elsewhere, target_is_directory=True)
    found = errors(content)
    assert f"{content}/events:1: 'events' is a symbolic link, not a regular file" in found
    assert not any("fear" in line for line in found)


def test_a_dangling_link_is_an_error(content):
    (content / "actors/gone.md").symlink_to(content / "actors/nowhere.md")
    assert errors(content)[:2] == [f"{content}/actors/gone.md:1: 'gone.md' is a symbolic link, not a regular file", LINK_HINT]


def test_a_file_over_the_size_limit_is_an_error(content):
    body = ("A sentence of the article, repeated. " * 60 + "\n\n") * (load.MAX_FILE_BYTES // 2000)
    path = content / "motives/huge.md"
    path.write_text("---\nlabel: Huge\n---\n" + body)
    assert path.stat().st_size > load.MAX_FILE_BYTES
    assert errors(content) == [
        f"{content}/motives/huge.md:1: the file is larger than 2 MiB, the most a content file may hold",
        "    hint: split it, or check that it is the file you meant"]


def test_a_file_at_the_size_limit_is_read(content):
    path = content / "motives/long.md"
    head = "---\nlabel: Long\n---\n"
    path.write_text(head + "x" * (load.MAX_FILE_BYTES - len(head) - 1) + "\n")
    assert path.stat().st_size == load.MAX_FILE_BYTES
    assert validate(content).model.motives["long"].label == "Long"


# -- permission errors (the tests run as root, so the system calls are made to fail) ------------

def test_an_unreadable_file_is_an_error_at_its_path(content, monkeypatch):
    denied = str(content / "actors/southland.md")
    real_open = os.open

    def refusing_open(path, *args, **kwargs):
        if os.fspath(path) == denied:
            raise PermissionError(13, "Permission denied", denied)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    found = errors(content)
    assert found[:2] == [f"{denied}:1: cannot read the file: permission denied",
                         "    hint: check that you may read the file (its permissions and owner)"]
    assert not any("unknown actor 'southland'" in line for line in found), "references to it are not reported again"


def test_an_unreadable_folder_is_an_error_at_its_path(content, monkeypatch):
    denied = os.fspath(content / "annotations/river-letter")
    real_scandir = os.scandir

    def refusing_scandir(path="."):
        if os.fspath(path) == denied:
            raise PermissionError(13, "Permission denied", denied)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    found = errors(content)
    at = found.index(f"{denied}:1: cannot read the folder: permission denied")
    assert found[at + 1] == "    hint: check that you may read the folder (its permissions and owner)"


def test_an_unreadable_content_folder_is_an_error(content, monkeypatch):
    real_scandir = os.scandir

    def refusing_scandir(path="."):
        if os.fspath(path) == os.fspath(content):
            raise PermissionError(13, "Permission denied", os.fspath(content))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    assert errors(content) == [f"{content}:1: cannot read the folder: permission denied",
                               "    hint: check that you may read the folder (its permissions and owner)"]


# -- serve reads files as build does ---------------------------------------------------------

def test_serve_reports_links_and_pipes_as_build_does(content, tmp_path):
    options = BuildOptions(content=content, out=tmp_path / "site", templates=ROOT / "templates")
    engine = Engine(options)
    assert engine.build_all().ok
    link, pipe = content / "motives/linked.md", content / "motives/pipe.md"
    link.symlink_to(content / "motives/trade.md")
    os.mkfifo(pipe)
    engine.content_changed([link, pipe])
    outcome = engine.rebuild()
    assert not outcome.ok
    with pytest.raises(ContentError) as cold:
        validate(content)
    assert outcome.errors == tuple(cold.value.diagnostics)
    assert [d.message for d in outcome.errors] == ["'linked.md' is a symbolic link, not a regular file",
                                                   "'pipe.md' is a named pipe, not a regular file"]
    link.unlink()
    pipe.unlink()
    engine.content_changed([link, pipe])
    assert engine.rebuild().ok


def test_serve_does_not_walk_into_a_linked_folder(content, tmp_path):
    options = BuildOptions(content=content, out=tmp_path / "site", templates=ROOT / "templates")
    engine = Engine(options)
    assert engine.build_all().ok
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "fear.md").write_text("---\nlabel: Fear\n---\nFear.\n")
    linked = content / "annotations/linked"
    linked.symlink_to(elsewhere, target_is_directory=True)
    engine.content_changed([linked])
    outcome = engine.rebuild()
    assert [d.format().splitlines()[0] for d in outcome.errors] == [
        f"{content}/annotations/linked:1: 'linked' is a symbolic link, not a regular file"]


# -- links and addresses ----------------------------------------------------------------------

def test_markdown_makes_links_only_of_http_mailto_and_relative_urls():
    body = parse_body(
        "[a](javascript:alert(1)) <javascript:alert(2)> [b] ![i](data:image/png;base64,AA) [f](file:///etc/passwd)\n"
        "[c](https://example.org/c) <https://example.org/d> [m](mailto:editors@example.org) [r](../r/) [R][]\n\n"
        "[R]: https://example.org/r\n\n[b]: vbscript:alert(3)\n", 1)
    html = render_body(body, lambda target: ("/", target))
    hrefs = [part.split('"', 1)[0] for part in html.split('href="')[1:]]
    assert hrefs == ["https://example.org/c", "https://example.org/d", "mailto:editors@example.org", "../r/",
                     "https://example.org/r"]
    assert "<img" not in html and "[a](javascript:alert(1))" in html and "[b]: vbscript:alert(3)" in html


def test_a_bad_site_url_option_is_a_usage_error(tmp_path):
    result = run_build("build", "--content", str(FIXTURE_CONTENT), "--out", "site", "--site-url", "javascript:alert(1)//",
                       cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "build.py build: error: argument --site-url: 'javascript:alert(1)//' is not a web address the site can link to: "
        "only http and https addresses are linked, not 'javascript:'; give the full address, like https://example.org/site/")
    assert not (tmp_path / "site").exists()


# -- markdown that nests without end ---------------------------------------------------------

def test_ten_thousand_brackets_stay_text():
    for text in ("[" * 10_000, "[[" * 5_000, "![" * 5_000, "[x" * 5_000 + "]"):
        html = render_body(parse_body(text, 1), lambda target: ("/", target))
        assert html == f"<p>{text}</p>\n"


def test_messages_quote_at_most_sixty_characters_of_a_value(content):
    long = "x" * 100_000
    (content / "actors/islanders.md").write_text(
        f"---\nname: Island Council\n{long[:1000]}: 1\n---\nThe council.\n")  # YAML keys stop at 1024
    (content / "motives/security.md").write_text(f"---\nlabel: Security\n---\nSee [[actors/{long}]].\n")
    (content / "motives/trade.md").write_text(f"---\nlabel: Trade\ngroup: [{long}]\n---\nTrade.\n")
    found = errors(content)
    assert max(len(line) for line in found) < 400
    assert f"{content}/actors/islanders.md:3: unknown field '{'x' * 59}…'" in found
    assert f"{content}/motives/trade.md:3: 'group' must be a single value, not a list" in found
    assert f"{content}/motives/security.md:4: wikilink [[actors/{'x' * 52}…]]: unknown actor '{'x' * 59}…'" in found
