"""Bytes to text: encoding detection and mojibake repair, with a clear error for what is not text."""

from __future__ import annotations

import re
import unicodedata

import ftfy
from charset_normalizer import from_bytes

from newsline.clean.encodings import SAMPLE, wide_encoding


class NotTextError(ValueError):
    """The content is binary or otherwise not readable as text."""


# Share of control characters (other than whitespace) above which content is treated as binary.
_MAX_CONTROL_SHARE = 0.02
_MAGIC = {
    b"%PDF": "PDF document",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"PK\x03\x04": "ZIP archive",
    b"\x7fELF": "ELF executable",
    b"\x1f\x8b": "gzip data (not decompressed)",
}


# What UTF-8 text looks like after a wrong decoding as latin-1/cp1252 upstream: a UTF-8 lead byte shown as
# Â/Ã/â/Ð/Ñ/Å followed by a continuation byte shown as a C1 or cp1252 punctuation character. ftfy is
# slow on 200 KB pages (tens of ms), so it runs only when such a pair is present.
_MOJIBAKE = re.compile(
    "[\u00c2\u00c3\u00c5\u00ce\u00cf\u00d0\u00d1\u00e2\u00d8\u00d9][\u0080-\u00bf"
    "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2022\u2026"
    "\u2030\u2039\u203a\u20ac\u2122]"
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
# byte classes counted per document (a regex counts them in C, a generator over bytes does not)
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")
_HIGH_BYTES = re.compile(rb"[\x80-\xff]")


def repair(text: str) -> str:
    """Mojibake repair (ftfy) where there are signs of it; NFC and no stray control characters always."""
    if _MOJIBAKE.search(text):
        # keep typographic quotes: they are the source text, and offsets downstream point into it
        return ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))


# what random bytes decoded as UTF-16 are full of: replacement characters, private-use code points, controls
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ue000-\uf8ff\ufffd]")


def _mostly_control(sample: str) -> bool:
    return bool(sample) and len(_NOT_TEXT.findall(sample)) / len(sample) > _MAX_CONTROL_SHARE


def _looks_binary(data: bytes) -> str | None:
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            return what
    sample = data[:8192]
    if b"\x00" in sample and not (sample.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return "binary content (NUL bytes)"
    control = len(_CONTROL_BYTES.findall(sample))
    if sample and control / len(sample) > _MAX_CONTROL_SHARE:
        return "binary content (control characters)"
    return None


def _mostly_ascii_cp1252(data: bytes) -> str | None:
    """cp1252 text when the bytes are mostly ASCII and decode as cp1252, else None.

    Mostly-ASCII pages that are not UTF-8 are overwhelmingly Western pages in cp1252 (accents, curly
    quotes, dashes). Statistical detectors need more non-ASCII evidence than such a page has and then
    guess Cyrillic or other code pages, so this common case is decided first.
    """
    sample = data[:200_000]
    high = len(_HIGH_BYTES.findall(sample))
    if high > 0.2 * len(sample):  # Cyrillic, Greek, Arabic code pages: most letters are high bytes
        return None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined (0x81, 0x8d, …)
        return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode `data` to text; returns (text, encoding). Raises NotTextError for binary content.

    UTF-16/32 (with a byte-order mark, or UTF-16 of Latin text without one) is told apart first, since
    its NUL bytes would otherwise read as binary. UTF-8 is tried next because it is by far the most common and strict decoding rarely succeeds by
    accident; otherwise charset-normalizer guesses (cp1252, latin-1, …). ftfy then repairs mojibake
    that a wrong encoding upstream left in the text ("donâ€™t" -> "don’t").
    """
    wide = wide_encoding(data[:SAMPLE])
    if wide is not None:
        text = data.decode(wide, errors="replace")
        if not _mostly_control(text[:8192]):
            return repair(text), wide
    why = _looks_binary(data)
    if why:
        raise NotTextError(why)
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text = _mostly_ascii_cp1252(data)
        if text is not None:
            return repair(text), "cp1252"
        best = from_bytes(data[:200_000]).best()
        if best is None:
            raise NotTextError("undecodable bytes (no text encoding fits)") from None
        encoding = best.encoding
        text = data.decode(encoding, errors="replace")
    return repair(text), encoding
