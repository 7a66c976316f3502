"""A small newsline store for the web tests, written through the store's own write functions."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

from newsline.records import (
    ActorRef,
    Article,
    Claim,
    DroppedLine,
    Event,
    EventMention,
    Evidence,
    Place,
    RawDocument,
    RunSummary,
    Size,
)
from newsline.store.db import Store

XSS_TITLE = "<script>window.__pwned = 1</script>Talks resume"
XSS_LINE = '<img src=x onerror="window.__pwned = 2">'


def write_store(path: Path, articles: list[Article], mentions: list[EventMention], events: list[Event]) -> Path:
    run = RunSummary(run_id="r1", started_at="2024-01-01T00:00:00", seen=len(articles), new=len(articles))
    items = []
    for a in articles:
        content = a.text.encode()
        doc = RawDocument(id=a.id, uri=a.uri, content=content, content_type="text",
                          content_hash=hashlib.sha256(content).hexdigest())
        items.append((doc, a, [m for m in mentions if m.article_id == a.id]))
    with Store(path) as store:
        store.write_batch(items, run=run)
        store.replace_events(events)
    return path


PAK = ActorRef(id="pak", name="Pakistan", country="PAK", sector="GOV", kind="state",
               person="Shah Mahmood Qureshi", role="Foreign Minister", text="Foreign Minister Shah Mahmood Qureshi")
AFG = ActorRef(id="afg-taliban", name="Afghan Taliban", country="AFG", sector="GOV", kind="group", text="Kabul")
TTP = ActorRef(id="ttp", name="Tehrik-i-Taliban Pakistan", country="PAK", sector="REB", kind="group", text="TTP")
KABUL = Place(extracted_place="Kabul", resolved_place="Kabul", country_code="AFG", province="Kabul",
              lat=34.53, lon=69.17, resolution=4)
PESHAWAR = Place(extracted_place="Peshawar", resolved_place="Peshawar", country_code="PAK",
                 province="Khyber Pakhtunkhwa", lat=34.01, lon=71.58, resolution=4)


def event_for(eid: str, ms: list[EventMention], **kw: Any) -> Event:
    """The clustered event of mentions `ms` (fields from the first mention, claims from all)."""
    m0 = ms[0]
    return Event(id=eid, event_type=m0.event_type, mode=m0.mode, context=m0.context, actor=m0.actor,
                 recipient=m0.recipient, mediator=m0.mediator, date=m0.date,
                 date_precision=m0.date_precision, event_loc=m0.event_loc, size=m0.size,
                 status=m0.status, quad_code=m0.quad_code, mentions=[m.id for m in ms],
                 sources=sorted({m.article_id for m in ms}), corroboration=len({m.article_id for m in ms}),
                 first_reported="2021-10-22" if eid == "ev_visit" else None,
                 claims=[Claim(article_id=m.article_id, mention_id=m.id, status=m.status,
                               attribution=m.attribution, size=m.size) for m in ms], **kw)


def _evidence(text: str, sentence: str, trigger: str) -> Evidence:
    start = text.index(sentence)
    return Evidence(sentence=sentence, start=start, end=start + len(sentence), trigger=trigger)


def sample_records() -> tuple[list[Article], list[EventMention], list[Event]]:
    """Three articles, four events: a two-source visit (one denial), talks, an attack, a hostile article."""
    t1 = ("Islamabad, Oct 22.\n"
          "Foreign Minister Shah Mahmood Qureshi visited Kabul on October 21 for talks with the Taliban.\n"
          "The visit was the first by a Pakistani minister since August.")
    t2 = ("Pakistan's Ambassador Mansoor Ahmed Khan said the minister travelled to Kabul on Thursday.\n"
          "Officials in Islamabad denied that any talks with the TTP took place in Kabul.\n"
          "The TTP reportedly attacked a checkpoint near Peshawar, killing two soldiers.")
    t3 = ("Talks resume.\n"
          "Pakistan held talks with the TTP in Kabul, mediated by the Afghan Taliban <script>alert(1)</script>.\n"
          'A reader wrote <img src=x onerror="window.__pwned = 3"> in the comments.')
    a1 = Article(id="001_visit", uri="file:///corpus/001.txt", title="Qureshi visits Kabul",
                 published="2021-10-22", published_precision="day", published_evidence="Oct 22",
                 language="en", text=t1,
                 dropped_lines=[DroppedLine(0, "ΕΛΛΗΝΙΚΑ | Home | World", "navigation"),
                                DroppedLine(7, "Read More: Taliban name cabinet", "link"),
                                DroppedLine(9, "ADVERTISEMENT", "ad")])
    # from a subfolder: its id holds a slash, as every file's under a folder of the input does
    a2 = Article(id="pakistan/002_denial", uri="file:///corpus/pakistan/002_denial.txt", title="Envoy confirms minister's trip",
                 published="2021-10-23", published_precision="day", language="en", text=t2,
                 dropped_lines=[DroppedLine(1, "Update: 2021-10-23 07:56 GMT", "date header")])
    a3 = Article(id="003_xss", uri="file:///corpus/003.html", title=XSS_TITLE, published="2022-11-02",
                 published_precision="day", language="en", text=t3,
                 dropped_lines=[DroppedLine(4, XSS_LINE, "comment form")])

    s_visit = "Foreign Minister Shah Mahmood Qureshi visited Kabul on October 21 for talks with the Taliban."
    s_trip = "Pakistan's Ambassador Mansoor Ahmed Khan said the minister travelled to Kabul on Thursday."
    s_deny = "Officials in Islamabad denied that any talks with the TTP took place in Kabul."
    s_attack = "The TTP reportedly attacked a checkpoint near Peshawar, killing two soldiers."
    s_talks = "Pakistan held talks with the TTP in Kabul, mediated by the Afghan Taliban <script>alert(1)</script>."

    m1 = EventMention(id="m1", article_id=a1.id, event_id="ev_visit", event_type="CONSULT", mode="visit",
                      context=["diplomatic"], actor=[PAK], recipient=[AFG], date="2021-10-21",
                      date_precision="day", date_text="October 21", event_loc=KABUL, status="asserted",
                      evidence=[_evidence(t1, s_visit, "visited")], quad_code=1)
    m2 = EventMention(id="m2", article_id=a2.id, event_id="ev_visit", event_type="CONSULT", mode="visit",
                      actor=[PAK], recipient=[AFG], date="2021-10-21", date_precision="day", date_text="Thursday",
                      event_loc=KABUL, status="reported",
                      attribution="Pakistan's Ambassador to Afghanistan Mansoor Ahmed Khan",
                      evidence=[_evidence(t2, s_trip, "travelled")], quad_code=1)
    m3 = EventMention(id="m3", article_id=a2.id, event_id="ev_talks", event_type="CONSULT", actor=[PAK],
                      recipient=[TTP], date="2021-10", date_precision="month", event_loc=KABUL, status="denied",
                      attribution="Officials in Islamabad", evidence=[_evidence(t2, s_deny, "talks")],
                      quad_code=1)
    m4 = EventMention(id="m4", article_id=a2.id, event_id="ev_attack", event_type="ASSAULT", actor=[TTP],
                      recipient=[PAK], date="2021-10-20", date_precision="day", event_loc=PESHAWAR,
                      size=Size(dead=2), status="reported", evidence=[_evidence(t2, s_attack, "attacked")],
                      quad_code=4)
    m5 = EventMention(id="m5", article_id=a3.id, event_id="ev_xss", event_type="CONSULT", actor=[PAK],
                      recipient=[TTP], mediator=[AFG], date="2022-11-01", date_precision="day",
                      event_loc=KABUL, status="asserted", evidence=[_evidence(t3, s_talks, "talks")],
                      quad_code=1)

    events = [event_for("ev_visit", [m1, m2]), event_for("ev_talks", [m3], conflicts=["status: denied"]),
              event_for("ev_attack", [m4]), event_for("ev_xss", [m5])]
    return [a1, a2, a3], [m1, m2, m3, m4, m5], events


# actor names that are markup for Plotly (a link, bold) and for HTML
LINK_NAME = '<a href="https://example.com/">AT</a>'
BOLD_NAME = "<b>TTP</b> & co"


def hostile_actor_records() -> tuple[list[Article], list[EventMention], list[Event]]:
    """The sample records with two actors' names made of markup."""
    articles, mentions, events = sample_records()
    names = {"afg-taliban": LINK_NAME, "ttp": BOLD_NAME}

    def rename(actors: list[ActorRef]) -> list[ActorRef]:
        return [dataclasses.replace(a, name=names.get(a.id, a.name)) for a in actors]

    def renamed(r: Any) -> Any:
        return dataclasses.replace(r, actor=rename(r.actor), recipient=rename(r.recipient),
                                   mediator=rename(r.mediator))

    return articles, [renamed(m) for m in mentions], [renamed(e) for e in events]


NETWORK_NAMES = [
    "Pakistan", "Afghanistan", "Tehrik-i-Taliban Pakistan", "India", "United States", "China", "Iran",
    "Afghan Taliban", "Islamic State Khorasan", "Pakistan Army", "Balochistan Liberation Army", "Qatar",
    "United Nations", "Russia", "Saudi Arabia", "Turkey", "United Kingdom", "European Union",
    "Uzbekistan", "Tajikistan", "Turkmenistan", "Kazakhstan", "Inter-Services Intelligence",
    "Pakistan Tehreek-e-Insaf", "Pakistan Muslim League (N)", "Jamiat Ulema-e-Islam (F)",
    "Khyber Pakhtunkhwa Police", "Counter Terrorism Department", "Frontier Corps Balochistan",
    "Haqqani Network", "Lashkar-e-Taiba", "Jaish-e-Mohammed", "Al-Qaeda in the Indian Subcontinent",
    "National Resistance Front", "Hazara community", "International Monetary Fund", "World Bank",
    "Asian Development Bank", "Germany", "France", "Japan", "Norway", "Red Cross (ICRC)",
    "UN High Commissioner for Refugees", "Médecins Sans Frontières", "Sri Lanka", "Bangladesh", "Nepal",
    "Maldives", "Bhutan",
]


def network_records(n: int = 50) -> tuple[list[Article], list[EventMention], list[Event]]:
    """Events among `n` actors: three busy actors with their circles, links between the circles, a two-node
    island with heavy traffic and a three-node island (what the network view must lay out readably)."""
    import random

    rng = random.Random(3)
    names = NETWORK_NAMES[:n]
    ids = [f"a{i:02d}" for i in range(len(names))]
    actors = {i: ActorRef(id=i, name=name, country="PAK", sector="GOV", kind="state", text=name)
              for i, name in zip(ids, names, strict=True)}
    island2, island3 = ids[-2:], ids[-5:-2]
    main = ids[:-5]
    pairs: list[tuple[str, str, str]] = []
    for k, hub in enumerate(main[:3]):
        circle = main[3 + k::3]
        for spoke in circle:
            for _ in range(rng.randint(1, 4)):
                a, b = (hub, spoke) if rng.random() < 0.6 else (spoke, hub)
                pairs.append((a, b, rng.choice(["CONSULT", "AID", "ASSAULT", "ACCUSE"])))
        pairs += [(hub, main[(k + 1) % 3], "CONSULT")] * 5
    for _ in range(25):
        a, b = rng.sample(main[3:], 2)
        pairs.append((a, b, rng.choice(["CONSULT", "ASSAULT"])))
    pairs += [(island2[0], island2[1], "ASSAULT")] * 12 + [(island2[1], island2[0], "ASSAULT")] * 6
    pairs += [(island3[0], island3[1], "AID"), (island3[1], island3[2], "AID"), (island3[2], island3[0], "CONSULT")]
    quad = {"CONSULT": 1, "AID": 2, "ACCUSE": 3, "ASSAULT": 4}
    events = [Event(id=f"net{k:03d}", event_type=t, actor=[actors[a]], recipient=[actors[b]],
                    date=f"2022-{1 + k % 12:02d}-{1 + k % 28:02d}", date_precision="day", status="asserted",
                    quad_code=quad[t], mentions=[], sources=[], corroboration=1)
              for k, (a, b, t) in enumerate(pairs)]
    return [], [], events
