"""UTF-16 and UTF-32 text: told from its byte-order mark, or from the NUL bytes of ASCII text without one.

A light module (standard library only): the JSONL reader transcodes such streams line by line, and the
cleaner decodes such documents, with the same rule.
"""

from __future__ import annotations

# longest marks first: the UTF-32-LE mark starts with the UTF-16-LE one
_BOMS = ((b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe\x00\x00", "utf-32"),
         (b"\xfe\xff", "utf-16"), (b"\xff\xfe", "utf-16"))
# share of the bytes at one parity that are NUL, above which text is UTF-16 of mostly ASCII/Latin letters
_NUL_SHARE = 0.4
SAMPLE = 4096


def wide_encoding(head: bytes) -> str | None:
    """The codec of `head` when it is UTF-16/32 text (`utf-16`/`utf-32` read their own mark), else None.

    Without a mark only UTF-16 of mostly Latin text is recognised (every other byte NUL), which is what
    Windows tools write; it is confirmed by decoding the sample strictly.
    """
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    sample = head[:SAMPLE - SAMPLE % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for codec, nuls, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nuls.count(0) > _NUL_SHARE * len(nuls) and other.count(0) < 0.01 * len(other) + 1:
            try:
                sample.decode(codec)
            except UnicodeDecodeError:  # a surrogate pair cut at the sample's end, or not UTF-16 at all
                if not _decodes_but_last(sample, codec):
                    return None
            return codec
    return None


def _decodes_but_last(sample: bytes, codec: str) -> bool:
    try:
        sample[:-2].decode(codec)
    except UnicodeDecodeError:
        return False
    return True
