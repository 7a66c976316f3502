"""Bytes to text: encoding detection and mojibake repair, with a clear error for what is not text."""

from __future__ import annotations

import ftfy
from charset_normalizer import from_bytes


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


def _looks_binary(data: bytes) -> str | None:
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            return what
    sample = data[:8192]
    if b"\x00" in sample and not (sample.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return "binary content (NUL bytes)"
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if sample and control / len(sample) > _MAX_CONTROL_SHARE:
        return "binary content (control characters)"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode `data` to text; returns (text, encoding). Raises NotTextError for binary content.

    UTF-8 is tried first because it is by far the most common and strict decoding rarely succeeds by
    accident; otherwise charset-normalizer guesses (cp1252, latin-1, …). ftfy then repairs mojibake
    that a wrong encoding upstream left in the text ("donâ€™t" -> "don’t").
    """
    why = _looks_binary(data)
    if why:
        raise NotTextError(why)
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        best = from_bytes(data[:200_000]).best()
        if best is None:
            raise NotTextError("undecodable bytes (no text encoding fits)") from None
        encoding = best.encoding
        text = data.decode(encoding, errors="replace")
    # keep typographic quotes: they are the source text, and offsets downstream point into it
    return ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False), encoding
