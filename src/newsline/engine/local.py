"""A process pool on one machine (`newsline run --workers N`).

`workers <= 1` computes in this process, one task at a time (no pool, nothing pickled). With N workers the
tasks go to N worker processes, at most `2 * N` tasks in flight (see `Engine.imap`); results come back to
the caller, which stays the single writer of the store.

`init` (a picklable callable) runs once in each worker process when it starts: the pipeline loads the
spaCy model there, so a worker loads it once, and loading overlaps with reading the input.

A worker that dies (a segfault in a native library, the OOM killer) breaks the pool: the pool is
replaced and the items of the broken tasks are retried one by one, so only the item that kills its worker
fails. Workers start with the forkserver method because the parent holds a DuckDB connection with threads
of its own, which a plain fork would copy in an undefined state.

Workers do not re-import the caller's `__main__` (multiprocessing's forkserver and spawn methods do by
default): `newsline.run(..., workers=2)` must work from a plain script without an
`if __name__ == "__main__":` guard, from `python -c` and from a script read on stdin, where a re-imported
main module would run the whole script again in every worker (and break the pool). Task functions must
therefore live in an importable module, as newsline's do; `LocalEngine(import_main=True)` restores
multiprocessing's behaviour for functions defined in a guarded main script.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import multiprocessing
import multiprocessing.connection
import multiprocessing.context
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from newsline.engine.base import BatchFn, Done, Engine, Result

log = logging.getLogger(__name__)


def _exit_with_the_run() -> None:
    """A worker ends when the run's process does, even when that one is killed with SIGKILL (it cannot shut its
    pool down then, and the forkserver's workers would linger holding a model each): a daemon thread waits on
    the sentinel of the process that asked for this worker and exits when it becomes ready."""
    parent = multiprocessing.parent_process()
    sentinel = getattr(parent, "sentinel", None)
    if sentinel is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="newsline-run-watch", daemon=True).start()


# glibc's malloc, tuned for a process that runs spaCy: allocations below 32 MB come from the heap, and freed
# heap is handed back to the system only beyond 128 MB at its top. With glibc's defaults the model's arrays of
# each batch are mapped and unmapped again and again between the articles' own records: a run of 1,000
# articles took about 900,000 page faults (2.2 CPU-s in the kernel) against 115,000 (0.6 CPU-s) tuned, about
# 4 % of its CPU time, for some 40 MB more resident memory. (The corpus stages return memory explicitly.)
MMAP_THRESHOLD = 32 * 1024 * 1024
TRIM_THRESHOLD = 128 * 1024 * 1024


def tune_allocator() -> bool:
    """Apply the malloc settings above to this process (and what it forks); False where the C library is
    not glibc. For processes newsline owns: its worker processes and its command line."""
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3  # mallopt parameter numbers (malloc.h)
        return bool(libc.mallopt(m_mmap_threshold, MMAP_THRESHOLD)) and \
            bool(libc.mallopt(m_trim_threshold, TRIM_THRESHOLD))
    except (OSError, AttributeError):
        return False


def _stop_forkserver() -> None:
    """Stop multiprocessing's forkserver once the workers are gone: it holds the preloaded modules (about
    100 MB) for as long as this process lives otherwise, beside the corpus stages that come next. The next
    pool (here or elsewhere in the process) starts a new one. `_stop` is CPython's own (its tests use it);
    where it is missing the server is left running."""
    import multiprocessing.forkserver as fs

    with contextlib.suppress(AttributeError, OSError, ChildProcessError):
        fs._forkserver._stop()


_PREPARATION_LOCK = threading.Lock()


@contextlib.contextmanager
def _preparation_without_main() -> Iterator[None]:
    """While a worker process is launched: the preparation data multiprocessing sends it names no main module
    to re-import (`init_main_from_path`, `init_main_from_name`); the worker still gets sys.path and the rest.
    (multiprocessing offers no option for this: its `get_preparation_data` is wrapped for the launch, under a
    lock, and restored at once.)"""
    from multiprocessing import spawn

    original = spawn.get_preparation_data

    def without_main(name: str) -> dict[str, Any]:
        data = original(name)
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
        return data

    with _PREPARATION_LOCK:
        spawn.get_preparation_data = without_main
        try:
            yield
        finally:
            spawn.get_preparation_data = original


@functools.cache
def _mainless_popen(method: str) -> type:
    """multiprocessing's Popen class of `method` (forkserver or spawn), launching without the main module."""
    if method == "forkserver":
        from multiprocessing.popen_forkserver import Popen
    else:
        from multiprocessing.popen_spawn_posix import Popen

    class MainlessPopen(Popen):
        def _launch(self, process_obj: Any) -> None:
            with _preparation_without_main():
                super()._launch(process_obj)

    return MainlessPopen


if hasattr(multiprocessing.context, "ForkServerProcess"):  # POSIX (the Windows multiprocessing has spawn only)
    class _MainlessForkServerProcess(multiprocessing.context.ForkServerProcess):
        # module level: the process object is pickled to the forkserver, its class found by name there
        @staticmethod
        def _Popen(process_obj: Any) -> Any:
            return _mainless_popen("forkserver")(process_obj)

    class _MainlessSpawnProcess(multiprocessing.context.SpawnProcess):
        @staticmethod
        def _Popen(process_obj: Any) -> Any:
            return _mainless_popen("spawn")(process_obj)

    class _MainlessForkServerContext(multiprocessing.context.ForkServerContext):
        Process = _MainlessForkServerProcess

    class _MainlessSpawnContext(multiprocessing.context.SpawnContext):
        Process = _MainlessSpawnProcess


def _mp_context(import_main: bool) -> multiprocessing.context.BaseContext:
    """The multiprocessing context of the pool: the forkserver where there is one, else spawn; unless
    `import_main`, one whose processes do not re-import the main module."""
    forkserver = "forkserver" in multiprocessing.get_all_start_methods()
    if import_main or not hasattr(multiprocessing.context, "ForkServerProcess"):
        return multiprocessing.get_context("forkserver" if forkserver else "spawn")
    return _MainlessForkServerContext() if forkserver else _MainlessSpawnContext()


def _started() -> None:
    """A no-op task (see LocalEngine.start)."""


def _init_worker(init: Callable[[], Any] | None) -> None:
    _exit_with_the_run()
    tune_allocator()
    if init is not None:
        try:
            init()
        except Exception:  # the tasks will meet the same problem and record it per item
            log.exception("worker start-up failed")
    # what the worker holds from now on for its whole life (the model, dictionaries, gazetteer) leaves the
    # cyclic garbage collector's generations: its full collections no longer walk them (this process is ours,
    # so nothing frozen here is garbage someone else expected to be collected)
    gc.freeze()


class LocalEngine(Engine):
    name = "local"

    def __init__(self, workers: int = 1, preload: Sequence[str] = (), init: Callable[[], Any] | None = None,
                 max_in_flight: int | None = None, import_main: bool = False) -> None:
        """`preload`: modules the forkserver imports once (e.g. the one defining the task function).
        `import_main`: workers re-import the caller's main module (for task functions defined there; the
        script must then guard its work with `if __name__ == "__main__":`)."""
        self.workers = max(1, int(workers))
        self.import_main = import_main
        self.preload = list(preload)
        self.init = init
        self.max_in_flight = max_in_flight or (1 if self.workers == 1 else 2 * self.workers)
        self._pool: ProcessPoolExecutor | None = None

    def close(self) -> None:  # the engine can be used again: a later submit starts new workers
        if self._pool is not None:
            ctx = getattr(self._pool, "_mp_context", None)
            forked = ctx is not None and ctx.get_start_method() == "forkserver"
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            if forked:
                _stop_forkserver()

    def start(self) -> None:
        """Spawn every worker now: the pool would spawn them one by one at the first submits, after the
        caller has read its first batch; started here they load their model while it reads."""
        if self.workers == 1:
            return
        pool = self._executor()
        for _ in range(self.workers):  # one call per missing worker makes the pool spawn it
            pool.submit(_started)

    def submit(self, fn: BatchFn, items: list[Any], arg: Any) -> Result:
        if self.workers == 1:
            try:
                return Done(fn(items, arg))
            except Exception as exc:
                return Done(error=exc)
        return self._executor().submit(fn, items, arg)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ctx = _mp_context(self.import_main)
            if ctx.get_start_method() == "forkserver" and self.preload:
                ctx.set_forkserver_preload(self.preload)
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx,
                                             initializer=_init_worker, initargs=(self.init,))
        return self._pool

    def _collateral(self, exc: BaseException) -> bool:
        return isinstance(exc, BrokenProcessPool)

    def _failed(self, exc: BaseException) -> None:
        # a task of a pool already replaced fails too: replace the pool only when it is the broken one
        if isinstance(exc, BrokenProcessPool) and self._pool is not None and getattr(self._pool, "_broken", True):
            log.warning("a worker process died; starting new workers")
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
