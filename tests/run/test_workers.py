"""run.workers: a few worker processes fed through pipes, results taken in the order given."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from dedup.run.workers import PIPE_BYTES, Workers

_context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
_started: list[str] = []


def _start(tag: str) -> None:
    _started.append(tag)


def _square_with_pid(n: int) -> tuple[int, int, list[str]]:
    return n * n, os.getpid(), list(_started)


def _fail_on_three(n: int) -> int:
    if n == 3:
        raise ValueError("three")
    return n


def _die(n: int) -> int:
    os._exit(3)


def _long(n: int) -> bytes:
    return bytes([n]) * (3 * PIPE_BYTES + n)


def test_results_come_back_in_the_order_given_from_every_worker() -> None:
    with Workers(_context, 2, _square_with_pid, _start, ("started",)) as pool:
        tickets = [pool.give(n) for n in range(20)]
        results = [ticket.get() for ticket in tickets]
    assert [square for square, _, _ in results] == [n * n for n in range(20)]
    assert len({pid for _, pid, _ in results}) == 2  # both took part
    assert all(started == ["started"] for _, _, started in results)  # each started once
    assert os.getpid() not in {pid for _, pid, _ in results}


def test_results_longer_than_a_pipe_arrive_whole() -> None:
    with Workers(_context, 1, _long, _start, ("x",)) as pool:
        tickets = [pool.give(n) for n in range(4)]
        assert [ticket.get() for ticket in tickets] == [_long(n) for n in range(4)]


def test_an_error_in_a_job_is_raised_where_its_result_is_taken() -> None:
    with Workers(_context, 1, _fail_on_three, _start, ("x",)) as pool:
        tickets = [pool.give(n) for n in range(5)]
        assert [ticket.get() for ticket in tickets[:3]] == [0, 1, 2]
        with pytest.raises(ValueError, match="three"):
            tickets[3].get()


def test_a_worker_that_dies_is_an_error_not_a_wait() -> None:
    with (
        pytest.raises(RuntimeError, match="a worker process died"),
        Workers(_context, 1, _die, _start, ("x",)) as pool,
    ):
        pool.give(1).get()


def test_workers_are_gone_once_the_block_is_left() -> None:
    with Workers(_context, 2, _square_with_pid, _start, ("x",)) as pool:
        ticket = pool.give(2)
        while not ticket.ready():
            time.sleep(0.01)
        assert ticket.get()[0] == 4
    assert not _context.active_children()


def test_finished_workers_do_the_tasks_given_then_exit_before_the_block_is_left() -> None:
    """``finish``, told as soon as the last task is given (a run's end): each worker does what it
    was given, sends it, and exits without waiting to be joined; no task may follow."""
    with Workers(_context, 2, _square_with_pid, _start, ("x",)) as pool:
        tickets = [pool.give(n) for n in range(6)]
        pool.finish()
        pool.finish()  # (once told, told)
        assert [ticket.get()[0] for ticket in tickets] == [n * n for n in range(6)]
        deadline = time.monotonic() + 30
        while _context.active_children() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not _context.active_children()
        with pytest.raises(RuntimeError, match="nothing more to do"):
            pool.give(7)
