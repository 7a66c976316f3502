"""Near-duplicate article linking (cluster/articles.py) on articles written for these tests."""

from newsline.cluster.articles import apply_duplicates, link_duplicates
from newsline.records import Article

STORY = (
    "GAO: Soldiers on Thursday brought an end to the hijacking of a passenger train near the Tilemsi valley, "
    "killing every one of the hijackers, the defence ministry said, after the armed men had controlled the "
    "coaches for over thirty hours. The train, with roughly three hundred passengers, had halted when a bridge "
    "ahead of it was dynamited. The armed men then climbed aboard and seized travellers as hostages, officials "
    "reported. An insurgent faction said it was behind the assault and gave an ultimatum for the freeing of its "
    "jailed fighters. Special forces led the operation, which released the hostages in groups across two days, "
    "a spokesman said. The rail company said trains to and from the regional capital would not run for the "
    "time being, and the regional authorities promised compensation to the relatives of the dead."
)

# light edits of the same story, its last sentence dropped: a syndicated copy
REPRINT = (
    "GAO: Soldiers on Thursday brought an end to the hijacking of a passenger train near the Tilemsi valley, "
    "killing every one of the hijackers, the army said, after armed men had controlled the coaches for more "
    "than thirty hours. The train, carrying roughly three hundred passengers, had halted when a bridge ahead "
    "of it was dynamited. The armed men then climbed aboard and seized travellers as hostages, officials "
    "reported. An outlawed insurgent faction said it was behind the assault and issued an ultimatum for the "
    "freeing of its jailed fighters. Special forces led the operation, which released the hostages in groups "
    "across two days, a spokesman said."
)

# another outlet's independent report of the same event: same facts, its own words
OTHER_REPORT = (
    "A day-long hostage crisis aboard a train in northern Mali came to an end when troops stormed "
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
