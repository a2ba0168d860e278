"""The workbench's endpoint, over HTTP: who may write, what it writes, and what it refuses."""

from __future__ import annotations

import http.client
import json
import shutil
import threading
from pathlib import Path

import pytest

from sitegen.incremental import Engine
from sitegen.pipeline import BuildOptions, build
from sitegen.serve import Hub, SiteServer
from sitegen.workbench import Workbench

from .conftest import FIXTURE_CONTENT

TOKEN = "test-token-0123456789"


class Served:
    """A SiteServer with the workbench, on a copy of the fixture content."""

    def __init__(self, tmp: Path):
        self.content = tmp / "content"
        shutil.copytree(FIXTURE_CONTENT, self.content)
        self.out = tmp / "site"
        self.engine = Engine(BuildOptions(content=self.content, out=self.out, extra_globals={"live_reload": True}))
        assert self.engine.build_all().ok
        lock = threading.Lock()
        workbench = Workbench(self.content, self.engine.options.templates, self.engine, lock, TOKEN)
        self.server = SiteServer(("127.0.0.1", 0), self.out, "/", Hub(), self.engine, lock, workbench)
        self.port = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join()
        self.server.server_close()

    def request(self, method: str, path: str, body=None, **headers: str) -> tuple[int, dict | bytes, dict]:
        """`headers` by keyword, `_` for `-`; Host, Origin and the token are sent unless given (None: not sent)."""
        sent = {"Host": f"127.0.0.1:{self.port}", "Origin": self.origin, "X-Sitegen-Token": TOKEN}
        sent.update({name.replace("_", "-"): value for name, value in headers.items()})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.putrequest(method, path, skip_host=True)
        data = json.dumps(body).encode() if body is not None else b""
        for name, value in sent.items():
            if value is not None:
                connection.putheader(name, value)
        if method in ("POST", "PUT"):
            connection.putheader("Content-Type", "application/json")
            connection.putheader("Content-Length", str(len(data)))
        connection.endheaders(data)
        response = connection.getresponse()
        raw = response.read()
        connection.close()
        parsed = json.loads(raw) if response.getheader("Content-Type", "").startswith("application/json") else raw
        return response.status, parsed, dict(response.getheaders())

    def files(self) -> dict[str, bytes]:
        return {p.relative_to(self.content).as_posix(): p.read_bytes() for p in sorted(self.content.rglob("*")) if p.is_file()}


@pytest.fixture
def served(tmp_path):
    server = Served(tmp_path)
    try:
        yield server
    finally:
        server.stop()


NEW = {"source": "harbour-report", "quote": "Officials said the harbour matters more than anything.",
       "actor": "northland", "motives": ["trade"], "involves": ["islanders"], "stance": "asserts",
       "commentary": "The officials put the harbour first."}


def test_create_writes_the_passage_as_the_source_prints_it(served):
    selected = dict(NEW, quote='  Officials said the harbour\nmatters more than anything.\n')  # as a page selection gives it
    status, reply, headers = served.request("POST", "/_sitegen/annotations", selected)
    assert status == 201, reply
    assert reply["ref"] == "harbour-report/officials-said-harbour-matters"
    assert headers["ETag"].startswith('"')
    written = served.content / "annotations/harbour-report/officials-said-harbour-matters.md"
    assert written.read_bytes() == (
        b"---\nactor: northland\nmotives: [trade]\ninvolves: [islanders]\n---\n\n"
        b"> Officials said the harbour matters more than anything.\n\nThe officials put the harbour first.\n")
    assert not [p for p in written.parent.iterdir() if p.name.startswith(".")]  # no temporary file left
    # the same passage again gets an id of its own
    status, reply, _ = served.request("POST", "/_sitegen/annotations", NEW)
    assert status == 201 and reply["id"] == "officials-said-harbour-matters-2"


def test_a_passage_that_recurs_gets_the_words_before_it(served):
    """"harbour matters" is twice in the source; the page's text before the selection says which."""
    body = dict(NEW, quote="harbour matters", before="## Trade\nOfficials said the ", stance="considers",
                commentary="")
    status, reply, _ = served.request("POST", "/_sitegen/annotations", body)
    assert status == 201, reply
    assert (served.content / f"annotations/{reply['ref']}.md").read_text() == (
        "---\nactor: northland\nmotives: [trade]\ninvolves: [islanders]\nstance: considers\nprefix: the\n---\n\n"
        "> harbour matters\n")
    # "and the border is" is twice too: the word after it singles this one out
    body = dict(body, quote="the border is", before="The border is quiet, and ")
    status, reply, _ = served.request("POST", "/_sitegen/annotations", body)
    assert status == 201, reply
    assert 'stance: considers\nsuffix: "long,"\n---\n\n> the border is\n' in (served.content / f"annotations/{reply['ref']}.md").read_text()


def test_requests_without_the_token_or_from_elsewhere_are_refused_and_write_nothing(served):
    before = served.files()
    port = served.port
    refusals = [
        ({"X_Sitegen_Token": None}, "missing or wrong X-Sitegen-Token"),
        ({"X_Sitegen_Token": "wrong"}, "missing or wrong X-Sitegen-Token"),
        ({"Origin": None}, "does not come from a page of this server"),
        ({"Origin": "http://evil.example"}, "does not come from a page of this server"),
        ({"Origin": f"http://127.0.0.1:{port + 1}"}, "does not come from a page of this server"),
        ({"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"}, "own loopback address"),
        ({"Host": "192.168.1.2", "Origin": "http://192.168.1.2"}, "own loopback address"),
    ]
    for headers, why in refusals:
        for method, path in (("POST", "/_sitegen/annotations"), ("PUT", "/_sitegen/annotations/harbour-report/trade-first")):
            status, reply, _ = served.request(method, path, NEW, If_Match="*", **headers)
            assert status == 403 and why in reply["error"], (headers, method, reply)
    status, reply, _ = served.request("GET", "/_sitegen/model", X_Sitegen_Token=None)
    assert status == 403
    assert served.files() == before


def test_edit_needs_the_version_the_editor_opened(served):
    path = "/_sitegen/annotations/harbour-report/trade-first"
    file = served.content / "annotations/harbour-report/trade-first.md"
    status, opened, headers = served.request("GET", path)
    assert status == 200 and opened["actor"] == "northland"
    etag = headers["ETag"]
    change = {"actor": "northland", "motives": ["trade", "security"], "involves": [], "stance": "",
              "speaker": "", "commentary": "Rewritten in the browser."}
    before = served.files()
    for stale in ({}, {"If_Match": '"0000"'}):
        status, reply, _ = served.request("PUT", path, change, **stale)
        assert status == 409 and "changed since it was opened" in reply["error"]
    status, reply, _ = served.request("POST", "/_sitegen/annotations", dict(NEW, id="trade-first"))
    assert status == 409 and "exists already" in reply["error"]
    assert served.files() == before
    status, reply, headers = served.request("PUT", path, change, If_Match=etag)
    assert status == 200, reply
    assert file.read_text() == (  # the fields it does not edit and the quote stay as they were
        '---\nactor: northland\nmotives: [trade, security]\n'
        'correction: "The route was closed at the time; it reopened in 2025."\nfeatured: true\n---\n\n'
        '> "Trade comes first," one said, and the \'route\' must stay open.\n\nRewritten in the browser.\n')
    status, reply, _ = served.request("PUT", path, change, If_Match=etag)  # the version opened is gone now
    assert status == 409


def test_content_mistakes_answer_with_the_terminals_lines_and_write_nothing(served):
    before = served.files()
    folder = f"{served.content}/annotations/harbour-report"
    status, reply, _ = served.request("POST", "/_sitegen/annotations", dict(NEW, actor="northlnd"))
    assert status == 422
    assert reply["errors"] == [f"{folder}/officials-said-harbour-matters.md:2: unknown actor 'northlnd' in 'actor'\n"
                               "    hint: did you mean 'northland'?"]
    status, reply, _ = served.request("POST", "/_sitegen/annotations", dict(NEW, quote="Officials said the harbor matters more"))
    assert status == 422
    assert reply["errors"][0].splitlines()[0] == f"{folder}/officials-said-harbor-matters.md:7: quote not found in source 'harbour-report'"
    assert "[harbor]" in reply["errors"][0] and "[harbour]" in reply["errors"][0]
    status, reply, headers = served.request("GET", "/_sitegen/annotations/harbour-report/trade-first")
    status, reply, _ = served.request("PUT", "/_sitegen/annotations/harbour-report/trade-first",
                                      {"actor": "northland", "motives": ["trad"]}, If_Match=headers["ETag"])
    assert status == 422 and reply["errors"][0].startswith(f"{folder}/trade-first.md:3: unknown motive 'trad' in 'motives'")
    assert served.files() == before


def test_the_token_is_in_served_pages_only(served, tmp_path):
    status, page, _ = served.request("GET", "/sources/harbour-report/")
    assert status == 200
    assert f'<meta name="sitegen-token" content="{TOKEN}">'.encode() in page
    assert b'src="/_sitegen/workbench.js"' in page
    status, script, headers = served.request("GET", "/_sitegen/workbench.js", X_Sitegen_Token=None, Origin=None)
    assert status == 200 and headers["Content-Type"].startswith("application/javascript") and script
    status, lists, _ = served.request("GET", "/_sitegen/model", Origin=None)
    assert status == 200 and {"id": "northland", "name": "Northland"} in lists["actors"]
    assert lists["sources"]["harbour-report"] == "/sources/harbour-report/"
    build(BuildOptions(content=FIXTURE_CONTENT, out=tmp_path / "built"), jobs=1)
    for folder in (served.out, tmp_path / "built"):
        for file in folder.rglob("*"):
            if file.is_file():
                data = file.read_bytes()
                assert b"sitegen-token" not in data and b"/_sitegen/" not in data and b"workbench" not in data, file


def test_markdown_characters_in_a_passage_are_written_to_read_as_the_source_prints_them(served):
    quote = 'Some readers wrote <script>alert("x")</script> in the comments.'
    status, reply, _ = served.request("POST", "/_sitegen/annotations", dict(NEW, quote=quote, commentary=""))
    assert status == 201, reply
    assert reply["id"] == "some-readers-wrote-script"
    written = (served.content / f"annotations/{reply['ref']}.md").read_text()
    assert written.endswith('\n> Some readers wrote \\<script>alert("x")\\</script> in the comments.\n')
