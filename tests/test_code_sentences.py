"""The coder on the table of sentences written for its tests (tests/fixtures/coder_sentences.yaml): each
sentence and the mentions it must give."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

pytest.importorskip("newsline.annotate.nlp")

from coder_helpers import code, names  # noqa: E402
from newsline.records import EventMention  # noqa: E402

pytestmark = pytest.mark.usefixtures("rules_only")  # the rule components, without the learned steps

ROWS = yaml.safe_load((Path(__file__).parent / "fixtures" / "coder_sentences.yaml").read_text(encoding="utf-8"))
FIELDS = {"type": "event_type", "mode": "mode", "status": "status", "attribution": "attribution", "date": "date"}


def observed(m: EventMention, want: dict[str, Any]) -> dict[str, Any]:
    """The fields of mention `m` that the expected mention `want` pins, shaped as the table writes them."""
    got: dict[str, Any] = {}
    for key in want:
        if key in FIELDS:
            got[key] = getattr(m, FIELDS[key])
        elif key in ("actor", "recipient"):
            got[key] = names(getattr(m, key))
        elif key == "place":
            got[key] = m.event_loc.extracted_place if m.event_loc is not None else None
        elif key == "trigger":
            got[key] = m.evidence[0].trigger
        elif key == "size":
            got[key] = {k: getattr(m.size, k) for k in want["size"]}
        else:
            raise KeyError(f"unknown field {key!r} in coder_sentences.yaml")
    return got


@pytest.mark.parametrize("row", ROWS, ids=[r["name"] for r in ROWS])
def test_sentence(row: dict[str, Any]) -> None:
    times = {phrase: tuple(v) for phrase, v in (row.get("times") or {}).items()}
    kw: dict[str, Any] = {"times": times}
    if "published" in row:
        kw["published"] = row["published"]
    ms = code(row["text"], **kw)
    if row.get("only"):
        ms = [m for m in ms if m.event_type in row["only"]]
    want = row["expect"]
    if row.get("first"):
        assert ms, row["text"]
        ms = ms[:1]
    summary = [(m.event_type, names(m.actor), names(m.recipient)) for m in ms]
    assert len(ms) == len(want), summary
    assert [observed(m, w) for m, w in zip(ms, want, strict=True)] == want


def test_names_are_unique():
    assert len({r["name"] for r in ROWS}) == len(ROWS)
