"""Run a build's independent tasks (pages to render, data to export, files to parse) on every
core, with fork.

The tasks are closures over the model, which forked workers share with the parent without
copying or pickling it; each task's result travels back, pickled, through a pipe as soon as it
is done, so a worker holds one result at a time. Give the tasks biggest first: workers take
them from the front and the parent from the back, from a shared counter, so a slow task does
not hold the others up, the big ones start early, and the parent, between its own (small)
tasks, takes in what the workers have sent. A worker's failure becomes the parent's: a
ContentError (a template mistake) keeps its diagnostics, anything else is re-raised as a
RuntimeError with the worker's traceback.

A worker shares the parent's memory only until either writes to it, and CPython writes to every
object it reads (its reference count): each memory page of the model a worker reads becomes a
copy of its own, and one that reads most of the model ends up holding a second model. With
`worker_memory`, a worker that holds more than that of its own stops after its task, and the
parent forks a fresh one, which starts with nothing of its own. `serve` uses it, since it keeps
running after its first build: a lower peak for a slower first build (each fresh worker starts
cold).

Only for a process with no other threads (forking copies one thread; a lock another thread
held would stay locked in the child); `run_tasks` itself starts none. Without `os.fork`, or
with one job, tasks run in turn.
"""

from __future__ import annotations

import fcntl
import gc
import multiprocessing
import os
import pickle
import selectors
import struct
import time
import traceback
from typing import Any, Callable, Iterator, Sequence

from .diagnostics import ContentError

PIPE_BYTES = 1 << 20
"""The pipes' capacity and the buffers on either end: a worker whose pipe is full waits until the
parent's next look, so it should seldom fill."""

MIN_TASKS = 64
"""Fewer tasks than this run in turn: forking costs more than it saves on a small site."""

WORKER_MEMORY = 96 << 20
"""What `serve` lets a render worker hold of its own before a fresh fork replaces it."""

CHECK_SECONDS = 0.5
"""How often a worker with a memory limit looks at its memory: the look is not free in a large
process (Linux walks its page tables)."""

_FRAME = struct.Struct("<Q")
"""Each message on a pipe: its pickle's length, then the pickle."""


def default_jobs() -> int:
    """One process per core the build may use (the parent counts as one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def forks(count: int, jobs: int | None = None, min_tasks: int | None = None) -> bool:
    """Whether `run_tasks` would share `count` tasks out between forked workers."""
    jobs = default_jobs() if jobs is None else jobs
    min_tasks = MIN_TASKS if min_tasks is None else min_tasks
    return jobs > 1 and count >= max(min_tasks, 2) and hasattr(os, "fork")


def run_tasks(tasks: Sequence[Callable[[], Any]], jobs: int | None = None, min_tasks: int | None = None,
              take: Callable[[Any], Any] | None = None, worker_memory: int | None = None) -> list[Any]:
    """Every task's result, in the order of `tasks`; in turn when there are fewer than `min_tasks`
    (MIN_TASKS unless given) or than two.

    `take`, if given, is applied in the parent to each result as it comes in, and its value kept
    instead: a worker's result arrives as new objects, which it may swap for ones the parent
    holds before the next comes. `worker_memory` (bytes) replaces a worker that holds more than
    that of its own, where the system tells (Linux); without it a worker lasts until the end.
    """
    jobs = default_jobs() if jobs is None else jobs
    if take is None:
        take = _as_it_is
    if not forks(len(tasks), jobs, min_tasks):
        return [take(task()) for task in tasks]
    # The next task a worker takes, and one past the next the parent takes: none is left once they meet.
    counter = multiprocessing.Array("l", [0, len(tasks)], lock=True)
    results: dict[int, Any] = {}
    running: dict[int, _Worker] = {}
    gc.freeze()  # keep the collector from touching (and so copying) the shared objects
    try:
        with selectors.DefaultSelector() as selector:
            def start_worker() -> None:
                worker = _Worker.fork(tasks, counter, worker_memory, [w.read for w in running.values()])
                running[worker.read] = worker
                selector.register(worker.read, selectors.EVENT_READ, worker)

            def take_in(timeout: float | None) -> None:
                for key, _events in selector.select(timeout):
                    worker = key.data
                    for index, result in worker.take_in():
                        results[index] = take(result)
                    if worker.ending is None:
                        continue
                    selector.unregister(worker.read)
                    del running[worker.read]
                    worker.finish()
                    if _tasks_left(counter):  # it stopped at its memory limit
                        start_worker()

            for _ in range(jobs - 1):
                start_worker()
            for index, result in _tasks_taken(tasks, counter, from_back=True):
                results[index] = take(result)
                take_in(0)
            while running:
                take_in(None)
    finally:
        if running:  # the parent failed or a worker did: stop the others, and do not leave them behind
            with counter.get_lock():
                counter[0] = counter[1]
            for worker in running.values():
                worker.abandon()
        gc.unfreeze()
    return [results[i] for i in range(len(tasks))]


def _as_it_is(result: Any) -> Any:
    return result


def _tasks_left(counter) -> bool:
    with counter.get_lock():
        return counter[0] < counter[1]


def _tasks_taken(tasks: Sequence[Callable[[], Any]], counter, from_back: bool = False) -> Iterator[tuple[int, Any]]:
    """Run the next task no process has taken, from the front or the back, until none is left:
    (index, result)."""
    while True:
        with counter.get_lock():
            front, back = counter[0], counter[1]
            if front >= back:
                return
            if from_back:
                index = counter[1] = back - 1
            else:
                index = front
                counter[0] = front + 1
        yield index, tasks[index]()


def own_memory() -> int | None:
    """The bytes of memory this process holds alone (Linux's Private_Dirty: copied since the
    fork, or new), or None where the system does not tell."""
    try:
        with open("/proc/self/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Private_Dirty:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _worker_main(tasks: Sequence[Callable[[], Any]], counter, worker_memory: int | None, write: int) -> None:
    """A forked worker: send each result as it is done, then how it ended; leave without cleanup.
    It ends when no task is left, or once it holds more than `worker_memory` of its own."""
    status = 0
    try:
        with os.fdopen(write, "wb", buffering=PIPE_BYTES) as pipe:
            try:
                checked = time.monotonic()
                for index, result in _tasks_taken(tasks, counter):
                    _send(pipe, ("result", index, result))
                    del result  # hold one result at a time, not all of them
                    if worker_memory is not None and time.monotonic() - checked >= CHECK_SECONDS:
                        if (own_memory() or 0) > worker_memory:
                            break
                        checked = time.monotonic()
                ending: tuple = ("done",)
            except ContentError as error:
                ending = ("content", list(error.diagnostics))
            except BaseException:  # noqa: BLE001 - reported by the parent
                ending = ("error", traceback.format_exc())
            _send(pipe, ending)
    except BaseException:  # noqa: BLE001 - the parent is gone or failed: nobody to report to
        status = 1
    os._exit(status)


def _send(pipe, message: tuple) -> None:
    data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    pipe.write(_FRAME.pack(len(data)))
    pipe.write(data)


class _Worker:
    """The parent's side of one forked worker: its pipe, and what has come through it so far."""

    def __init__(self, pid: int, read: int):
        self.pid = pid
        self.read = read
        self.ending: tuple | None = None
        """How the worker ended, once it has said: ("done",), ("content", diagnostics) or ("error", traceback)."""
        self._buffer = bytearray()

    @classmethod
    def fork(cls, tasks: Sequence[Callable[[], Any]], counter, worker_memory: int | None,
             others: list[int]) -> "_Worker":
        """Start a worker; `others` are the pipes of the workers already running."""
        read, write = os.pipe()
        try:
            fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        except (OSError, AttributeError):  # above the system's limit, or not Linux: smaller is slower, not wrong
            pass
        pid = os.fork()
        if pid == 0:
            # A worker keeps no other worker's pipe open: one told to stop could otherwise block
            # on a full pipe that the parent has closed.
            for fd in (read, *others):
                os.close(fd)
            _worker_main(tasks, counter, worker_memory, write)  # never returns
        os.close(write)
        return cls(pid, read)

    def take_in(self) -> Iterator[tuple[int, Any]]:
        """Read what the pipe holds now, and give each whole result in it: (index, result). At
        the pipe's end, `ending` is ("lost",) if the worker did not say how it ended."""
        chunk = os.read(self.read, PIPE_BYTES)
        if not chunk:
            if self.ending is None:
                self.ending = ("lost",)
            return
        buffer = self._buffer
        buffer += chunk
        start = 0
        while len(buffer) - start >= _FRAME.size:
            (length,) = _FRAME.unpack_from(buffer, start)
            end = start + _FRAME.size + length
            if len(buffer) < end:
                break
            with memoryview(buffer) as view:
                message = pickle.loads(view[start + _FRAME.size:end])
            start = end
            if message[0] == "result":
                yield message[1], message[2]
            else:
                self.ending = message
        del buffer[:start]

    def finish(self) -> None:
        """Once it has ended: close its pipe, wait for it, and raise if it failed."""
        os.close(self.read)
        _reap(self.pid)
        kind = self.ending[0] if self.ending else None
        if kind == "content":
            raise ContentError(self.ending[1])
        if kind == "error":
            raise RuntimeError(f"a build worker failed:\n{self.ending[1]}")
        if kind != "done":
            raise RuntimeError("a build worker exited without its results")

    def abandon(self) -> None:
        """Wait for a worker told to stop (the counter says no task is left), dropping what it sends."""
        os.close(self.read)
        _reap(self.pid)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
