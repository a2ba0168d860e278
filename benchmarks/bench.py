#!/usr/bin/env python3
"""Benchmark: cold build, save-to-served and peak memory, against Hugo + Pagefind on the same text.

    python benchmarks/bench.py                      # N = 200, 1000, 5000
    python benchmarks/bench.py --sizes 1000 --edits 9 --runs 5

For each N it generates the deterministic corpus of `corpus.py` (N sources of about 1,200 words,
six annotations each, actors, motives, events, arguments) under benchmarks/out/ (gitignored)
and measures, each as a separate process:

- cold build: `build.py build` from nothing (search index included), wall time and peak
  memory (proportional set size summed over the process and its children, sampled);
- save-to-served: `build.py serve` on the corpus; one annotation's commentary is saved (written
  to a temporary file and renamed over it, as editors do) while a client listens on the page's
  live-reload stream, as a browser showing the source page does; the time runs until the page,
  fetched again on the reload event, carries the change. Also the rebuild time serve reports.
- where `hugo` is installed: the same article text as a Hugo site (`corpus.write_hugo_site`),
  built by `hugo` and indexed by Pagefind; and `hugo server` on an edit of one article, its
  page fetched every 2 ms until it carries the change (plus the "Total in N ms" Hugo reports).

The cold build, Hugo and Pagefind on Hugo's output are each run
`--runs` times (default 3), taken in turn so that a busy spell of a shared machine falls on all
of them alike; the table gives each one's median time (and the cold build's range) and the
largest memory peak seen. The table ends with each target and whether it is met. Nothing here
is fixed in advance: every figure is measured in this run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import build_corpus, write_files, write_hugo_site  # noqa: E402
from processes import (LiveReload, MemorySampler, Output, Run, fetch, free_port, run_measured, save,  # noqa: E402
                       stop, wait_for)

PYTHON = sys.executable


# -- the measurements ----------------------------------------------------------------------


@dataclass
class Result:
    n: int
    cold: Run | None = None
    """The median of the cold builds (see `typical`)."""
    cold_seconds: list[float] = field(default_factory=list)
    """Every cold build's time."""
    cold_indexing: list[float] = field(default_factory=list)
    """Each cold build's own report of the time its Pagefind run took."""
    save: list[float] = field(default_factory=list)
    save_reported: list[float] = field(default_factory=list)
    serve_peak: int = 0
    hugo: Run | None = None
    pagefind_hugo: Run | None = None
    hugo_save: list[float] = field(default_factory=list)
    hugo_reported: list[float] = field(default_factory=list)
    output: dict[str, int] = field(default_factory=dict)
    """Bytes of the built site, by part (see `output_bytes`)."""
    hugo_output: dict[str, int] = field(default_factory=dict)
    content_bytes: int = 0
    largest_html: tuple[int, str] = (0, "")
    """The largest HTML file of the built site: bytes, path."""


def output_bytes(site: Path) -> dict[str, int]:
    """Bytes of a built site by part: `data/`, the search index (`pagefind/`), images, HTML
    pages (source pages, `sources/<id>/`, and passage pages, `sources/<id>/<annotation>/`,
    apart) and the rest; `all`, and `pages`, everything but `data/`."""
    parts = dict.fromkeys(("data", "search index", "images", "source pages", "passage pages", "other pages", "the rest"), 0)
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(site).parts
        size = path.stat().st_size
        if rel[0] == "data":
            parts["data"] += size
        elif rel[0] in ("pagefind", "_pagefind", "pagefind-bench"):
            parts["search index"] += size
        elif path.suffix in (".png", ".jpg", ".webp", ".svg") and rel[0] != "static":
            parts["images"] += size
        elif path.suffix == ".html":
            kind = {3: "source pages", 4: "passage pages"}.get(len(rel)) if rel[0] == "sources" else None
            parts[kind or "other pages"] += size
        else:
            parts["the rest"] += size
    parts["all"] = sum(parts.values())
    parts["pages"] = parts["all"] - parts["data"]
    return parts


def largest_html(site: Path) -> tuple[int, str]:
    return max(((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")), default=(0, ""))


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def typical(runs: list[Run]) -> Run:
    """The median time of some runs of one command, with the largest memory peaks any of them reached."""
    return Run(statistics.median(r.seconds for r in runs), max(r.peak for r in runs), runs[-1].output,
               max(r.peak_own for r in runs), max(r.peak_pagefind for r in runs), statistics.median(r.cpu for r in runs))


SPIN = "import time\nt = time.perf_counter()\ns = 0\nfor i in range(5_000_000): s += i * i\nprint(time.perf_counter() - t)"
"""A pure-Python loop that prints how long it took."""


def two_at_once(rounds: int = 5) -> tuple[float, float]:
    """(seconds the loop takes alone, seconds each of two copies takes run at once), medians.

    "Use both cores" can at best make the work go 2 x alone / together times as fast: on a
    virtual machine whose two cores share one physical core, or a busy host, that is well
    under 2.
    """
    alone: list[float] = []
    together: list[float] = []
    for _ in range(rounds):
        alone.append(float(subprocess.run([PYTHON, "-c", SPIN], capture_output=True, text=True, check=True).stdout))
        pair = [subprocess.Popen([PYTHON, "-c", SPIN], stdout=subprocess.PIPE, text=True) for _ in range(2)]
        together += [float(process.communicate()[0]) for process in pair]
    return statistics.median(alone), statistics.median(together)


def cold_build(content: Path, out: Path) -> Run:
    if out.exists():
        shutil.rmtree(out)
    return run_measured([PYTHON, str(ROOT / "build.py"), "build", "--content", str(content), "--out", str(out)])


BUILT = re.compile(r"^built .* in ([0-9.]+) s \(search index ([0-9.]+) s\)$", re.M)
"""The line `build.py build` ends with: its whole time, and Pagefind's part of it."""


def indexing_seconds(run: Run) -> float:
    """The time the build says its Pagefind run took."""
    match = BUILT.search(run.output)
    if match is None:
        raise SystemExit(f"the build did not report its times:\n{run.output}")
    return float(match.group(2))


def pagefind_command(site: Path) -> list[str]:
    return [PYTHON, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind-bench"]


def serve_edits(content: Path, out: Path, corpus, edits: int, result: Result) -> None:
    port = free_port()
    process = subprocess.Popen(
        [PYTHON, str(ROOT / "build.py"), "serve", "--content", str(content), "--out", str(out), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=dict(os.environ, PYTHONUNBUFFERED="1"))
    output = Output(process)
    output.start()
    sampler = MemorySampler(process.pid, 0.05)
    sampler.start()
    try:
        output.wait_for(r"^serving http://")
        searching = not any("search index: not built" in line for line in output.lines)
        if searching:  # the first search index runs in the background: let it finish first
            output.wait_for(r"^search index updated")
        step = max(1, len(corpus.annotation_paths) // max(1, edits))
        for k in range(edits):
            rel = corpus.annotation_paths[(k * step + 3) % len(corpus.annotation_paths)]
            path = content / rel
            source_id = rel.split("/")[1]
            url = f"http://127.0.0.1:{port}/sources/{source_id}/"
            token = f"benchmark-edit-{k}-{time.time_ns()}"
            text = path.read_text(encoding="utf-8")
            mark = len(output.lines)
            events = LiveReload(port, f"/sources/{source_id}/", fetch(url))
            started = time.perf_counter()
            save(path, text.rstrip("\n") + f" {token}.\n")
            result.save.append(events.wait_for_reload(url, token.encode(), started))
            _, match = output.wait_for(r"rebuilt in (\d+) ms", mark)
            result.save_reported.append(float(match.group(1)) / 1000)
            if searching:  # keep the background re-index out of the next measurement
                output.wait_for(r"^search index updated", mark)
    finally:
        stop(process)
        result.serve_peak = sampler.stop().peak_own


def hugo_server_edits(site: Path, corpus, edits: int, result: Result) -> None:
    port = free_port()
    process = subprocess.Popen(
        ["hugo", "server", "-s", str(site), "--bind", "127.0.0.1", "--port", str(port), "--disableFastRender",
         "--watch"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = Output(process)
    output.start()
    try:
        output.wait_for(r"Press Ctrl\+C to stop|Web Server is available")
        articles = corpus.articles
        step = max(1, len(articles) // max(1, edits))
        for k in range(edits):
            sid = articles[(k * step + 3) % len(articles)][0]
            path = site / "content" / "sources" / f"{sid}.md"
            url = f"http://127.0.0.1:{port}/sources/{sid}/"
            token = f"benchmark-edit-{k}-{time.time_ns()}"
            text = path.read_text(encoding="utf-8")
            mark = len(output.lines)
            started = time.perf_counter()
            save(path, text.rstrip("\n") + f" {token}.\n")
            result.hugo_save.append(wait_for(url, token.encode(), started))
            try:
                _, match = output.wait_for(r"Total in (\d+) ms", mark, timeout=10)
                result.hugo_reported.append(float(match.group(1)) / 1000)
            except SystemExit:
                pass
            time.sleep(0.3)
    finally:
        stop(process)


def measure(n: int, work: Path, edits: int, with_hugo: bool, runs: int = 1) -> Result:
    result = Result(n)
    base = work / f"n{n}"
    content, out = base / "content", base / "site"
    site, public = base / "hugo", base / "hugo-public"
    print(f"N={n}: generating the corpus...", file=sys.stderr, flush=True)
    corpus = build_corpus(n)
    write_files(corpus.files, content)
    if with_hugo:
        write_hugo_site(corpus, site)
    cold, hugo, pagefind_hugo = [], [], []
    for run in range(1, runs + 1):
        print(f"N={n}: cold build{' and Hugo' if with_hugo else ''}, run {run} of {runs}...", file=sys.stderr, flush=True)
        cold.append(cold_build(content, out))
        if with_hugo:
            shutil.rmtree(public, ignore_errors=True)
            hugo.append(run_measured(["hugo", "--quiet", "-s", str(site), "-d", str(public)]))
            pagefind_hugo.append(run_measured(pagefind_command(public)))
    result.cold, result.cold_seconds = typical(cold), [r.seconds for r in cold]
    result.output, result.largest_html, result.content_bytes = output_bytes(out), largest_html(out), folder_bytes(content)
    if with_hugo:
        result.hugo_output = output_bytes(public)
    result.cold_indexing = [indexing_seconds(r) for r in cold]
    if with_hugo:
        result.hugo, result.pagefind_hugo = typical(hugo), typical(pagefind_hugo)
    if edits:
        print(f"N={n}: serve and {edits} edits...", file=sys.stderr, flush=True)
        serve_edits(content, base / "served", corpus, edits, result)
        if with_hugo:
            hugo_server_edits(site, corpus, edits, result)
    return result


# -- the table -------------------------------------------------------------------------------


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def _ms(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values) * 1000:.0f} ms"


def _range(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{min(values) * 1000:.0f}-{max(values) * 1000:.0f} ms"


def _mib(value: int | None) -> str:
    return "-" if not value else f"{value / 2**20:.0f} MiB"


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if not a or not b else f"{a / b:.2f}x"


def own_seconds(r: Result) -> float:
    """The median cold build less the Pagefind run inside it, each build taken whole."""
    return statistics.median(total - indexing for total, indexing in zip(r.cold_seconds, r.cold_indexing))


def table(results: list[Result], edits: int, runs: int = 1) -> str:
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, cells) -> None:
        rows.append((label, [str(c) for c in cells]))

    def hugo_total(r: Result) -> float | None:
        return r.hugo.seconds + r.pagefind_hugo.seconds if r.hugo and r.pagefind_hugo else None

    def hugo_cpu(r: Result) -> float | None:
        return r.hugo.cpu + r.pagefind_hugo.cpu if r.hugo and r.pagefind_hugo else None

    row(f"cold build, search index included{f', median of {runs}' if runs > 1 else ''}", [_s(r.cold.seconds) for r in results])
    if runs > 1:
        row("  range of the cold builds", [f"{min(r.cold_seconds):.2f}-{max(r.cold_seconds):.2f} s" for r in results])
    row("  of which Pagefind, as the build reports it", [_s(statistics.median(r.cold_indexing)) for r in results])
    row("  of which the rest (sitegen's own part)", [_s(own_seconds(r)) for r in results])
    row("Hugo build", [_s(r.hugo.seconds if r.hugo else None) for r in results])
    row("  + Pagefind on Hugo's output", [_s(r.pagefind_hugo.seconds if r.pagefind_hugo else None) for r in results])
    row("  = Hugo + Pagefind", [_s(hugo_total(r)) for r in results])
    row("cold build / (Hugo + Pagefind)", [_ratio(r.cold.seconds, hugo_total(r)) for r in results])
    row("CPU time, cold build (all its processes)", [_s(r.cold.cpu) for r in results])
    row("CPU time, Hugo + Pagefind", [_s(hugo_cpu(r)) for r in results])
    row("CPU time, cold build / (Hugo + Pagefind)", [_ratio(r.cold.cpu, hugo_cpu(r)) for r in results])
    row(f"save-to-served, median of {edits}", [_ms(r.save) for r in results])
    row("  range", [_range(r.save) for r in results])
    row("  rebuild time serve reports", [_ms(r.save_reported) for r in results])
    row("hugo server save-to-served, median", [_ms(r.hugo_save) for r in results])
    row("  'Total in' Hugo reports", [_ms(r.hugo_reported) for r in results])
    row("save-to-served / hugo server", [_ratio(statistics.median(r.save) if r.save else None,
                                                statistics.median(r.hugo_save) if r.hugo_save else None) for r in results])
    row("output, all", [_mib(r.output.get("all")) for r in results])
    for part in ("data", "search index", "images", "source pages", "passage pages", "other pages", "the rest"):
        row(f"  {part}", [_mib(r.output.get(part)) for r in results])
    row("  largest HTML file", [f"{r.largest_html[0] / 1024:.0f} KiB" for r in results])
    row("output without data/ / Hugo's whole output", [_ratio(r.output.get("pages"), r.hugo_output.get("all")) for r in results])
    row("Hugo's output (HTML / search index)", [f"{_mib(r.hugo_output['all'])} ({_mib(r.hugo_output['source pages'] + r.hugo_output['other pages'])} / "
                                               f"{_mib(r.hugo_output['search index'])})" if r.hugo_output else "-" for r in results])
    row("data/ / content folder", [_ratio(r.output.get("data"), r.content_bytes) for r in results])
    row("peak memory, cold build, all processes", [_mib(r.cold.peak) for r in results])
    row("  sitegen's own (Python, both workers)", [_mib(r.cold.peak_own) for r in results])
    row("  Pagefind's", [_mib(r.cold.peak_pagefind) for r in results])
    row("peak memory, serve (without Pagefind)", [_mib(r.serve_peak) for r in results])
    row("peak memory, Hugo build", [_mib(r.hugo.peak if r.hugo else None) for r in results])
    row("peak memory, Pagefind on Hugo's output", [_mib(r.pagefind_hugo.peak if r.pagefind_hugo else None) for r in results])

    header = ["measure"] + [f"N={r.n}" for r in results]
    width = max(len(label) for label, _ in rows + [("measure", [])])
    cells = [max(len(header[i + 1]), *(len(c[i]) for _, c in rows)) for i in range(len(results))]
    lines = [header[0].ljust(width) + "  " + "  ".join(h.rjust(w) for h, w in zip(header[1:], cells))]
    lines.append("-" * len(lines[0]))
    for label, values in rows:
        lines.append(label.ljust(width) + "  " + "  ".join(v.rjust(w) for v, w in zip(values, cells)))
    return "\n".join(lines)


def verdicts(results: list[Result]) -> list[str]:
    by_n = {r.n: r for r in results}
    out = []

    def verdict(ok: bool | None, text: str) -> None:
        out.append(f"[{'met' if ok else 'NOT met' if ok is not None else 'not measured'}] {text}")

    r = by_n.get(1000)
    if r and r.hugo:
        total = r.hugo.seconds + r.pagefind_hugo.seconds
        verdict(r.cold.seconds <= 2 * total,
                f"cold build at N=1000 no more than 2x Hugo + Pagefind: {r.cold.seconds:.2f} s vs {total:.2f} s")
        ratio = r.output["pages"] / r.hugo_output["all"]
        verdict(ratio <= 3.5, f"output at N=1000 without data/ no more than 3.5x Hugo's: {ratio:.2f}x")
    else:
        verdict(None, "cold build and output at N=1000 against Hugo's")
    if r:
        ratio = r.output["data"] / r.content_bytes
        verdict(ratio <= 3, f"data/ at N=1000 no larger than 3x the content folder: {ratio:.2f}x")
    for one in results:
        verdict(one.largest_html[0] <= 250 * 1024,
                f"no HTML file over 250 KB at N={one.n}: the largest is {one.largest_html[1]}, {one.largest_html[0] / 1024:.0f} KiB")
    if r and r.save:
        median = statistics.median(r.save)
        verdict(median < 0.100, f"save-to-served at N=1000 under 100 ms: median {median * 1000:.0f} ms")
        if r.hugo_reported:
            hugo = statistics.median(r.hugo_reported)
            verdict(median <= hugo, f"save-to-served at N=1000 no slower than hugo server's rebuild of one page "
                                    f"(the 'Total in' it reports): {median * 1000:.0f} ms vs {hugo * 1000:.0f} ms")
        else:
            verdict(None, "save-to-served no slower than hugo server's rebuild of one page")
        if r.hugo_save:
            hugo = statistics.median(r.hugo_save)
            verdict(median <= hugo, f"save-to-served at N=1000 no slower than hugo server's own save-to-served "
                                    f"(timed the same way): {median * 1000:.0f} ms vs {hugo * 1000:.0f} ms")
    else:
        verdict(None, "save-to-served at N=1000 under 100 ms")
    big = by_n.get(5000)
    if r and big:
        ratio = big.output["all"] / r.output["all"]
        verdict(ratio <= 5.3, f"output at 5000 no more than 5.3x the output at 1000: {ratio:.2f}x")
        ratio = big.cold.seconds / r.cold.seconds
        verdict(ratio <= 5.5, f"cold build at 5000 no more than 5.5x the time at 1000: {ratio:.2f}x")
        ratio = own_seconds(big) / own_seconds(r)
        verdict(ratio <= 5.5, f"the same for sitegen's own part (the cold build less its Pagefind run): {ratio:.2f}x")
        if big.pagefind_hugo and r.pagefind_hugo:
            ratio = big.pagefind_hugo.seconds / r.pagefind_hugo.seconds
            out.append(f"  (for comparison, Pagefind on Hugo's output: {ratio:.2f}x)")
        if r.save and big.save:
            ratio = statistics.median(big.save) / statistics.median(r.save)
            verdict(ratio <= 5.5, f"save-to-served at 5000 no more than 5.5x the time at 1000: {ratio:.2f}x")
    else:
        verdict(None, "time at 5000 no more than 5.5x the time at 1000")
    if big and big.hugo:
        verdict(big.cold.peak < big.hugo.peak,
                f"peak memory of the cold build at N=5000 below Hugo's: {_mib(big.cold.peak)} with Pagefind "
                f"({_mib(big.cold.peak_own)} without) vs {_mib(big.hugo.peak)}")
        verdict(big.cold.peak_own < big.hugo.peak,
                f"peak memory of sitegen's own processes at N=5000 below Hugo's: {_mib(big.cold.peak_own)} vs {_mib(big.hugo.peak)}")
        verdict(big.serve_peak < big.hugo.peak if big.serve_peak else None,
                f"peak memory of serve at N=5000 below Hugo's build: {_mib(big.serve_peak)} vs {_mib(big.hugo.peak)}")
    else:
        verdict(None, "peak memory at N=5000 below Hugo's")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200,1000,5000", help="comma-separated corpus sizes (default 200,1000,5000)")
    parser.add_argument("--edits", type=int, default=7, help="annotation saves timed per size (0: skip serve)")
    parser.add_argument("--no-hugo", action="store_true", help="skip Hugo and Pagefind-on-Hugo even if installed")
    parser.add_argument("--runs", type=int, default=3, help="cold builds (and Hugo builds) per size; medians are shown (default 3)")
    parser.add_argument("--work", type=Path, default=HERE / "out", help="where corpora and outputs go (default benchmarks/out)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    with_hugo = not args.no_hugo and shutil.which("hugo") is not None
    if not with_hugo and not args.no_hugo:
        print("hugo is not installed: the Hugo columns stay empty", file=sys.stderr)
    args.work.mkdir(parents=True, exist_ok=True)
    results = [measure(n, args.work, args.edits, with_hugo, args.runs) for n in sizes]
    alone, together = two_at_once()
    print(f"\nmachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"{subprocess.run(['hugo', 'version'], capture_output=True, text=True).stdout.split()[1] if with_hugo else 'no hugo'}")
    print(f"two processes at once: {2 * alone / together:.2f}x the work of one "
          f"(a Python loop took {alone:.2f} s alone, {together:.2f} s each with two at once)")
    print(table(results, args.edits, args.runs))
    print()
    for line in verdicts(results):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
