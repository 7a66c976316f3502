"""Near-duplicate article linking (cluster/articles.py) on articles written for these tests."""

from newsline.cluster.articles import apply_duplicates, link_duplicates
from newsline.records import Article

STORY = (
    "QUETTA: Security forces on Wednesday ended the siege of a passenger train in the Bolan pass, killing "
    "all the attackers, the military said, after the gunmen had held the carriages for more than a day. "
    "The train, carrying about four hundred people, was forced to stop after the track was blown up near a "
    "tunnel. The gunmen then boarded the carriages and took passengers hostage, officials said. "
    "A separatist group claimed responsibility and issued an ultimatum demanding the release of prisoners. "
    "Commandos took part in the rescue, which freed hostages in phases over two days, the spokesman said. "
    "Railway officials said services to and from the provincial capital had been suspended until further "
    "notice, and the provincial government announced compensation for the families of the victims."
)

# light edits of the same story, its last sentence dropped: a syndicated copy
REPRINT = (
    "QUETTA: Security forces on Wednesday ended the siege of a passenger train in the Bolan pass, killing "
    "all the attackers, the army said, after gunmen had held the carriages for over a day. "
    "The train, with about four hundred people on board, was forced to stop after the track was blown up "
    "near a tunnel. The gunmen then boarded the carriages and took passengers hostage, officials said. "
    "A banned separatist group claimed responsibility and set an ultimatum demanding the release of "
    "prisoners. Commandos took part in the rescue, which freed hostages in phases over two days, the "
    "spokesman said."
)

# another outlet's independent report of the same event: same facts, its own words
OTHER_REPORT = (
    "A day-long hostage crisis aboard a train in southwestern Pakistan came to an end when troops stormed "
    "the stalled carriages, according to the army. Dozens of travellers had been seized by insurgents who "
    "blew up the railway line in a mountainous area. The army says every militant involved was killed and "
    "that most of the hostages walked free, though some passengers lost their lives during the standoff. "
    "The separatist movement that carried out the raid had threatened to execute captives unless jailed "
    "members were freed, and officials described a painstaking operation that lasted into a second day."
)

UNRELATED = (
    "Foreign ministers of the two neighbours met in the capital on Saturday to discuss trade, transit and "
    "border management, and agreed to hold regular consultations. The talks, the first at this level in "
    "more than a year, covered the reopening of crossings, visas for traders and the return of refugees. "
    "Both delegations described the meeting as constructive and said working groups would meet next month "
    "to prepare an agreement on transit trade that could be signed before the end of the year."
)


def _article(aid: str, text: str, published: str | None = None, **kw) -> Article:
    return Article(id=aid, uri=f"file:{aid}", text=text, published=published, **kw)


def test_syndicated_copy_is_linked_to_the_earlier_original():
    arts = [_article("b-reprint", REPRINT, "2025-03-13"), _article("z-original", STORY, "2025-03-12"),
            _article("c-other", OTHER_REPORT, "2025-03-12"), _article("d-unrelated", UNRELATED, "2025-03-12")]
    links = link_duplicates(arts)
    # the earlier publication is the original even though its id sorts later
    assert links == {"b-reprint": "z-original"}


def test_independent_reports_of_one_event_are_not_linked():
    arts = [_article("a", STORY), _article("b", OTHER_REPORT), _article("c", UNRELATED)]
    assert link_duplicates(arts) == {}


def test_links_do_not_depend_on_input_order_and_never_chain():
    copies = [_article("x1", STORY), _article("x2", REPRINT), _article("x3", STORY + " Updated.")]
    forward = link_duplicates(copies)
    backward = link_duplicates(list(reversed(copies)))
    assert forward == backward
    originals = set(forward.values())
    assert len(originals) == 1 and not originals & set(forward)
    assert len(forward) == 2


def test_failed_and_stub_articles_are_never_linked():
    arts = [_article("a", STORY), _article("b", STORY, error="cleaning failed"),
            _article("c", "Short stub."), _article("d", "Short stub.")]
    assert link_duplicates(arts) == {}


def test_apply_duplicates_sets_and_clears_the_field():
    arts = [_article("a", STORY), _article("b", REPRINT, duplicate_of="stale")]
    apply_duplicates(arts, {"b": "a"})
    assert [a.duplicate_of for a in arts] == [None, "a"]
    apply_duplicates(arts, {})
    assert arts[1].duplicate_of is None
