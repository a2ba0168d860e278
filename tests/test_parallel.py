"""Forked workers (`sitegen.parallel`): every result comes back, in order; workers take tasks
from the front and the parent from the back; with a memory limit, a worker that holds more of
its own is replaced by a fresh fork; a worker's failure is the parent's, and no worker is left
behind."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from sitegen import parallel
from sitegen.diagnostics import ContentError, Diagnostic


PARENT = os.getpid()


def _give_the_worker_a_turn(seconds: float = 0.02) -> None:
    """Slow the parent's tasks down, so the forked worker surely takes some of them."""
    if os.getpid() == PARENT:
        time.sleep(seconds)


class Result:
    """A task's result that a weak reference can follow, with some bytes to carry."""

    def __init__(self, index: int, size: int):
        _give_the_worker_a_turn()
        self.index = index
        self.pid = os.getpid()
        self.payload = bytes([index % 251]) * size


def _all_reaped(pids: list[int]) -> bool:
    """No worker is left running or unreaped (a zombie)."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return bool(pids)


def test_every_result_comes_back_in_order_though_they_outweigh_the_pipe(forked):
    size = 3 * parallel.PIPE_BYTES // 100  # a hundred tasks: three times what the pipe holds
    tasks = [lambda i=i: Result(i, size) for i in range(100)]
    results = parallel.run_tasks(tasks, jobs=2, min_tasks=0)
    assert [r.index for r in results] == list(range(100))
    assert all(r.payload == bytes([r.index % 251]) * size for r in results)
    by_worker = [r.index for r in results if r.pid != PARENT]
    by_parent = [r.index for r in results if r.pid == PARENT]
    assert by_worker, "a forked worker ran some of the tasks"
    assert by_worker == list(range(len(by_worker))), "the worker took them from the front"
    assert by_parent == list(range(len(by_worker), 100)), "and the parent from the back"
    assert _all_reaped(forked)


@pytest.mark.parametrize("jobs", [1, 2])
def test_take_swaps_each_result_in_the_parent_as_it_comes(jobs):
    """`take` sees every result once, in the parent, whoever ran the task, and what it returns
    is what `run_tasks` gives back."""
    taken: list[tuple[int, int, int]] = []

    def take(result: Result) -> tuple[int, int]:
        taken.append((result.index, result.pid, os.getpid()))
        return result.index, result.pid

    worker_ran = multiprocessing.Value("i", 0)

    def task(i: int) -> Result:
        if os.getpid() != PARENT:
            worker_ran.value = 1
        elif jobs > 1:  # wait for the worker to run one, however slowly it starts
            deadline = time.monotonic() + 10
            while not worker_ran.value and time.monotonic() < deadline:
                time.sleep(0.01)
        return Result(i, 10)

    results = parallel.run_tasks([lambda i=i: task(i) for i in range(80)], jobs=jobs, min_tasks=0, take=take)
    assert [index for index, _ in results] == list(range(80))
    assert sorted(index for index, _, _ in taken) == list(range(80))
    assert {taker for _, _, taker in taken} == {PARENT}
    ran = {pid for _, pid in results}
    assert bool(ran - {PARENT}) == (jobs > 1), "with two jobs, a forked worker ran some (or all) of them"


def test_the_system_tells_a_process_its_own_memory():
    held = parallel.own_memory()
    assert held is not None and held > 0
    ballast = bytearray(32 << 20)  # written, so the pages are this process's own
    assert parallel.own_memory() >= held + (30 << 20)
    del ballast


_kept_in_worker: list[bytearray] = []


def _grow(index: int) -> tuple[int, int, int | None]:
    """In a worker, keep 4 MiB more (like the copies a worker makes of the model it reads)."""
    if os.getpid() == PARENT:
        time.sleep(0.1)
        return index, PARENT, None
    _kept_in_worker.append(bytearray(4 << 20))
    return index, os.getpid(), parallel.own_memory()


def test_a_worker_holding_more_than_its_limit_is_replaced_by_a_fresh_fork(monkeypatch, forked):
    monkeypatch.setattr(parallel, "CHECK_SECONDS", 0.0)  # look after every task
    limit = 20 << 20  # a fresh fork holds 1-2 MiB of its own
    results = parallel.run_tasks([lambda i=i: _grow(i) for i in range(60)], jobs=2, min_tasks=0, worker_memory=limit)
    assert [index for index, _, _ in results] == list(range(60))
    workers: dict[int, list[int]] = {}
    for _, pid, held in results:
        if pid != PARENT:
            workers.setdefault(pid, []).append(held)
    ran = sum(len(held) for held in workers.values())
    assert ran >= 30, "the parent sleeps, the workers run most of them"
    for held in workers.values():
        assert len(held) <= 6, "a worker runs at most six tasks before it is over the limit"
        # Over the limit once, by at most the task that crossed it: then it is gone.
        assert sum(h > limit for h in held) <= 1
        assert max(held) <= limit + (8 << 20)
    assert len(workers) >= ran / 6
    assert _all_reaped(forked)


def test_without_a_limit_a_worker_lasts_until_the_end():
    results = parallel.run_tasks([lambda i=i: _grow(i) for i in range(30)], jobs=2, min_tasks=0)
    workers = {pid for _, pid, _ in results} - {PARENT}
    assert len(workers) == 1, "one worker for two jobs, never replaced"
    assert max(held for _, pid, held in results if pid != PARENT) > 40 << 20


def _fail_in_worker(kind: str, index: int):
    if os.getpid() == PARENT:
        _give_the_worker_a_turn()
        return "parent"
    if kind == "content":
        raise ContentError([Diagnostic("templates/page.html", 3, "template error", "a hint")])
    if kind == "lost":
        os._exit(3)
    raise ValueError("no such page")


@pytest.mark.parametrize("kind", ["content", "other", "lost"])
def test_a_failure_in_a_worker_is_raised_in_the_parent(kind, forked):
    tasks = [lambda i=i: _fail_in_worker(kind, i) for i in range(40)]
    if kind == "content":
        with pytest.raises(ContentError) as error:
            parallel.run_tasks(tasks, jobs=2, min_tasks=0)
        assert [str(d) for d in error.value.diagnostics] == [str(Diagnostic("templates/page.html", 3, "template error", "a hint"))]
    elif kind == "other":
        with pytest.raises(RuntimeError, match=r"(?s)a build worker failed:.*ValueError: no such page"):
            parallel.run_tasks(tasks, jobs=2, min_tasks=0)
    else:
        with pytest.raises(RuntimeError, match="a build worker exited without its results"):
            parallel.run_tasks(tasks, jobs=2, min_tasks=0)
    assert _all_reaped(forked)


def test_a_failure_in_the_parent_stops_the_workers(forked):
    def take(result: Result) -> Result:
        if result.index == 5:
            raise KeyError("the parent's own mistake")
        return result

    with pytest.raises(KeyError):
        parallel.run_tasks([lambda i=i: Result(i, 1000) for i in range(400)], jobs=2, min_tasks=0, take=take)
    assert _all_reaped(forked)
