"""Run a build's independent tasks (pages to render, data to export, files to parse) on every
core, with fork.

The tasks are closures over the model, which forked workers share with the parent without
copying or pickling it; each task's result travels back, pickled, through a pipe as soon as it
is done, so a worker holds one result at a time and the parent takes them in as they come (a
thread reads each worker's pipe). Workers take the next task from a shared counter, so a slow
task does not hold the others up; give the tasks biggest first. A worker's failure becomes the
parent's: a ContentError (a template mistake) keeps its diagnostics, anything else is
re-raised as a RuntimeError with the worker's traceback.

Only for a process with no other threads (forking copies one thread; a lock another thread
held would stay locked in the child): the reader threads start once every worker is forked,
and are gone when `run_tasks` returns. Without `os.fork`, or with one job, tasks run in turn.
"""

from __future__ import annotations

import fcntl
import gc
import multiprocessing
import os
import pickle
import threading
import traceback
from typing import Any, Callable, Iterator, Sequence

from .diagnostics import ContentError

PIPE_BYTES = 1 << 20
"""The pipes' capacity and the buffers on either end. A reader thread waits for the GIL after each
read; with the default 64 KiB pipe it falls behind and the worker stalls, writing."""

MIN_TASKS = 64
"""Fewer tasks than this run in turn: forking costs more than it saves on a small site."""


def default_jobs() -> int:
    """One worker per core the process may use (the parent counts as one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def run_tasks(tasks: Sequence[Callable[[], Any]], jobs: int | None = None, min_tasks: int = MIN_TASKS,
              take: Callable[[Any], Any] | None = None) -> list[Any]:
    """Every task's result, in the order of `tasks`; in turn when there are fewer than `min_tasks`
    (or than two).

    `take`, if given, is applied in the parent to each result as it comes in, and its value kept
    instead: a worker's result arrives as new objects, which it may swap for ones the parent
    holds before the next comes. It runs in the reader threads as well as the calling one.
    """
    jobs = default_jobs() if jobs is None else jobs
    if take is None:
        take = _as_it_is
    if jobs <= 1 or len(tasks) < max(min_tasks, 2) or not hasattr(os, "fork"):
        return [take(task()) for task in tasks]
    counter = multiprocessing.Value("l", 0, lock=True)
    gc.freeze()  # keep the collector from touching (and so copying) the shared objects
    pipes: list[tuple[int, int]] = []
    workers: list[_Worker] = []
    try:
        for _ in range(jobs - 1):
            read, write = os.pipe()
            try:
                fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
            except (OSError, AttributeError):  # above the system's limit, or not Linux: smaller is slower, not wrong
                pass
            pid = os.fork()
            if pid == 0:
                os.close(read)
                _worker_main(tasks, counter, write)  # never returns
            os.close(write)
            pipes.append((pid, read))
        workers = [_Worker(pid, read, take) for pid, read in pipes]
        pipes = []
        results: dict[int, Any] = {index: take(result) for index, result in _tasks_taken(tasks, counter)}
        for worker in workers:
            results.update(worker.finish())
        workers = []
    finally:
        if workers or pipes:  # the parent failed first: stop the workers, and do not leave them behind
            with counter.get_lock():
                counter.value = len(tasks)
        for pid, read in pipes:  # forked, no reader yet
            os.close(read)
            _reap(pid)
        for worker in workers:
            worker.abandon()
        gc.unfreeze()
    return [results[i] for i in range(len(tasks))]


def _as_it_is(result: Any) -> Any:
    return result


def _tasks_taken(tasks: Sequence[Callable[[], Any]], counter) -> Iterator[tuple[int, Any]]:
    """Run the next task not yet taken by any process, until none is left: (index, result)."""
    while True:
        with counter.get_lock():
            index = counter.value
            counter.value += 1
        if index >= len(tasks):
            return
        yield index, tasks[index]()


def _worker_main(tasks: Sequence[Callable[[], Any]], counter, write: int) -> None:
    """A forked worker: send each result as it is done, then how it ended; leave without cleanup."""
    status = 0
    try:
        with os.fdopen(write, "wb", buffering=PIPE_BYTES) as pipe:
            try:
                for index, result in _tasks_taken(tasks, counter):
                    pickle.dump(("result", index, result), pipe, pickle.HIGHEST_PROTOCOL)
                    del result  # hold one result at a time, not all of them
                ending: tuple = ("done",)
            except ContentError as error:
                ending = ("content", list(error.diagnostics))
            except BaseException:  # noqa: BLE001 - reported by the parent
                ending = ("error", traceback.format_exc())
            pickle.dump(ending, pipe, pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 - the parent is gone or failed: nobody to report to
        status = 1
    os._exit(status)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


class _Worker:
    """The parent's side of one forked worker: a thread that takes in its results as they come."""

    def __init__(self, pid: int, read: int, take: Callable[[Any], Any]):
        self.pid = pid
        self._take = take
        self.results: dict[int, Any] = {}
        self.ending: tuple | None = None
        self._thread = threading.Thread(target=self._read, args=(read,), name=f"results of worker {pid}", daemon=True)
        self._thread.start()

    def _read(self, read: int) -> None:
        try:
            with os.fdopen(read, "rb", buffering=PIPE_BYTES) as pipe:
                while True:
                    message = pickle.load(pipe)
                    if message[0] != "result":
                        self.ending = message
                        return
                    self.results[message[1]] = self._take(message[2])
        except EOFError:  # the worker died before saying how it ended; `finish` reports it
            return
        except BaseException:  # noqa: BLE001 - re-raised by `finish` in the parent's thread
            self.ending = ("error", traceback.format_exc())

    def finish(self) -> dict[int, Any]:
        """Every result the worker sent, once it has ended; raise if it failed."""
        self._thread.join()
        _reap(self.pid)
        kind = self.ending[0] if self.ending else None
        if kind == "done":
            return self.results
        if kind == "content":
            raise ContentError(self.ending[1])
        if kind == "error":
            raise RuntimeError(f"a build worker failed:\n{self.ending[1]}")
        raise RuntimeError("a build worker exited without its results")

    def abandon(self) -> None:
        """Wait for a worker told to stop (the counter says no task is left) and drop its results."""
        self._thread.join()
        _reap(self.pid)
