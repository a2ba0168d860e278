"""The build command as an editor and a maintainer use it: output, exit codes, links, atomicity, determinism."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from sitegen.outdir import MARKER, MARKER_TEXT
from sitegen.pipeline import BuildOptions, build

from .conftest import FIXTURE_CONTENT, ROOT, run_build
from .links import broken_links


def digest_tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_page_of_the_url_table_is_built(fixture_site):
    expected = [
        "index.html", "actors/index.html", "actors/northland/index.html", "actors/southland/index.html",
        "actors/islanders/index.html", "motives/index.html", "motives/trade/index.html", "motives/security/index.html",
        "sources/index.html", "sources/harbour-report/index.html", "sources/river-letter/index.html",
        "timeline/index.html", "arguments/index.html", "about/index.html", "404.html", "feed.xml", "sitemap.xml",
        ".nojekyll", ".sitegen",
    ]
    missing = [path for path in expected if not (fixture_site / path).is_file()]
    assert missing == []


def test_no_broken_internal_link_or_fragment_at_the_root(fixture_site):
    assert broken_links(fixture_site, "/") == []


def test_no_broken_internal_link_or_fragment_under_a_sub_path(fixture_site_subpath):
    assert broken_links(fixture_site_subpath, "/repo/") == []
    home = (fixture_site_subpath / "index.html").read_text()
    assert 'href="/repo/actors/northland/"' in home
    assert re.search(r'href="/(?!repo/)[a-z]', home) is None, "a root-relative link escapes the sub-path"


def test_the_link_checker_finds_a_broken_link(tmp_path):
    (tmp_path / "index.html").write_text('<a href="/missing/">x</a><a href="#nowhere">y</a><p id="here"></p>')
    assert broken_links(tmp_path, "/") == [
        "index.html: /missing/ (no file missing/index.html)",
        "index.html: #nowhere (no id 'nowhere')",
    ]


def test_each_annotation_is_an_anchor_on_its_source_page(fixture_site):
    page = (fixture_site / "sources/harbour-report/index.html").read_text()
    for ann in ("first-to-recognise", "trade-first", "long-border"):
        assert f'id="{ann}"' in page


def test_a_quote_chosen_by_its_prefix_highlights_the_right_occurrence(fixture_site):
    page = (fixture_site / "sources/harbour-report/index.html").read_text()
    page = re.sub(r'<a class="hl-num"[^>]*>.*?</a>', "", page)  # the note numbers set in the text
    mark = re.search(r'<mark [^>]*id="long-border"[^>]*>the border</mark>', page)
    assert mark
    before = re.sub(r"<[^>]+>", "", page[:mark.start()])
    after = re.sub(r"<[^>]+>", "", page[mark.end():])
    assert before.endswith("The border is quiet, and ")
    assert after.startswith(" is long, and the border is old.")


def test_raw_html_in_content_is_shown_as_text_never_passed_through(fixture_site):
    page = (fixture_site / "sources/harbour-report/index.html").read_text()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<script>alert" not in page


def test_partial_dates_are_shown_at_their_precision(fixture_site):
    timeline = (fixture_site / "timeline/index.html").read_text()
    assert '<time datetime="2023">2023</time>' in timeline
    assert '<time datetime="2024-02">February 2024</time>' in timeline
    assert '<time datetime="2024-03-03">3 March 2024</time>' in timeline
    assert timeline.index('datetime="2023"') < timeline.index('datetime="2024-03-03"')


def test_same_input_gives_byte_identical_output(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    assert run_build("build", "--content", str(FIXTURE_CONTENT), "--out", str(first)).returncode == 0
    assert run_build("build", "--content", str(FIXTURE_CONTENT), "--out", str(second)).returncode == 0
    assert digest_tree(first) == digest_tree(second)


def test_a_successful_build_replaces_the_old_site_whole(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / MARKER).write_bytes(MARKER_TEXT)
    (out / "stale.html").write_text("from an earlier build")
    result = run_build("build", "--content", str(FIXTURE_CONTENT), "--out", str(out))
    assert result.returncode == 0
    # The last line says where the time went: the whole build, and Pagefind's part of it.
    whole, indexing = map(float, re.fullmatch(rf"built {re.escape(str(FIXTURE_CONTENT))} into {re.escape(str(out))} "
                                              r"in (\d+\.\d\d) s \(search index (\d+\.\d\d) s\)",
                                              result.stderr.splitlines()[-1]).groups())
    assert 0 < indexing <= whole
    assert not (out / "stale.html").exists()
    assert (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_failure_after_rendering_leaves_the_old_site_untouched(tmp_path, monkeypatch):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("last good build")

    def failing_finish(folder: Path, pages, meanwhile=None) -> None:
        raise OSError("disk full")

    from sitegen import pipeline

    monkeypatch.setattr(pipeline.search, "index_site", failing_finish)  # the build's last step fails
    with pytest.raises(OSError):
        build(BuildOptions(content=FIXTURE_CONTENT, out=out))
    assert (out / "index.html").read_text() == "last good build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_check_validates_without_writing(tmp_path):
    result = run_build("check", "--content", str(FIXTURE_CONTENT), cwd=tmp_path)
    assert result.returncode == 0
    assert list(tmp_path.iterdir()) == []
    assert "coverage: harbour-report: 4 of 5 paragraphs annotated, 5 annotations" in result.stdout
    assert "paragraph not annotated: “Some readers wrote <script>alert(\"x\")</script> in the comments. …”" in result.stdout


def test_warnings_print_and_fail_only_under_strict(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "actors" / "nobody.md").write_text("---\nname: Nobody\n---\nNo passage names this actor.\n")
    relaxed = run_build("check", "--content", "content", cwd=tmp_path)
    assert relaxed.returncode == 0
    warning = "content/actors/nobody.md:1: warning: actor 'nobody' has no passage"
    assert warning in relaxed.stderr
    strict = run_build("check", "--strict", "--content", "content", cwd=tmp_path)
    assert strict.returncode == 1
    assert warning in strict.stderr
    built = run_build("build", "--strict", "--content", "content", "--out", "site", cwd=tmp_path)
    assert built.returncode == 1 and not (tmp_path / "site").exists()


def test_errors_are_sorted_by_file_and_line_and_counted(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "motives" / "trade.md").write_text("---\nlabel: Trade\nflavour: sweet\n---\n")
    (content / "actors" / "islanders.md").write_text("---\nname: Island Council\nprimary: sometimes\n---\n")
    result = run_build("check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/actors/islanders.md:3: 'primary' must be true or false, not 'sometimes'",
        "    hint: write 'primary: true' or 'primary: false'",
        "content/motives/trade.md:3: unknown field 'flavour'",
        "    hint: the fields of a motive are: label, group",
        "2 errors",
    ]


def test_usage_errors_exit_2(tmp_path):
    result = run_build("build", "--no-such-option", cwd=tmp_path)
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert run_build("publish", cwd=tmp_path).returncode == 2


def test_missing_content_folder_is_a_content_error(tmp_path):
    result = run_build("check", "--content", "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("nowhere:1: content folder not found\n    hint: ")


def test_build_is_the_default_command(tmp_path):
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    result = run_build(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "index.html").is_file()


def test_feed_and_sitemap_use_absolute_urls(fixture_site_subpath):
    sitemap = (fixture_site_subpath / "sitemap.xml").read_text()
    assert "<loc>https://example.org/fixture/actors/northland/</loc>" in sitemap
    assert "404.html" not in sitemap
    feed = (fixture_site_subpath / "feed.xml").read_text()
    assert '<link rel="alternate" href="https://example.org/fixture/sources/harbour-report/"/>' in feed
    assert "<updated>2024-03-10T00:00:00Z</updated>" in feed


def test_readme_documents_every_command_and_option():
    from sitegen.cli import _parser

    readme = (ROOT / "README.md").read_text()
    parser = _parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name, sub in subparsers.choices.items():
        assert f"python build.py {name}" in readme, name
        for action in sub._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert f"`{flag}" in readme, f"{name} {flag}"
    assert "make serve" in readme and "make test" in readme


def test_editors_guide_documents_every_front_matter_field():
    """docs/content.md names every field each kind accepts, the required ones in bold: in the
    table of kinds at its top, and in the table of fields of each kind's own section."""
    from sitegen.parse import SCHEMAS

    guide = (ROOT / "docs" / "content.md").read_text()
    lines = guide.splitlines()
    for kind, fields in SCHEMAS.items():
        where = "content/site.yaml" if kind == "site" else f"content/{kind}/"
        expected = {f"**{name}**" if spec.required else name for name, spec in fields.items()}
        row = next(line for line in lines if line.startswith(f"| `{where}"))
        documented = {re.sub(r"\s*\(.*\)$", "", entry.strip()) for entry in row.split("|")[2].split(",")}
        assert documented == expected, kind
        start = next(i for i, line in enumerate(lines) if line.startswith("## ") and f"`{where}" in line)
        table = next(i for i in range(start, len(lines)) if lines[i].startswith("| field |"))
        end = next(i for i in range(table, len(lines) + 1) if i == len(lines) or not lines[i].startswith("|"))
        assert not any(line.startswith("## ") for line in lines[start + 1:table]), kind
        cells = [line.split("|")[1].strip() for line in lines[table:end] if not line.startswith("|---")]
        section = {re.fullmatch(r"(\*\*)?`(\w+)`(\*\*)?", cell).expand(r"\1\2\3") for cell in cells[1:]}
        assert section == expected, kind


def _markdown_links(path: Path) -> list[str]:
    """The targets of the markdown links in a file, outside code."""
    text = re.sub(r"^```.*?^```", "", path.read_text(), flags=re.M | re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    return re.findall(r"\]\(([^)\s]+)\)", text)


def _heading_anchors(path: Path) -> set[str]:
    """The anchors GitHub gives a markdown file's headings."""
    anchors = set()
    for line in path.read_text().splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower().replace("`", "")
            anchors.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return anchors


def test_readme_links_every_doc_and_every_relative_link_resolves():
    docs = sorted((ROOT / "docs").glob("*.md"))
    readme_links = _markdown_links(ROOT / "README.md")
    assert docs
    for doc in docs:
        assert f"docs/{doc.name}" in readme_links, doc.name
    for page in [ROOT / "README.md", ROOT / "benchmarks" / "README.md", *docs]:
        for target in _markdown_links(page):
            if re.match(r"[a-z]+:", target):
                continue
            file, _, anchor = target.partition("#")
            resolved = (page.parent / file).resolve() if file else page
            assert resolved.is_file(), f"{page.relative_to(ROOT)}: {target}"
            if anchor:
                assert anchor in _heading_anchors(resolved), f"{page.relative_to(ROOT)}: {target}"


def test_ci_runs_the_readmes_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^test:\n(\t.*\n)*\t\.venv/bin/python -m pytest", makefile, re.M)


def test_template_mistakes_are_reported_with_file_and_line(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    about = templates / "about.html"
    about.write_text("<!DOCTYPE html>\n<title>About</title>\n<p>{{ site.titel }}</p>\n")
    args = ("build", "--content", str(FIXTURE_CONTENT), "--templates", "templates", "--out", "site")
    result = run_build(*args, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "templates/about.html:3: template error while rendering /about/: "
        "'sitegen.model.Site object' has no attribute 'titel'")
    assert "Traceback" not in result.stderr
    about.write_text("{% if %}\n")
    result = run_build(*args, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith("templates/about.html:1: template syntax error: ")
    assert not (tmp_path / "site").exists()
    shutil.copy(ROOT / "templates" / "about.html", about)
    macros = templates / "_macros.html"  # imported, not a page's own template
    macros.write_text(macros.read_text(encoding="utf-8") + "{% macro broken( %}\n", encoding="utf-8")
    result = run_build(*args, cwd=tmp_path)
    assert result.returncode == 1
    assert re.match(r"templates/_macros\.html:\d+: template syntax error: ", result.stderr.splitlines()[0])
    assert not (tmp_path / "site").exists()


def test_files_saved_with_a_byte_order_mark_and_crlf_build_as_plain_utf8(tmp_path, fixture_site):
    """Editors on Windows save with CRLF line ends, some editors with a BOM: the same site."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    for rel in ("sources/harbour-report.md", "annotations/harbour-report/lighthouse.md", "site.yaml"):
        path = content / rel
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    result = run_build("build", "--content", str(content), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    built, expected = digest_tree(tmp_path / "site"), digest_tree(fixture_site)
    assert built.keys() == expected.keys()
    assert [rel for rel in built if built[rel] != expected[rel] and not rel.startswith("pagefind/")] == []
