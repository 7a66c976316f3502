"""The engine interface: run a function over batches of items somewhere, results back in order.

    with make_engine("local", workers=4) as engine:                  # or "dask", scheduler="tcp://..."
        for task, results in engine.imap(process_batch, tasks, on_error=failed):
            write(task.items, results)                               # the caller stays the single writer

A task is `Task(items, arg)`; the engine computes `fn(items, arg)`, which returns one result per item.
`imap` pulls tasks lazily from the iterable and keeps at most `max_in_flight` of them submitted, so memory
stays bounded however long the input is, and yields `(task, results)` in task order. While the caller
handles one result the workers go on with the tasks already submitted.

Failure isolation: a task that raises, or whose worker dies (segfault, OOM killer), is retried item by
item; an item that fails on its own gets `on_error(item, exc)` as its result. Implementations provide
`submit` (returning anything with `.result()`) and may override `_failed` to recover (e.g. a broken pool).
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger(__name__)

OnError = Callable[[Any, BaseException], Any]
BatchFn = Callable[[list[Any], Any], list[Any]]


class Result(Protocol):
    def result(self) -> Any: ...


@dataclass(slots=True)
class Task:
    """`fn(items, arg)` to compute; `meta` travels with the task on the caller's side only."""

    items: list[Any]
    arg: Any = None
    meta: Any = field(default=None)


@dataclass(slots=True)
class Done:
    """An already computed result (tasks without items, in-process engines)."""

    value: Any = None
    error: BaseException | None = None

    def result(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.value


def raise_error(item: Any, exc: BaseException) -> Any:
    raise exc


def apply_each(items: list[Any], fn_args: tuple[Callable[..., Any], tuple[Any, ...]]) -> list[Any]:
    """`[fn(item, *args) for item in items]`: the batch form of a per-item function (used by `map`)."""
    fn, args = fn_args
    return [fn(item, *args) for item in items]


class Engine(ABC):
    """Where per-article work runs. Subclasses: LocalEngine (process pool), DaskEngine (distributed)."""

    name = "engine"
    workers: int = 1
    max_in_flight: int = 1

    # ------------------------------------------------------------------ to implement
    @abstractmethod
    def submit(self, fn: BatchFn, items: list[Any], arg: Any) -> Result:
        """Start `fn(items, arg)`; returns a future-like object."""

    def _failed(self, exc: BaseException) -> None:  # noqa: B027 (optional hook)
        """Called when a submitted task failed, before its items are retried one by one."""

    def _collateral(self, exc: BaseException) -> bool:
        """Whether `exc` may have hit a task for another task's fault (a worker that another item killed):
        then even a one-item task is tried once more."""
        return False

    def close(self) -> None:  # noqa: B027 (optional hook)
        """Release workers."""

    def start(self) -> None:  # noqa: B027 (optional hook)
        """Start the workers now (their start-up, a model load each, then overlaps the caller's own)."""

    def describe(self) -> str:
        return f"{self.name} engine, {self.workers} worker(s)"

    # ------------------------------------------------------------------ shared logic
    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def imap(self, fn: BatchFn, tasks: Iterable[Task], on_error: OnError = raise_error
             ) -> Iterator[tuple[Task, list[Any]]]:
        """`(task, fn(task.items, task.arg))` for each task, in order, with bounded work in flight."""
        source = iter(tasks)
        pending: deque[tuple[Task, Result]] = deque()
        exhausted = False
        while True:
            while not exhausted and len(pending) < max(1, self.max_in_flight):
                task = next(source, None)
                if task is None:
                    exhausted = True
                    break
                pending.append((task, self._start(fn, task)))
            if not pending:
                return
            task, future = pending.popleft()
            results = self._collect(fn, task, future, on_error)
            del future
            yield task, results

    def map(self, fn: Callable[..., Any], items: Sequence[Any], *args: Any, on_error: OnError = raise_error,
            chunks_per_worker: int = 2) -> list[Any]:
        """`[fn(item, *args) for item in items]` in order, spread over the workers in chunks."""
        items = list(items)
        if not items:
            return []
        size = max(1, -(-len(items) // (self.workers * chunks_per_worker)))
        tasks = (Task(items[i:i + size], (fn, args)) for i in range(0, len(items), size))
        return [r for _, results in self.imap(apply_each, tasks, on_error) for r in results]

    def _start(self, fn: BatchFn, task: Task) -> Result:
        if not task.items:
            return Done([])
        try:
            return self.submit(fn, task.items, task.arg)
        except Exception as exc:  # e.g. an argument that does not pickle
            return Done(error=exc)

    def _collect(self, fn: BatchFn, task: Task, future: Result, on_error: OnError) -> list[Any]:
        try:
            results = future.result()
            if len(results) != len(task.items):
                raise RuntimeError(f"{len(results)} results for {len(task.items)} items")
            return results
        except Exception as exc:
            if len(task.items) > 1:
                log.warning("a batch of %d items failed (%s: %s); retrying them one by one",
                            len(task.items), type(exc).__name__, exc)
            self._failed(exc)
            if len(task.items) == 1 and not self._collateral(exc):
                return [on_error(task.items[0], exc)]
        return [self._retry(fn, item, task.arg, on_error) for item in task.items]

    def _retry(self, fn: BatchFn, item: Any, arg: Any, on_error: OnError, attempts: int = 3) -> Any:
        for attempt in range(attempts):
            try:
                [result] = self._start(fn, Task([item], arg)).result()
                return result
            except Exception as exc:
                self._failed(exc)
                # a worker killed by another item's task: try again; the item's own failure: give up
                if attempt == attempts - 1 or not self._collateral(exc):
                    return on_error(item, exc)
        raise AssertionError("unreachable")
