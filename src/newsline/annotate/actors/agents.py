"""Step 2 of the resolver: agents and titles first (they take the states, groups and places that modify
them: "Pakistani officials", "the TTP chief", "officials in Afghanistan"), then named actors, then the
states left over (a capital as metonym for its government)."""

from __future__ import annotations

from newsline.annotate.actors.coding import _ref_from_entry, entry_country, role_on
from newsline.annotate.actors.dictionary import Entry, Role
from newsline.annotate.actors.frame import _LOCAL_SECTORS, _LOCATIVE, _POSS, Frame, _Mention
from newsline.annotate.actors.matching import AGENT, NAMED, STATE, TITLE, Atom
from newsline.annotate.actors.names import _day
from newsline.records import ActorRef


def agents_and_titles(f: Frame) -> None:
    for ai, a in enumerate(f.atoms):
        agent_or_title(f, ai, a)


def named_actors(f: Frame) -> None:
    for ai, a in enumerate(f.atoms):
        named_actor(f, ai, a)


def states(f: Frame) -> None:
    for ai, a in enumerate(f.atoms):
        state_actor(f, ai, a)


def agent_or_title(f: Frame, ai: int, a: Atom) -> None:
    """An agent or title atom, with the state, group or place that modifies it."""
    d, doc, n, consumed, mentions, date = f.d, f.doc, f.n, f.consumed, f.mentions, f.date
    titled, context_country, article_country = f.titled, f.context_country, f.article_country
    span_text, is_modifier_use = f.span_text, f.is_modifier_use
    if consumed[ai] or a.has(NAMED) or a.has(STATE):
        return
    kt = a.first(TITLE)
    kg = a.first(AGENT)
    consumed[ai] = True
    if kg is None and kt is None:
        return
    if a.end - a.start == 1 and doc[a.start].pos_ in ("VERB", "AUX"):
        return  # "to press the government", "to police the streets": the verb, not the noun
    if kt is None and (is_modifier_use(a) or (a.start > 0 and doc[a.start - 1].text in {"-", "–"})):
        return
    m0, m1, mod, mod_place, country, mod_entry = agent_modifier(f, a, kt, kg)
    title = d.titles[int(kt[1])] if kt is not None else None
    mtext = span_text(m0, m1)
    if mod_entry is not None and mod_entry.kind in {"group", "igo", "media"} and kg is not None:
        ref, roles = _ref_from_entry(mod_entry, mtext, date)
        mentions.append(_Mention(m0, m1, ref, roles))
        return
    if mod_entry is not None:
        country = entry_country(mod_entry, date)
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
        gov = (kg is not None and kg[1] == "GOV") or (title is not None and kg is None and title.sector in (None, "GOV"))
        ctx = country or context_country(a.start, skip_doers=gov)
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
        return
    plural = doc[a.end - 1].tag_ in {"NNS", "NNPS"}
    if title is not None and title.office and not plural and (mod is not None or mod_place or title.country
                                                              or the_before):
        holder = office_holder(f, title.office, a.start, country, ctx)
        if holder is not None:
            ref, roles = _ref_from_entry(holder[0], mtext, date, role=holder[1])
            mentions.append(_Mention(m0, m1, ref, roles, title))
            return
    if title is not None and (kg is None or (a.end < n and doc[a.end].pos_ == "PROPN")):
        if mod is None and not mod_place and (title.office is None or prev_word != "the"):
            return  # a bare rank or title word with no one attached ("FM to visit the US")
        if mod_entry is not None and mod_entry.kind in {"group", "igo"} and not title.media:
            # "the TTP chief", "M23's permanent secretary": someone of that group
            ref, roles = _ref_from_entry(mod_entry, mtext, date)
            ref.role = title.role
            mentions.append(_Mention(m0, m1, ref, roles, title))
            return
        sector = title.sector or (mod_entry.sector if mod_entry else None) or "GOV"
        if title.media:
            ref = ActorRef(f"{ctx.lower()}-jrn" if ctx else "jrn", "media", ctx, "JRN", None, title.role,
                           mtext, "media")
            mentions.append(_Mention(m0, m1, ref, [], title))
            return
        ref, roles = f.resolver.agent_ref(ctx, sector, mtext, date, role=title.role)
        mentions.append(_Mention(m0, m1, ref, roles, title))
        return
    if kg is not None:
        sector = kg[1]
        if (sector in f.resolver._needs_modifier or kg[2] == "m") and mod is None and not mod_place \
                and country is None and mod_entry is None:
            return
        ref, roles = f.resolver.agent_ref(ctx, sector, mtext, date)
        if sector == "JRN":
            ref.kind = "media"
        mentions.append(_Mention(m0, m1, ref, roles))


def named_actor(f: Frame, ai: int, a: Atom) -> None:
    """A named actor (group, IGO, organ, outlet) with its own state as modifier ("the Afghan Taliban")."""
    d, owner, consumed, mentions, date, span_text = f.d, f.owner, f.consumed, f.mentions, f.date, f.span_text
    left_modifier = f.left_modifier
    if consumed[ai] or not a.has(NAMED):
        return
    e = d.entries.get(a.first(NAMED)[1])
    consumed[ai] = True
    if e is None or f.sponsors(a.end):
        return
    m0, mod, _pc = left_modifier(a.start, max_gap=1)
    if e.kind == "igo" and _national_body(f, a):
        # "Pakistan's National Security Council", "his security council": a state's own body of that name
        iso = mod.first(STATE)[1] if mod is not None and mod.has(STATE) and not mod.has(NAMED) else None
        ref, roles = f.resolver.agent_ref(iso or _owner_country(f, a.start) or f.context_country(a.start), "GOV",
                                          span_text(a.start, a.end), date)
        mentions.append(_Mention(a.start, a.end, ref, roles))
        return
    if mod is not None and mod.has(STATE) and not mod.has(NAMED) and mod.first(STATE)[1] == e.country:
        consumed[owner[mod.start]] = True
    else:
        m0 = a.start
    ref, roles = _ref_from_entry(e, span_text(m0, a.end), date)
    mentions.append(_Mention(m0, a.end, ref, roles))


def _national_body(f: Frame, a: Atom) -> bool:
    """An international body's name used for a state's own ("the National Security Council", "his security
    council"): after "national" or a possessive pronoun, or written in lower case."""
    doc = f.doc
    before = doc[a.start - 1].lower_ if a.start > 0 else ""
    return before in {"national", "his", "her", "its", "their", "our"} or all(
        not doc[k].text[:1].isupper() for k in range(a.start, a.end))


def _owner_country(f: Frame, start: int) -> str | None:
    """"his security council", "its National Security Council": the country of the party named last before
    it in its sentence ("Pashinyan held a meeting of his ...", "the government convened its ...")."""
    if start == 0 or f.doc[start - 1].lower_ not in {"his", "her", "its", "their", "our"}:
        return None
    s = f.sentence_of[start]
    before = [m for m in f.mentions if m.end <= start and f.sentence_of[m.start] == s and m.ref.country]
    return max(before, key=lambda m: m.end).ref.country if before else None


def state_actor(f: Frame, ai: int, a: Atom) -> None:
    """A state left over: its name or adjective, or a capital as metonym for its government (a capital that
    is a place here, or part of a dateline, is no actor)."""
    doc, atoms, owner, consumed, mentions, date = f.doc, f.atoms, f.owner, f.consumed, f.mentions, f.date
    span_text, in_dateline = f.span_text, f.in_dateline
    if consumed[ai]:
        return
    consumed[ai] = True
    ks = a.first(STATE)
    if ks is None or f.sponsors(a.end):
        return
    atext = span_text(a.start, a.end)
    iso3, sub = ks[1], ks[2]
    tok = doc[a.start]
    if sub == "capital":
        head = tok.head
        if tok.dep_ == "pobj" and head.lower_ in _LOCATIVE:
            return  # a place here, not an actor
        if tok.dep_ == "compound" and (owner[head.i] < 0 or not atoms[owner[head.i]].has(AGENT)):
            return  # "the Vienna round"
        if in_dateline(a.start, a.end):
            return  # a dateline, "DOHA:", "ISLAMABAD/KABUL —", "KABUL, Afghanistan (Reuters) -"
        ref, roles = f.resolver.agent_ref(iso3, "GOV", atext, date)
        mentions.append(_Mention(a.start, a.end, ref, roles))
        return
    if (tok.text.isupper() or (a.start > 0 and doc[a.start - 1].text == ",")) and in_dateline(a.start, a.end):
        return  # "KABUL, Afghanistan (Reuters) -": the dateline's country is no actor
    mentions.append(_Mention(a.start, a.end, f.resolver.state_ref(iso3, atext)))


def agent_modifier(f: Frame, a: Atom, kt, kg) -> tuple[int, int, Atom | None, str | None, str | None, Entry | None]:
    """What modifies an agent or title (consumed): a state, group or place to its left ("Pakistani officials"),
    else one to its right ("officials in Afghanistan"), else the owner of a possessive ("its fighters").
    Returns the mention's token range, the left modifier, the place's country, the country and the entry."""
    doc, owner, consumed = f.doc, f.owner, f.consumed
    left_modifier, right_modifier, possessor = f.left_modifier, f.right_modifier, f.possessor
    m0, mod, mod_place = left_modifier(a.start)
    m1 = a.end
    country = None
    mod_entry = None
    if mod is not None:
        mod_entry, country = f.entry_or_country(mod)
        consumed[owner[mod.start]] = True
    elif mod_place:
        country = mod_place
    else:
        m0 = a.start
        if kg is not None:
            m1, rmod = right_modifier(a.end)
            if rmod is not None:
                consumed[owner[rmod.start]] = True
                mod_entry, country = f.entry_or_country(rmod)
            elif (pc := _person_possessor(f, a.start)) is not None:
                country = pc  # "Prime Minister Imran Khan's government", "Putin's spokesman": the person's state
            elif kt is None and kg[2] != "p" and a.start > 0 and doc[a.start - 1].lower_ in {"its", "their"}:
                # "The RSF published videos of its fighters", "Russia said its troops": the
                # possessive refers to the group or state named last before, in this sentence or the
                # one before
                owner_ref = possessor(a.start - 1)
                if owner_ref is not None:
                    mod_entry, country = f.entry_or_country(owner_ref)
    return m0, m1, mod, mod_place, country, mod_entry


def _person_possessor(f: Frame, start: int) -> str | None:
    """The country of a person named as the possessor of the phrase starting at `start` ("Imran Khan's"), from
    the persons resolved before the agents (`persons.persons`)."""
    if start < 2 or f.doc[start - 1].text not in _POSS:
        return None
    for m in f.mentions:
        if m.end == start - 1 and m.ref.kind == "person" and m.ref.country:
            return m.ref.country
    return None


def office_holder(f: Frame, office: str, at: int, country: str | None, ctx: str | None) -> tuple[Entry, Role] | None:
    """Who holds `office` for a title at token `at`: the holder among the persons this article names ("the
    deputy premier" after "Anna Berg"; in `country` when the title has one), the nearest before it first,
    else the dictionary's holder of that office in the context country `ctx` on the date."""
    d, n, date, doc_persons = f.d, f.n, f.date, f.doc_persons
    day = _day(date)
    cands = []
    for tok, e in doc_persons:
        # undated article: any office the person held
        rs = [r for r in e.roles if office in r.offices()] if day is None else \
            [r for r in [role_on(e.roles, day)] if r is not None and office in r.offices()]
        for r in rs[:1]:
            if country is None or r.country == country:
                cands.append((abs(tok - at) + (0 if tok < at else n), e.id, e, r))
    holder = min(cands)[2:] if cands else None
    if holder is None:
        holder = d.office_holder(ctx, office, day)
    return holder
