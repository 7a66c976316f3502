"""Engines run per-article work: `local` (a process pool) or `dask` (a Dask cluster). See base.py."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from newsline.engine.base import Engine, Task

__all__ = ["Engine", "Task", "ENGINES", "make_engine"]

ENGINES = ("local", "dask")


def make_engine(kind: str = "local", workers: int = 1, *, scheduler: str | None = None,
                init: Callable[[], Any] | None = None, preload: Sequence[str] = ()) -> Engine:
    """An engine by name. `init` runs once per worker process (loads the spaCy model there)."""
    if kind == "local":
        if scheduler:
            raise ValueError("--scheduler needs --engine dask")
        from newsline.engine.local import LocalEngine

        return LocalEngine(workers, preload=preload, init=init)
    if kind == "dask":
        from newsline.engine.dask import DaskEngine

        return DaskEngine(workers, scheduler=scheduler, init=init)
    raise ValueError(f"unknown engine {kind!r}; one of {', '.join(ENGINES)}")
