"""`python build.py serve`: build, serve on 127.0.0.1, watch the sources, rebuild what an edit affects.

This module holds the command and the HTTP side: a stdlib `ThreadingHTTPServer` that answers
only requests addressed to its own loopback address (the `Host` header) and serves files under
the output folder and nothing else, plus one Server-Sent Events stream, `/__sitegen/events`,
that tells open pages to reload or to show the build's errors. The watcher, the builder and
the search index run beside it (`rebuilds.py`).

Pages carry the live-reload script only here: the template global `live_reload` is true in
serve and false in `build`. The server stamps the build number into the script as it serves a
page, so the page can ask "was I rewritten since?" when it connects.
"""

from __future__ import annotations

import functools
import http.server
import io
import json
import os
import queue
import signal
import sys
import threading
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from .incremental import Engine
from .pipeline import BuildOptions
from .rebuilds import Builder, SearchIndexer, say, watch
from .urls import normalise_base_path
from .workbench import MAX_BODY, PREFIX as WORKBENCH_PREFIX, Reply, Workbench

EVENTS_PATH = "/__sitegen/events"
"""The live-reload stream; `_` never occurs in content ids, so no page can have this path."""
BUILD_PLACEHOLDER = b'data-sitegen-build="0"'
"""In `_live_reload.html`; replaced by the current build number when a page is served."""
PING_SECONDS = 15.0


# -- state shared with the pages ---------------------------------------------------------


class Hub:
    """What the event streams tell the pages; `version` counts publications.

    A page's stamp is the version that last rewrote its file (or any static asset): the server
    stamps it into the page it serves, and the page reloads when its file's stamp moves past it.
    """

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.version = 0
        self.build = 0
        self.errors: list[str] = []
        self.warnings: list[str] = []
        """The last good build's warnings, as the terminal prints them."""
        self.written_in: dict[str, int] = {}
        """Output path -> version that last rewrote or removed it."""
        self.static_in = 0
        """Version that last rewrote a static asset (every page reloads)."""
        self.open: Counter[str] = Counter()
        """Output path -> number of connected pages showing it."""
        self.closed = False

    def publish(self, build: int, errors: list[str], written=(), warnings: list[str] | None = None) -> None:
        """Tell the pages; `warnings` None keeps the last ones (a build that failed has none of its own)."""
        with self.cond:
            self.version += 1
            for rel in written:
                self.written_in[rel] = self.version
                if rel.startswith("static/"):
                    self.static_in = self.version
            self.build = build
            self.errors = errors
            if warnings is not None:
                self.warnings = warnings
            self.cond.notify_all()

    def stamp(self, page: str) -> int:
        return max(self.written_in.get(page, 0), self.static_in)

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def open_pages(self) -> list[str]:
        with self.cond:
            return [page for page, count in self.open.items() if count]


# -- HTTP --------------------------------------------------------------------------------


class SiteServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024
    """Connections the system holds while the server is busy (a page asking for all its files at once)."""

    def __init__(self, address, out: Path, base_path: str, hub: Hub, engine: Engine, lock: threading.Lock,
                 workbench: Workbench | None = None):
        self.out = Path(os.path.realpath(out))
        self.workbench = workbench
        """Answers under `/_sitegen/` and is linked from the pages served (see workbench.py); None: neither."""
        self.base_path = base_path
        self.hub = hub
        self.engine = engine
        self.engine_lock = lock
        super().__init__(address, functools.partial(Handler, directory=str(self.out)))
        port = self.server_address[1]
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"} | ({"127.0.0.1", "localhost"} if port == 80 else set())
        """The Host headers answered: a page of another site that a browser was made to send here
        under another name (DNS rebinding) must not read the site as edited."""

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
            return  # the browser went away (a reload, a closed tab): nothing to report
        super().handle_error(request, client_address)


class Handler(http.server.SimpleHTTPRequestHandler):
    """The output folder's files, found and typed as the standard library serves a folder
    (`directory=`: `translate_path`, `guess_type`, `do_GET`, `do_HEAD`), with what serve adds:
    only requests for its own address, the base path, nothing reached through a symlink out of
    the folder, no directory listings, the site's 404 page, the build stamp in each page,
    `Cache-Control: no-store`, and data/ brought up to date before it is read."""

    server: SiteServer
    server_version = "sitegen-serve"

    def log_message(self, format, *args):  # the terminal is for the editor's errors
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def guess_type(self, path) -> str:
        kind = super().guess_type(path)
        if kind.startswith("text/") or kind in ("application/json", "application/javascript", "application/xml"):
            kind += "; charset=utf-8"
        return kind

    def translate_path(self, path: str) -> str:
        """What the URL path (still quoted) names under the output folder, with symlinks resolved;
        "" when it names nothing there: outside the base path, or out of the folder by a symlink."""
        base = self.server.base_path
        decoded = unquote(urlsplit(path).path)
        if not decoded.startswith(base) or "\x00" in decoded:
            return ""
        real = os.path.realpath(super().translate_path(quote(decoded[len(base) - 1:])))
        return real if real == self.directory or real.startswith(self.directory + os.sep) else ""

    def page_file(self, path: str) -> str | None:
        """The file a URL path (still quoted) serves, relative to the output folder, or None."""
        target = self.translate_path(path)
        if os.path.isdir(target):
            target = os.path.join(target, "index.html")
        return os.path.relpath(target, self.directory) if os.path.isfile(target) else None

    def send_head(self):
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1 or hosts[0].strip().lower() not in self.server.hosts:
            address = f"http://127.0.0.1:{self.server.server_address[1]}/"
            return self._reply(403, f"Forbidden: this server only answers requests for {address}\n".encode(),
                               "text/plain; charset=utf-8")
        split = urlsplit(self.path)
        if split.path.startswith(WORKBENCH_PREFIX) and self.server.workbench is not None:
            return self._workbench()
        if unquote(split.path) == EVENTS_PATH:
            return self._events(parse_qs(split.query))
        base = self.server.base_path
        if unquote(split.path) in ("/", base[:-1]) and base != "/":
            return self._redirect(base)
        if os.path.isdir(self.translate_path(split.path)) and not split.path.endswith("/"):
            return self._redirect(split.path + "/")
        server = self.server
        rel = self.page_file(split.path)
        if server.engine.good is None:  # no good build yet: every page is the error page
            return self._reply(404 if rel is None else 200, _error_page(), "text/html; charset=utf-8")
        if rel is not None and rel.startswith("data/"):
            with server.engine_lock:  # waits for a rebuild in progress, then brings data/ up to date
                server.engine.refresh_data()
        status, rel = (404, "404.html") if rel is None else (200, rel)
        with server.hub.cond:  # read before the file, so a page is never newer than its stamp
            stamp = server.hub.stamp(rel)
        try:
            file = open(os.path.join(self.directory, rel), "rb")
        except OSError:
            return self._reply(404, b"Not found\n", "text/plain; charset=utf-8")
        if rel.endswith(".html"):
            with file:
                body = file.read().replace(BUILD_PLACEHOLDER, b'data-sitegen-build="%d"' % stamp, 1)
            if server.workbench is not None:
                body = server.workbench.inject(body, server.base_path)
            return self._reply(status, body, self.guess_type(rel))
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(rel))
        self.send_header("Content-Length", str(os.fstat(file.fileno()).st_size))
        self.end_headers()
        return file

    def do_POST(self) -> None:
        if self.server.workbench is None or not urlsplit(self.path).path.startswith(WORKBENCH_PREFIX):
            body = self._reply(405, b"Method not allowed\n", "text/plain; charset=utf-8")
        else:
            body = self._workbench()
        self.copyfile(body, self.wfile)

    do_PUT = do_POST

    def _workbench(self) -> io.BytesIO:
        """A request under `/_sitegen/`: 403 unless the workbench admits it (see workbench.py)."""
        workbench = self.server.workbench
        path = urlsplit(self.path).path[len(WORKBENCH_PREFIX):]
        reply = workbench.admitted(self.command, path, self.headers, self.client_address[0], self.server.hosts)
        if reply is None:
            data = None
            if self.command in ("POST", "PUT"):
                try:
                    length = int(self.headers.get("Content-Length", ""))
                except ValueError:
                    length = -1
                if not 0 <= length <= MAX_BODY:
                    reply = Reply(413 if length > MAX_BODY else 411, {"error": f"a body of at most {MAX_BODY} bytes, with its Content-Length"})
                else:
                    data = self.rfile.read(length)
            if reply is None:
                answer = workbench.answer(self.command, path, self.headers, data)
                if not isinstance(answer, Reply):
                    return self._reply(200, *answer)
                reply = answer
        body = json.dumps(reply.body, ensure_ascii=False).encode()
        return self._reply(reply.status, body, "application/json; charset=utf-8", ETag=reply.etag)

    def _redirect(self, location: str) -> io.BytesIO:
        return self._reply(301, b"", "text/plain; charset=utf-8", Location=location)

    def _reply(self, status: int, body: bytes, content_type: str, **headers: str) -> io.BytesIO:
        """Send the status and headers (and those given, when not empty); returns the body to send."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            if value:
                self.send_header(name, value)
        self.end_headers()
        return io.BytesIO(body)

    # -- live reload -------------------------------------------------------------------

    def _events(self, query: dict) -> None:
        page_path = query.get("page", ["/"])[0]  # the page's URL path, as the browser quotes it
        try:
            page_stamp = int(query.get("build", ["0"])[0])
        except ValueError:
            page_stamp = 0
        page = self.page_file(page_path) or "404.html"
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.end_headers()
        hub = self.server.hub
        seen = None
        with hub.cond:
            hub.open[page] += 1
        try:
            while True:
                with hub.cond:
                    hub.cond.wait_for(lambda: hub.closed or hub.version != seen, timeout=PING_SECONDS)
                    if hub.closed:
                        return
                    if hub.version == seen:
                        message = b": ping\n\n"
                    else:
                        seen = hub.version
                        state = {"build": hub.build, "errors": hub.errors, "warnings": hub.warnings,
                                 "reload": hub.stamp(page) > page_stamp}
                        message = b"event: state\ndata: " + json.dumps(state).encode() + b"\n\n"
                self.wfile.write(message)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return
        finally:
            with hub.cond:
                hub.open[page] -= 1


def _error_page() -> bytes:
    """Served while there is no good build at all: the overlay shows the errors."""
    template = Path(__file__).resolve().parent.parent / "templates" / "_live_reload.html"
    script = template.read_text(encoding="utf-8") if template.is_file() else ""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Build failed</title></head>\n"
            "<body>\n<h1>The site has not been built yet</h1>\n<p>The content has errors; they are listed in the "
            "terminal and over this page. Fix them and save: the page reloads.</p>\n" + script + "</body>\n</html>\n").encode()


# -- the command ---------------------------------------------------------------------------


def serve(args) -> int:
    # Rebuilds hold the GIL for tens of milliseconds; switching threads more often lets the
    # server answer (the reloaded page, the event stream) while the rest of a rebuild renders.
    sys.setswitchinterval(0.001)
    base_path = normalise_base_path(args.base_path)
    options = BuildOptions(content=args.content, out=args.out, templates=args.templates, base_path=base_path,
                           site_url=args.site_url, repository=args.repository, strict=args.strict, pending_links=True,
                           extra_globals={"live_reload": True})
    if not Path(args.content).is_dir():
        say(f"{args.content}:1: content folder not found\n    hint: pass --content DIR, or run from the project folder", error=True)
        return 1
    engine, lock, hub, events = Engine(options), threading.Lock(), Hub(), queue.Queue()
    search = SearchIndexer(Path(args.out))
    builder = Builder(engine, lock, hub, events, search)
    builder.first_build()
    Path(args.out).mkdir(parents=True, exist_ok=True)
    try:
        server = SiteServer(("127.0.0.1", args.port), Path(args.out), base_path, hub, engine, lock,
                            Workbench(Path(args.content), Path(args.templates), engine, lock))
    except OSError as error:
        say(f"cannot listen on 127.0.0.1:{args.port}: {error.strerror or error}", error=True)
        return 1
    watcher = watch([Path(args.content), Path(args.templates)], events)
    builder.start()
    port = server.server_address[1]
    say(f"serving http://127.0.0.1:{port}{base_path} (live reload on); watching {args.content} and {args.templates}; Ctrl-C stops")
    # Explicitly: a shell starts background jobs with SIGINT ignored, and Python keeps that.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
        watcher.join(timeout=5)
        builder.stop()
        search.stop()
        hub.close()
        server.server_close()
        builder.join(timeout=5)
        with lock:
            if engine.data_stale:
                engine.refresh_data()
    say("stopped")
    return 0
