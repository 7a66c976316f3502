"""The single writer of a run, in a thread of its own: batches are written in order while the caller goes on.

    with BatchWriter(write) as writer:          # write(batch) commits one batch
        for batch in batches:
            writer.put(batch)                   # returns at once unless a batch already waits
    # leaving the block waits until every batch is written, and raises the writer's error if it had one

Why: the caller of `Engine.imap` hands the workers new tasks only between two results; when it also writes
each batch to the store, the workers run dry while it writes. In a thread the write overlaps the workers'
work (DuckDB releases the GIL for its own), and the caller keeps the engine supplied.

Memory stays bounded: at most one batch waits while another is written (`put` blocks until the one waiting
is taken). Order is kept (one thread, a FIFO). After the writer fails, `put` raises its error at once and
no later batch is written, so what is stored stays a prefix of the batches, as when the caller writes.
`threaded=False` writes in the caller's thread, in `put` (nothing to overlap with: e.g. one worker that
runs in the caller's thread).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

_STOP = object()


class BatchWriter:
    def __init__(self, write: Callable[[Any], None], threaded: bool = True, waiting: int = 1) -> None:
        self._write = write
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=max(1, waiting))
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="newsline-writer", daemon=True) \
            if threaded else None

    def __enter__(self) -> BatchWriter:
        if self._thread is not None:
            self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        self.close(raise_error=exc_type is None)

    def put(self, batch: Any) -> None:
        """Write `batch` after the ones put before it; raises the error of an earlier write."""
        self._raise()
        if self._thread is None:
            self._write(batch)
            return
        while True:  # wait for room, but not on a writer that stopped with an error
            try:
                self._queue.put(batch, timeout=0.5)
                return
            except queue.Full:
                self._raise()

    def close(self, raise_error: bool = True) -> None:
        """Wait until the batches put so far are written (or the writer failed); then raise its error."""
        if self._thread is not None and self._thread.is_alive():
            while self._thread.is_alive():
                try:
                    self._queue.put(_STOP, timeout=0.5)
                    break
                except queue.Full:
                    continue
            self._thread.join()
        if raise_error:
            self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _loop(self) -> None:
        while True:
            batch = self._queue.get()
            if batch is _STOP:
                return
            try:
                self._write(batch)
            except BaseException as exc:  # handed to the caller's thread, which raises it
                self._error = exc
                return
