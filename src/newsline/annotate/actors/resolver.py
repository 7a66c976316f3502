"""The resolver: turns the atoms, entities and places of one document into `ActorMention`s, as a sequence of
steps over one `Frame` (persons, then agents and titles, named actors, states; then the merges)."""

from __future__ import annotations

from datetime import date as date_cls
from datetime import timedelta
from typing import Any

from newsline.annotate.actors import agents, merging, persons
from newsline.annotate.actors.coding import _ref_from_entry, _role_index
from newsline.annotate.actors.dictionary import ActorDictionary
from newsline.annotate.actors.frame import DocInputs, Frame
from newsline.annotate.actors.matching import Atom
from newsline.annotate.actors.names import _day
from newsline.records import ActorMention, ActorRef


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

    # -------------------------------------------------------------- main
    def resolve(self, doc, atoms: list[Atom], date: str | None, place_countries: dict[int, str],
                sentence_of: list[int], paragraph_of_sentence: list[int], default_country: str | None = None,
                place_tokens: set[int] | frozenset[int] = frozenset(), ents=None,
                text: str | None = None) -> list[ActorMention]:
        """The actor mentions of one document (the arguments are those of `DocInputs`)."""
        return self.resolve_inputs(DocInputs(doc, atoms, date, place_countries, sentence_of, paragraph_of_sentence,
                                             default_country, place_tokens, ents, text))

    def resolve_inputs(self, inputs: DocInputs) -> list[ActorMention]:
        f = Frame(self, inputs)
        persons.persons(f)
        agents.agents_and_titles(f)
        agents.named_actors(f)
        agents.states(f)
        merged = merging.apposition(f)
        if self.d.org_nouns:
            merged = merging.organisations(f, merged)
        merging.unknown_persons(merged)
        return merging.actor_mentions(f, merged)
