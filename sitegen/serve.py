"""`python build.py serve`: build, serve on 127.0.0.1, watch the sources, rebuild what an edit affects.

Threads:

- the HTTP server (stdlib `ThreadingHTTPServer`) answers only requests addressed to its own
  loopback address (the `Host` header), and serves files under the output folder and nothing
  else, plus one Server-Sent Events stream, `/__sitegen/events`, that tells open pages
  to reload or to show the build's errors;
- a watchdog observer watches `content/` and `templates/` (never the output) and queues what
  changed;
- the builder waits for a burst of events to settle (an editor's save-and-rename, a `git
  checkout`), hands the paths to `incremental.Engine`, prints the result, and publishes it;
- when the site has been quiet for a moment, the search index is rebuilt by Pagefind in the
  background (niced), into a fresh folder that is then swapped in.

Pages carry the live-reload script only here: the template global `live_reload` is true in
serve and false in `build`. The server stamps the build number into the script as it serves a
page, so the page can ask "was I rewritten since?" when it connects.
"""

from __future__ import annotations

import faulthandler
import functools
import http.server
import io
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from . import load
from .diagnostics import format_report
from .incremental import Engine, Outcome
from .parallel import default_jobs
from .pipeline import BuildOptions
from .render import shown_path
from .search import SearchIndexError, pagefind_executable, remove_unused_ui
from .urls import normalise_base_path

EVENTS_PATH = "/__sitegen/events"
"""The live-reload stream; `_` never occurs in content ids, so no page can have this path."""
BUILD_PLACEHOLDER = b'data-sitegen-build="0"'
"""In `_live_reload.html`; replaced by the current build number when a page is served."""
QUIET_SECONDS = 0.01
"""A burst of file events has ended when none came for this long."""
MAX_WAIT_SECONDS = 0.5
"""Rebuild at the latest this long after the first event of a burst that does not end."""
ERROR_GRACE_SECONDS = 0.2
"""A failed build waits this long for more events before it reports (a checkout in progress)."""
SEARCH_IDLE_SECONDS = 1.5
"""The search index is rebuilt once the site has been quiet this long."""
PING_SECONDS = 15.0


def _say(*lines: str, error: bool = False) -> None:
    stream = sys.stderr if error else sys.stdout
    for line in lines:
        print(line, file=stream, flush=True)


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
        self.written_in: dict[str, int] = {}
        """Output path -> version that last rewrote or removed it."""
        self.static_in = 0
        """Version that last rewrote a static asset (every page reloads)."""
        self.open: dict[str, int] = {}
        """Output path -> number of connected pages showing it."""
        self.closed = False

    def publish(self, build: int, errors: list[str], written=()) -> None:
        with self.cond:
            self.version += 1
            for rel in written:
                self.written_in[rel] = self.version
                if rel.startswith("static/"):
                    self.static_in = self.version
            self.build = build
            self.errors = errors
            self.cond.notify_all()

    def stamp(self, page: str) -> int:
        return max(self.written_in.get(page, 0), self.static_in)

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def open_pages(self) -> list[str]:
        with self.cond:
            return [page for page, count in self.open.items() if count > 0]

    def state_for(self, page: str, page_stamp: int) -> dict:
        """What a page served with `page_stamp` should do now (caller holds `cond`)."""
        return {"build": self.build, "errors": self.errors, "reload": self.stamp(page) > page_stamp}


# -- HTTP --------------------------------------------------------------------------------


class SiteServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024
    """Connections the system holds while the server is busy (a page asking for all its files at once)."""

    def __init__(self, address, out: Path, base_path: str, hub: Hub, engine: Engine, lock: threading.Lock):
        self.out = Path(os.path.realpath(out))
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
            return self._reply(status, body, self.guess_type(rel))
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(rel))
        self.send_header("Content-Length", str(os.fstat(file.fileno()).st_size))
        self.end_headers()
        return file

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _reply(self, status: int, body: bytes, content_type: str) -> io.BytesIO:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
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
            hub.open[page] = hub.open.get(page, 0) + 1
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
                        message = b"event: state\ndata: " + json.dumps(hub.state_for(page, page_stamp)).encode() + b"\n\n"
                self.wfile.write(message)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return
        finally:
            with hub.cond:
                hub.open[page] -= 1
                if not hub.open[page]:
                    del hub.open[page]


def _error_page() -> bytes:
    """Served while there is no good build at all: the overlay shows the errors."""
    template = Path(__file__).resolve().parent.parent / "templates" / "_live_reload.html"
    script = template.read_text(encoding="utf-8") if template.is_file() else ""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Build failed</title></head>\n"
            "<body>\n<h1>The site has not been built yet</h1>\n<p>The content has errors; they are listed in the "
            "terminal and over this page. Fix them and save: the page reloads.</p>\n" + script + "</body>\n</html>\n").encode()


# -- watching ----------------------------------------------------------------------------


class Watcher:
    """watchdog on content/ and templates/; queues (area, path) pairs."""

    def __init__(self, content: Path, templates: Path, out: Path, events: queue.Queue):
        from watchdog import events as kinds
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        out_root = os.path.realpath(out)
        ignored_types = {"opened", "closed_no_write"}
        # Only what changes a tree: without this inotify also queues an open and a close for
        # every file read, and on a big site its queue overflows (then every file looks changed).
        wanted = [kinds.FileCreatedEvent, kinds.FileDeletedEvent, kinds.FileModifiedEvent, kinds.FileMovedEvent,
                  kinds.FileClosedEvent, kinds.DirCreatedEvent, kinds.DirDeletedEvent, kinds.DirMovedEvent]

        class Handler(FileSystemEventHandler):
            def __init__(self, area: str):
                self.area = area

            def on_any_event(self, event):
                if event.event_type in ignored_types:
                    return
                for path in (event.src_path, getattr(event, "dest_path", "")):
                    if not path:
                        continue
                    path = os.fsdecode(path)
                    real = os.path.realpath(path)
                    if real == out_root or real.startswith(out_root + os.sep):
                        continue
                    events.put((self.area, path))

        def observe(observer_class):
            observer = observer_class()
            observer.schedule(Handler("content"), str(content), recursive=True, event_filter=wanted)
            if templates.is_dir():
                observer.schedule(Handler("templates"), str(templates), recursive=True, event_filter=wanted)
            return observer

        self.observe = observe
        self.observer = observe(Observer)

    def start(self) -> None:
        try:
            self.observer.start()
        except OSError as error:  # e.g. the inotify watch limit: poll instead (slower to notice)
            from watchdog.observers.polling import PollingObserver

            _say(f"watching by polling ({error.strerror or error})", error=True)
            self.observer = self.observe(PollingObserver)
            self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)


def _what(touched: list[str]) -> str:
    return touched[0] if len(touched) == 1 else f"{len(touched)} files changed"


WORKER_FAILED = "a build worker failed:\n"
"""How `parallel` reports a forked worker's exception: this, then the worker's traceback as text."""


def failure_report(error: Exception, options: BuildOptions) -> list[str]:
    """A failure that is not a content error (a bug, a full disk), as the terminal and the overlay
    show it: `path:line: Type: message` when it was raised while a template ran (at that template
    line), else one line naming it and where it was raised; then a hint. Never a traceback."""
    frames = [(frame.filename, frame.lineno or 1) for frame in traceback.extract_tb(error.__traceback__)]
    what = type(error).__name__ + (f": {error}" if str(error) else "")
    if isinstance(error, RuntimeError) and str(error).startswith(WORKER_FAILED):
        text = str(error)[len(WORKER_FAILED):].strip()
        frames = [(name, int(line)) for name, line in re.findall(r'^  File "([^"]+)", line (\d+)', text, re.M)]
        what = text.splitlines()[-1] if text else what
    what = what.splitlines()[0]
    templates = os.path.realpath(options.templates) + os.sep
    for name, line in reversed(frames):
        if os.path.realpath(name).startswith(templates):
            return [f"{shown_path(name)}:{line}: {what}",
                    "    hint: the template raised this at this line; fix it and save (the whole site is rebuilt)"]
    where = f" (raised at {shown_path(frames[-1][0])}:{frames[-1][1]})" if frames else ""
    return [f"the build failed unexpectedly: {what}{where}",
            "    hint: not a mistake in the content; fix its cause (a full disk, a permission, a bug), "
            "then save any file (the whole site is rebuilt)"]


def _is_scratch_path(path: str) -> bool:
    return load.is_scratch(os.path.basename(path.rstrip("/")))


class Builder(threading.Thread):
    """Debounces file events and runs the rebuilds, one at a time."""

    def __init__(self, engine: Engine, lock: threading.Lock, hub: Hub, events: queue.Queue, search: "SearchIndexer",
                 broken: bool = False):
        super().__init__(name="sitegen-builder", daemon=True)
        self.engine = engine
        self.lock = lock
        self.hub = hub
        self.events = events
        self.search = search
        self.stopping = threading.Event()
        self.broken = broken
        """The last build failed unexpectedly (see `report_failure`)."""

    def stop(self) -> None:
        self.stopping.set()
        self.events.put(None)

    def _collect(self, first) -> list:
        batch = [first]
        started = time.monotonic()
        while True:
            wait = min(QUIET_SECONDS, MAX_WAIT_SECONDS - (time.monotonic() - started))
            if wait <= 0:
                return batch
            try:
                item = self.events.get(timeout=wait)
            except queue.Empty:
                return batch
            if item is None:
                self.stopping.set()
                return batch
            batch.append(item)

    def run(self) -> None:
        while not self.stopping.is_set():
            first = self.events.get()
            if first is None or self.stopping.is_set():
                return
            batch = self._collect(first)
            while True:
                relevant = [(area, path) for area, path in batch if not _is_scratch_path(path)]
                if not relevant:
                    break
                touched: list[str] = []
                try:
                    with self.lock:
                        touched += self.engine.content_changed(Path(p) for a, p in relevant if a == "content")
                        touched += self.engine.templates_changed(Path(p) for a, p in relevant if a == "templates")
                        if not touched:
                            break
                        was_failing = bool(self.engine.errors) or self.broken
                        early: list[str] = []

                        def publish_early(written: list[str]) -> None:
                            early.extend(written)
                            self.hub.publish(self.engine.build_number + 1, [], written)

                        outcome = self.engine.rebuild(self.hub.open_pages(), publish_early)
                        outcome.written = tuple(w for w in outcome.written if w not in early)
                        outcome_early = early
                except Exception as error:  # not a content error: a bug, a full disk...
                    with self.lock:
                        self.engine.forget()
                    self.report_failure(error, touched)
                    break
                if not outcome.ok:
                    try:  # more events soon: a checkout or a save in progress; do not flash the error
                        more = self.events.get(timeout=ERROR_GRACE_SECONDS)
                    except queue.Empty:
                        more = None
                    if more is not None:
                        batch = self._collect(more)
                        continue
                self.report(outcome, touched, was_failing, outcome_early)
                break

    def report_failure(self, error: Exception, touched: list[str]) -> None:
        """An unexpected failure: shown like a content error, in the terminal and over the pages."""
        self.broken = True
        lines = failure_report(error, self.engine.options)
        _say(*lines, error=True)
        serving = "still serving the last good build" if self.engine.good is not None else "no good build yet"
        _say(f"build failed after {_what(touched) if touched else 'an edit'}; {serving}", error=True)
        self.hub.publish(self.engine.build_number, lines)

    def report(self, outcome: Outcome, touched: list[str], was_failing: bool, early: list[str]) -> None:
        what = _what(touched)
        if outcome.ok:
            self.broken = False
        if not outcome.ok:
            report = format_report(outcome.errors)
            if report.splitlines() == self.hub.errors:
                _say(f"still failing after {what}, with the same {len(outcome.errors)} "
                     f"error{'s' if len(outcome.errors) != 1 else ''} as above", error=True)
            else:
                _say(report, error=True)
                _say(f"build failed after {what}; still serving the last good build", error=True)
            self.hub.publish(outcome.build, report.splitlines())
            return
        written = [w for w in early + list(outcome.written) if not w.startswith("data/")]
        detail = ""
        if written:
            shown = ", ".join(written[:4]) + (f" and {len(written) - 4} more" if len(written) > 4 else "")
            detail = f"; wrote {shown}"
        removed = [r for r in outcome.removed]
        if removed:
            detail += "; removed " + ", ".join(removed)
        prefix = "fixed: " if was_failing else ""
        steps = ", ".join(f"{name} {seconds * 1000:.0f}" for name, seconds in outcome.phases.items())
        steps = f" ({steps})" if steps else " (full rebuild)"
        _say(f"{prefix}rebuilt in {outcome.seconds * 1000:.0f} ms{steps} after {what}: "
             f"{len(outcome.rendered)} page{'s' if len(outcome.rendered) != 1 else ''} re-rendered{detail}")
        self.hub.publish(outcome.build, [], outcome.written)
        if outcome.written or early:
            self.search.request()


# -- search index --------------------------------------------------------------------------


class SearchIndexer(threading.Thread):
    """Re-runs Pagefind over the served folder when the site has been quiet for a moment."""

    def __init__(self, out: Path):
        super().__init__(name="sitegen-search", daemon=True)
        self.out = Path(out)
        self.cond = threading.Condition()
        self.dirty_at: float | None = None
        self.stopping = False
        self.process: subprocess.Popen | None = None
        self.executable = self._executable()

    @staticmethod
    def _executable() -> str | None:
        try:
            return str(pagefind_executable())
        except SearchIndexError as error:  # serve still works, without search
            _say(f"search index: not built in serve ({str(error).splitlines()[0]})")
            return None

    def request(self) -> None:
        with self.cond:
            self.dirty_at = time.monotonic()
            self.cond.notify_all()

    def stop(self) -> None:
        with self.cond:
            self.stopping = True
            self.cond.notify_all()
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()

    def run(self) -> None:
        if self.executable is None:
            return
        while True:
            with self.cond:
                while not self.stopping and (self.dirty_at is None or time.monotonic() - self.dirty_at < SEARCH_IDLE_SECONDS):
                    timeout = None if self.dirty_at is None else SEARCH_IDLE_SECONDS - (time.monotonic() - self.dirty_at)
                    self.cond.wait(timeout=timeout)
                if self.stopping:
                    return
                self.dirty_at = None
            self._index()

    def _index(self) -> None:
        fresh = Path(tempfile.mkdtemp(prefix=".pagefind-new-", dir=self.out.parent))
        command = [self.executable, "--site", str(self.out), "--output-path", str(fresh), "--silent"]
        if shutil.which("nice"):
            command = ["nice", "-n", "10", *command]
        started = time.perf_counter()
        try:
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            output, _ = self.process.communicate()
            status = self.process.returncode
        except OSError as error:
            output, status = str(error), -1
        finally:
            self.process = None
        if status != 0 or not (fresh / "pagefind.js").is_file():
            shutil.rmtree(fresh, ignore_errors=True)
            if not self.stopping:
                _say(f"search index: Pagefind failed ({status}): {output.strip()[:500]}", error=True)
            return
        remove_unused_ui(fresh)
        bundle = self.out / "pagefind"
        retired = self.out.parent / f".pagefind-old-{os.getpid()}"
        try:
            if bundle.exists():
                os.rename(bundle, retired)
            os.rename(fresh, bundle)
        finally:
            shutil.rmtree(retired, ignore_errors=True)
            shutil.rmtree(fresh, ignore_errors=True)
        _say(f"search index updated in {time.perf_counter() - started:.1f} s")


# -- the command ---------------------------------------------------------------------------


def serve(args) -> int:
    # Rebuilds hold the GIL for tens of milliseconds; switching threads more often lets the
    # server answer (the reloaded page, the event stream) while the rest of a rebuild renders.
    sys.setswitchinterval(0.001)
    if hasattr(signal, "SIGUSR1"):  # `kill -USR1 <pid>` prints where every thread is, for a stuck rebuild
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    base_path = normalise_base_path(args.base_path)
    options = BuildOptions(content=args.content, out=args.out, templates=args.templates, base_path=base_path,
                           site_url=args.site_url, strict=args.strict, extra_globals={"live_reload": True})
    if not Path(args.content).is_dir():
        _say(f"{args.content}:1: content folder not found\n    hint: pass --content DIR, or run from the project folder", error=True)
        return 1
    engine = Engine(options)
    lock = threading.Lock()
    hub = Hub()
    try:
        outcome: Outcome | None = engine.build_all(jobs=default_jobs())  # before any thread starts: it may fork
    except Exception as error:  # not a content error: a bug, a full disk...
        engine.forget()
        outcome = None
        lines = failure_report(error, options)
        _say(*lines, error=True)
        _say("the first build failed: fix the cause and save; the site is built as soon as it can be", error=True)
        hub.publish(0, lines)
    if outcome is not None and outcome.ok:
        if outcome.warnings:
            _say(format_report(outcome.warnings), error=True)
        pages = len(engine.good.pages)
        _say(f"built {pages} pages into {args.out} in {outcome.seconds:.2f} s")
        hub.publish(outcome.build, [])
    elif outcome is not None:
        report = format_report(outcome.errors)
        _say(report, error=True)
        _say("the content has errors: fix them and save; the site is built as soon as it is valid", error=True)
        hub.publish(0, report.splitlines())

    Path(args.out).mkdir(parents=True, exist_ok=True)
    try:
        server = SiteServer(("127.0.0.1", args.port), Path(args.out), base_path, hub, engine, lock)
    except OSError as error:
        _say(f"cannot listen on 127.0.0.1:{args.port}: {error.strerror or error}", error=True)
        return 1
    search = SearchIndexer(Path(args.out))
    events: queue.Queue = queue.Queue()
    watcher = Watcher(Path(args.content), Path(args.templates), Path(args.out), events)
    builder = Builder(engine, lock, hub, events, search, broken=outcome is None)
    watcher.start()
    builder.start()
    search.start()
    if outcome is not None and outcome.ok:
        search.request()
    port = server.server_address[1]
    _say(f"serving http://127.0.0.1:{port}{base_path} (live reload on); watching {args.content} and {args.templates}; Ctrl-C stops")

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    # Explicitly: a shell starts background jobs with SIGINT ignored, and Python keeps that.
    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        watcher.stop()
        builder.stop()
        search.stop()
        hub.close()
        server.server_close()
        builder.join(timeout=5)
        search.join(timeout=5)
        with lock:
            if engine.data_stale:
                engine.refresh_data()
    _say("stopped")
    return 0
