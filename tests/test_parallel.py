"""Forked workers (`sitegen.parallel`): every result comes back, in order; a worker sends each
result as soon as it is done and keeps none; a worker's failure is the parent's."""

from __future__ import annotations

import multiprocessing
import os
import time
import weakref

import pytest

from sitegen import parallel
from sitegen.diagnostics import ContentError, Diagnostic


PARENT = os.getpid()


def _give_the_worker_a_turn() -> None:
    """Slow the parent's tasks down, so the forked worker surely takes some of them."""
    if os.getpid() == PARENT:
        time.sleep(0.02)


class Result:
    """A task's result that a weak reference can follow, with some bytes to carry."""

    def __init__(self, index: int, size: int):
        _give_the_worker_a_turn()
        self.index = index
        self.pid = os.getpid()
        self.payload = bytes([index % 251]) * size
        self.previous_alive: bool | None = None


def test_every_result_comes_back_in_order_though_they_outweigh_the_pipe():
    size = 3 * parallel.PIPE_BYTES // 100  # a hundred tasks: three times what the pipe holds
    tasks = [lambda i=i: Result(i, size) for i in range(100)]
    results = parallel.run_tasks(tasks, jobs=2, min_tasks=0)
    assert [r.index for r in results] == list(range(100))
    assert all(r.payload == bytes([r.index % 251]) * size for r in results)
    assert {r.pid for r in results} - {os.getpid()}, "a forked worker ran some of the tasks"


@pytest.mark.parametrize("jobs", [1, 2])
def test_take_swaps_each_result_in_the_parent_as_it_comes(jobs):
    """`take` sees every result once, in the parent, whoever ran the task, and what it returns
    is what `run_tasks` gives back."""
    taken: list[tuple[int, int, int]] = []
    worker_ran = multiprocessing.Value("i", 0)

    def task(i: int) -> Result:
        if os.getpid() != PARENT:
            worker_ran.value = 1
        elif jobs > 1:  # wait for the worker to run one, however slowly it starts
            deadline = time.monotonic() + 10
            while not worker_ran.value and time.monotonic() < deadline:
                time.sleep(0.01)
        return Result(i, 10)

    def take(result: Result) -> tuple[int, int]:
        taken.append((result.index, result.pid, os.getpid()))
        return result.index, result.pid

    results = parallel.run_tasks([lambda i=i: task(i) for i in range(80)], jobs=jobs, min_tasks=0, take=take)
    assert [index for index, _ in results] == list(range(80))
    assert sorted(index for index, _, _ in taken) == list(range(80))
    assert {taker for _, _, taker in taken} == {PARENT}
    ran = {pid for _, pid in results}
    assert bool(ran - {PARENT}) == (jobs > 1), "with two jobs, a forked worker ran some (or all) of them"


def test_a_worker_lets_go_of_each_result_once_it_is_sent():
    """The worker keeps no result: by the time it runs its next task, the last one is gone."""
    last: list[weakref.ref] = []

    def task(i: int) -> Result:
        result = Result(i, 200_000)
        result.previous_alive = last[-1]() is not None if last else None
        last.append(weakref.ref(result))
        return result

    results = parallel.run_tasks([lambda i=i: task(i) for i in range(60)], jobs=2, min_tasks=0)
    by_worker = [r for r in results if r.pid != os.getpid()]
    assert len(by_worker) > 1
    assert [r.previous_alive for r in by_worker[1:]] == [False] * (len(by_worker) - 1)


def _fail_in_worker(kind: str):
    if os.getpid() == PARENT:
        _give_the_worker_a_turn()
        return "parent"
    if kind == "content":
        raise ContentError([Diagnostic("templates/page.html", 3, "template error", "a hint")])
    raise ValueError("no such page")



@pytest.mark.parametrize("kind", ["content", "other"])
def test_a_failure_in_the_worker_is_raised_in_the_parent(kind):
    tasks = [lambda: _fail_in_worker(kind) for _ in range(40)]
    if kind == "content":
        with pytest.raises(ContentError) as error:
            parallel.run_tasks(tasks, jobs=2, min_tasks=0)
        assert [str(d) for d in error.value.diagnostics] == [str(Diagnostic("templates/page.html", 3, "template error", "a hint"))]
    else:
        with pytest.raises(RuntimeError, match=r"(?s)a build worker failed:.*ValueError: no such page"):
            parallel.run_tasks(tasks, jobs=2, min_tasks=0)

