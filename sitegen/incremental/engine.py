"""The site as `serve` keeps it between edits (see the package docstring)."""

from __future__ import annotations

import functools
import gc
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from jinja2 import BytecodeCache

from .. import export, load
from ..derive import derive
from ..diagnostics import ContentError, Diagnostic
from ..parse import Parsed, parse_file
from ..pipeline import (BuildOptions, RenderHooks, Validated, check, make_urls, render_files, return_free_memory,
                        static_files)

from ..parallel import WORKER_MEMORY
from ..plan import Page, plan_pages
from ..render import Renderer
from ..resolve import resolve
from ..urls import output_file
from ..write import digest, staged_site
from .changes import changes, page_changes
from .content import ContentFolder, relative
from .memo import DeriveMemo, Memo
from .outputs import OutputFolder
from .reads import MemoryBytecodeCache, Recorder, TrackedPages, TrackedRecord, track_templates


# -- the engine --------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one build or rebuild did."""

    ok: bool
    errors: tuple[Diagnostic, ...] = ()
    """Why the build failed (content or template errors), sorted; empty when it succeeded."""
    warnings: tuple[Diagnostic, ...] = ()
    rendered: tuple[str, ...] = ()
    """Output files (re-)rendered."""
    written: tuple[str, ...] = ()
    """Output files whose bytes changed on disk (written or removed)."""
    removed: tuple[str, ...] = ()
    """Output files deleted because their page is gone."""
    seconds: float = 0.0
    build: int = 0
    """Number of the last good build after this one (0: none yet)."""
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each step of a rebuild: check, plan, diff, render, write."""


@dataclass
class _Good:
    """The last good build."""

    validated: Validated
    pages: dict[str, Page]
    """Output path -> page, in the plan's order."""
    reads: dict[str, frozenset]
    """Output path -> what its rendering read."""


@dataclass
class Engine:
    """The site as `serve` keeps it between edits; see the package docstring."""

    options: BuildOptions
    _content: ContentFolder = field(init=False)
    _out: OutputFolder = field(init=False)
    recorder: Recorder = field(default_factory=Recorder)
    good: _Good | None = None
    build_number: int = 0
    errors: tuple[Diagnostic, ...] = ()
    data_stale: bool = False
    """The `data/` exports lag behind the pages; `refresh_data()` brings them up to date."""
    _bytecode: BytecodeCache = field(default_factory=lambda: MemoryBytecodeCache())
    _derive: DeriveMemo = field(default_factory=lambda: DeriveMemo(derive))
    _resolved: Memo = field(default_factory=Memo)
    """Each item's findings and anchored quote, by what they were worked out from."""
    _planned: Memo = field(default_factory=Memo)
    """The pages there is one of per source, passage and card, by what they were planned from."""
    _pending_templates: set = field(default_factory=set)
    """Templates changed since the last good build."""
    _pending_static: bool = False
    _unsure: bool = False
    """An unexpected failure left what is kept in doubt (see `forget`): the next rebuild is a full build."""

    def __post_init__(self) -> None:
        self._content = ContentFolder(self.options.content)
        self._out = OutputFolder(Path(self.options.out))

    # -- what changed ------------------------------------------------------------------

    def content_changed(self, paths: Iterable[Path]) -> list[str]:
        """Note changed, created or deleted paths under the content folder (files or folders);
        returns the content files (display paths) whose text, existence or kind changed."""
        return self._content.changed(paths)

    def templates_changed(self, paths: Iterable[Path]) -> list[str]:
        """Note changed templates (and static files under `templates/static/`); returns their paths."""
        root = Path(os.path.abspath(self.options.templates))
        noted = set()
        for rel in relative(root, paths):
            if rel == ".":
                continue
            if rel == "static" or rel.startswith("static/"):
                self._pending_static = True
            elif (root / rel).is_dir():
                self._pending_templates.update(p.relative_to(root).as_posix() for p in (root / rel).rglob("*") if p.is_file())
            else:
                self._pending_templates.add(rel)
            noted.add(f"{self.options.templates.name}/{rel}")
        return sorted(noted)

    def _validate(self, jobs: int = 1) -> Validated:
        return check(self._content.parse(jobs), self.options.strict, self._resolved, self._derive,
                     self.options.pending_links)

    def errors_with(self, rel: str, data: bytes) -> list[Diagnostic]:
        """The errors the content as it is now would have if content file `rel` (a path under the
        content folder) held `data` and were otherwise the same, less those it has already: what
        writing that file would break. Nothing is written or kept (the resolve memo aside, which
        gives back equal results either way)."""
        kind = load.classify(rel)
        if not isinstance(kind, tuple) or kind[0] == "site":
            raise ValueError(f"not an item file: {rel}")
        display = load.display_path(self.options.content, rel)
        raw = load.RawFile(rel, display, kind[0], kind[1], kind[2], data)
        record, problems = parse_file(raw)
        if record is None:
            return problems
        now = self._content.parse()
        items = dict(now.items)
        items[raw.kind] = {**items[raw.kind], raw.key: record}
        diagnostics = tuple(d for d in now.diagnostics if d.path != display) + tuple(problems)
        broken = now.broken - {load.item_key(*kind)}
        counted = self._counted
        pending = self.options.pending_links
        before = {d for d in resolve(now, self._resolved, pending)[1] if counted(d)}
        return [d for d in resolve(Parsed(items, now.site, broken, diagnostics), self._resolved, pending)[1]
                if counted(d) and d not in before]

    def _counted(self, diagnostic: Diagnostic) -> bool:
        return diagnostic.severity == "error" or self.options.strict

    # -- rendering ---------------------------------------------------------------------

    def _renderer_for(self, validated: Validated, pages: list[Page]) -> Renderer:
        """A fresh renderer on tracked views of the model, the index and the pages.

        Fresh each time: Jinja caches imported macro modules with the globals they were first
        given, so a renderer cannot be pointed at a new model. The in-memory bytecode cache
        makes that cheap: only edited templates are compiled again.
        """
        model = TrackedRecord(validated.model, "", self.recorder)
        index = TrackedRecord(validated.index, "index.", self.recorder)
        renderer = Renderer(self.options.templates, model, index, make_urls(self.options, validated.model),
                            self.options.extra_globals, bytecode_cache=self._bytecode)
        renderer.env.globals["pages"] = TrackedPages(pages, self.recorder)
        track_templates(renderer, self.recorder)
        return renderer

    def _render(self, renderer: Renderer, pages: list[Page]) -> tuple[dict, dict]:
        """Render `pages`, recording what each reads; raises ContentError on a template error."""
        out, reads = {}, {}
        for page in pages:
            out[page.output], (_, seen) = self._render_page(renderer, page)
            reads[page.output] = self.recorder.shared(seen)
        return out, reads

    def _render_page(self, renderer: Renderer, page: Page) -> tuple[bytes, tuple[bytes, set]]:
        """One page's bytes, and their digest and what its rendering read (to be `Recorder.shared`
        where it is kept)."""
        self.recorder.reads = seen = {("site",)}
        try:
            data = renderer.render(page)
        finally:
            self.recorder.reads = set()
        return data, (digest(data), seen)

    # -- builds ------------------------------------------------------------------------

    def build_all(self, jobs: int = 1) -> Outcome:
        """Load, check and render everything, and swap it into the output folder atomically.

        With `jobs` > 1 the pages are rendered by forked workers (`parallel.run_tasks`), each
        writing its pages into the staged folder and sending back their digests and reads (not
        their bytes: the whole site is never held in this process). Only call it so from a
        process that has not started other threads yet (serve builds first, then serves).
        """
        started = time.perf_counter()
        enabled = gc.isenabled()
        gc.disable()
        try:
            self._content.scan()
            try:
                validated = self._validate(jobs)
                pages = plan_pages(validated.model, validated.index, self._planned)
                renderer = self._renderer_for(validated, pages)
                hooks = RenderHooks(pages, renderer, functools.partial(self._render_page, renderer),
                                    self._shared_reads, WORKER_MEMORY)
                return_free_memory()  # the files' texts are garbage: not to be copied into a worker
                with staged_site(self.options.out) as fresh:
                    files = render_files(self.options, validated, jobs, fresh, hooks)[1]
            except ContentError as error:
                return self._failed(error, started)
            rendered = {page.output: files.pop(page.output) for page in pages}
            self._out.digests = files | {rel: page_digest for rel, (page_digest, _) in rendered.items()}
            reads = {rel: seen for rel, (_, seen) in rendered.items()}
            self._commit(validated, pages, reads)
            self.data_stale = False
            self._unsure = False
        finally:
            if enabled:
                gc.enable()
        gc.freeze()  # the model stays: later collections need not scan it again and again
        return Outcome(True, (), validated.warnings, tuple(p.output for p in pages), tuple(sorted(self._out.digests)), (),
                       time.perf_counter() - started, self.build_number)

    def _shared_reads(self, result: Any) -> Any:
        """A page's digest and reads (a tuple), the reads shared; an export's digests (a dict) as they are."""
        if type(result) is tuple:
            return result[0], self.recorder.shared(result[1])
        return result

    def rebuild(self, open_pages: Iterable[str] = (), early: Callable[[list[str]], None] | None = None) -> Outcome:
        """Apply the changes noted since the last build; render and write only what they affect.

        Affected pages that are `open_pages` (the URL paths or output files that browsers show)
        are rendered and written before the rest, and `early(written)` is told, so an open page
        can reload while the other affected pages are still being rendered. If a later page
        fails to render, the early files are put back as they were: the output stays the last
        good build.
        """
        if self.good is None or self._unsure:
            return self.build_all()
        started = time.perf_counter()
        phases: dict[str, float] = {}
        clock = [started]

        def lap(name: str) -> None:
            now = time.perf_counter()
            phases[name] = phases.get(name, 0.0) + now - clock[0]
            clock[0] = now

        templates = set(self._pending_templates)
        static_changed = self._pending_static
        out_dir = Path(self.options.out)
        early_written: list[str] = []
        previous: dict[str, bytes | None] = {}
        try:
            validated = self._validate()
            lap("check")
            pages = plan_pages(validated.model, validated.index, self._planned)
            renderer = self._renderer_for(validated, pages)
            lap("plan")
            changed = changes(self.good.validated, validated)
            changed.update(("template", name) for name in templates)
            changed |= page_changes(list(self.good.pages.values()), pages)
            old_pages, old_reads = self.good.pages, self.good.reads
            affected = []
            for page in pages:
                seen, before = old_reads.get(page.output), old_pages.get(page.output)
                if static_changed or seen is None or (before is not page and before != page) or not seen.isdisjoint(changed):
                    affected.append(page)
            first = {output_file(path) for path in open_pages}
            lap("diff")
            rendered, reads = self._render(renderer, [p for p in affected if p.output in first])
            lap("render")
            if rendered:
                for rel in rendered:
                    target = out_dir / rel
                    previous[rel] = target.read_bytes() if target.is_file() else None
                early_written = self._out.write(rendered)
                lap("write")
                if early is not None and early_written:
                    early(early_written)
            more, more_reads = self._render(renderer, [p for p in affected if p.output not in first])
            rendered.update(more)
            reads.update(more_reads)
            lap("render")
        except Exception as error:  # put the early pages back as they were: the last good build stays
            back = {rel: data for rel, data in previous.items() if rel in early_written}
            self._out.write({rel: data for rel, data in back.items() if data is not None},
                            tuple(rel for rel, data in back.items() if data is None))
            if not isinstance(error, ContentError):
                raise
            return self._failed(error, started)

        new_outputs = {p.output for p in pages}
        removed = tuple(sorted(o for o in self.good.pages if o not in new_outputs))
        later = {rel: data for rel, data in rendered.items() if rel not in previous}
        if static_changed:
            later.update(static_files(self.options.templates))
        written = early_written + self._out.write(later, removed)
        kept_reads = {rel: seen for rel, seen in self.good.reads.items() if rel in new_outputs}
        self._commit(validated, pages, kept_reads | reads)
        if written or changed:
            self.data_stale = True
        lap("write")
        return Outcome(True, (), validated.warnings, tuple(rendered), tuple(written), removed,
                       time.perf_counter() - started, self.build_number, phases)

    def searchable_pages(self) -> list[str]:
        """The output paths of the last good build's pages that the search index takes in."""
        return [path for path, page in self.good.pages.items() if page.searchable] if self.good else []

    def refresh_data(self) -> list[str]:
        """Bring the `data/` exports up to date with the last good build; returns what was written."""
        if self.good is None or not self.data_stale:
            return []
        validated = self.good.validated
        urls = make_urls(self.options, validated.model)
        written = self._out.update_exports(export.data_parts(validated.model, validated.index, urls), self.good.pages)
        self.data_stale = False
        return written

    def _commit(self, validated: Validated, pages: list[Page], reads: dict[str, frozenset]) -> None:
        self.good = _Good(validated, {p.output: p for p in pages}, reads)
        self.build_number += 1
        self.errors = ()
        self._pending_templates.clear()
        self._pending_static = False

    def forget(self) -> None:
        """After a build or rebuild failed other than by a content error (a bug, a full disk): a
        step may have stopped half done, so the next rebuild is a full build, which reads the
        content and the output's digests afresh (the memos give back only what equal inputs
        gave). The last good build stays what is served."""
        self._unsure = True

    def _failed(self, error: ContentError, started: float) -> Outcome:
        self.errors = tuple(error.diagnostics)
        return Outcome(False, self.errors, (), (), (), (), time.perf_counter() - started, self.build_number)
