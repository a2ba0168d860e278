"""Shared test helpers: building sites into temporary folders, and tools that must exist in CI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# The property and fuzz tests check behaviour, not speed: on a busy machine one example can take
# far longer than hypothesis' default 200 ms deadline, which would fail a correct run.
settings.register_profile("no-deadline", deadline=None)
settings.load_profile("no-deadline")

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "site" / "content"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip on a developer machine that lacks a tool; in CI a missing tool is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


def run_build(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `build.py` as an editor would, capturing its output."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, capture_output=True, text=True)


SLOW_FILES = {"test_html_valid.py", "test_accessibility.py", "test_bench_smoke.py", "test_workflow.py"}
"""Files that need Java, the benchmark or the workflow tools; with every test that opens Chromium
they are the `slow` tier, which `make test-fast` leaves out."""


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()) or item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The fixture site built once at `/`."""
    out = tmp_path_factory.mktemp("fixture") / "site"
    result = run_build("build", "--content", str(FIXTURE_CONTENT), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def fixture_site_subpath(tmp_path_factory) -> Path:
    """The fixture site built for `/repo/`."""
    out = tmp_path_factory.mktemp("fixture-sub") / "site"
    result = run_build("build", "--content", str(FIXTURE_CONTENT), "--out", str(out), "--base-path", "/repo/")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium for the whole session (Debian's package; required in CI)."""
    require(chromium_path() is not None, "Debian's chromium is not installed (scripts/setup-test.sh installs it)")
    from .browser import chromium_browser

    with chromium_browser() as instance:
        yield instance


@pytest.fixture
def forked(monkeypatch) -> list[int]:
    """The pids of the processes forked (by `parallel.run_tasks`) while the test runs."""
    pids: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return pids
