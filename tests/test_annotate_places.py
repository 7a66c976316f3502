"""Place resolution (annotate/places.py): packaged gazetteer plus data/places.yaml, country preference."""

from __future__ import annotations

import pytest

from newsline.annotate import get_annotator
from newsline.records import Article


@pytest.fixture(scope="module")
def ann():
    return get_annotator()


def places(ann, text):
    aa = ann.annotate(Article(id="t", uri="t", text=text, published="2024-03-01"))
    for p in aa.places:
        assert text[p.start:p.end] == p.text
    return {p.text: p.place for p in aa.places}


def test_cities_provinces_and_districts(ann):
    ps = places(ann, "Talks were held in Khost, while jets struck North Waziristan and Paktika province.")
    assert (ps["Khost"].country_code, ps["Khost"].resolution) == ("AFG", 4)
    assert ps["Khost"].province == "Khost province"
    nw = ps["North Waziristan"]
    assert (nw.country_code, nw.province, nw.resolution) == ("PAK", "Khyber Pakhtunkhwa", 3)
    pk = ps["Paktika province"]
    assert (pk.resolved_place, pk.country_code, pk.resolution) == ("Paktika", "AFG", 2)
    assert pk.lat is not None and 30 < pk.lat < 35


def test_countries_resolve_at_level_one(ann):
    ps = places(ann, "Pakistan and Afghanistan agreed a truce.")
    assert ps["Pakistan"].country_code == "PAK" and ps["Pakistan"].resolution == 1


def test_article_countries_disambiguate(ann):
    ps = places(ann, "Pakistani officials said militants attacked a camp in Bela, in Balochistan.")
    assert ps["Bela"].country_code == "PAK"
    assert ps["Balochistan"].resolution == 2


def test_unresolved_place_is_kept(ann):
    ps = places(ann, "Fighting was reported in Zorbanistan Valley near Kabul.")
    unresolved = [p for p in ps.values() if p.resolved_place is None]
    assert all(p.extracted_place for p in unresolved)
    assert ps["Kabul"].country_code == "AFG"
