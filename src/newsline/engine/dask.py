"""Per-article work on a Dask cluster (`newsline run --engine dask [--scheduler tcp://host:8786]`).

Without a scheduler address a `LocalCluster` of `workers` single-threaded worker processes starts on this
machine. Batches of documents go to the cluster with `client.submit` (at most two per worker thread in
flight, see `Engine.imap`); results come back in order to this process, the single writer of the store,
which then runs the corpus stages over it.

The workers need newsline and the spaCy model installed (the same versions as here). `init` runs once on
every worker as a WorkerPlugin (also on workers that join later): the pipeline loads the spaCy model there
into a per-process cache, so each worker loads it once. A worker that dies is replaced by Dask and its
task retried; a task that keeps failing (`KilledWorker`) has its items retried one by one, so one
poisonous document costs itself only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from newsline.engine.base import BatchFn, Engine, Result

log = logging.getLogger(__name__)


class EngineUnavailable(RuntimeError):
    pass


def _plugin(init: Callable[[], Any], tune: bool):
    from distributed.diagnostics.plugin import WorkerPlugin

    class NewslineWorker(WorkerPlugin):
        """Loads newsline's per-worker state (the spaCy model) when a worker starts; on the LocalCluster that
        newsline starts itself, also tunes the worker's allocator as the local engine does (see
        engine/local.py: on a cluster of your own, set MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_)."""

        name = "newsline-worker"

        def __init__(self, init: Callable[[], Any], tune: bool) -> None:
            self.init = init
            self.tune = tune

        def setup(self, worker) -> None:
            if self.tune:
                from newsline.engine.local import tune_allocator

                tune_allocator()
            try:
                self.init()
            except Exception:  # tasks meet the same problem and record it per document
                log.exception("newsline worker start-up failed on %s", getattr(worker, "address", "?"))

    return NewslineWorker(init, tune)


class DaskEngine(Engine):
    name = "dask"

    def __init__(self, workers: int = 1, scheduler: str | None = None, init: Callable[[], Any] | None = None,
                 max_in_flight: int | None = None, tasks_per_thread: int = 2,
                 connect_timeout: float = 60) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise EngineUnavailable("the dask engine needs dask.distributed: pip install 'newsline[dask]'") from exc
        self.cluster = None
        if not log.isEnabledFor(logging.DEBUG):  # Dask's own INFO lines (workers starting...) only with -vv
            logging.getLogger("distributed").setLevel(logging.WARNING)
        if scheduler:
            self.client = Client(scheduler, timeout=connect_timeout)
            self.client.wait_for_workers(1, timeout=connect_timeout)
        else:
            # dashboard on a free port (":8787" may be taken by another cluster on this machine)
            self.cluster = LocalCluster(n_workers=max(1, int(workers)), threads_per_worker=1, processes=True,
                                        dashboard_address=":0", silence_logs=logging.WARNING)
            self.client = Client(self.cluster)
        if init is not None:
            self.client.register_plugin(_plugin(init, tune=self.cluster is not None))
        threads = sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values())
        self.workers = max(1, threads)
        self.max_in_flight = max_in_flight or tasks_per_thread * self.workers
        log.info("dask engine: %s, %d worker thread(s)", self.client.scheduler.address, self.workers)

    def describe(self) -> str:
        where = "local cluster" if self.cluster is not None else self.client.scheduler.address
        return f"dask engine ({where}), {self.workers} worker thread(s)"

    def submit(self, fn: BatchFn, items: list[Any], arg: Any) -> Result:
        return self.client.submit(fn, items, arg, pure=False)

    def _collateral(self, exc: BaseException) -> bool:
        from distributed.scheduler import KilledWorker

        return isinstance(exc, KilledWorker | OSError)  # a worker died, or the connection to it broke

    def close(self) -> None:
        if self.client is None:
            return
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None
