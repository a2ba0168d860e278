"""The benchmark script runs end to end at a tiny size and prints its table (the figures
themselves are for `make bench`, not for the test suite)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from .conftest import ROOT

BENCH = ROOT / "benchmarks" / "bench.py"


def test_benchmark_runs_at_a_tiny_size_and_prints_the_table(tmp_path):
    result = subprocess.run([sys.executable, str(BENCH), "--sizes", "3", "--edits", "1", "--runs", "2",
                             "--work", str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("measure"))
    assert header.split()[-1] == "N=3"
    table = lines[lines.index(header) + 2:]
    rows = {}
    for line in table:
        if not line.strip():
            break
        label, *_, cell = re.split(r"\s{2,}", line.strip())
        rows[label] = cell

    def value(label: str) -> str:
        return next(v for k, v in rows.items() if k.startswith(label))

    assert re.fullmatch(r"\d+\.\d\d s", value("cold build, search index included, median of 2"))
    low, high = map(float, re.fullmatch(r"(\d+\.\d\d)-(\d+\.\d\d) s", value("range of the cold builds")).groups())
    assert low <= float(value("cold build, search index included").removesuffix(" s")) <= high
    for part in ("of which Pagefind, as the build reports it", "of which the rest (sitegen's own part)"):
        assert 0 < float(value(part).removesuffix(" s")) < high, part
    assert result.stderr.count("N=3: cold build") == 2
    assert re.fullmatch(r"\d+ ms", value("save-to-served, median of 1"))
    assert re.fullmatch(r"\d+ MiB", value("peak memory, cold build"))
    if shutil.which("hugo"):
        assert re.fullmatch(r"\d+\.\d\d s", value("Hugo build"))
        assert re.fullmatch(r"\d+ ms", value("hugo server save-to-served"))
    throughput = next(line for line in lines if line.startswith("two processes at once: "))
    speedup, alone, together = map(float, re.fullmatch(
        r"two processes at once: (\d+\.\d\d)x the work of one "
        r"\(a Python loop took (\d+\.\d\d) s alone, (\d+\.\d\d) s each with two at once\)", throughput).groups())
    assert abs(speedup - 2 * alone / together) < 0.1 and 0 < alone <= together * 1.5
    verdicts = [line for line in lines if line.startswith("[")]
    # N=1000 and 5000 were not run: only the page-size budget, which holds at every size, is measured.
    measured = [v for v in verdicts if not v.startswith("[not measured]")]
    assert verdicts and [re.sub(r": the largest is .*", "", v) for v in measured] == ["[met] no HTML file over 250 KB at N=3"]
    assert re.fullmatch(r"\d+ MiB", value("output, all")) and re.fullmatch(r"\d+ KiB", value("largest HTML file"))
    # The corpus is deterministic: the same N gives the same files.
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from corpus import build_corpus
    finally:
        sys.path.pop(0)
    assert build_corpus(3).files == build_corpus(3).files
    assert (tmp_path / "n3" / "content" / "site.yaml").is_file()
