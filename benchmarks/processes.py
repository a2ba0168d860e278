"""Measuring other processes for the benchmark: their time and memory (the process tree's
proportional set size, sampled), their output line by line, a page fetched over HTTP, and a
client of `serve`'s live-reload stream."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

POLL_SECONDS = 0.002


def _tree(pid: int) -> list[int]:
    """`pid` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, ()))
    return out


def _memory(pid: int) -> int:
    """Proportional set size of one process in bytes (RSS when smaps_rollup is unavailable)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _is_pagefind(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/comm") as f:
            return "pagefind" in f.read()
    except OSError:
        return False


class MemorySampler(threading.Thread):
    """Samples the summed memory of a process tree until stopped.

    `peak` is the largest sum seen; `peak_own` the largest sum without Pagefind's processes,
    `peak_pagefind` the largest sum of Pagefind's alone.
    """

    def __init__(self, pid: int, interval: float = 0.02):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak = self.peak_own = self.peak_pagefind = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            own = pagefind = 0
            for p in _tree(self.pid):
                if _is_pagefind(p):
                    pagefind += _memory(p)
                else:
                    own += _memory(p)
            self.peak = max(self.peak, own + pagefind)
            self.peak_own = max(self.peak_own, own)
            self.peak_pagefind = max(self.peak_pagefind, pagefind)
            self._halt.wait(self.interval)

    def stop(self) -> "MemorySampler":
        self._halt.set()
        self.join()
        return self


@dataclass
class Run:
    seconds: float
    peak: int
    """Bytes: the sampled peak of the whole tree's PSS (at least the kernel's max RSS of the process)."""
    output: str
    peak_own: int = 0
    """The peak without Pagefind's processes."""
    peak_pagefind: int = 0
    cpu: float = 0.0
    """Seconds of CPU (user and system) of the process and every child it waited for: on a
    machine shared with other work, steadier than the wall time."""


def run_measured(command: list[str], cwd: Path | None = None) -> Run:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = MemorySampler(process.pid)
    sampler.start()
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    sampler.stop()
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{output}")
    # ru_maxrss is the largest of the process and the children it waited for: a floor for the total.
    return Run(seconds, max(sampler.peak, usage.ru_maxrss * 1024), output, sampler.peak_own, sampler.peak_pagefind,
               usage.ru_utime + usage.ru_stime)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read()
    except OSError:
        return b""


def save(path: Path, text: str) -> None:
    """Save as editors do: write a temporary file beside it, then rename it over the original."""
    temporary = path.with_name(f".{path.name}.bench~")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def wait_for(url: str, token: bytes, started: float, timeout: float = 60.0) -> float:
    deadline = started + timeout
    while time.perf_counter() < deadline:
        if token in fetch(url):
            return time.perf_counter() - started
        time.sleep(POLL_SECONDS)
    raise SystemExit(f"{url} never showed {token!r}")


class LiveReload:
    """What a browser showing a page does under `serve`: listen on the event stream for the
    reload, then fetch the page again. (Polling the Python server every few milliseconds
    would itself slow the rebuild down; Hugo's server is polled, as it has no such stream.)"""

    def __init__(self, port: int, page: str, body: bytes):
        stamp = re.search(rb'data-sitegen-build="(\d+)"', body)
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.connection.request("GET", f"/__sitegen/events?page={page}&build={int(stamp.group(1)) if stamp else 0}")
        self.response = self.connection.getresponse()
        self._state()  # the state on connecting: nothing to reload yet

    def _state(self) -> dict:
        while True:
            line = self.response.fp.readline()
            if not line:
                raise SystemExit("the event stream closed")
            if line.startswith(b"data: "):
                return json.loads(line[6:])

    def wait_for_reload(self, url: str, token: bytes, started: float) -> float:
        try:
            while not self._state()["reload"]:
                pass
            body = fetch(url)
            if token not in body:
                raise SystemExit(f"{url} reloaded without the edit")
            return time.perf_counter() - started
        finally:
            self.connection.close()


class Output(threading.Thread):
    """Collects a server's output lines."""

    def __init__(self, process: subprocess.Popen):
        super().__init__(daemon=True)
        self.process, self.lines = process, []
        self.cond = threading.Condition()

    def run(self) -> None:
        for line in self.process.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()

    def wait_for(self, pattern: str, start: int = 0, timeout: float = 600.0) -> tuple[int, re.Match]:
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for i in range(start, len(self.lines)):
                    match = regex.search(self.lines[i])
                    if match:
                        return i, match
                start = len(self.lines)
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.process.poll() is not None:
                    raise SystemExit(f"no output matching {pattern!r}:\n" + "\n".join(self.lines[-30:]))
                self.cond.wait(remaining)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
