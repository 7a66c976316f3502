"""Cross-article event clustering (cluster/events.py) with EventMention records built here."""

import random

from newsline.cluster.events import cluster_events, event_id_for, event_ids_by_mention
from newsline.records import ActorRef, Article, EventMention, Evidence, Place, Size

PAK = ActorRef(id="pak", name="Pakistan", country="PAK", sector="GOV")
PAK_FM = ActorRef(id="pak-fm", name="Pakistan", country="PAK", sector="GOV", person="Shah Mahmood Qureshi",
                  role="Foreign Minister")
AFG = ActorRef(id="afg", name="Afghanistan", country="AFG", sector="GOV")
TTP = ActorRef(id="ttp", name="TTP", country="PAK", sector="REB")
QAT = ActorRef(id="qat", name="Qatar", country="QAT", sector="GOV")
KABUL = Place("Kabul", "Kabul", "AFG", "Kabul", 34.53, 69.17, 4)
DOHA = Place("Doha", "Doha", "QAT", "Ad Dawhah", 25.29, 51.53, 4)
PAKTIKA = Place("Paktika", "Paktika", "AFG", "Paktika", 32.5, 68.8, 2)
URGUN = Place("Urgun", "Urgun", "AFG", "Paktika", 32.93, 69.18, 4)
SPIN_BOLDAK = Place("Spin Boldak", "Spin Boldak", "AFG", "Kandahar", 31.0, 66.4, 4)


def mention(mid, article, etype, actor, recipient=(), date=None, precision="day", place=None, status="asserted",
            dead=None, mode=None, sentence="", **kw) -> EventMention:
    unresolved = kw.pop("date_precision", None)  # the precision of a time the coder could not resolve
    return EventMention(id=mid, article_id=article, event_type=etype, actor=list(actor),
                        recipient=list(recipient), date=date, date_precision=precision if date else unresolved,
                        event_loc=place, status=status, size=Size(dead=dead), mode=mode,
                        evidence=[Evidence(sentence, 0, len(sentence), "")] if sentence else [], **kw)


def article(aid, published, duplicate_of=None) -> Article:
    return Article(id=aid, uri=f"https://{aid}.example/story", published=published, duplicate_of=duplicate_of)


def groups(events):
    return sorted(sorted(e.mentions) for e in events)


def test_two_outlets_reporting_one_ceasefire_make_one_corroborated_event():
    ms = [mention("a1-1", "a1", "AGREE", [PAK], [AFG], "2025-10-19", place=DOHA, mediator=[QAT]),
          mention("a2-1", "a2", "CONCEDE", [AFG], [PAK], "2025-10-19", place=DOHA)]
    arts = [article("a1", "2025-10-19"), article("a2", "2025-10-20")]
    [ev] = cluster_events(ms, arts)
    assert ev.mentions == ["a1-1", "a2-1"] and ev.sources == ["a1", "a2"]
    assert ev.corroboration == 2 and ev.first_reported == "2025-10-19"
    assert ev.date == "2025-10-19" and ev.event_loc.resolved_place == "Doha"
    assert [c.article_id for c in ev.claims] == ["a1", "a2"] and ev.conflicts == []
    assert ev.id == event_id_for(["a1-1", "a2-1"])


def test_three_visits_to_kabul_stay_three_events():
    ms = [mention("v1", "a1", "CONSULT", [PAK_FM], [AFG], "2021-10-21", place=KABUL, mode="visit"),
          mention("v1b", "a2", "CONSULT", [PAK], [AFG], "2021-10-21", place=KABUL, mode="visit"),
          mention("v2", "a3", "CONSULT", [PAK], [AFG], "2023-02", precision="month", place=KABUL, mode="visit"),
          mention("v3", "a4", "CONSULT", [PAK], [AFG], "2023-07", precision="month", place=KABUL, mode="visit"),
          mention("v3b", "a5", "CONSULT", [PAK], [AFG], "2023-07-24", place=KABUL, mode="visit")]
    events = cluster_events(ms, [article(f"a{i}", None) for i in range(1, 6)])
    assert groups(events) == [["v1", "v1b"], ["v2"], ["v3", "v3b"]]
    july = next(e for e in events if "v3" in e.mentions)
    assert (july.date, july.enddate, july.date_precision) == ("2023-07-24", None, "day")  # tightest interval


def test_two_monthly_ceasefires_are_two_events():
    truce = "the TTP agreed an indefinite ceasefire with the government after talks in Kabul"
    ms = [mention("c1", "a1", "AGREE", [PAK], [TTP], "2021-11", precision="month",
                  sentence="A month-long ceasefire with the government collapsed in December"),
          mention("c2", "a2", "AGREE", [PAK], [TTP], "2022-05", precision="month", sentence=f"In May {truce}."),
          mention("c3", "a3", "AGREE", [TTP], [PAK], "2022-05-18", sentence=f"On Wednesday {truce}.")]
    assert groups(cluster_events(ms)) == [["c1"], ["c2", "c3"]]


def test_a_vague_date_alone_does_not_join_a_precise_event():
    """Being compatible is no evidence: "in May" with the same parties, nothing else shared, stays apart;
    the same person, or the same place with the same parties, is enough."""
    ms = [mention("p1", "a1", "AGREE", [PAK], [TTP], "2022-05-18"),
          mention("p2", "a2", "AGREE", [PAK], [TTP], "2022-05", precision="month")]
    assert groups(cluster_events(ms)) == [["p1"], ["p2"]]
    ms = [mention("p1", "a1", "CONSULT", [PAK], [AFG], "2021-10-21", place=KABUL),
          mention("p2", "a2", "CONSULT", [PAK], [AFG], "2021-10", precision="month", place=KABUL),
          mention("p3", "a3", "CONSULT", [PAK_FM], [AFG], "2021-10-21"),
          mention("p4", "a4", "CONSULT", [PAK_FM], [AFG], "2021", precision="year")]
    assert groups(cluster_events(ms)) == [["p1", "p2", "p3", "p4"]]


def test_talks_elsewhere_last_month_do_not_join_a_dated_visit():
    """The demo error: Qureshi's visit to Kabul on 2021-10-21 (its place resolved to the country only)
    and the Pakistan-TTP talks in Khost "last month" - reported in one article beside a background line on
    the visit - are two events, whatever the order and the shared sentence."""
    khost = Place("Khost province", "Khost province", "AFG", "Khost", 33.3, 69.9, 2)
    afghanistan = Place("Afghanistan", "Afghanistan", "AFG", None, 33.9, 67.7, 1)
    ttp_talks = ActorRef(id="pak-gov", name="Pakistan", country="PAK", sector="GOV")
    background = "Foreign Minister Shah Mahmood Qureshi travelled to Kabul on October 21 for meetings"
    arts = [article("visit", "2021-10-21"), article("truce", "2021-11-08")]
    ms = [mention("v1", "visit", "CONSULT", [PAK_FM, PAK], [AFG], "2021-10-21", place=afghanistan, mode="visit",
                  sentence="Foreign Minister Shah Mahmood Qureshi flew into Kabul on Thursday"),
          mention("t5", "truce", "CONSULT", [AFG, PAK_FM], [], "2021-10-21", mode="third-party",
                  sentence=f"Chaudhry said the talks had been facilitated by Afghanistan. {background}."),
          mention("t3", "truce", "CONSULT", [ttp_talks, TTP], [], "2021-10", precision="month", place=khost,
                  sentence=f"The talks had taken place over several weeks in Khost province. {background}.")]
    events = cluster_events(ms, arts)
    assert groups(events) == [["t3"], ["t5", "v1"]]
    assert all("t3" not in e.mentions or len(e.mentions) == 1 for e in events)


def test_adjacent_days_do_not_chain():
    ms = [mention(f"d{i}", f"a{i}", "ASSAULT", [PAK], [AFG], f"2025-10-{10 + i:02d}", place=SPIN_BOLDAK)
          for i in range(4)]
    events = cluster_events(ms)
    for e in events:
        days = sorted(int(m[1:]) for m in e.mentions)
        assert days[-1] - days[0] <= 1


def test_adjacent_days_do_not_chain_when_each_day_has_two_reports():
    # the second report of a day narrowed the event's core to that day, so the next day was adjacent again
    ms = [mention(f"d{i}{k}", f"a{i}{k}", "ASSAULT", [PAK], [AFG], f"2025-10-{10 + i:02d}", place=SPIN_BOLDAK)
          for i in range(6) for k in "xy"]
    events = cluster_events(ms)
    for e in events:
        days = sorted(int(m[1]) for m in e.mentions)
        assert days[-1] - days[0] <= 1
    assert len(events) >= 3


def test_one_sided_events_in_opposite_directions_are_kept_apart():
    ms = [mention("x1", "a1", "ASSAULT", [PAK], [AFG], "2025-10-15", place=SPIN_BOLDAK),
          mention("x2", "a2", "ASSAULT", [AFG], [PAK], "2025-10-15", place=SPIN_BOLDAK)]
    assert groups(cluster_events(ms)) == [["x1"], ["x2"]]


def test_places_decide_between_look_alike_strikes_and_tolls_conflict():
    ms = [mention("s1", "a1", "ASSAULT", [PAK], [AFG], "2025-10-17", place=PAKTIKA, dead=10),
          mention("s2", "a2", "ASSAULT", [PAK], [AFG], "2025-10-17", place=URGUN, dead=8),
          mention("s3", "a3", "ASSAULT", [PAK], [AFG], "2025-10-17", place=SPIN_BOLDAK, dead=12)]
    events = cluster_events(ms)
    assert groups(events) == [["s1", "s2"], ["s3"]]
    paktika = next(e for e in events if "s1" in e.mentions)
    assert paktika.event_loc.resolved_place == "Urgun"  # the more precise place
    assert paktika.conflicts == ["dead: 8 (a2), 10 (a1)"]
    assert paktika.size.dead == 8  # tie between sources: the conservative figure


def test_reported_versus_denied_is_flagged():
    ms = [mention("d1", "a1", "ASSAULT", [PAK], [AFG], "2025-10-14", place=KABUL, status="reported"),
          mention("d2", "a2", "ASSAULT", [PAK], [AFG], "2025-10-14", place=KABUL, status="denied"),
          mention("d3", "a3", "ASSAULT", [PAK], [AFG], "2025-10-14", place=KABUL, status="reported")]
    [ev] = cluster_events(ms)
    assert ev.status == "reported"
    assert ev.conflicts == ["status: denied by a2; reported by a1, a3"]
    assert {c.mention_id: c.status for c in ev.claims} == {"d1": "reported", "d2": "denied", "d3": "reported"}


def test_reprint_adds_no_corroboration_and_no_second_event():
    arts = [article("orig", "2025-03-12"), article("copy", "2025-03-13", duplicate_of="orig"),
            article("other", "2025-03-12")]
    ms = [mention("o1", "orig", "ASSAULT", [TTP], [PAK], "2025-03-11", dead=21),
          mention("o2", "orig", "REQUEST", [TTP], [PAK], "2025-03-11"),
          mention("c1", "copy", "ASSAULT", [TTP], [PAK], "2025-03-11", dead=21),
          mention("c2", "copy", "REQUEST", [TTP], [PAK], None),  # the copy lost the date
          mention("t1", "other", "ASSAULT", [TTP], [PAK], "2025-03-11", dead=26)]
    events = cluster_events(ms, arts)
    assert groups(events) == [["c1", "o1", "t1"], ["c2", "o2"]]
    attack = next(e for e in events if "o1" in e.mentions)
    assert attack.corroboration == 2 and attack.sources == ["copy", "orig", "other"]
    assert attack.conflicts == ["dead: 21 (orig), 26 (other)"]  # the copy's figure is not a second voice
    request = next(e for e in events if "o2" in e.mentions)
    assert request.corroboration == 1


def test_look_alike_events_in_one_article_stay_apart():
    ms = [mention("m1", "a1", "ASSAULT", [TTP], [PAK], "2024-08-26", dead=10),
          mention("m2", "a1", "ASSAULT", [TTP], [PAK], "2024-08-26", dead=6),
          mention("m3", "a1", "ASSAULT", [TTP], [PAK], "2024-08-26")]
    assert groups(cluster_events(ms)) == [["m1"], ["m2"], ["m3"]]


def test_undated_habitual_claim_does_not_join_a_dated_event_months_away():
    arts = [article("a1", "2025-04-19"), article("a2", "2025-08-20")]
    ms = [mention("r1", "a1", "REQUEST", [PAK], [TTP, AFG], "2025-04-19"),
          mention("r2", "a2", "REQUEST", [PAK], [TTP, AFG], None)]
    assert groups(cluster_events(ms, arts)) == [["r1"], ["r2"]]


def test_evidence_wording_and_place_support_an_adjacent_day():
    arts = [article("a1", "2025-10-19"), article("a2", "2025-10-19")]
    ms = [mention("n1", "a1", "CONSULT", [PAK], [AFG], "2025-10-18", place=DOHA,
                  sentence="Delegations held 13 hours of talks in Doha mediated by Qatar and Turkey"),
          mention("n2", "a2", "CONSULT", [AFG], [PAK], "2025-10-19", place=DOHA,
                  sentence="After 13 hours of talks in Doha mediated by Qatar and Turkey, delegations agreed"),
          mention("n3", "a2", "CONSULT", [PAK], [AFG], "2025-10-25", place=KABUL)]
    events = cluster_events(ms, arts)
    assert groups(events) == [["n1", "n2"], ["n3"]]
    doha = events[0]
    assert (doha.date, doha.enddate) == ("2025-10-18", "2025-10-19")
    assert doha.conflicts and doha.conflicts[0].startswith("date:")


def _corpus():
    arts = [article(f"a{i}", f"2025-10-{10 + i:02d}") for i in range(8)]
    ms = [mention("k1", "a1", "ASSAULT", [PAK], [AFG], "2025-10-11", dead=23),
          mention("k2", "a2", "ASSAULT", [PAK], [AFG], "2025-10-11", dead=23),
          mention("k3", "a3", "AGREE", [PAK], [AFG], "2025-10-15"),
          mention("k4", "a4", "AGREE", [AFG], [PAK], "2025-10-19", place=DOHA),
          mention("k5", "a5", "CONSULT", [PAK], [AFG], "2025-10", precision="month")]
    return arts, ms


def test_reruns_are_idempotent_and_order_free():
    arts, ms = _corpus()
    first = cluster_events(ms, arts)
    shuffled = ms[:]
    random.Random(7).shuffle(shuffled)
    assert cluster_events(shuffled, arts) == first
    assert cluster_events(ms, arts, existing_events=first) == first


def test_new_articles_join_existing_events_which_keep_their_ids():
    arts, ms = _corpus()
    first = cluster_events(ms, arts)
    ids = event_ids_by_mention(first)
    arts.append(article("a9", "2025-10-21"))
    late = [mention("a0-new", "a9", "ASSAULT", [AFG], [PAK], "2025-10-11", dead=58),  # a smaller mention id
            mention("z-new", "a9", "AGREE", [PAK], [AFG], "2025-10-19", place=DOHA)]
    second = cluster_events(ms + late, arts, existing_events=first)
    new_ids = event_ids_by_mention(second)
    assert all(new_ids[m] == ids[m] for m in ids)  # no existing event renamed or split
    assert new_ids["z-new"] == ids["k4"]
    assert len(second) == len(first) + 1  # the reversed-direction attack is new
    # and once stored, the second run is itself stable
    assert cluster_events(ms + late, arts, existing_events=second) == second


def test_corpus_stages_link_copies_then_cluster():
    from newsline.cluster import corpus_stages

    body = " ".join(f"word{i} common text of the story number {i}" for i in range(60))
    arts = [Article(id="orig", uri="u1", text=body, published="2025-03-12"),
            Article(id="copy", uri="u2", text=body + " Reprinted.", published="2025-03-13"),
            Article(id="other", uri="u3", text="An entirely different report " * 30, published="2025-03-12")]
    ms = [mention("o1", "orig", "ASSAULT", [TTP], [PAK], "2025-03-11"),
          mention("c1", "copy", "ASSAULT", [TTP], [PAK], "2025-03-11"),
          mention("t1", "other", "ASSAULT", [TTP], [PAK], "2025-03-11")]
    result = corpus_stages(arts, ms)
    assert result.duplicate_of == {"orig": None, "copy": "orig", "other": None}
    [ev] = result.events
    assert ev.corroboration == 2 and arts[1].duplicate_of is None  # inputs untouched


def test_an_undated_mention_joins_only_on_strong_evidence():
    arts = [article("a1", "2025-10-15"), article("a2", "2025-10-16"), article("a3", "2025-10-16")]
    ms = [mention("u1", "a1", "ASSAULT", [PAK], [AFG], "2025-10-15", place=SPIN_BOLDAK, dead=12,
                  sentence="Pakistani forces shelled Spin Boldak, killing 12 civilians"),
          mention("u2", "a2", "ASSAULT", [PAK], [AFG], None, place=SPIN_BOLDAK),  # compatible, nothing more
          mention("u3", "a3", "ASSAULT", [PAK], [AFG], None, dead=12,  # the same toll and facts
                  sentence="Pakistani shelling killed 12 civilians in Spin Boldak")]
    assert groups(cluster_events(ms, arts)) == [["u1", "u3"], ["u2"]]


def test_a_declared_truce_and_the_truce_in_force_are_not_merged():
    ms = [mention("r1", "a1", "CONCEDE", [TTP], [PAK], "2021-11-09", status="planned"),
          mention("r2", "a2", "RETREAT", [TTP], [PAK], "2021-11-09", mode="ceasefire")]
    assert groups(cluster_events(ms)) == [["r1"], ["r2"]]


def test_one_strike_with_victims_named_differently_is_found_through_its_actor():
    ms = [mention("s1", "a1", "ASSAULT", [PAK], [AFG], "2025-10-17", place=PAKTIKA, mode="aerial",
                  sentence="Pakistani air strikes hit Paktika on Friday night, officials said."),
          mention("s2", "a2", "ASSAULT", [PAK], [ActorRef(id=None, name="people", country="AFG", sector="CVL")],
                  "2025-10-17", place=URGUN, mode="aerial",
                  sentence="Eight people were killed when Pakistani air strikes hit Urgun on Friday night.")]
    assert groups(cluster_events(ms, [article("a1", "2025-10-19"), article("a2", "2025-10-19")])) == [["s1", "s2"]]


def test_declared_ceasefire_and_its_observation_stay_apart():
    ms = [mention("c1", "a1", "CONCEDE", [PAK, AFG], [], "2025-10-19", place=DOHA),
          mention("c2", "a2", "AGREE", [PAK, AFG], [], "2025-10-19", place=DOHA),
          mention("c3", "a3", "RETREAT", [PAK, AFG], [], "2025-10-19", mode="ceasefire")]
    arts = [article(a, "2025-10-20") for a in ("a1", "a2", "a3")]
    assert groups(cluster_events(ms, arts)) == [["c1", "c2"], ["c3"]]


# --------------------------------------------------------------------------- undated articles, named days, figures
ARM = ActorRef(id="arm", name="Armenia", country="ARM", sector="GOV")
AZE = ActorRef(id="aze", name="Azerbaijan", country="AZE", sector="GOV")
ARM_FM = ActorRef(id="arm", name="Armenia", country="ARM", sector="GOV", person="Ararat Mirzoyan",
                  role="Foreign Minister")
GENEVA = Place("Geneva", "Geneva", "CHE", "Geneva", 46.2, 6.14, 4)


def test_evidence_cues_are_figures_and_calendar_days_not_years():
    from newsline.cluster.events import _cues, load_config

    marks, days = _cues("On 3 March, and again on the 16th of June and Sept. 9, the sides freed 1,200 detainees "
                        "each (a 600-for-600 exchange, the biggest yet) in 2024 after 3 rounds and a 7.5-hour session.",
                        load_config())
    assert days == {(3, 3), (6, 16), (9, 9)}
    assert marks == {"1200", "600", "~biggest"}  # not the year 2024, not a day, not 3 or 7.5


def test_undated_article_joins_the_talks_on_the_day_it_names():
    """An article without a publication date recalls "the March 3 round in Geneva": it is the round of March
    3, not the later round in the same city with the same negotiators, although it shares more with that one."""
    arts = [article("dated", "2024-06-10"), article("undated", None)]
    ms = [mention("t1", "dated", "CONSULT", [ARM_FM, AZE], [], "2024-06-09", place=GENEVA,
                  sentence="Mirzoyan and his Azerbaijani counterpart met in Geneva on Sunday for a second round."),
          mention("t2", "dated", "CONSULT", [ARM, AZE], [], "2024-03-03",
                  sentence="An earlier round on March 3 ended without a joint statement."),
          mention("u1", "undated", "CONSULT", [ARM_FM, AZE], [], None, place=GENEVA,
                  sentence="The border deal was the only result of the March 3 round in Geneva, Mirzoyan said.")]
    assert groups(cluster_events(ms, arts)) == [["t1"], ["t2", "u1"]]


def test_undated_article_without_evidence_joins_none_of_two_look_alike_events():
    arts = [article("a1", "2024-05-20"), article("a2", "2024-08-02"), article("undated", None)]
    ms = [mention("s1", "a1", "RETREAT", [ARM, AZE], [], "2024-05", precision="month", mode="release",
                  sentence="In May the two sides handed over 500 detainees each in the largest exchange so far."),
          mention("s2", "a2", "RETREAT", [ARM, AZE], [], "2024-08-01", mode="release",
                  sentence="A smaller exchange of 40 prisoners each took place at the border on Thursday."),
          mention("u1", "undated", "RETREAT", [AZE, ARM], [], None, mode="release",
                  sentence="The two countries exchanged prisoners on Sunday, officials said.")]
    assert groups(cluster_events(ms, arts)) == [["s1"], ["s2"], ["u1"]]
    # the figure its evidence shares with one of them singles that one out
    ms[2] = mention("u1", "undated", "RETREAT", [AZE, ARM], [], None, mode="release",
                    sentence="Altogether 500 prisoners per side went home across three days, officials said.")
    assert groups(cluster_events(ms, arts)) == [["s1", "u1"], ["s2"]]
    # so does a superlative: only one exchange is "the largest so far"
    ms[2] = mention("u1", "undated", "RETREAT", [AZE, ARM], [], None, mode="release",
                    sentence="The two countries completed their largest exchange of prisoners on Sunday.")
    assert groups(cluster_events(ms, arts)) == [["s1", "u1"], ["s2"]]


def test_a_named_day_alone_does_not_join_another_type_or_other_parties():
    arts = [article("a1", "2024-03-04"), article("undated", None)]
    ms = [mention("t1", "a1", "CONSULT", [ARM, AZE], [], "2024-03-03", place=GENEVA),
          mention("u1", "undated", "ASSAULT", [AZE], [ARM], None, sentence="Shelling followed the March 3 talks."),
          mention("u2", "undated", "CONSULT", [PAK], [AFG], None, sentence="Unlike the March 3 talks in Geneva.")]
    assert groups(cluster_events(ms, arts)) == [["t1"], ["u1"], ["u2"]]


# --------------------------------------------------------------------------- multi-stage events
def _swap_stages():
    arts = [article("a1", "2024-05-27"), article("a2", "2024-05-26")]
    ms = [mention("w0", "a1", "RETREAT", [ARM, AZE], [], "2024-05-24", mode="release",
                  enddate="2024-05-26", sentence="Altogether 500 detainees per side were released across three days."),
          mention("w1", "a1", "RETREAT", [ARM, AZE], [], "2024-05-24", mode="release",
                  sentence="The first stage on Friday saw 200 people from each side go home."),
          mention("w2", "a1", "RETREAT", [AZE, ARM], [], "2024-05-25", mode="release",
                  sentence="Another 150 were released on Saturday."),
          mention("w3", "a1", "RETREAT", [ARM, AZE], [], "2024-05-26", mode="release",
                  sentence="The last stage ended on Sunday."),
          mention("x1", "a1", "ASSAULT", [AZE], [ARM], "2024-05-25", sentence="Shelling was reported on Saturday."),
          mention("o1", "a2", "RETREAT", [AZE, ARM], [], "2024-05-25", mode="release",
                  sentence="Armenia and Azerbaijan freed 150 more detainees on Saturday in the second stage.")]
    return arts, ms


def test_stages_join_the_summary_of_their_article_and_keep_its_interval():
    arts, ms = _swap_stages()
    events = cluster_events(ms, arts)
    assert groups(events) == [["o1", "w0", "w1", "w2", "w3"], ["x1"]]
    swap = next(e for e in events if "w0" in e.mentions)
    assert (swap.date, swap.enddate) == ("2024-05-24", "2024-05-26")  # the summary's interval, not a stage day
    assert swap.conflicts == [] and swap.corroboration == 2
    shuffled = ms[::-1]
    assert cluster_events(shuffled, arts) == events
    assert cluster_events(ms, arts, existing_events=events) == events


def test_same_article_day_mentions_without_a_covering_summary_stay_apart():
    arts, ms = _swap_stages()
    ms = [m for m in ms if m.id not in ("w0", "o1")]
    assert groups(cluster_events(ms, arts)) == [["w1"], ["w2"], ["w3"], ["x1"]]
    # a summary of another type or other parties covers nothing
    arts, ms = _swap_stages()
    ms[0] = mention("w0", "a1", "RETREAT", [ARM, TTP], [], "2024-05-24", enddate="2024-05-26", mode="release")
    assert ["w0", "w1", "w2", "w3"] not in groups(cluster_events(ms[:4], arts))


def test_stages_in_an_article_without_any_date_join_its_summary():
    """No publication date: "over three days" and "on Friday" stay unresolved (date None, precision kept);
    the stages still belong to the summary's event, and the summary's figure finds the dated background
    mention of the same exchange in another article."""
    arts = [article("undated", None), article("a2", "2024-07-30")]

    def undated(mid, precision, sentence, etype="RETREAT"):
        text = "over three days" if precision == "duration" else "on Friday"
        return mention(mid, "undated", etype, [ARM, AZE], [], None, mode="release", sentence=sentence,
                       date_precision=precision, date_text=text)

    ms = [undated("s0", "duration", "Altogether 500 detainees per side went home across three days."),
          undated("s1", "day", "The first stage on Friday saw 200 people from each side go home."),
          undated("s2", "day", "Another 150 were freed on Saturday."),
          undated("x1", "day", "Shelling resumed on Friday.", etype="ASSAULT"),
          mention("b1", "a2", "RETREAT", [AZE, ARM], [], "2024-05", precision="month", mode="release",
                  sentence="The 500-for-500 exchange in May was the last one before the talks stalled.")]
    events = cluster_events(ms, arts)
    assert groups(events) == [["b1", "s0", "s1", "s2"], ["x1"]]
    assert cluster_events(ms, arts, existing_events=events) == events
    # without a summary, same-day-less mentions of one undated article are not merged
    assert groups(cluster_events(ms[1:4], arts)) == [["s1"], ["s2"], ["x1"]]


def test_an_undated_mention_reads_its_own_date_text():
    arts = [article("a1", "2024-06-10"), article("undated", None)]
    ms = [mention("t1", "a1", "CONSULT", [ARM, AZE], [], "2024-06-09", place=GENEVA),
          mention("t2", "a1", "CONSULT", [ARM, AZE], [], "2024-03-03", place=GENEVA),
          mention("u1", "undated", "CONSULT", [AZE, ARM], [], None, place=GENEVA, date_text="on March 3",
                  date_precision="day", sentence="The ministers met in Geneva.")]
    assert groups(cluster_events(ms, arts)) == [["t1"], ["t2", "u1"]]


def test_the_agreement_to_meet_and_the_announced_meeting_are_one_planned_event():
    ist = Place("Istanbul", "Istanbul", "TUR", "Istanbul", 41.0, 28.97, 4)
    arts = [article("a1", "2024-06-10"), article("a2", "2024-06-10")]
    ms = [mention("p1", "a1", "AGREE", [ARM, AZE], [], "2024-06-20", place=ist, status="planned",
                  sentence="The delegations agreed to meet again in Istanbul on June 20."),
          mention("p2", "a2", "CONSULT", [AZE, ARM], [], "2024-06-20", place=ist, status="planned",
                  sentence="A further round is scheduled in Istanbul on June 20."),
          # what was agreed and the talks that produced it, both carried out, stay two events
          mention("d1", "a1", "AGREE", [ARM, AZE], [], "2024-06-09", place=GENEVA),
          mention("d2", "a2", "CONSULT", [ARM, AZE], [], "2024-06-09", place=GENEVA)]
    events = cluster_events(ms, arts)
    assert groups(events) == [["d1"], ["d2"], ["p1", "p2"]]
    # a planned meeting does not take in an agreement reached that day
    ms[0] = mention("p1", "a1", "AGREE", [ARM, AZE], [], "2024-06-20", place=ist)
    assert groups(cluster_events(ms, arts)) == [["d1"], ["d2"], ["p1"], ["p2"]]


def test_the_event_stream_is_the_sorted_list_and_needs_no_input_order():
    """`iter_events` (what the run stores chunk by chunk) yields the events `cluster_events` returns, whatever
    the order the mentions come in (the run reads them from the store unsorted)."""
    from newsline.cluster.events import iter_events

    ms = [mention("a1-1", "a1", "AGREE", [PAK], [AFG], "2025-10-19", place=DOHA, mediator=[QAT]),
          mention("a2-1", "a2", "CONCEDE", [AFG], [PAK], "2025-10-19", place=DOHA),
          mention("v1", "a3", "CONSULT", [PAK_FM], [AFG], "2021-10-21", place=KABUL, mode="visit"),
          mention("v1b", "a4", "CONSULT", [PAK], [AFG], "2021-10-21", place=KABUL, mode="visit"),
          mention("t1", "a5", "ASSAULT", [TTP], [PAK], "2023-02-03", place=URGUN, dead=4)]
    arts = [article(f"a{i}", None) for i in range(1, 6)]
    want = cluster_events(ms, arts)
    shuffled = ms[:]
    random.Random(3).shuffle(shuffled)
    got = list(iter_events(shuffled, reversed(arts)))
    assert sorted(got, key=lambda e: (e.date or "9999", e.id)) == want


def test_a_date_inferred_from_the_publication_day_is_no_day_of_the_event():
    """A mention dated only by its article's publication ("inferred-article") says the event was reported by
    then: it joins the event a report of three days earlier dates (the same person, the same wording), and that
    report's day stays the event's date, not the day of the later article."""
    said = "Qureshi met the Afghan interim government's leaders in Kabul"
    ms = [mention("r1", "a1", "CONSULT", [PAK_FM], [AFG], "2021-10-21", place=KABUL, sentence=f"On Thursday {said}."),
          mention("r2", "a2", "CONSULT", [PAK_FM], [AFG], "2021-10-24", precision="inferred-article",
                  sentence=f"{said}.")]
    arts = [article("a1", "2021-10-21"), article("a2", "2021-10-24")]
    [ev] = cluster_events(ms, arts)
    assert ev.mentions == ["r1", "r2"]
    assert (ev.date, ev.enddate, ev.date_precision) == ("2021-10-21", None, "day")


def test_an_event_known_only_from_inferred_dates_keeps_the_earliest_one():
    """With no reported date among its mentions the event is not left undated: it takes the first publication
    day (it happened by then) and says how that date was found."""
    said = "Pakistan's foreign minister Shah Mahmood Qureshi held talks with the Afghan government"
    ms = [mention("i1", "a1", "CONSULT", [PAK_FM], [AFG], "2021-10-26", precision="inferred-article", sentence=said),
          mention("i2", "a2", "CONSULT", [PAK_FM], [AFG], "2021-10-24", precision="inferred-article", sentence=said)]
    [ev] = cluster_events(ms, [article("a1", "2021-10-26"), article("a2", "2021-10-24")])
    assert ev.mentions == ["i1", "i2"]
    assert (ev.date, ev.enddate, ev.date_precision) == ("2021-10-24", None, "inferred-article")
    # without the articles (their publication unknown) the inferred dates still place and date it
    [ev] = cluster_events(ms)
    assert (ev.date, ev.date_precision) == ("2021-10-24", "inferred-article")


def test_an_inferred_date_never_narrows_a_reported_one():
    """An inferred date never narrows a reported one: a month-precise report keeps its month."""
    ms = [mention("m1", "a1", "AGREE", [PAK], [TTP], "2021-11", precision="month", dead=None,
                  sentence="Pakistan and the TTP agreed to a month-long ceasefire in November"),
          mention("m2", "a2", "AGREE", [PAK], [TTP], "2021-11-20", precision="inferred-article",
                  sentence="Pakistan and the TTP agreed to a month-long ceasefire")]
    [ev] = cluster_events(ms, [article("a1", "2021-11-30"), article("a2", "2021-11-20")])
    assert ev.mentions == ["m1", "m2"]
    assert (ev.date, ev.enddate, ev.date_precision) == ("2021-11-01", "2021-11-30", "month")
