"""A process pool for per-article work on one machine (`newsline run --workers N`).

`LocalEngine.map(fn, items, *args)` returns `[fn(item, *args) for item in items]`, in order, computed in
this process (workers <= 1) or in N worker processes. Results go back to the caller, which stays the
single writer of the store.

A worker that dies (a segfault in a native library, the OOM killer) or an item that raises costs only
that item: its chunk is retried item by item, and an item that fails on its own gets `on_error(item,
exc)` as its result. Workers start with the forkserver method because the parent holds a DuckDB
connection with threads of its own, which a plain fork would copy in an undefined state.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

log = logging.getLogger(__name__)

OnError = Callable[[Any, BaseException], Any]


def _run_chunk(fn: Callable[..., Any], chunk: Sequence[Any], args: tuple[Any, ...]) -> list[Any]:
    return [fn(item, *args) for item in chunk]


def _raise(item: Any, exc: BaseException) -> Any:
    raise exc


class LocalEngine:
    def __init__(self, workers: int = 1, preload: Sequence[str] = (), chunks_per_worker: int = 2) -> None:
        """`preload`: modules the workers import once at start (e.g. the one defining `fn`)."""
        self.workers = max(1, int(workers))
        self.preload = list(preload)
        self.chunks_per_worker = chunks_per_worker
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
            if ctx.get_start_method() == "forkserver" and self.preload:
                ctx.set_forkserver_preload(self.preload)
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx)
        return self._pool

    def _reset(self) -> None:
        """Drop a broken pool; the next call starts fresh workers."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def map(self, fn: Callable[..., Any], items: Sequence[Any], *args: Any,
            on_error: OnError = _raise) -> list[Any]:
        items = list(items)
        if not items:
            return []
        if self.workers == 1:
            return [self._call(fn, item, args, on_error) for item in items]
        size = max(1, -(-len(items) // (self.workers * self.chunks_per_worker)))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        futures = [self._executor().submit(_run_chunk, fn, chunk, args) for chunk in chunks]
        results: list[Any] = []
        for chunk, future in zip(chunks, futures, strict=True):
            results.extend(self._chunk_result(fn, chunk, future, args, on_error))
        return results

    @staticmethod
    def _call(fn: Callable[..., Any], item: Any, args: tuple[Any, ...], on_error: OnError) -> Any:
        try:
            return fn(item, *args)
        except Exception as exc:
            return on_error(item, exc)

    def _chunk_result(self, fn: Callable[..., Any], chunk: list[Any], future: Future, args: tuple[Any, ...],
                      on_error: OnError) -> list[Any]:
        try:
            return future.result()
        except Exception as exc:
            log.warning("a worker chunk of %d items failed (%s: %s); retrying them one by one",
                        len(chunk), type(exc).__name__, exc)
            if isinstance(exc, BrokenProcessPool):
                self._reset()
        return [self._retry(fn, item, args, on_error) for item in chunk]

    def _retry(self, fn: Callable[..., Any], item: Any, args: tuple[Any, ...], on_error: OnError) -> Any:
        try:
            return self._executor().submit(fn, item, *args).result()
        except Exception as exc:
            if isinstance(exc, BrokenProcessPool):
                self._reset()
            return on_error(item, exc)
