"""What `serve` runs beside its HTTP server: a watcher on the content and templates, the
builder that rebuilds after each burst of edits and reports the result, and the search index,
rebuilt by Pagefind in the background once the site has been quiet for a moment."""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Collection, Iterable

from . import load
from .diagnostics import format_report
from .incremental import Engine, Outcome
from .parallel import default_jobs
from .pipeline import BuildOptions
from .render import shown_path
from .search import SearchIndexError, pagefind_executable, remove_unused_ui, settings_for

if TYPE_CHECKING:
    from .serve import Hub

QUIET_SECONDS = 0.01
"""A burst of file events has ended when none came for this long."""
MAX_WAIT_SECONDS = 0.5
"""Rebuild at the latest this long after the first event of a burst that does not end."""
EARLY_PAUSE_SECONDS = 0.015
"""How long a rebuild waits after writing the open pages, before it renders the rest."""
ERROR_GRACE_SECONDS = 0.2
"""A failed build waits this long for more events before it reports (a checkout in progress)."""
SEARCH_IDLE_SECONDS = 1.5
"""The search index is rebuilt once the site has been quiet this long."""


def say(*lines: str, error: bool = False) -> None:
    """Print to the editor's terminal: errors on stderr, the rest on stdout, at once."""
    stream = sys.stderr if error else sys.stdout
    for line in lines:
        print(line, file=stream, flush=True)


# -- watching ----------------------------------------------------------------------------


def watch(folders: Iterable[Path], events: queue.Queue):
    """A started watchdog observer that queues each path an event under `folders` names; it
    polls when the system will watch no more (the inotify limit), slower to notice."""
    from watchdog import events as kinds
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    # Only what changes a tree: without this inotify also queues an open and a close for
    # every file read, and on a big site its queue overflows (then every file looks changed).
    wanted = [kinds.FileCreatedEvent, kinds.FileDeletedEvent, kinds.FileModifiedEvent, kinds.FileMovedEvent,
              kinds.FileClosedEvent, kinds.DirCreatedEvent, kinds.DirDeletedEvent, kinds.DirMovedEvent]

    class Queue(kinds.FileSystemEventHandler):
        def on_any_event(self, event):
            for path in (event.src_path, getattr(event, "dest_path", "")):
                if path:  # (the output folder never lies in the folders: `outdir.check_out_dir`)
                    events.put(os.fsdecode(path))

    for observer in (Observer(), PollingObserver()):
        for folder in folders:
            if folder.is_dir():
                observer.schedule(Queue(), str(folder), recursive=True, event_filter=wanted)
        try:
            observer.start()
            return observer
        except OSError as error:
            if isinstance(observer, PollingObserver):
                raise
            say(f"watching by polling ({error.strerror or error})", error=True)


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


class Builder(threading.Thread):
    """Runs serve's first build, then debounces file events and runs the rebuilds, one at a time;
    reports each in the terminal and to the pages."""

    def __init__(self, engine: Engine, lock: threading.Lock, hub: Hub, events: queue.Queue, search: "SearchIndexer"):
        super().__init__(name="sitegen-builder", daemon=True)
        self.engine = engine
        self.lock = lock
        self.hub = hub
        self.events = events
        self.search = search
        self.stopping = threading.Event()
        self.broken = False
        """The last build failed unexpectedly (see `report_failure`)."""

    def first_build(self) -> None:
        """Build the whole site, on every core: call it before any thread starts (workers fork)."""
        try:
            outcome = self.engine.build_all(jobs=default_jobs())
        except Exception as error:  # not a content error: a bug, a full disk...
            self.report_failure(error, None)
            return
        self.report(outcome, None, False, set(outcome.written))  # no page was shown before it: none reloads

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
            while batch is not None:
                batch = self._rebuild(batch)

    def _rebuild(self, batch: list) -> list | None:
        """Rebuild after a burst of events, and report; a failed build that more events follow
        at once (a checkout or a save in progress) is not reported: the next burst is returned."""
        paths = [Path(path) for path in batch if not load.is_scratch(os.path.basename(path.rstrip("/")))]
        touched: list[str] = []
        early: list[str] = []

        def publish_early(written: list[str]) -> None:
            early.extend(written)
            self.hub.publish(self.engine.build_number + 1, [], written)
            # Leave the interpreter to the server a moment, so the browser gets its reloaded
            # page before the rest of the rebuild renders.
            time.sleep(EARLY_PAUSE_SECONDS)

        try:
            with self.lock:
                touched += self.engine.content_changed(paths)  # (each takes the paths in its folder)
                touched += self.engine.templates_changed(paths)
                if not touched:
                    return None
                was_failing = bool(self.engine.errors) or self.broken
                outcome = self.engine.rebuild(self.hub.open_pages(), publish_early)
        except Exception as error:  # not a content error: a bug, a full disk...
            with self.lock:
                self.engine.forget()
            self.report_failure(error, touched)
            return None
        if not outcome.ok:
            try:
                more = self.events.get(timeout=ERROR_GRACE_SECONDS)
            except queue.Empty:
                more = None
            if more is not None:
                return self._collect(more)
        self.report(outcome, touched, was_failing, early)
        return None

    def report_failure(self, error: Exception, touched: list[str] | None) -> None:
        """An unexpected failure (of the first build when `touched` is None): shown like a
        content error, in the terminal and over the pages."""
        self.broken = True
        lines = failure_report(error, self.engine.options)
        say(*lines, error=True)
        if touched is None:
            say("the first build failed: fix the cause and save; the site is built as soon as it can be", error=True)
        else:
            serving = "still serving the last good build" if self.engine.good is not None else "no good build yet"
            say(f"build failed after {_what(touched) if touched else 'an edit'}; {serving}", error=True)
        self.hub.publish(self.engine.build_number, lines)

    def report(self, outcome: Outcome, touched: list[str] | None, was_failing: bool, early: Collection[str]) -> None:
        """Print what a build (the first one when `touched` is None) or a rebuild did, and tell
        the pages (the `early` ones were told already)."""
        if not outcome.ok:
            report = format_report(outcome.errors)
            if touched is None:
                say(report, "the content has errors: fix them and save; the site is built as soon as it is valid",
                    error=True)
            elif report.splitlines() == self.hub.errors:
                say(f"still failing after {_what(touched)}, with the same {len(outcome.errors)} "
                    f"error{'s' if len(outcome.errors) != 1 else ''} as above", error=True)
            else:
                say(report, f"build failed after {_what(touched)}; still serving the last good build", error=True)
            self.hub.publish(outcome.build, report.splitlines())
            return
        self.broken = False
        warnings = format_report(outcome.warnings).splitlines()
        if warnings != self.hub.warnings and warnings:
            say(*warnings, error=True)
        if touched is None:
            say(f"built {len(outcome.rendered)} pages into {self.engine.options.out} in {outcome.seconds:.2f} s")
        else:
            written = [w for w in outcome.written if not w.startswith("data/")]
            detail = ""
            if written:
                detail = "; wrote " + ", ".join(written[:4]) + (f" and {len(written) - 4} more" if len(written) > 4 else "")
            if outcome.removed:
                detail += "; removed " + ", ".join(outcome.removed)
            steps = ", ".join(f"{name} {seconds * 1000:.0f}" for name, seconds in outcome.phases.items())
            say(f"{'fixed: ' if was_failing else ''}rebuilt in {outcome.seconds * 1000:.0f} ms"
                f"{f' ({steps})' if steps else ' (full rebuild)'} after {_what(touched)}: "
                f"{len(outcome.rendered)} page{'s' if len(outcome.rendered) != 1 else ''} re-rendered{detail}")
        self.hub.publish(outcome.build, [], [w for w in outcome.written if w not in early], warnings)
        if outcome.written:
            self.search.request(self.engine.searchable_pages())


# -- search index --------------------------------------------------------------------------


class SearchIndexer:
    """Re-runs Pagefind over the served folder once the site has been quiet for a moment (a
    timer, restarted by each request), one run at a time."""

    def __init__(self, out: Path):
        self.out = Path(os.path.abspath(out))  # Pagefind runs in a folder of its own
        self.lock = threading.Lock()
        """Held while Pagefind runs."""
        self.timer: threading.Timer | None = None
        self.stopping = False
        self.process: subprocess.Popen | None = None
        self.executable: str | None = None
        try:
            self.executable = str(pagefind_executable())
        except SearchIndexError as error:  # serve still works, without search
            say(f"search index: not built in serve ({str(error).splitlines()[0]})")

    def request(self, pages: list[str]) -> None:
        """Index `pages` (those the plan marks searchable) once no other request came for a moment."""
        if self.executable is None or self.stopping:
            return
        if self.timer is not None:
            self.timer.cancel()
        self.timer = threading.Timer(SEARCH_IDLE_SECONDS, self._index, (pages,))
        self.timer.daemon = True
        self.timer.start()

    def stop(self) -> None:
        self.stopping = True
        timer, process = self.timer, self.process
        if timer is not None:
            timer.cancel()
        if process is not None and process.poll() is None:
            process.terminate()
        if timer is not None:
            timer.join(timeout=5)

    def _index(self, pages: list[str]) -> None:
        with self.lock:
            if not self.stopping:
                self._run(pages)

    def _run(self, pages: list[str]) -> None:
        fresh = Path(tempfile.mkdtemp(prefix=".pagefind-new-", dir=self.out.parent))
        command = [self.executable, "--site", str(self.out), "--output-path", str(fresh), "--silent"]
        if shutil.which("nice"):
            command = ["nice", "-n", "10", *command]
        started = time.perf_counter()
        try:
            with settings_for(pages) as settings:
                self.process = subprocess.Popen(command, cwd=settings, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                output, _ = self.process.communicate()
                status = self.process.returncode
        except OSError as error:
            output, status = str(error), -1
        finally:
            self.process = None
        if status != 0 or not (fresh / "pagefind.js").is_file():
            shutil.rmtree(fresh, ignore_errors=True)
            if not self.stopping:
                say(f"search index: Pagefind failed ({status}): {output.strip()[:500]}", error=True)
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
        say(f"search index updated in {time.perf_counter() - started:.1f} s")
