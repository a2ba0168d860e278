"""Run a build's independent tasks (pages to render, data to export) on every core, with fork.

The tasks are closures over the model, which forked workers share with the parent without
copying or pickling it; only each task's result travels back, pickled, through a pipe. Workers
take the next task from a shared counter, so a slow page does not hold the others up; give the
tasks biggest first. A worker's failure becomes the parent's: a ContentError (a template
mistake) keeps its diagnostics, anything else is re-raised as a RuntimeError with the
worker's traceback.

Only for a process with no other threads (forking copies one thread; a lock another thread
held would stay locked in the child). Without `os.fork`, or with one job, tasks run in turn.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import traceback
from typing import Any, Callable, Sequence

from .diagnostics import ContentError

MIN_TASKS = 64
"""Fewer tasks than this run in turn: forking costs more than it saves on a small site."""


def default_jobs() -> int:
    """One worker per core the process may use (the parent counts as one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def run_tasks(tasks: Sequence[Callable[[], Any]], jobs: int | None = None, min_tasks: int = MIN_TASKS) -> list[Any]:
    """Every task's result, in the order of `tasks`; in turn when there are fewer than `min_tasks`
    (or than two)."""
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1 or len(tasks) < max(min_tasks, 2) or not hasattr(os, "fork"):
        return [task() for task in tasks]
    counter = multiprocessing.Value("l", 0, lock=True)
    gc.freeze()  # keep the collector from touching (and so copying) the shared objects
    workers = []
    try:
        for _ in range(jobs - 1):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # a worker: run tasks, send the results, and leave without cleanup
                os.close(read)
                status = 0
                try:
                    payload = pickle.dumps(("ok", _work(tasks, counter)), pickle.HIGHEST_PROTOCOL)
                except ContentError as error:
                    payload = pickle.dumps(("content", list(error.diagnostics)))
                except BaseException:  # noqa: BLE001 - reported by the parent
                    payload = pickle.dumps(("error", traceback.format_exc()))
                try:
                    with os.fdopen(write, "wb") as pipe:
                        pipe.write(payload)
                except BaseException:  # noqa: BLE001
                    status = 1
                os._exit(status)
            os.close(write)
            workers.append((pid, read))
        results: dict[int, Any] = dict(_work(tasks, counter))
        for pid, read in workers:
            with os.fdopen(read, "rb") as pipe:
                data = pipe.read()
            os.waitpid(pid, 0)
            if not data:
                raise RuntimeError("a build worker exited without its results")
            kind, value = pickle.loads(data)
            if kind == "content":
                raise ContentError(value)
            if kind == "error":
                raise RuntimeError(f"a build worker failed:\n{value}")
            results.update(value)
        workers = []
    finally:
        if workers:  # the parent failed first: stop the workers, and do not leave them behind
            with counter.get_lock():
                counter.value = len(tasks)
        for pid, read in workers:
            try:
                os.close(read)
            except OSError:
                pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        gc.unfreeze()
    return [results[i] for i in range(len(tasks))]


def _work(tasks: Sequence[Callable[[], Any]], counter) -> list[tuple[int, Any]]:
    done = []
    while True:
        with counter.get_lock():
            index = counter.value
            counter.value += 1
        if index >= len(tasks):
            return done
        done.append((index, tasks[index]()))
