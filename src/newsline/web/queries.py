"""Read-side queries for the web view, over an in-memory snapshot of the newsline store (`snapshot.py`:
why a snapshot, how it is loaded and re-loaded when the store changes).

Every query here is fixed SQL with `?` parameters: user input only ever travels as a parameter value, and
the few parts that vary (sort order, bucket) are picked from closed whitelists.
"""

from __future__ import annotations

import json
import logging
import math
import os
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

from newsline.knowledge import ontology
from newsline.web.snapshot import Snapshot

log = logging.getLogger(__name__)

# quad class -> label ("verbal cooperation") and the statuses, as the ontology names them
QUADS = {q: name.replace("_", " ") for q, name in ontology().quad_classes.items()}
STATUSES = list(ontology().statuses)

# Sort keys the API accepts, each mapped to a fixed ORDER BY: the client picks a key, never SQL.
SORTS: dict[str, str] = {
    "date": "d0 ASC NULLS LAST, id",
    "-date": "d0 DESC NULLS LAST, id",
    "corroboration": "corroboration ASC, d0 DESC NULLS LAST, id",
    "-corroboration": "corroboration DESC, d0 DESC NULLS LAST, id",
    "type": "event_type ASC, d0 DESC NULLS LAST, id",
    "first_reported": "first_reported ASC NULLS LAST, id",
    "-first_reported": "first_reported DESC NULLS LAST, id",
}
BUCKETS = ("day", "week", "month")


# --------------------------------------------------------------------------- filters
@dataclass
class Filters:
    """Event filters shared by the list, timeline, actors and network endpoints."""

    actor: list[str] = field(default_factory=list)  # every listed actor id takes part (any role)
    type: list[str] = field(default_factory=list)
    quad: list[int] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    date_from: date | None = None  # events whose [date, enddate] overlaps [date_from, date_to]
    date_to: date | None = None
    place: str | None = None  # case-insensitive substring of place name, province or country code
    q: str | None = None  # case-insensitive substring of actors, type, place, evidence sentences

    def where(self, use_dates: bool = True) -> tuple[str, list[Any]]:
        """WHERE clause over `ev` with its parameters (fixed fragments, values only as parameters)."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.actor:
            clauses.append("list_has_all(actor_ids, ?::VARCHAR[])")
            params.append(list(self.actor))
        if self.type:
            clauses.append("list_contains(?::VARCHAR[], event_type)")
            params.append(list(self.type))
        if self.quad:
            clauses.append("list_contains(?::INTEGER[], quad_code)")
            params.append(list(self.quad))
        if self.status:
            clauses.append("list_contains(?::VARCHAR[], status)")
            params.append(list(self.status))
        if use_dates and self.date_from:
            clauses.append("d1 >= ?")
            params.append(self.date_from)
        if use_dates and self.date_to:
            clauses.append("d0 <= ?")
            params.append(self.date_to)
        if self.place:
            clauses.append("contains(place_search, ?)")
            params.append(self.place.lower())
        if self.q:
            # every word must occur somewhere in the event's searchable text
            for word in self.q.lower().split()[:8]:
                clauses.append("contains(search, ?)")
                params.append(word)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


# --------------------------------------------------------------------------- helpers
def _js(value: str | None, default: Any = None) -> Any:
    if value is None:
        return default
    try:
        return _date_texts(json.loads(value))
    except (TypeError, ValueError):
        return default


def _date_texts(value: Any) -> Any:
    """Nested values as the records hold them: a date inside a STRUCT column (a claim's `published`) comes
    as its DATE and companion `<field>__text` (store/db.py); the companion, where set, is the text."""
    if isinstance(value, list):
        return [_date_texts(v) for v in value]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k.endswith("__text") and k[:-6] in value:
                continue
            companion = value.get(k + "__text")
            out[k] = companion if companion is not None else _date_texts(v)
        return out
    return value


def _actors(value: str | None) -> list[dict[str, Any]]:
    out = []
    for a in _js(value, []) or []:
        if isinstance(a, dict):
            out.append({k: a.get(k) for k in ("id", "name", "country", "sector", "person", "role", "text",
                                             "kind")})
    return out


def _rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


_LIST_COLS = ("id, event_type, quad_code, mode, status, date, enddate, date_precision, actor, recipient, "
              "mediator, place, country_code, province, lat, lon, corroboration, n_sources, n_mentions, "
              "first_reported, has_conflict")


def _event_row(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": r["id"], "event_type": r["event_type"], "quad_code": r["quad_code"], "mode": r["mode"],
        "status": r["status"], "date": r["date"], "enddate": r["enddate"],
        "date_precision": r["date_precision"],
        "actor": _actors(r["actor"]), "recipient": _actors(r["recipient"]),
        "mediator": _actors(r["mediator"]),
        "place": {"name": r["place"], "country_code": r["country_code"], "province": r["province"],
                  "lat": r["lat"], "lon": r["lon"]} if (r["place"] or r["country_code"]) else None,
        "corroboration": r["corroboration"], "n_sources": r["n_sources"], "n_mentions": r["n_mentions"],
        "first_reported": r["first_reported"], "has_conflict": bool(r["has_conflict"]),
    }


# --------------------------------------------------------------------------- queries
def list_events(snap: Snapshot, f: Filters, sort: str = "-date", offset: int = 0,
                limit: int = 100) -> dict[str, Any]:
    where, params = f.where()
    order = SORTS[sort]  # KeyError here is a programming error: the API validates `sort` first
    cur = snap.cursor()
    total = None
    if f.q:
        # a text search is the expensive filter: one scan gives both the page and the total (a window count
        # costs more than a second scan when no text is searched, hence only here)
        cur.execute(f"SELECT {_LIST_COLS}, count(*) OVER () AS _total FROM ev{where} ORDER BY {order} "
                    "LIMIT ? OFFSET ?", [*params, limit, offset])
        rows = _rows(cur)
        total = rows[0]["_total"] if rows else None
    else:
        cur.execute(f"SELECT {_LIST_COLS} FROM ev{where} ORDER BY {order} LIMIT ? OFFSET ?",
                    [*params, limit, offset])
        rows = _rows(cur)
    if total is None:
        total = cur.execute("SELECT count(*) FROM ev" + where, params).fetchone()[0]
    items = [_event_row(r) for r in rows]
    return {"total": total, "offset": offset, "limit": limit, "sort": sort, "items": items}


def timeline(snap: Snapshot, f: Filters, bucket: str = "auto", by: str = "type") -> dict[str, Any]:
    """Event counts per period and event type (or quad), aggregated here so the page never gets raw events.

    The date range filter is not applied: the page shows it as the zoomed window over the whole series so
    an analyst can zoom back out. `auto` picks the finest bucket that keeps the series under ~1500 periods.
    """
    where, params = f.where(use_dates=False)
    cur = snap.cursor()
    cond = (where + " AND d0 IS NOT NULL") if where else " WHERE d0 IS NOT NULL"
    lo, hi, undated = cur.execute(
        "SELECT min(d0), max(d0), (SELECT count(*) FROM ev" + where + (" AND " if where else " WHERE ")
        + "d0 IS NULL) FROM ev" + cond, params + params).fetchone()
    if bucket == "auto":
        span = (hi - lo).days if lo and hi else 0
        bucket = "day" if span <= 1500 else "week" if span <= 1500 * 7 else "month"
    key = "CAST(quad_code AS VARCHAR)" if by == "quad" else "event_type"
    cur.execute(f"SELECT CAST(date_trunc(?, d0) AS DATE) AS b, {key} AS k, count(*) AS n FROM ev{cond} "
                "GROUP BY ALL ORDER BY k, b", [bucket, *params])
    series: dict[str, dict[str, list]] = {}
    for b, k, n in cur.fetchall():
        s = series.setdefault(k or "?", {"x": [], "y": []})
        s["x"].append(b.isoformat())
        s["y"].append(n)
    return {"bucket": bucket, "by": by, "min": lo.isoformat() if lo else None,
            "max": hi.isoformat() if hi else None, "undated": undated,
            "series": [{"key": k, **v} for k, v in series.items()]}


def get_event(snap: Snapshot, event_id: str) -> dict[str, Any] | None:
    cur = snap.cursor()
    cur.execute(f"SELECT {_LIST_COLS}, context, size, claims, conflicts, mentions, sources, event_loc "
                "FROM ev WHERE id = ?", [event_id])
    rows = _rows(cur)
    if not rows:
        return None
    r = rows[0]
    out = _event_row(r)
    out.update(context=_js(r["context"], []) or [], size=_js(r["size"]), claims=_js(r["claims"], []) or [],
               conflicts=_js(r["conflicts"], []) or [], event_loc=_js(r["event_loc"]))
    source_ids = [s for s in (_js(r["sources"], []) or []) if isinstance(s, str)]
    # mentions: those pointing at this event, plus any the event lists (the two should agree; either suffices)
    mention_ids = [m for m in (_js(r["mentions"], []) or []) if isinstance(m, str)]
    cur.execute("SELECT * FROM raw_mentions WHERE event_id = ? OR list_contains(?::VARCHAR[], id) "
                "ORDER BY article_id, id", [event_id, mention_ids])
    mentions = _rows(cur)
    art_ids = sorted({m["article_id"] for m in mentions if m["article_id"]} | set(source_ids))
    cur.execute("SELECT id, uri, title, published, published_precision, language, duplicate_of, text "
                "FROM raw_articles WHERE list_contains(?::VARCHAR[], id)", [art_ids])
    arts = {a["id"]: a for a in _rows(cur)}
    out["mentions"] = [_mention(m, arts.get(m["article_id"])) for m in mentions]
    out["sources"] = [
        {k: arts[a][k] for k in ("id", "uri", "title", "published", "published_precision", "language",
                                 "duplicate_of")} if a in arts else {"id": a, "missing": True}
        for a in (source_ids or art_ids)
    ]
    return out


def _paragraph_around(text: str, start: int, end: int) -> tuple[int, str]:
    """The paragraph(s) of `text` containing [start, end): context shown around a highlighted sentence."""
    p0 = text.rfind("\n", 0, max(start, 0)) + 1
    p1 = text.find("\n", max(end, start))
    p1 = len(text) if p1 < 0 else p1
    return p0, text[p0:p1]


def _mention(m: dict[str, Any], article: dict[str, Any] | None) -> dict[str, Any]:
    text = (article or {}).get("text") or ""
    evidence = []
    for ev in _js(m["evidence"], []) or []:
        if not isinstance(ev, dict):
            continue
        start, end = ev.get("start"), ev.get("end")
        item = {"sentence": ev.get("sentence"), "start": start, "end": end, "trigger": ev.get("trigger")}
        if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text):
            # whether the stored offsets really point at the stored sentence: the analyst's first check
            item["offsets_match"] = text[start:end] == (ev.get("sentence") or "")
            c0, ctext = _paragraph_around(text, start, end)
            item["context"] = {"start": c0, "text": ctext}
        else:
            item["offsets_match"] = False
            item["context"] = None
        evidence.append(item)
    return {
        "id": m["id"], "event_id": m["event_id"], "article_id": m["article_id"],
        "article_title": (article or {}).get("title"), "article_published": (article or {}).get("published"),
        "article_uri": (article or {}).get("uri"),
        "event_type": m["event_type"], "mode": m["mode"], "status": m["status"] or "asserted",
        "attribution": m["attribution"], "date": m["date"], "date_text": m["date_text"],
        "date_precision": m["date_precision"], "actor": _actors(m["actor"]),
        "recipient": _actors(m["recipient"]), "mediator": _actors(m["mediator"]),
        "event_loc": _js(m["event_loc"]), "size": _js(m["size"]), "confidence": m["confidence"],
        "evidence": evidence,
    }


def get_article(snap: Snapshot, article_id: str) -> dict[str, Any] | None:
    cur = snap.cursor()
    cur.execute("SELECT * FROM raw_articles WHERE id = ?", [article_id])
    rows = _rows(cur)
    if not rows:
        return None
    a = rows[0]
    dropped = [d for d in (_js(a.pop("dropped_lines"), []) or []) if isinstance(d, dict)]
    a["text"] = a["text"] or ""
    a["dropped_lines"] = [{"line_no": d.get("line_no"), "text": d.get("text"), "reason": d.get("reason")}
                          for d in dropped]
    cur.execute("SELECT m.id, m.event_id, m.event_type, m.status, m.attribution, m.evidence "
                "FROM raw_mentions m WHERE m.article_id = ? ORDER BY m.id", [article_id])
    a["mentions"] = [
        {"id": m["id"], "event_id": m["event_id"], "event_type": m["event_type"], "status": m["status"],
         "attribution": m["attribution"],
         "evidence": [{"start": e.get("start"), "end": e.get("end"), "trigger": e.get("trigger")}
                      for e in (_js(m["evidence"], []) or []) if isinstance(e, dict)]}
        for m in _rows(cur)
    ]
    cur.execute("SELECT id FROM raw_articles WHERE duplicate_of = ? ORDER BY id", [article_id])
    a["duplicates"] = [r[0] for r in cur.fetchall()]
    return a


def list_actors(snap: Snapshot, f: Filters, q: str | None = None, limit: int = 200) -> dict[str, Any]:
    """Actors taking part in the filtered events, most frequent first."""
    where, params = f.where()
    cur = snap.cursor()
    cond, cparams = "", []
    if q:
        cond = " WHERE contains(lower(concat_ws(' ', d.id, d.name, d.country)), ?)"
        cparams = [q.lower()]
    cur.execute(
        "WITH fe AS (SELECT id FROM ev" + where + "), "
        "c AS (SELECT p.actor_id, count(DISTINCT p.event_id) AS n FROM part p JOIN fe ON fe.id = p.event_id "
        "GROUP BY p.actor_id) "
        "SELECT d.id, d.name, d.country, d.sector, d.kind, c.n AS n_events, d.n_events AS n_events_total, "
        "d.as_actor, d.as_recipient, d.as_mediator FROM c JOIN actor_dim d ON d.id = c.actor_id" + cond
        + " ORDER BY c.n DESC, d.id LIMIT ?", [*params, *cparams, limit])
    items = _rows(cur)
    return {"total": len(items), "items": items}


def network(snap: Snapshot, f: Filters, limit: int = 40, max_edges: int = 150, labels: int = 20) -> dict[str, Any]:
    """Actor -> recipient network of the filtered events: the `limit` busiest actors and, among them, the
    `max_edges` heaviest edges (a dense network drawn whole is a hairball nobody can read), laid out in a
    `width` x `height` drawing (`_lay_out`), the `labels` busiest actors labelled where there is room."""
    where, params = f.where()
    cur = snap.cursor()
    cur.execute(
        "WITH fe AS (SELECT id, quad_code FROM ev" + where + "), "
        "e AS (SELECT g.src, g.dst, fe.quad_code FROM edge g JOIN fe ON fe.id = g.event_id), "
        "deg AS (SELECT a, count(*) AS n FROM (SELECT src AS a FROM e UNION ALL SELECT dst FROM e) GROUP BY a "
        "ORDER BY n DESC, a LIMIT ?) "
        "SELECT e.src, e.dst, count(*) AS n, "
        "count(*) FILTER (WHERE quad_code IN (1, 2)) AS coop, "
        "count(*) FILTER (WHERE quad_code IN (3, 4)) AS conflict "
        "FROM e WHERE e.src IN (SELECT a FROM deg) AND e.dst IN (SELECT a FROM deg) "
        "GROUP BY e.src, e.dst ORDER BY n DESC, e.src, e.dst LIMIT ?", [*params, limit, max_edges])
    edges = _rows(cur)
    ids = sorted({e["src"] for e in edges} | {e["dst"] for e in edges})
    cur.execute("SELECT id, name, country, sector, kind FROM actor_dim WHERE list_contains(?::VARCHAR[], id)",
                [ids])
    nodes = {r["id"]: r for r in _rows(cur)}
    weight: dict[str, int] = {}
    for e in edges:
        weight[e["src"]] = weight.get(e["src"], 0) + e["n"]
        weight[e["dst"]] = weight.get(e["dst"], 0) + e["n"]
    out = [{**nodes.get(i, {"id": i, "name": i}), "weight": weight[i]} for i in ids]
    return {"width": NET_WIDTH, "height": NET_HEIGHT, "nodes": _lay_out(out, edges, labels), "edges": edges}


# The network is laid out here, in a drawing of this size (the page scales it as a whole, text included, so
# labels placed apart here stay apart on screen).
NET_WIDTH, NET_HEIGHT, NET_FONT = 640.0, 480.0, 11.0
NET_LABEL_CHARS = 22


def _lay_out(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], labels: int) -> list[dict[str, Any]]:
    """Nodes with `x`, `y` (networkx spring layout of each connected part, packed), radius `r` and, for the
    `labels` busiest that have room, `label` {x, y, anchor, text} placed to overlap no other label or node."""
    import networkx as nx

    from newsline.report.layout import fit_to_canvas, network_layout, place_labels

    if not nodes:
        return []
    graph = nx.DiGraph()
    graph.add_nodes_from(d["id"] for d in nodes)
    graph.add_weighted_edges_from((e["src"], e["dst"], e["n"]) for e in edges)
    pos = fit_to_canvas(network_layout(graph, aspect=NET_WIDTH / NET_HEIGHT), NET_WIDTH, NET_HEIGHT,
                        margin_x=60, margin_y=30, stretch=1.6)
    heaviest = max(d["weight"] for d in nodes)
    radius = {d["id"]: round(4 + 12 * math.sqrt(d["weight"] / heaviest), 1) for d in nodes}
    texts = {d["id"]: _cut(d.get("name") or d["id"], NET_LABEL_CHARS) for d in nodes}
    order = [d["id"] for d in sorted(nodes, key=lambda d: (-d["weight"], d["id"]))]
    placed = place_labels(pos, radius, texts, order, NET_WIDTH, NET_HEIGHT, size=NET_FONT, most=labels)
    return [{**d, "x": pos[d["id"]][0], "y": pos[d["id"]][1], "r": radius[d["id"]],
             "label": {k: v for k, v in placed[d["id"]].items() if k != "box"} if d["id"] in placed else None}
            for d in nodes]


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"


def stats(snap: Snapshot) -> dict[str, Any]:
    cur = snap.cursor()
    lo, hi, undated, conflicted, multi = cur.execute(
        "SELECT min(d0), max(d0), count(*) FILTER (WHERE d0 IS NULL), count(*) FILTER (WHERE has_conflict), "
        "count(*) FILTER (WHERE n_sources > 1) FROM ev").fetchone()
    by_type = dict(cur.execute("SELECT event_type, count(*) FROM ev GROUP BY 1 ORDER BY 2 DESC").fetchall())
    # the page colours each type by its quad class (cooperation blue/green, conflict orange/red)
    type_quad = dict(cur.execute("SELECT event_type, mode(quad_code) FROM ev WHERE event_type IS NOT NULL "
                                 "GROUP BY 1").fetchall())
    by_status = dict(cur.execute("SELECT status, count(*) FROM ev GROUP BY 1 ORDER BY 2 DESC").fetchall())
    by_quad = {str(k): v for k, v in cur.execute(
        "SELECT quad_code, count(*) FROM ev GROUP BY 1 ORDER BY 1").fetchall()}
    dup, failed = cur.execute("SELECT count(*) FILTER (WHERE duplicate_of IS NOT NULL), "
                              "count(*) FILTER (WHERE error IS NOT NULL) FROM raw_articles").fetchone()
    return {
        "store": os.path.basename(snap.path), "loaded_at": snap.loaded_at, **snap.counts,
        "actors": cur.execute("SELECT count(*) FROM actor_dim").fetchone()[0],
        "date_min": lo.isoformat() if lo else None, "date_max": hi.isoformat() if hi else None,
        "undated_events": undated, "events_with_conflicts": conflicted, "multi_source_events": multi,
        "duplicate_articles": dup, "failed_articles": failed,
        "by_type": by_type, "by_status": by_status, "by_quad": by_quad,
        "types": sorted(t for t in by_type if t), "type_quad": type_quad, "quads": QUADS, "statuses": STATUSES,
    }
