"""A vectorised synthetic store for the corpus-stage benchmarks: the generator of `corpus_synth.synthetic`
(countries with state actors, rebels, civilians, persons and places; events reported by several outlets
with perturbed types, dates, places, tolls and statuses; syndicated reprints; a generated text per article)
drawn with numpy and written to the store's tables as Arrow columns, so that 5M mentions take minutes
instead of hours.

The distributions are those of `corpus_synth.synthetic` (same weights, rates and id scheme; the random
streams differ, so a store is not the records generator's store of the same seed). Texts are 120 words
from a vocabulary of 5,000 fixed-width words ("w0000".."w4999"), so each word 3-shingle's CRC-32 is an XOR
of three per-position tables (CRC-32 is affine over GF(2) for messages of one length) and the MinHash
signatures and LSH band keys of a whole chunk of articles are array operations: the same keys as
`newsline.cluster.bands.band_keys` gives each text (tests/test_corpus_synth.py checks it).
"""

from __future__ import annotations

import hashlib
import zlib
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa

from corpus_synth import COMPATIBLE, MODES, SYMMETRIC, TYPES, VERBS, WORDS

VOCAB, WORD_WIDTH, TEXT_WORDS = 5000, 5, 120
N_COUNTRIES, OUTLETS, REPRINT_RATE = 80, 12, 0.05
START, DAYS = date(2021, 1, 1), 3 * 365
ROLES, PERSON_SECTORS = ["Minister", "General", "President", "Envoy"], ["GOV", "MIL", "SPY"]
DEAD = np.array([0, 1, 2, 3, 5, 8, 12, 20, 35])
_ACTOR = pa.struct([(k, pa.string()) for k in ("id", "name", "country", "sector", "person", "role", "text", "kind")])
_PLACE = pa.struct([("extracted_place", pa.string()), ("resolved_place", pa.string()), ("country_code", pa.string()),
                    ("province", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
                    ("resolution", pa.int64()), ("geonameid", pa.int64())])
_SIZE = pa.struct([("dead", pa.int64()), ("injured", pa.int64()), ("arrested", pa.int64())])
_EVIDENCE = pa.struct([("sentence", pa.string()), ("start", pa.int64()), ("end", pa.int64()), ("trigger", pa.string())])


# --------------------------------------------------------------------------- the world, as arrays
class ArrayWorld:
    """`corpus_synth.World` as flat arrays: actors (state, 0-3 rebel groups, civilians per country), persons
    (2-6 per country), places (8 towns in 3 provinces, and the provinces), neighbours (+1, +2, +3, +7)."""

    def __init__(self, rng: np.random.Generator, n: int = N_COUNTRIES) -> None:
        self.countries = np.array([f"C{i:02d}" for i in range(n)])
        w = 1 / (np.arange(n) + 1) ** 0.8
        self.weights = w / w.sum()
        ids, names, country, sector, kind, first, count = [], [], [], [], [], [], []
        for i, c in enumerate(self.countries):
            first.append(len(ids))
            rebels = int(rng.integers(0, 4))
            ids += [c.lower()] + [f"{c.lower()}-reb{j}" for j in range(rebels)] + [f"{c.lower()}-civ"]
            names += [f"Country {c}"] + [f"Rebels {c}-{j}" for j in range(rebels)] + [f"Civilians of {c}"]
            sector += ["GOV"] + ["REB"] * rebels + ["CVL"]
            kind += ["state"] + ["group"] * rebels + ["unresolved"]
            country += [i] * (rebels + 2)
            count.append(rebels + 2)
        self.a_id, self.a_name, self.a_sector, self.a_kind = (np.array(x) for x in (ids, names, sector, kind))
        self.a_country, self.a_first, self.a_count = np.array(country), np.array(first), np.array(count)
        n_persons = rng.integers(2, 7, n)
        self.p_first = np.concatenate([[0], np.cumsum(n_persons)[:-1]])
        self.p_count = n_persons
        self.p_name = np.array([f"Person {c}-{j}" for c, k in zip(self.countries, n_persons, strict=True)
                                for j in range(k)])
        self.p_role = np.array(ROLES)[rng.integers(0, len(ROLES), len(self.p_name))]
        self.p_sector = np.array(PERSON_SECTORS)[rng.integers(0, len(PERSON_SECTORS), len(self.p_name))]
        # places: 11 per country, towns 0-7 (resolution 4, province j % 3) then provinces 8-10 (resolution 2)
        towns = [(f"Town {c}-{j}", f"Province {c}-{j % 3}", float(i), float(j), 4)
                 for i, c in enumerate(self.countries) for j in range(8)]
        provs = [(f"Province {c}-{j}", f"Province {c}-{j}", float(i), 0.0, 2)
                 for i, c in enumerate(self.countries) for j in range(3)]
        self.pl_name = np.array([t[0] for t in towns] + [p[0] for p in provs])
        self.pl_prov = np.array([t[1] for t in towns] + [p[1] for p in provs])
        self.pl_lat = np.array([t[2] for t in towns] + [p[2] for p in provs])
        self.pl_lon = np.array([t[3] for t in towns] + [p[3] for p in provs])
        self.pl_res = np.array([t[4] for t in towns] + [p[4] for p in provs])
        self.pl_country = np.concatenate([np.repeat(np.arange(n), 8), np.repeat(np.arange(n), 3)])
        self.n = n

    def place_of(self, country: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A random place (town or province) of each country: index into the place arrays."""
        j = rng.integers(0, 11, len(country))
        return np.where(j < 8, country * 8 + j, 8 * self.n + country * 3 + (j - 8))

    def province_of_town(self, place: np.ndarray) -> np.ndarray:
        country, j = place // 8, place % 8
        return 8 * self.n + country * 3 + j % 3


# --------------------------------------------------------------------------- events and reports
def _events(world: ArrayWorld, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """`n` true events (the dyad, type, mode, date, place, toll, keyword and person of each)."""
    c = rng.choice(world.n, n, p=world.weights)
    actor = world.a_first[c] + rng.integers(0, world.a_count[c] - 1)  # not the civilians (the last)
    abroad = rng.random(n) < 0.5
    other = (c + np.array([1, 2, 3, 7])[rng.integers(0, 4, n)]) % world.n
    recip_abroad = world.a_first[other] + rng.integers(0, world.a_count[other])
    k = rng.integers(0, world.a_count[c] - 1)  # another actor of the same country (skipping the actor)
    local = world.a_first[c] + k + (world.a_first[c] + k >= actor)
    recip = np.where(abroad, recip_abroad, local)
    types = np.array(list(TYPES))
    etype = rng.choice(len(types), n, p=np.array(list(TYPES.values())) / sum(TYPES.values()))
    mode = np.array([MODES.get(t, [None])[int(r * len(MODES.get(t, [None])))]
                     for t, r in zip(types[etype], rng.random(n), strict=True)], dtype=object)
    assault_or_consult = np.isin(types[etype], ["ASSAULT", "CONSULT"])
    place = world.place_of(np.where(assault_or_consult, world.a_country[recip], c), rng)
    dead = np.where(types[etype] == "ASSAULT", DEAD[rng.integers(0, len(DEAD), n)], -1)
    person = world.p_first[c] + rng.integers(0, world.p_count[c])
    return {"country": c, "actor": actor, "recip": recip, "type": etype, "mode": mode,
            "day": rng.integers(0, DAYS, n), "place": place, "dead": dead,
            "keyword": rng.integers(0, len(WORDS), n), "person": person}


def _reports(rng: np.random.Generator, n_events: int, target: int) -> tuple[np.ndarray, np.ndarray]:
    """(event index, outlet) of each report: 1 + Exp(0.9) outlets per event (at most 12, distinct), cut at
    `target` reports."""
    k = np.minimum(1 + rng.exponential(1 / 0.9, n_events).astype(int), OUTLETS)
    order = np.argsort(rng.random((n_events, OUTLETS)), axis=1)
    take = np.arange(OUTLETS)[None, :] < k[:, None]
    event = np.repeat(np.arange(n_events), k)[:target]
    outlet = order[take][:target]
    return event, outlet


def _iso_tables() -> tuple[np.ndarray, np.ndarray]:
    """ISO year and week of each day from START (reports are published up to 5 days after the last day)."""
    days = [date.fromordinal(START.toordinal() + d).isocalendar() for d in range(DAYS + 6)]
    return np.array([d[0] for d in days]), np.array([d[1] for d in days])


def _strings(values: np.ndarray) -> pa.Array:
    return pa.array(values.tolist(), pa.string())


def _mentions(world: ArrayWorld, rng: np.random.Generator, ev: dict[str, np.ndarray], e: np.ndarray,
              ids: list[str], article_ids: list[str]) -> pa.Table:
    """The mentions table of the reports `e` (event index of each), perturbed as `corpus_synth._report`."""
    n, types = len(e), np.array(list(TYPES))
    etype = types[ev["type"][e]].astype(object)
    for t, alts in COMPATIBLE.items():  # a compatible type now and then (in the event's own type)
        swap = (types[ev["type"][e]] == t) & (rng.random(n) < 0.1)
        etype[swap] = np.array(alts, dtype=object)[rng.integers(0, len(alts), int(swap.sum()))]
    actor, recip = ev["actor"][e].copy(), ev["recip"][e].copy()
    sym = np.isin(etype, list(SYMMETRIC)) & (rng.random(n) < 0.5)
    actor[sym], recip[sym] = recip[sym], actor[sym].copy()
    person = (rng.random(n) < 0.3) & (world.a_kind[actor] == "state")
    p = ev["person"][e]
    r = rng.random(n)
    day = ev["day"][e] + np.where((r >= 0.08) & (r < 0.18), rng.choice([-1, 1], n), 0)
    month, dated = r < 0.08, ~((r >= 0.18) & (r < 0.23))
    day_dates = (np.datetime64(START.isoformat()) + day.astype("timedelta64[D]"))
    stored = np.where(month, day_dates.astype("datetime64[M]").astype("datetime64[D]"), day_dates)
    date_text = np.where(month, np.datetime_as_string(day_dates, unit="M"), None)
    place = ev["place"][e].copy()
    r = rng.random(n)
    to_province = (r >= 0.3) & (r < 0.45) & (world.pl_res[place] == 4)
    place[to_province] = world.province_of_town(place[to_province])
    has_place = r >= 0.3
    dead = ev["dead"][e].copy()
    change = (dead >= 0) & (rng.random(n) < 0.2)
    dead[change] = np.maximum(0, dead[change] + np.array([-3, -1, 1, 2, 4])[rng.integers(0, 5, int(change.sum()))])
    status = np.array(["asserted", "reported", "denied"])[rng.choice(3, n, p=[0.66, 0.30, 0.04])]
    mode = np.where(rng.random(n) < 0.8, ev["mode"][e], None)
    near = rng.random(n) < 0.6
    who = np.array(["officials", "witnesses"])[rng.integers(0, 2, n)]
    a_text = np.where(person, world.p_role[p].astype(object) + " " + world.p_name[p].astype(object), "")
    verb = np.array([VERBS[t] for t in types])[ev["type"][e]]
    kw = np.array(WORDS)[ev["keyword"][e]]
    sentences = [f"{at or world.a_name[a]} {v} {world.a_name[b]} {'near the ' + k if nr else ''} "
                 f"{'in ' + world.pl_name[pl] if hp else ''}, {w} said."
                 for at, a, v, b, k, nr, pl, hp, w in zip(a_text, actor, verb, recip, kw, near, place, has_place, who,
                                                          strict=True)]
    one = pa.array(np.arange(n + 1, dtype=np.int32))

    def actors(idx: np.ndarray, with_person: np.ndarray | None) -> pa.Array:
        none = pa.nulls(n, pa.string())
        cols = [_strings(world.a_id[idx]), _strings(world.a_name[idx]), _strings(world.countries[world.a_country[idx]]),
                _strings(world.a_sector[idx]), none, none, pa.array([""] * n, pa.string()),
                _strings(world.a_kind[idx])]
        if with_person is not None:  # a person speaking for a state: the person's sector, role, text; no kind
            cols[3] = _strings(np.where(with_person, world.p_sector[p], world.a_sector[idx]))
            cols[4] = pa.array(np.where(with_person, world.p_name[p], None).tolist(), pa.string())
            cols[5] = pa.array(np.where(with_person, world.p_role[p], None).tolist(), pa.string())
            cols[6] = _strings(a_text)
            cols[7] = _strings(np.where(with_person, "unresolved", world.a_kind[idx]))
        return pa.ListArray.from_arrays(one, pa.StructArray.from_arrays(cols, fields=list(_ACTOR)))

    loc = pa.StructArray.from_arrays(
        [_strings(world.pl_name[place]), _strings(world.pl_name[place]), _strings(world.countries[world.pl_country[place]]),
         _strings(world.pl_prov[place]), pa.array(world.pl_lat[place]), pa.array(world.pl_lon[place]),
         pa.array(world.pl_res[place].astype(np.int64)), pa.nulls(n, pa.int64())],
        fields=list(_PLACE), mask=pa.array(~has_place))
    size = pa.StructArray.from_arrays([pa.array(np.where(dead >= 0, dead, None).tolist(), pa.int64()),
                                       pa.nulls(n, pa.int64()), pa.nulls(n, pa.int64())], fields=list(_SIZE))
    evidence = pa.ListArray.from_arrays(one, pa.StructArray.from_arrays(
        [pa.array(sentences, pa.string()), pa.array(np.zeros(n, np.int64)),
         pa.array([len(s) for s in sentences], pa.int64()), _strings(verb)], fields=list(_EVIDENCE)))
    return pa.table({
        "id": pa.array(ids, pa.string()), "article_id": pa.array(article_ids, pa.string()),
        "event_type": pa.array(etype.tolist(), pa.string()), "mode": pa.array(mode.tolist(), pa.string()),
        "context": pa.ListArray.from_arrays(pa.array(np.zeros(n + 1, np.int32)), pa.array([], pa.string())),
        "actor": actors(actor, person), "recipient": actors(recip, None),
        "mediator": pa.ListArray.from_arrays(pa.array(np.zeros(n + 1, np.int32)), pa.array([], _ACTOR)),
        "date": pa.array(np.where(dated, stored, np.datetime64("NaT")), pa.date32(), from_pandas=True),
        "date__text": pa.array(np.where(dated, date_text, None).tolist(), pa.string()),
        "date_precision": pa.array(np.where(dated, np.where(month, "month", "day"), None).tolist(), pa.string()),
        "event_loc": loc, "size": size, "status": _strings(status), "evidence": evidence})


# --------------------------------------------------------------------------- texts and their band keys
def _word_bytes() -> np.ndarray:
    return np.frombuffer("".join(f"w{i:04d}" for i in range(VOCAB)).encode(), np.uint8).reshape(VOCAB, WORD_WIDTH)


def _crc_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-position CRC-32 tables of the 3-shingle "wAAAA wBBBB wCCCC": for messages of one length CRC-32 is
    affine, crc(x ^ y) = crc(x) ^ crc(y) ^ crc(0), so a shingle's CRC is T1[a] ^ T2[b] ^ T3[c]."""
    width = 3 * WORD_WIDTH + 2
    zero, words = bytes(width), _word_bytes()
    spaces = bytearray(width)
    spaces[WORD_WIDTH] = spaces[2 * WORD_WIDTH + 1] = ord(" ")
    tables = []
    for pos in range(3):
        at = pos * (WORD_WIDTH + 1)
        tables.append(np.array([zlib.crc32(zero[:at] + words[i].tobytes() + zero[at + WORD_WIDTH:])
                                for i in range(VOCAB)], np.uint32))
    tables[0] ^= np.uint32(zlib.crc32(bytes(spaces)) ^ zlib.crc32(zero) ^ zlib.crc32(zero) ^ zlib.crc32(zero))
    return tables[0], tables[1], tables[2]


def texts(words: np.ndarray) -> pa.Array:
    """The texts of a (n, TEXT_WORDS) matrix of word indices: words joined by single spaces."""
    n, k = words.shape
    buf = np.full((n, k, WORD_WIDTH + 1), ord(" "), np.uint8)
    buf[:, :, :WORD_WIDTH] = _WORDS[words]
    width = k * (WORD_WIDTH + 1) - 1
    data = np.ascontiguousarray(buf.reshape(n, -1)[:, :width])
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data.tobytes()))


def band_keys_of(words: np.ndarray, step: int = 200) -> list[list[int]]:
    """`newsline.cluster.bands.band_keys` of each text of `words`, computed for the whole matrix: shingle CRCs
    from the tables, the permutations of `cluster/minhash.py` applied as arrays, each band's values hashed as
    band_keys hashes them."""
    from newsline.cluster.articles import DuplicateConfig
    from newsline.cluster.bands import _scheme
    from newsline.cluster.minhash import _fmix32

    cfg = DuplicateConfig()
    perms, ranges = _scheme(cfg)
    t1, t2, t3 = _CRC
    out: list[list[int]] = []
    for i in range(0, len(words), step):
        w = words[i:i + step]
        sh = t1[w[:, :-2]] ^ t2[w[:, 1:-1]] ^ t3[w[:, 2:]]  # (n, shingles)
        srt = np.sort(sh, axis=1)
        distinct = 1 + (np.diff(srt, axis=1) != 0).sum(axis=1)
        hv = _fmix32(sh.astype(np.uint32))
        values = (hv[:, :, None] * perms.a + perms.b).min(axis=1).astype(np.uint32)
        keys = np.empty((len(w), len(ranges)), np.int64)
        for j, (lo, hi) in enumerate(ranges):
            person = b"band%04d" % j
            rows = np.ascontiguousarray(values[:, lo:hi]).tobytes()
            width = len(rows) // len(w)
            digest = b"".join(hashlib.blake2b(rows[r:r + width], digest_size=8, person=person).digest()
                              for r in range(0, len(rows), width))
            keys[:, j] = np.frombuffer(digest, "<i8")
        out.extend(k.tolist() if d >= cfg.min_shingles else [] for k, d in zip(keys, distinct, strict=True))
    return out


_WORDS = _word_bytes()
_CRC = _crc_tables()


# --------------------------------------------------------------------------- one chunk, then the store
def _chunk(rng: np.random.Generator, n: int, prefix: str, undated_rate: float
           ) -> tuple[pa.Table, pa.Table, np.ndarray]:
    """(articles without texts, mentions, for each article the row of its text: its own, or its original's
    for a reprint) of `n` mentions, reprints included."""
    world = ArrayWorld(rng)
    target = int(n / (1 + REPRINT_RATE))  # reprints come on top
    ev = _events(world, rng, target)
    e, outlet = _reports(rng, target, target)
    iso_year, iso_week = _iso_tables()
    pub = ev["day"][e] + np.array([0, 1, 1, 2, 5])[rng.integers(0, 5, len(e))]
    code = ((outlet * world.n + ev["country"][e]) * 8 + (iso_year[pub] - START.year + 1)) * 54 + iso_week[pub]
    codes, first, art = np.unique(code, return_index=True, return_inverse=True)
    order = np.argsort(art, kind="stable")  # the reports of each article in the order they were drawn
    starts = np.concatenate([[0], np.cumsum(np.bincount(art))[:-1]])
    number = np.empty(len(e), np.int64)
    number[order] = np.arange(len(e)) - starts[art[order]] + 1
    a_ids = np.array([f"{prefix}o{outlet[i]:02d}-{world.countries[ev['country'][e[i]]]}-{iso_year[pub[i]]}"
                      f"w{iso_week[pub[i]]:02d}" for i in first], dtype=object)
    published = np.datetime64(START.isoformat()) + pub[first].astype("timedelta64[D]")
    # reprints: a share of the articles copied with their mentions (ids "<original>-reprint")
    copy = np.flatnonzero(rng.random(len(codes)) < REPRINT_RATE)
    is_copied = np.zeros(len(codes), bool)
    is_copied[copy] = True
    reprinted = np.flatnonzero(is_copied[art])
    all_art = np.concatenate([art, len(codes) + np.searchsorted(copy, art[reprinted])])
    all_e = np.concatenate([e, e[reprinted]])
    all_num = np.concatenate([number, number[reprinted]])
    a_ids = np.concatenate([a_ids, a_ids[copy] + "-reprint"])
    m_ids = [f"{a}-m{k:03d}" for a, k in zip(a_ids[all_art], all_num, strict=True)]
    mentions = _mentions(world, rng, ev, all_e, m_ids, a_ids[all_art].tolist())
    published = np.concatenate([published, published[copy]])
    undated = rng.random(len(a_ids)) < undated_rate
    published = np.where(undated, np.datetime64("NaT"), published)
    outlet_of = np.concatenate([outlet[first], np.full(len(copy), -1)])
    uris = [f"https://outlet{o}.example/{a}" if o >= 0 else f"https://reprints.example/{a}"
            for o, a in zip(outlet_of, a_ids, strict=True)]
    articles = pa.table({"id": pa.array(a_ids.tolist(), pa.string()), "uri": pa.array(uris, pa.string()),
                         "published": pa.array(published, pa.date32(), from_pandas=True)})
    return articles, mentions, np.concatenate([np.arange(len(codes)), copy])


def synthetic_store_fast(path: Path, n: int, seed: int = 1, undated_rate: float = 0.0, chunk: int = 200_000) -> dict:
    """A store of `n` synthetic mentions as the per-article stage leaves it (articles with their texts and band
    keys, documents, mentions; no events, `duplicate_of` unset: the near-duplicate stage finds the reprints),
    generated in chunks of `chunk` mentions (seeds seed, seed+1, ...; ids prefixed "c<chunk>-" when there are
    several), as `corpus_synth.synthetic_store`; tables written as Arrow columns."""
    from newsline.store.db import Store

    counts: dict[str, int] = {"mentions": 0, "articles": 0}
    with Store(path) as store:
        for c, start in enumerate(range(0, n, chunk)):
            rng = np.random.default_rng(seed + c)
            articles, mentions, text_row = _chunk(rng, min(chunk, n - start), f"c{c}-" if n > chunk else "",
                                                  undated_rate)
            words = rng.integers(0, VOCAB, (int(text_row.max()) + 1, TEXT_WORDS))
            bands = band_keys_of(words)
            body = texts(words).take(pa.array(text_row))
            articles = articles.append_column("text", body).append_column(
                "minhash_bands", pa.array([bands[i] for i in text_row], pa.list_(pa.int64())))
            docs = pa.table({"id": articles["id"], "uri": articles["uri"],
                             "content_hash": pa.array([""] * len(articles), pa.string()),
                             "content_type": pa.array(["unknown"] * len(articles), pa.string()),
                             "status": pa.array(["ok"] * len(articles), pa.string()),
                             "size": pa.array(np.zeros(len(articles), np.int64)),
                             "stored_at": pa.array([datetime.now(UTC).replace(tzinfo=None)] * len(articles),
                                                   pa.timestamp("us"))})
            articles = articles.append_column("content_hash", docs["content_hash"]).append_column(
                "content_type", docs["content_type"]).append_column(
                "dropped_lines", pa.ListArray.from_arrays(pa.array(np.zeros(len(articles) + 1, np.int32)),
                                                          pa.array([], pa.struct([("line_no", pa.int64()),
                                                                                  ("text", pa.string()),
                                                                                  ("reason", pa.string())]))))
            with store._transaction():  # (the store's own helpers: this writes its tables directly)
                for name, table in (("documents", docs), ("articles", articles), ("mentions", mentions)):
                    store.con.register("_nl_synth", table)
                    store.con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _nl_synth")
                    store.con.unregister("_nl_synth")
                store._mark_corpus_pending(True)
            counts["mentions"] += len(mentions)
            counts["articles"] += len(articles)
    return counts
