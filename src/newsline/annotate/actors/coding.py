"""Coding an actor through its dated roles: the role held on a date, an entry as an `ActorRef`, a mention
recoded for another date (the event's)."""

from __future__ import annotations

from typing import Any

from newsline.annotate.actors.dictionary import Entry, Role, Title
from newsline.annotate.actors.names import _day
from newsline.records import ActorMention, ActorRef


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


def entry_country(e: Entry, date: str | None) -> str | None:
    """The country of a named actor on a date: the country of the role it holds that day, else its own."""
    country = e.country
    if e.roles:
        r = role_on(e.roles, _day(date))
        if r is not None and r.country:
            country = r.country
    return country


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


