"""`build.py serve`, run as an editor runs it: a subprocess on a copy of the fixture content.

The browser test opens a page, edits the content, and sees the page reload with the change;
breaks the YAML and sees the overlay with `path:line`; fixes it and sees the overlay go.
The HTTP tests check what the server will and will not serve. Every server is stopped with
SIGINT and must exit cleanly (status 0).
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .conftest import FIXTURE_CONTENT, ROOT

ANNOTATION = "annotations/harbour-report/trade-first.md"
START_TIMEOUT = 60


class Served:
    """A running `build.py serve`; `lines` collects its output (stdout and stderr, in order)."""

    def __init__(self, tmp: Path, *args: str):
        self.content = tmp / "content"
        shutil.copytree(FIXTURE_CONTENT, self.content)
        self.out = tmp / "site"
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(self.content), "--out", str(self.out),
             "--port", "0", *args],
            cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for_line("serving http://").split()[1]
        self.port = int(self.url.split(":")[2].split("/")[0])

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            self._queue.put(line.rstrip("\n"))

    def wait_for_line(self, text: str, timeout: float = START_TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.1)
            except queue.Empty:
                assert self.process.poll() is None, "serve exited:\n" + "\n".join(self.lines)
                continue
            if text in line:
                return line
        pytest.fail(f"no line with {text!r} in serve's output:\n" + "\n".join(self.lines))

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.content / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def get(self, path: str) -> tuple[int, bytes, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.putrequest("GET", path, skip_accept_encoding=True)  # the path goes out exactly as given
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body, dict(response.getheaders())

    def stop(self) -> int:
        """Ctrl-C: the server must stop cleanly, with status 0."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                pytest.fail("serve did not stop on SIGINT:\n" + "\n".join(self.lines))
        time.sleep(0.1)
        return self.process.returncode


def wait_for_overlay(page, text: str):
    """The overlay once it shows `text`. An editor's save truncates the file before writing it,
    and a rebuild that reads it in between shows that state's error first; the overlay then
    updates when the write lands, so wait for what the finished save must show."""
    page.wait_for_function("text => (document.querySelector('#sitegen_errors pre') || {}).textContent"
                           "?.includes(text)", arg=text, timeout=15000)
    return page.query_selector("#sitegen_errors")


@pytest.fixture
def served(tmp_path):
    server = Served(tmp_path)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


def test_editing_reloads_the_page_and_errors_show_as_an_overlay(served, browser):
    page = browser.new_page(viewport={"width": 1000, "height": 600})
    page.goto(served.url + "sources/harbour-report/")
    page.wait_for_function("window.sitegen_live_state !== undefined")  # the event stream is connected
    page.evaluate("window.scrollTo(0, 500); window.__before_reload = true")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 100, "the fixture's source page should be long enough to scroll"

    # 1. A valid edit: the page reloads by itself, shows the change, keeps its scroll position.
    served.edit(ANNOTATION, "Typographic quotes in the source", "Curly quotes, edited live, in the source")
    # (the commentary is in its note, which is folded: textContent, not the innerText on show)
    page.wait_for_function("document.body.textContent.includes('Curly quotes, edited live')", timeout=15000)
    assert page.evaluate("window.__before_reload === undefined"), "the page must have reloaded"
    page.wait_for_function(f"Math.abs(window.scrollY - {scrolled}) < 5", timeout=5000)
    served.wait_for_line("rebuilt in")

    # 2. Broken YAML: the terminal and the overlay show the same `path:line: message`.
    served.edit(ANNOTATION, "motives: [trade]", "motives: [trade")
    expected = f"{served.content}/{ANNOTATION}:3: malformed YAML: the '[' opened on this line is not closed (line 4: expected ',' or ']', but got ':')"
    overlay = wait_for_overlay(page, expected)
    served.wait_for_line(expected)
    shown = page.inner_text("#sitegen_errors pre").splitlines()
    assert shown[0] == expected
    assert shown == served.lines[served.lines.index(expected):served.lines.index(expected) + len(shown)]
    assert overlay.get_attribute("role") == "alert"
    status, body, _ = served.get("/sources/harbour-report/")
    assert status == 200 and b"Curly quotes, edited live" in body, "the last good build is still served"

    # 3. The fix: the overlay goes away.
    served.edit(ANNOTATION, "motives: [trade", "motives: [trade]")
    page.wait_for_selector("#sitegen_errors", state="detached", timeout=15000)
    served.wait_for_line("fixed: rebuilt in")
    page.close()
    assert served.stop() == 0
    assert served.lines[-1] == "stopped"


def test_overlay_escapes_the_error_text(served, browser):
    page = browser.new_page()
    page.goto(served.url)
    page.wait_for_function("window.sitegen_live_state !== undefined")
    served.edit("actors/northland.md", "name: Northland", "name: Northland\nbogus: <img src=x onerror=alert(1)>")
    wait_for_overlay(page, "unknown field 'bogus'")
    assert page.query_selector("#sitegen_errors img") is None
    page.close()
    assert served.stop() == 0


def test_overlay_wraps_long_paths_on_a_phone(served, browser):
    """A file path has no spaces to break at: at 360 px it must wrap, not run off the screen."""
    page = browser.new_page(viewport={"width": 360, "height": 780})
    page.goto(served.url)
    page.wait_for_function("window.sitegen_live_state !== undefined")
    served.edit("annotations/harbour-report/trade-first.md", "motives: [trade]", "motives: [trade")
    wait_for_overlay(page, "trade-first.md:3: malformed YAML: the '[' opened on this line is not closed")
    text = page.query_selector("#sitegen_errors pre")
    assert text.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert text.evaluate("e => e.getBoundingClientRect().right <= window.innerWidth")
    page.close()
    assert served.stop() == 0


def test_serves_only_files_under_the_output_folder(served, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not serve me")
    (served.out / "escape").symlink_to(tmp_path, target_is_directory=True)
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/sources/..%2f..%2fsecret.txt", "/escape/secret.txt",
                 "/..%5csecret.txt", "//etc/passwd", "/../../../../../../etc/passwd", "/%00"):
        status, body, _ = served.get(path)
        assert status in (301, 404), path
        assert b"do not serve me" not in body and b"root:" not in body, path
    status, body, headers = served.get("/no-such-page/")
    assert status == 404 and b"<html" in body
    status, body, headers = served.get("/sources/harbour-report")
    assert status == 301 and headers["Location"] == "/sources/harbour-report/"
    status, body, headers = served.get("/static/style.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert served.stop() == 0


def test_event_stream_tells_a_stale_page_to_reload(served):
    status, body, _ = served.get("/sources/harbour-report/")
    stamp = body.split(b'data-sitegen-build="', 1)[1].split(b'"', 1)[0].decode()
    assert stamp == "0"  # not rewritten since serve started
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=20)
    connection.request("GET", f"/__sitegen/events?page=/sources/harbour-report/&build={stamp}")
    response = connection.getresponse()
    assert response.getheader("Content-Type").startswith("text/event-stream")

    def next_state() -> dict:
        while True:
            line = response.fp.readline().decode()
            if line.startswith("data: "):
                return json.loads(line[6:])

    assert next_state() == {"build": 1, "errors": [], "warnings": [], "reload": False}
    served.edit("motives/security.md", "---\n", "---\n", )  # an unrelated save: nothing to reload
    served.edit(ANNOTATION, "Typographic quotes", "Curly quotes")
    state = next_state()
    assert state["reload"] is True and state["errors"] == []
    connection.close()
    status, body, _ = served.get("/sources/harbour-report/")
    assert b"Curly quotes" in body and b'data-sitegen-build="0"' not in body
    # The data exports are refreshed when asked for.
    status, body, _ = served.get("/data/annotations.csv")
    assert status == 200 and b"Curly quotes" in body
    assert served.stop() == 0


def test_serves_under_a_base_path_and_never_publishes_live_reload(tmp_path):
    served = Served(tmp_path, "--base-path", "/repo/")
    try:
        assert served.url.endswith("/repo/")
        status, _, headers = served.get("/")
        assert status == 301 and headers["Location"] == "/repo/"
        status, body, _ = served.get("/repo/actors/")
        assert status == 200 and b"sitegen_live_reload" in body
        assert served.stop() == 0
    finally:
        if served.process.poll() is None:
            served.process.kill()
    # After serve, a plain build of the same content has no live-reload script anywhere.
    out = tmp_path / "published"
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(served.content),
                             "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not any(b"sitegen_live_reload" in p.read_bytes() for p in out.rglob("*.html"))


def page_counts(site: Path) -> dict[str, int]:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    return {language: info["page_count"] for language, info in entry["languages"].items()}


def test_the_search_index_under_serve_takes_in_the_pages_a_build_indexes(served, fixture_site):
    served.wait_for_line("search index updated")
    assert page_counts(served.out) == page_counts(fixture_site)
    served.edit(ANNOTATION, "Typographic quotes in the source", "Edited under serve: typographic quotes in the source")
    served.wait_for_line("rebuilt in")
    served.wait_for_line("search index updated")
    assert page_counts(served.out) == page_counts(fixture_site)
    assert served.stop() == 0


def test_the_search_index_is_built_when_the_output_folder_is_given_relative(tmp_path):
    served = Served(tmp_path, "--out", "site")  # relative to serve's working folder, as `make serve` gives it
    try:
        served.wait_for_line("search index updated")
        assert (served.out / "pagefind" / "pagefind.js").is_file()
        assert served.stop() == 0
    finally:
        if served.process.poll() is None:
            served.process.kill()
            served.process.wait()
    assert not any("Pagefind failed" in line for line in served.lines), "\n".join(served.lines)
