"""Corpus evidence for the cleaner, gathered by the run as documents stream past: in how many documents each
line occurs (a line on many pages of a site is its chrome).

Light on purpose: the run's own process counts lines while its workers clean, and must not load the
cleaner's libraries (trafilatura, ftfy, charset detection) to do it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from newsline.clean.lines import MIN_DOCS, line_keys
from newsline.records import RawDocument

log = logging.getLogger(__name__)


def quick_decode(content: bytes) -> str:
    """Bytes as text for counting lines: UTF-8, else cp1252. Exact decoding (charset detection, mojibake
    repair: `newsline.clean.decode`) is the cleaner's, in the workers; line keys are words only, which
    this decodes alike for the pages that share chrome."""
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


class LineCounter:
    """`newsline.clean.recurring_lines` accumulated over a whole run, batch after batch, in bounded memory:
    lines longer than `max_key_len` are not counted (chrome lines are short; long recurring lines are
    syndicated body text), and when more than `max_keys` lines are tracked, those seen in a single document
    are forgotten."""

    def __init__(self, min_docs: int = MIN_DOCS, max_keys: int = 200_000, max_key_len: int = 300) -> None:
        self.min_docs = min_docs
        self.max_keys = max_keys
        self.max_key_len = max_key_len
        self._counts: dict[str, int] = {}
        self._recurring: set[str] = set()

    def add(self, doc: RawDocument) -> set[str]:
        """Count the document's lines; returns their keys (the lines the counter tracks)."""
        if doc.error or doc.content_type == "html" or not doc.content:
            return set()
        text = quick_decode(doc.content)
        if text.lstrip().startswith("<"):  # HTML is cleaned by extraction, not by line evidence
            return set()
        keys = {key for key in line_keys(text) if len(key) <= self.max_key_len}
        for key in keys:
            n = self._counts.get(key, 0) + 1
            self._counts[key] = n
            if n >= self.min_docs:
                self._recurring.add(key)
        if len(self._counts) > self.max_keys:
            self._prune()
        return keys

    def _prune(self) -> None:
        self._counts = {k: n for k, n in self._counts.items() if n > 1}
        if len(self._counts) > self.max_keys * 0.9:
            self._counts = {k: n for k, n in self._counts.items() if n >= self.min_docs}
        log.debug("line counter pruned to %d keys", len(self._counts))

    def recurring(self, among: Iterable[str] | None = None) -> frozenset[str]:
        """Recurring line keys; `among`: only those of these keys (the lines of the documents at hand)."""
        if among is None:
            return frozenset(self._recurring)
        return frozenset(k for k in among if k in self._recurring)
