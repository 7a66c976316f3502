"""The PLOVER ontology and the trigger lexicon as data."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsline.code import load_lexicon, ontology


def test_ontology_has_the_16_types_and_quads():
    onto = ontology()
    assert len(onto.types) == 16
    assert onto.quad("CONSULT") == 1 and onto.quad("AID") == 2 and onto.quad("REJECT") == 3
    assert onto.quad("ASSAULT") == 4
    assert onto.score("ASSAULT", "drone") == -9.5
    assert "terrorism" in onto.contexts


def test_future_rules():
    onto = ontology()
    assert onto.future_type("CONSULT") == "AGREE"
    assert onto.future_type("AID") == "AGREE"
    assert onto.future_type("RETREAT") == "CONCEDE"
    assert onto.future_type("ASSAULT") == "ASSAULT"


def test_lexicon_entries_parse_and_rank():
    lex = load_lexicon()
    agree = lex.candidates("agree", "verb")
    assert agree[0].comps and agree[-1].comps == frozenset()  # constrained entries are tried first
    hold = [e for e in lex.candidates("hold", "verb") if e.event_type == "CONSULT"]
    assert hold and "talk" in hold[0].comps
    assert any(e.words == ("air", "strike") for e in lex.candidates("strike", "noun"))


def test_user_lexicon_extends(tmp_path: Path):
    extra = tmp_path / "extra.yaml"
    extra.write_text("triggers:\n  ASSAULT:\n    beat:\n      verbs: [clobber]\n", encoding="utf-8")
    lex = load_lexicon(extra=extra)
    assert lex.candidates("clobber", "verb")[0].event_type == "ASSAULT"
    assert lex.candidates("attack", "verb")  # the packaged entries stay


def test_type_families_are_data_of_known_types(tmp_path: Path):
    from newsline.code.families import load_type_families, type_families

    fam = type_families()
    assert fam.absorbing == {"REQUEST", "THREATEN", "REJECT", "AGREE", "ACCUSE", "CONCEDE", "SUPPORT"}
    assert fam.agreement == {"AGREE", "CONCEDE", "SUPPORT"}
    assert fam.threat_modes["ASSAULT"] == "violence"
    known = set(ontology().types)
    for name in ("absorbing", "conflict", "reactions", "dyadic", "content", "agreement", "speech_acts", "material"):
        assert getattr(fam, name) <= known, name
    assert set(fam.threat_modes) <= known
    broken = tmp_path / "families.yaml"
    broken.write_text("absorbing: [REQUEST]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lacks"):
        load_type_families(broken)
