"""`newsline serve`: a local FastAPI app to explore the store and check each event against its sources.

The JSON API (schema at `/openapi.json`, described in docs/web.md) serves one static page (`static/`) that
needs no build step and fetches nothing from outside: Plotly is served from the installed plotly package.
The store is read through `snapshot.SnapshotHolder` (read-only, re-loaded when the file changes).

Safety: the server binds 127.0.0.1 unless told otherwise and, when bound to loopback, answers only requests
addressed to a loopback host name (so a web page on another site cannot reach it through DNS rebinding);
the page puts article text into the DOM only as text (never as HTML) under a strict Content-Security-Policy;
unknown ids give 404, bad parameters 422, and an unexpected error gives a bare 500 (the traceback goes to
the server log, never to the client).
"""

from __future__ import annotations

import importlib.util
import ipaddress
import logging
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.middleware.trustedhost import TrustedHostMiddleware

from newsline.web import queries
from newsline.web.queries import Filters
from newsline.web.snapshot import SnapshotHolder

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"

# Inline scripts are forbidden, so even text that slipped into the DOM as HTML could not run. Plotly sets
# style attributes and injects a <style> element, hence 'unsafe-inline' for styles only.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]


def plotly_js() -> Path | None:
    """plotly.min.js bundled in the installed plotly package (the `report` extra), or None."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "package_data" / "plotly.min.js"
    return path if path.is_file() else None


# --------------------------------------------------------------------------- response models (for the schema)
class ActorOut(BaseModel):
    id: str | None = None
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    person: str | None = None
    role: str | None = None
    text: str | None = None
    kind: str | None = None


class PlaceOut(BaseModel):
    name: str | None = None
    country_code: str | None = None
    province: str | None = None
    lat: float | None = None
    lon: float | None = None


class EventSummary(BaseModel):
    id: str
    event_type: str | None
    quad_code: int | None
    mode: str | None
    status: str
    date: str | None
    enddate: str | None
    date_precision: str | None
    actor: list[ActorOut]
    recipient: list[ActorOut]
    mediator: list[ActorOut]
    place: PlaceOut | None
    corroboration: int = Field(description="number of independent sources reporting the event")
    n_sources: int
    n_mentions: int
    first_reported: str | None
    has_conflict: bool = Field(description="sources disagree (e.g. one reports, another denies)")


class EventPage(BaseModel):
    total: int = Field(description="events matching the filters (all pages)")
    offset: int
    limit: int
    sort: str
    items: list[EventSummary]


class Context(BaseModel):
    start: int = Field(description="offset of `text` in the article's clean text")
    text: str = Field(description="the paragraph containing the evidence sentence")


class EvidenceOut(BaseModel):
    sentence: str | None
    start: int | None = Field(description="offset of the sentence in the article's clean text")
    end: int | None
    trigger: str | None
    offsets_match: bool = Field(description="article text[start:end] equals the stored sentence")
    context: Context | None


class MentionOut(BaseModel):
    id: str
    event_id: str | None
    article_id: str | None
    article_title: str | None
    article_published: str | None
    article_uri: str | None
    event_type: str | None
    mode: str | None
    status: str
    attribution: str | None
    date: str | None
    date_text: str | None
    date_precision: str | None
    actor: list[ActorOut]
    recipient: list[ActorOut]
    mediator: list[ActorOut]
    event_loc: dict[str, Any] | None
    size: dict[str, Any] | None
    confidence: float | None
    evidence: list[EvidenceOut]


class SourceOut(BaseModel):
    id: str
    uri: str | None = None
    title: str | None = None
    published: str | None = None
    published_precision: str | None = None
    language: str | None = None
    duplicate_of: str | None = None
    missing: bool = Field(False, description="listed by the event but absent from the store")


class EventDetail(EventSummary):
    context: list[str]
    size: dict[str, Any] | None
    event_loc: dict[str, Any] | None
    claims: list[dict[str, Any]] = Field(description="what each source says: status, attribution, toll")
    conflicts: list[Any]
    mentions: list[MentionOut]
    sources: list[SourceOut]


class DroppedLineOut(BaseModel):
    line_no: int | None
    text: str | None
    reason: str | None


class ArticleMentionOut(BaseModel):
    id: str
    event_id: str | None
    event_type: str | None
    status: str | None
    attribution: str | None
    evidence: list[dict[str, Any]]


class ArticleOut(BaseModel):
    id: str
    uri: str | None
    title: str | None
    published: str | None
    published_precision: str | None
    published_evidence: str | None
    language: str | None
    text: str = Field(description="clean body, paragraphs separated by newlines; offsets point into it")
    dropped_lines: list[DroppedLineOut] = Field(description="page chrome the cleaner removed, with reasons")
    duplicate_of: str | None
    duplicates: list[str]
    error: str | None
    content_type: str | None
    mentions: list[ArticleMentionOut]


class ActorStat(BaseModel):
    id: str
    name: str | None
    country: str | None
    sector: str | None
    kind: str | None
    n_events: int = Field(description="filtered events the actor takes part in")
    n_events_total: int
    as_actor: int
    as_recipient: int
    as_mediator: int


class ActorList(BaseModel):
    total: int
    items: list[ActorStat]


class Series(BaseModel):
    key: str
    x: list[str]
    y: list[int]


class Timeline(BaseModel):
    bucket: str
    by: str
    min: str | None
    max: str | None
    undated: int
    series: list[Series]


class NetLabel(BaseModel):
    x: float
    y: float
    anchor: Literal["start", "middle", "end"]
    text: str


class NetNode(BaseModel):
    id: str
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    kind: str | None = None
    weight: int
    x: float
    y: float
    r: float
    label: NetLabel | None = None


class NetEdge(BaseModel):
    src: str
    dst: str
    n: int
    coop: int
    conflict: int


class Network(BaseModel):
    width: float
    height: float
    nodes: list[NetNode]
    edges: list[NetEdge]


class Stats(BaseModel):
    store: str
    loaded_at: float
    events: int
    mentions: int
    articles: int
    runs: int
    actors: int
    date_min: str | None
    date_max: str | None
    undated_events: int
    events_with_conflicts: int
    multi_source_events: int
    duplicate_articles: int
    failed_articles: int
    by_type: dict[str, int]
    by_status: dict[str, int]
    by_quad: dict[str, int]
    types: list[str]
    type_quad: dict[str, int | None]
    quads: dict[int, str]
    statuses: list[str]


# --------------------------------------------------------------------------- parameters
Status = Literal["asserted", "reported", "denied", "planned", "hypothetical"]
Sort = Literal["date", "-date", "corroboration", "-corroboration", "type", "first_reported", "-first_reported"]
Id = Annotated[str, Field(min_length=1, max_length=200)]
TypeCode = Annotated[str, Field(pattern=r"^[A-Z][A-Z_]{1,30}$")]
Quad = Annotated[int, Field(ge=1, le=4)]


def event_filters(
    actor: Annotated[list[Id], Query(description="actor id taking part in any role; repeat to require all",
                                     max_length=10)] = [],  # noqa: B006 - FastAPI copies defaults
    type: Annotated[list[TypeCode], Query(description="PLOVER event type; repeat for any of several",
                                          max_length=20)] = [],  # noqa: B006
    quad: Annotated[list[Quad], Query(description="quad class 1-4; repeat for any of several",
                                      max_length=4)] = [],  # noqa: B006
    status: Annotated[list[Status], Query(description="event status; repeat for any of several",
                                          max_length=5)] = [],  # noqa: B006
    date_from: Annotated[date | None, Query(alias="from", description="events ending on or after (YYYY-MM-DD)")]
    = None,
    date_to: Annotated[date | None, Query(alias="to", description="events starting on or before (YYYY-MM-DD)")]
    = None,
    place: Annotated[str | None, Query(max_length=100, description="substring of place, province or country")]
    = None,
    q: Annotated[str | None, Query(max_length=200, description="words that must all occur in the event's "
                                   "actors, type, place or source sentences")] = None,
) -> Filters:
    if date_from and date_to and date_from > date_to:
        raise HTTPException(422, detail=[{"loc": ["query", "from"], "msg": "`from` is after `to`",
                                          "type": "value_error"}])
    return Filters(actor=actor, type=type, quad=quad, status=status, date_from=date_from, date_to=date_to,
                   place=place or None, q=q or None)


FiltersDep = Annotated[Filters, Depends(event_filters)]


def current_snapshot(request: Request) -> queries.Snapshot:
    """The store snapshot of the app serving `request` (re-loaded when the store file changed)."""
    return request.app.state.holder.get()


SnapDep = Annotated[queries.Snapshot, Depends(current_snapshot)]


# --------------------------------------------------------------------------- app
def create_app(db: str | Path, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The web app over the store file `db`. `allowed_hosts` restricts the Host header (None: no check)."""
    db = Path(db)
    if not db.is_file():
        raise FileNotFoundError(f"no newsline store at {db} (create one with `newsline run`)")
    holder = SnapshotHolder(db)

    # The interactive /docs page loads Swagger UI from a CDN, which this offline tool must not do: the
    # schema stays at /openapi.json and docs/web.md describes the API.
    app = FastAPI(title="newsline", version="1", docs_url=None, redoc_url=None,
                  description="Read-only API over a newsline event store.")
    app.state.holder = holder
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("error serving %s", request.url.path)
        return JSONResponse({"detail": "internal error"}, status_code=500, headers=SECURITY_HEADERS)

    @app.get("/api/events", response_model=EventPage, tags=["events"])
    def api_events(
        s: SnapDep, f: FiltersDep,
        sort: Annotated[Sort, Query(description="order; a leading '-' sorts descending")] = "-date",
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> dict[str, Any]:
        """Events matching the filters, one page at a time."""
        return queries.list_events(s, f, sort=sort, offset=offset, limit=limit)

    # ids may hold slashes (an article's id is its path under the input folder: "pakistan/001_talks"); the
    # page sends them percent-encoded, which the server decodes before routing, so the routes take a path
    @app.get("/api/events/{event_id:path}", response_model=EventDetail, tags=["events"],
             responses={404: {"description": "no such event"}})
    def api_event(s: SnapDep, event_id: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
        """One event with its sources, mentions, evidence sentences (with offsets and context) and claims."""
        ev = queries.get_event(s, event_id)
        if ev is None:
            raise HTTPException(404, detail="no such event")
        return ev

    @app.get("/api/articles/{article_id:path}", response_model=ArticleOut, tags=["articles"],
             responses={404: {"description": "no such article"}})
    def api_article(s: SnapDep, article_id: Annotated[str, PathParam(max_length=300)]) -> dict[str, Any]:
        """One article: clean text, dropped chrome lines, metadata and the event mentions it carries."""
        art = queries.get_article(s, article_id)
        if art is None:
            raise HTTPException(404, detail="no such article")
        return art

    @app.get("/api/actors", response_model=ActorList, tags=["actors"])
    def api_actors(
        s: SnapDep, f: FiltersDep,
        search: Annotated[str | None, Query(max_length=100, description="substring of id, name or country")]
        = None,
        limit: Annotated[int, Query(ge=1, le=2000)] = 200,
    ) -> dict[str, Any]:
        """Actors in the filtered events with their event counts, most frequent first."""
        return queries.list_actors(s, f, q=search, limit=limit)

    @app.get("/api/network", response_model=Network, tags=["actors"])
    def api_network(s: SnapDep, f: FiltersDep,
                    limit: Annotated[int, Query(ge=2, le=200, description="most connected actors kept")] = 40,
                    edges: Annotated[int, Query(ge=1, le=2000, description="heaviest edges kept")] = 150,
                    labels: Annotated[int, Query(ge=0, le=200, description="busiest actors labelled")] = 20,
                    ) -> dict[str, Any]:
        """Actor -> recipient network of the filtered events (edges counted by event, split coop/conflict),
        laid out on the server: node `x`, `y`, radius `r` in a `width` x `height` drawing (y down), and a
        `label` placed clear of the others for the busiest actors."""
        return queries.network(s, f, limit=limit, max_edges=edges, labels=labels)

    @app.get("/api/timeline", response_model=Timeline, tags=["events"])
    def api_timeline(
        s: SnapDep, f: FiltersDep,
        bucket: Annotated[Literal["auto", "day", "week", "month"], Query()] = "auto",
        by: Annotated[Literal["type", "quad"], Query()] = "type",
    ) -> dict[str, Any]:
        """Counts of filtered events per period and type (the date range filter is not applied here)."""
        return queries.timeline(s, f, bucket=bucket, by=by)

    @app.get("/api/stats", response_model=Stats, tags=["stats"])
    def api_stats(s: SnapDep) -> dict[str, Any]:
        """Size of the store and the distribution of events by type, status and quad class."""
        return queries.stats(s)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly() -> Response:
        path = plotly_js()
        if path is None:
            # the page degrades to table and panels without charts; see docs/web.md
            raise HTTPException(404, detail="plotly is not installed (pip install 'newsline[report]')")
        return FileResponse(path, media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(db: str | Path = "newsline.duckdb", host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the web view over the store `db` until interrupted (what `newsline serve` calls)."""
    import uvicorn

    if _is_loopback(host):
        allowed = [*LOOPBACK_NAMES, host]
    else:
        # Bound to a public interface on purpose: the user chose to expose it, so any Host is accepted.
        log.warning("serving on %s: the store is readable by anyone who can reach this address", host)
        allowed = ["*"]
    app = create_app(db, allowed_hosts=allowed)
    shown = f"[{host}]" if ":" in host else host
    log.info("newsline web view on http://%s:%d/ (store %s)", shown, port, db)
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False, server_header=False)
