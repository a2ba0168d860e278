"""The build, as a recipe: gather all content, validate it all, then render and write.

    load -> parse -> resolve -> derive -> plan -> render -> write
"""

from __future__ import annotations

import ctypes
import functools
import gc
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import export, search
from .derive import Index, derive
from .diagnostics import ContentError, Diagnostic
from .load import load_tree
from .model import Model
from .outdir import MARKER, MARKER_TEXT
from .parse import Parsed, parse_all
from .parallel import default_jobs, forks, run_tasks
from .plan import Page, plan_pages
from .render import Renderer, asset_versions
from .resolve import each, resolve
from .urls import Urls, normalise_base_path
from .write import digest, hasher, staged_site, write_file, write_pieces

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEMPLATES = PROJECT_ROOT / "templates"


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What to build from, where to, and for which address."""

    content: Path = Path("content")
    out: Path = Path("site")
    templates: Path = DEFAULT_TEMPLATES
    base_path: str = "/"
    """Normalised to `/` or `/sub/path/`."""
    site_url: str = ""
    """Overrides site.yaml's `site_url` when given."""
    repository: str = ""
    """Overrides site.yaml's `repository` when given."""
    strict: bool = False
    """Warnings fail the build."""
    pending_links: bool = False
    """A wikilink to an item not written yet is a warning, not an error (serve; see `resolve`)."""
    extra_globals: dict = field(default_factory=dict)
    """Template globals added by the caller (serve's live-reload flag)."""


@dataclass(frozen=True, slots=True)
class Validated:
    """The content, gathered and checked."""

    model: Model
    index: Index
    warnings: tuple[Diagnostic, ...]


def validate(content: Path, strict: bool = False, jobs: int = 1) -> Validated:
    """Load, parse (on `jobs` cores), resolve and derive; raise ContentError listing every problem."""
    return check(parse_all(load_tree(content), jobs=jobs), strict)


def check(parsed: Parsed, strict: bool = False, each: Callable = each,
          derive_index: Callable[[Model], Index] = derive, pending_links: bool = False) -> Validated:
    """Resolve and derive parsed content; raise ContentError listing every problem.

    `serve` passes an `each` that answers the item-by-item parts of resolve (see `resolve`)
    from its last results for equal inputs, and a `derive_index` that reuses the last index
    when no field that derive reads has changed.
    """
    model, problems = resolve(parsed, each, pending_links)
    errors = [p for p in problems if p.severity == "error" or strict]
    if errors or model is None:
        raise ContentError(problems if strict else errors or problems)
    return Validated(model, derive_index(model), tuple(p for p in problems if p.severity == "warning"))


def make_urls(options: BuildOptions, model: Model) -> Urls:
    return Urls(
        base_path=normalise_base_path(options.base_path),
        site_url=options.site_url or model.site.site_url,
        repository=options.repository or model.site.repository,
        asset_versions=asset_versions(options.templates / "static"),
    )


def static_files(templates: Path) -> dict[str, bytes]:
    """Files copied as they are: `templates/static/`, the marker that turns Jekyll off, and the
    one that lets the next build replace the folder (`outdir.MARKER`)."""
    files = {}
    static = templates / "static"
    if static.is_dir():
        for path in sorted(p for p in static.rglob("*") if p.is_file()):
            files["static/" + path.relative_to(static).as_posix()] = path.read_bytes()
    files[".nojekyll"] = b""
    files[MARKER] = MARKER_TEXT
    return files


def render_site(options: BuildOptions, validated: Validated, jobs: int = 1) -> dict[str, bytes]:
    """Every output file's bytes, keyed by path under the site root.

    With `jobs` > 1 the pages and the data export are shared out between forked workers
    (`parallel.run_tasks`); the bytes are the same either way.
    """
    return render_files(options, validated, jobs, into=None)[1]


@dataclass(frozen=True)
class RenderHooks:
    """How `serve` takes part in the render of a whole site: its own plan, and its own renderer
    (whose `pages` global it has set), a page renderer that returns the page's bytes and what to
    send back beside them (run in the worker), what to keep of that in the parent (`take`), and
    a memory limit per worker."""

    pages: list[Page]
    renderer: Renderer
    page: Callable[[Page], tuple[bytes, Any]]
    take: Callable[[Any], Any]
    worker_memory: int | None = None


def render_files(options: BuildOptions, validated: Validated, jobs: int, into: Path | None,
                 hooks: RenderHooks | None = None) -> tuple[list[Page], dict[str, Any]]:
    """The pages planned, and the site's files: each file's bytes when `into` is None. Else each
    file is written straight into `into` by whoever renders it (no page is held in memory or
    sent between processes) and maps to what its task sent back: for a page, what `hooks.page`
    sent beside its bytes (None without hooks); for an export or static file, its digest."""
    if hooks is None:
        urls = make_urls(options, validated.model)
        renderer = Renderer(options.templates, validated.model, validated.index, urls, options.extra_globals)
        pages: list[Page] = plan_pages(validated.model, validated.index)
        renderer.env.globals["pages"] = pages
    else:
        pages, renderer, urls = hooks.pages, hooks.renderer, hooks.renderer.urls
    parts = export.data_parts(validated.model, validated.index, urls)
    renderer.precompile(pages, referenced=forks(len(parts) + len(pages), jobs))  # before any worker forks

    def page_task(page: Page):
        data, extra = (renderer.render(page), None) if hooks is None else hooks.page(page)
        if into is None:
            return data
        write_file(into, page.output, data)
        return extra

    def data_task(part: Callable[[export.Emit], None]):
        files: dict[str, Any] = {}
        if into is not None:
            def emit(rel, pieces):
                running = hasher()
                write_pieces(into, rel, pieces, running)
                files[rel] = running.digest()
        else:
            def emit(rel, pieces):
                files[rel] = "".join(pieces).encode("utf-8")
        part(emit)
        return files

    order = sorted(range(len(pages)), key=lambda i: -pages[i].weight)
    tasks = ([functools.partial(data_task, part) for part in parts]
             + [functools.partial(page_task, pages[i]) for i in order])
    results = run_tasks(tasks, jobs, take=hooks and hooks.take, worker_memory=hooks and hooks.worker_memory)
    rendered = {pages[i].output: data for i, data in zip(order, results[len(parts):])}
    files = {page.output: rendered[page.output] for page in pages}
    for rel, data in static_files(options.templates).items():
        if into is None:
            files[rel] = data
        else:
            write_file(into, rel, data)
            files[rel] = digest(data)
    for exported in results[:len(parts)]:
        files.update(exported)
    return pages, files


@dataclass(frozen=True, slots=True)
class Built:
    """What a build reports once the new site is in place."""

    warnings: tuple[Diagnostic, ...]
    seconds: float
    """The whole build, from reading the content to the swap."""
    search_seconds: float
    """Of those, the time Pagefind took to index the written site."""


def build(options: BuildOptions, jobs: int | None = None) -> Built:
    """The whole build: validate, render on every core, write atomically, index for search.

    The garbage collector is off while the content is read: that makes millions of objects
    and no garbage cycles, and collections would scan them again and again. The model is then
    frozen (never scanned again) and the collector runs again while pages render, since
    rendering leaves cycles behind. Once every file is written the model is let go while
    Pagefind starts: on a large site the two would otherwise hold memory at the same time.
    """
    started = time.perf_counter()
    enabled = gc.isenabled()
    gc.disable()
    try:
        jobs = default_jobs() if jobs is None else jobs
        validated = validate(options.content, options.strict, jobs)
        warnings = validated.warnings
        # The files' texts and the parse workers' results are garbage now; give their memory
        # back before the render worker forks, or each process keeps a copy of the heap's holes.
        return_free_memory()
        gc.freeze()
        gc.enable()
        with staged_site(options.out) as fresh:
            pages = render_files(options, validated, jobs, into=fresh)[0]
            searchable = [page.output for page in pages if page.searchable]
            del validated, pages
            indexing = time.perf_counter()
            search.index_site(fresh, searchable, meanwhile=release_memory)
            indexed = time.perf_counter()
    finally:
        gc.unfreeze()
        if not enabled:
            gc.disable()
    return Built(warnings, time.perf_counter() - started, indexed - indexing)


def release_memory() -> None:
    """Free what the render left (the model is held in cycles through the Jinja environment) and
    hand the memory back to the system."""
    gc.unfreeze()
    gc.collect()
    return_free_memory()


def return_free_memory() -> None:
    """Hand memory that is free but still held by the allocator back to the system, which glibc
    would otherwise keep for later."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to trim, the allocator decides
        return
    trim(0)
