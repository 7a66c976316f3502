"""Bounds every stage shares (a ground-floor module: ingest reads no further than the cleaner accepts)."""

from __future__ import annotations

# Larger documents are not news articles (dumps, logs, concatenations); refusing them keeps memory and
# time per document bounded. Overridable per run (`--max-bytes`).
MAX_BYTES = 10 * 1024 * 1024
