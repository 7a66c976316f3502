"""TEST ONLY: points where a run kills itself, so that tests can stop it at a precise moment.

With NEWSLINE_TEST_KILL_AT=<moment>[:<n>] the process kills itself with SIGKILL the n-th time (default the
first) it reaches `moment`; tests/test_kill_resume.py then checks what the next run makes of the store.
Moments: start (the run is recorded, nothing read), mid-batch (a batch processed, not written), commit
(right after a batch's commit), near-duplicates (duplicates written, events not), event-stage (events being
staged in Parquet beside the store, no transaction open), event-write (inside the transaction that loads them). Kept on the ground floor because the scheduler and the corpus stages both reach them.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Iterable, Iterator
from typing import TypeVar

log = logging.getLogger(__name__)

KILL_ENV = "NEWSLINE_TEST_KILL_AT"
_KILL_SEEN: dict[str, int] = {}
T = TypeVar("T")


def kill_point(moment: str) -> None:
    """Kill this process here when NEWSLINE_TEST_KILL_AT names `moment` (see the module docstring)."""
    wanted = os.environ.get(KILL_ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != moment:
        return
    _KILL_SEEN[moment] = seen = _KILL_SEEN.get(moment, 0) + 1
    if seen == int(nth or 1):
        log.warning("%s=%s: killing this process", KILL_ENV, wanted)
        os.kill(os.getpid(), signal.SIGKILL)


def kill_after_first(items: Iterable[T], moment: str) -> Iterable[T]:
    """The items, with the kill point `moment` reached once the first has been taken (e.g. inside the
    transaction that stores them); the items as they are when no kill is asked for."""
    if not os.environ.get(KILL_ENV):
        return items
    return _after_first(items, moment)


def _after_first(items: Iterable[T], moment: str) -> Iterator[T]:
    for i, item in enumerate(items):
        yield item
        if i == 0:
            kill_point(moment)
