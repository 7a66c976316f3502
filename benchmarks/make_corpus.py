#!/usr/bin/env python3
"""Synthetic news corpus for scale benchmarks: realistic articles from templates, deterministic per seed.

    .venv/bin/python benchmarks/make_corpus.py OUT -n 10000 [--format mixed|txt|html|jsonl] [--seed 1]
                                               [--dup-share 0.12]

Each article reports one main event (talks, a visit, an attack, a ceasefire, a prisoner exchange, arrests,
a protest, an aid delivery, sanctions) of one of several conflicts (Pakistan - TTP, Sudan SAF - RSF,
DRC - M23, Russia - Ukraine, Colombia - ELN, Israel - Hamas, Mali - JNIM), with dated references ("on
Monday", "last month", "in April"), places, officials with titles, tolls, attributions and background
paragraphs, wrapped in page chrome: site header with a date and weather line, navigation, ADVERTISEMENT
markers, "Read More:" links, related-story teasers, a comment form and a footer (text pages), or an HTML
page with nav/aside/footer. A share of the articles (`--dup-share`) are syndicated copies of an earlier one
on another site: same body with light edits, another headline and chrome, published a day later.

Output: a folder of .txt/.html files in sub-folders of 1000 (`--format mixed` is 80 % text, 20 % HTML), or
one JSONL file (`--format jsonl`: id, url, text or html). Same seed, same corpus, byte for byte.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@dataclass(frozen=True)
class Conflict:
    key: str
    state: str  # "Pakistan"
    adj: str  # "Pakistani"
    capital: str
    gov_people: tuple[tuple[str, str], ...]  # (title, name)
    army: str
    group: str  # the armed group's usual name
    group_long: str
    group_people: tuple[tuple[str, str], ...]
    mediators: tuple[str, ...]
    venues: tuple[str, ...]  # where talks happen
    cities: tuple[str, ...]  # where violence happens
    region: str
    sites: tuple[str, ...]  # outlets
    weather_city: str
    grievance: str


CONFLICTS = (
    Conflict("pk", "Pakistan", "Pakistani", "Islamabad",
             (("Foreign Minister", "Ishaq Dar"), ("Interior Minister", "Mohsin Naqvi"),
              ("Prime Minister", "Shehbaz Sharif"), ("Defence Minister", "Khawaja Asif")),
             "Pakistani army", "TTP", "Tehreek-e-Taliban Pakistan",
             (("spokesman", "Muhammad Khurasani"), ("commander", "Sarbakaf Mohmand")),
             ("the Afghan Taliban", "Qatar", "Turkey"), ("Kabul", "Doha", "Istanbul"),
             ("Peshawar", "Bannu", "Dera Ismail Khan", "Quetta", "Lakki Marwat"), "Khyber Pakhtunkhwa",
             ("Peshawar Post", "Frontier Daily", "The Capital Herald", "South Asia Wire"), "Peshawar",
             "attacks on police stations and checkpoints in districts bordering Afghanistan"),
    Conflict("sd", "Sudan", "Sudanese", "Khartoum",
             (("army chief", "General Abdel Fattah al-Burhan"), ("Foreign Minister", "Ali Youssef"),
              ("Prime Minister", "Kamil Idris")),
             "Sudanese army", "RSF", "Rapid Support Forces",
             (("commander", "Mohamed Hamdan Dagalo"), ("adviser", "Youssef Ezzat")),
             ("Saudi Arabia", "the United States", "the African Union"), ("Jeddah", "Geneva", "Addis Ababa"),
             ("El Fasher", "Nyala", "Omdurman", "Wad Madani", "El Obeid"), "Darfur",
             ("Nile Courier", "Khartoum Monitor", "East Africa Wire", "Sahara Times"), "Khartoum",
             "the siege of cities across Darfur and Kordofan"),
    Conflict("cd", "Congo", "Congolese", "Kinshasa",
             (("President", "Felix Tshisekedi"), ("Foreign Minister", "Therese Kayikwamba Wagner"),
              ("government spokesman", "Patrick Muyaya")),
             "Congolese army", "M23", "M23 rebels",
             (("spokesman", "Lawrence Kanyuka"), ("leader", "Corneille Nangaa")),
             ("Qatar", "Angola", "the United States"), ("Doha", "Luanda", "Washington"),
             ("Goma", "Bukavu", "Uvira", "Masisi", "Rutshuru"), "North Kivu",
             ("Great Lakes Post", "Kivu Morning", "Central Africa Report", "Lake Region News"), "Goma",
             "the fighting over mining towns in the east"),
    Conflict("ua", "Ukraine", "Ukrainian", "Kyiv",
             (("President", "Volodymyr Zelensky"), ("Foreign Minister", "Andrii Sybiha"),
              ("Defence Minister", "Rustem Umerov")),
             "Ukrainian army", "Russian forces", "the Russian army",
             (("Kremlin spokesman", "Dmitry Peskov"), ("Foreign Minister", "Sergei Lavrov")),
             ("Turkey", "the United Arab Emirates", "Saudi Arabia"), ("Istanbul", "Abu Dhabi", "Riyadh"),
             ("Kharkiv", "Zaporizhzhia", "Odesa", "Dnipro", "Sumy"), "eastern Ukraine",
             ("Black Sea Herald", "Kyiv Evening", "Eastern Europe Wire", "Danube Observer"), "Kyiv",
             "the drone and missile strikes on energy infrastructure"),
    Conflict("co", "Colombia", "Colombian", "Bogota",
             (("President", "Gustavo Petro"), ("chief negotiator", "Otty Patino"),
              ("Defence Minister", "Pedro Sanchez")),
             "Colombian army", "ELN", "National Liberation Army",
             (("commander", "Antonio Garcia"), ("chief negotiator", "Pablo Beltran")),
             ("Cuba", "Norway", "Venezuela"), ("Havana", "Caracas", "Mexico City"),
             ("Catatumbo", "Arauca", "Cucuta", "Tibu", "Quibdo"), "Norte de Santander",
             ("Andes Daily", "Bogota Journal", "Caribbean Wire", "Pacific Coast Post"), "Bogota",
             "the displacement of thousands of families near the Venezuelan border"),
    Conflict("il", "Israel", "Israeli", "Jerusalem",
             (("Prime Minister", "Benjamin Netanyahu"), ("Defence Minister", "Israel Katz"),
              ("Foreign Minister", "Gideon Saar")),
             "Israeli military", "Hamas", "Hamas",
             (("official", "Khalil al-Hayya"), ("spokesman", "Hazem Qassem")),
             ("Qatar", "Egypt", "the United States"), ("Doha", "Cairo", "Sharm el-Sheikh"),
             ("Gaza City", "Khan Younis", "Rafah", "Deir al-Balah", "Jabalia"), "the Gaza Strip",
             ("Levant Post", "Mediterranean Times", "Middle East Wire", "Gulf Evening"), "Jerusalem",
             "the humanitarian crisis in the Gaza Strip"),
    Conflict("ml", "Mali", "Malian", "Bamako",
             (("junta leader", "General Assimi Goita"), ("Foreign Minister", "Abdoulaye Diop"),
              ("Prime Minister", "Abdoulaye Maiga")),
             "Malian army", "JNIM", "Jama'at Nusrat al-Islam wal-Muslimin",
             (("spokesman", "Abu Hudhayfa"), ("leader", "Iyad Ag Ghaly")),
             ("Algeria", "the African Union", "ECOWAS"), ("Algiers", "Niamey", "Ouagadougou"),
             ("Timbuktu", "Gao", "Mopti", "Kayes", "Menaka"), "central Mali",
             ("Sahel Observer", "Niger River Post", "West Africa Wire", "Bamako Evening"), "Bamako",
             "the blockade of fuel convoys on the roads to the capital"),
)

INTERNATIONAL = ("the United Nations", "the European Union", "the International Committee of the Red Cross",
                 "the UN Security Council", "Amnesty International", "the African Union")
VICTIMS = ("soldiers", "policemen", "civilians", "people", "security personnel", "villagers")
TARGETS = ("a police station", "a military checkpoint", "a market", "a convoy", "an army post",
           "a government building", "a camp for displaced people")
SOURCES = ("officials said", "a local official said", "police said", "a hospital spokesman said",
           "residents told reporters", "the military said in a statement")
NAV = ("Home | World | Politics | Business | Sport | Opinion", "Home  National  World  Sports  Opinion  E-Paper",
       "NEWS | VIDEO | PODCASTS | NEWSLETTERS", "Latest | Regions | Analysis | Features | Multimedia")
TEASERS = ("Fuel prices rise for the third time this quarter", "Central bank holds interest rates steady",
           "Heatwave warning issued for southern districts", "National team name squad for qualifiers",
           "Ministers approve new budget after long debate", "Floods cut roads to northern villages",
           "Exporters warn of shipping delays at main port", "Teachers end strike after pay deal")
WEATHER = ("Haze", "Sunny", "Clear", "Cloudy", "Light rain", "Smoke")
# composite sentences added to paragraphs: thousands of variants, so that independent reports of one kind
# share few word 3-shingles (as real ones do) while syndicated copies share almost all of theirs
SPEAKERS = ("A senior security official", "A local elder", "A spokesman for the provincial government",
            "A diplomat familiar with the talks", "An aid worker in {city}", "A resident of {city}",
            "A member of the negotiating team", "A district administrator", "A doctor at the main hospital",
            "A journalist based in {city}", "A former minister", "A researcher who follows the conflict")
VERBS = ("said", "told reporters", "warned", "noted", "added", "insisted", "estimated", "complained",
         "confirmed", "acknowledged")
CLAUSES = ("the situation remained tense", "roads into the city had been reopened",
           "electricity had been cut in several neighbourhoods", "fresh clashes had been reported overnight",
           "the number of displaced families had doubled", "prices of flour and fuel had risen sharply",
           "schools would stay closed until further notice", "more troops had been deployed to the area",
           "talks could resume within weeks", "the truce was being broadly observed",
           "mobile networks had been down for three days", "hospitals were running short of blood and fuel",
           "farmers had been unable to reach their fields", "checkpoints had multiplied along the main road",
           "several bridges had been damaged", "young men were being recruited in the villages",
           "local traders had closed the market", "convoys were being searched at every crossing")
TAILS = ("", " despite the announcement", " in recent days", " according to local media",
         " since the start of the year", " as the rainy season approached", " in the outlying villages",
         " for the second week running", " after a night of shelling")


def _day_name(d: date) -> str:
    return WEEKDAYS[d.weekday()]


def _long_date(d: date) -> str:
    return f"{_day_name(d)}, {MONTHS[d.month - 1]} {d.day}, {d.year}"


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def pick(self, seq):
        return self.rng.choice(seq)

    # ------------------------------------------------------------------ one article body
    def article(self, i: int) -> dict:
        r, c = self.rng, self.pick(CONFLICTS)
        published = date(2021, 1, 1) + timedelta(days=r.randrange(0, 5 * 365))
        when = published - timedelta(days=r.choice((0, 1, 1, 2, 3)))
        on_day = "on " + _day_name(when) if when != published else "today"
        kind = self.pick(("talks", "visit", "attack", "attack", "ceasefire", "exchange", "arrests", "protest",
                          "aid", "sanctions"))
        title, lede, details = getattr(self, "_" + kind)(c, on_day, when)
        rest = [*details[1:], *self._background(c, published, kind)]
        r.shuffle(rest)
        paras = [lede, details[0], *rest]
        for n in range(1, len(paras)):
            for _ in range(r.choice((0, 1, 1, 2))):
                paras[n] += " " + self._filler(c)
        return {"i": i, "conflict": c, "published": published, "kind": kind, "title": title, "paras": paras,
                "site": self.pick(c.sites)}

    def _filler(self, c: Conflict) -> str:
        speaker = self.pick(SPEAKERS).format(city=self.pick(c.cities))
        return f"{speaker} {self.pick(VERBS)} that {self.pick(CLAUSES)}{self.pick(TAILS)}."

    def _official(self, c: Conflict) -> str:
        title, name = self.pick(c.gov_people)
        return f"{title} {name}"

    def _talks(self, c, on_day, when):
        venue, mediator = self.pick(c.venues), self.pick(c.mediators)
        t, p = self.pick(c.group_people)
        title = f"{c.adj} government and {c.group} hold new round of talks in {venue}"
        lede = (f"Representatives of the {c.adj} government and the {c.group_long} met in {venue} {on_day} for a "
                f"new round of talks mediated by {mediator}, {self.pick(SOURCES)}.")
        details = [
            f"The {self.rng.choice(('two-day', 'three-day', 'closed-door'))} meeting focused on a ceasefire, the "
            f"release of prisoners and humanitarian access to {self.pick(c.cities)}, according to a statement "
            f"issued after the session.",
            f"{self._official(c)} told reporters that the government wanted a lasting agreement but would not "
            f"accept conditions that threatened the country's security.",
            f"{c.group} {t} {p} said the group was committed to the process and accused the government of "
            f"delaying the release of detained members.",
            f"Officials from {mediator} said the next round was expected to take place in {MONTHS[(when.month) % 12]}.",
        ]
        return title, lede, details

    def _visit(self, c, on_day, when):
        venue = self.pick(c.venues)
        official = self._official(c)
        title = f"{official.split()[-1]} visits {venue} for talks on security"
        lede = (f"{official} arrived in {venue} {on_day} on a visit aimed at securing support for efforts to end "
                f"the conflict with the {c.group_long}, the foreign ministry said.")
        details = [
            f"During the visit he met senior officials and discussed border security, trade and the return of "
            f"refugees, according to a statement released in {c.capital}.",
            f"It was the first visit by a senior {c.adj} official to {venue} since {MONTHS[(when.month + 5) % 12]}, "
            f"when talks broke down over the release of prisoners.",
            f"Analysts said the trip signalled a shift in the government's approach after months of "
            f"{c.grievance}.",
        ]
        return title, lede, details

    def _attack(self, c, on_day, when):
        city, target = self.pick(c.cities), self.pick(TARGETS)
        dead, hurt = self.rng.randint(2, 60), self.rng.randint(3, 120)
        victims = self.pick(VICTIMS)
        t, p = self.pick(c.group_people)
        title = f"{dead} killed in attack on {target.split(' ', 1)[1]} in {city}"
        lede = (f"Gunmen attacked {target} in {city} {on_day}, killing at least {dead} {victims} and wounding "
                f"{hurt} others, {self.pick(SOURCES)}.")
        claim = self.rng.random()
        details = [
            "The attack began shortly before dawn, when fighters opened fire and set off explosives at the "
            "entrance, witnesses said. Rescue workers were still searching the rubble in the afternoon.",
            (f"The {c.group_long} claimed responsibility for the attack in a statement." if claim < 0.5 else
             f"{c.group} {t} {p} denied that the group was involved in the attack." if claim < 0.8 else
             "No group has so far claimed responsibility for the attack."),
            f"{self._official(c)} condemned the attack and said those responsible would be brought to justice.",
            f"{self.pick(INTERNATIONAL)} condemned the violence and called on all sides to protect civilians.",
        ]
        return title, lede, details

    def _ceasefire(self, c, on_day, when):
        days = self.rng.choice((3, 7, 10, 30, 60))
        mediator = self.pick(c.mediators)
        title = f"{c.state} and {c.group} agree {days}-day ceasefire"
        lede = (f"The {c.adj} government and the {c.group_long} agreed {on_day} to a {days}-day ceasefire, "
                f"mediated by {mediator}, in the latest attempt to end the fighting in {c.region}.")
        details = [
            f"Under the agreement both sides will halt offensive operations and allow aid convoys to reach "
            f"{self.pick(c.cities)} and {self.pick(c.cities)}, a joint statement said.",
            f"{self._official(c)} said the truce would be extended if the group respected its terms.",
            f"A previous ceasefire collapsed in {MONTHS[(when.month + 7) % 12]} after each side accused the other "
            f"of violations.",
        ]
        return title, lede, details

    def _exchange(self, c, on_day, when):
        n = self.rng.randint(5, 300)
        mediator = self.pick(c.mediators)
        title = f"{c.state} and {c.group} exchange {n * 2} prisoners"
        lede = (f"The {c.adj} government and the {c.group_long} exchanged {n * 2} prisoners {on_day} in a swap "
                f"brokered by {mediator}, officials on both sides said.")
        details = [
            f"Each side released {n} detainees at a crossing point near {self.pick(c.cities)}, where relatives "
            f"had gathered since the early morning.",
            "The International Committee of the Red Cross said it had facilitated the transfer and visited the "
            "detainees before their release.",
            f"{self._official(c)} said further exchanges were planned for the coming weeks.",
        ]
        return title, lede, details

    def _arrests(self, c, on_day, when):
        n, city = self.rng.randint(2, 40), self.pick(c.cities)
        title = f"Police arrest {n} suspects after raids in {city}"
        lede = (f"Police arrested {n} suspected members of the {c.group_long} in raids across {city} {on_day}, "
                f"{self.pick(SOURCES)}.")
        details = [
            "Weapons, explosives and communication equipment were seized during the operation, a police "
            "spokesman said.",
            f"The suspects were accused of planning attacks on security forces in {c.region}.",
            "Rights groups said several of those detained were students and called for their release.",
        ]
        return title, lede, details

    def _protest(self, c, on_day, when):
        n, city = self.rng.choice(("Hundreds", "Thousands", "Tens of thousands")), self.pick(c.cities)
        title = f"{n} protest in {city} over worsening security"
        lede = (f"{n} of people protested in {city} {on_day} against {c.grievance}, demanding that the "
                f"government protect civilians.")
        details = [
            "Protesters marched to the offices of the regional administration, chanting slogans and carrying "
            "portraits of relatives killed in the violence.",
            f"Police fired tear gas to disperse the crowd and detained {self.rng.randint(3, 50)} people, "
            f"{self.pick(SOURCES)}.",
            f"{self._official(c)} said the government understood the anger but would not tolerate violence.",
        ]
        return title, lede, details

    def _aid(self, c, on_day, when):
        n, city = self.rng.randint(1000, 90000), self.pick(c.cities)
        org = self.pick(("the World Food Programme", "UNICEF", "the UN refugee agency",
                         "the International Committee of the Red Cross"))
        title = f"Aid reaches {city} as humanitarian crisis deepens"
        lede = (f"The first aid convoy in weeks reached {city} {on_day}, bringing food and medicine for {n} "
                f"people, {org} said.")
        details = [
            f"Aid agencies have repeatedly warned that {c.grievance} has left hundreds of thousands of people "
            f"without enough food.",
            f"{org.capitalize()} called on the {c.adj} authorities and the {c.group_long} to guarantee safe "
            f"access for humanitarian workers.",
        ]
        return title, lede, details

    def _sanctions(self, c, on_day, when):
        imposer = self.pick(("The United States", "The European Union", "Britain", "The UN Security Council"))
        t, p = self.pick(c.group_people)
        title = f"{imposer.removeprefix('The ')} imposes sanctions on {c.group} leaders"
        lede = (f"{imposer} imposed sanctions {on_day} on {p} and other leaders of the {c.group_long}, accusing "
                f"them of abuses against civilians in {c.region}.")
        details = [
            "The measures freeze any assets the individuals hold and ban them from travel, a statement said.",
            f"{c.group} rejected the sanctions as politically motivated and said they would not affect the "
            f"group's operations.",
            f"{self._official(c)} welcomed the decision and called for more pressure on the group.",
        ]
        return title, lede, details

    def _background(self, c, published: date, kind: str) -> list[str]:
        months_ago = MONTHS[(published.month - 1 - self.rng.randint(1, 6)) % 12]
        pool = [
            f"Violence has risen across {c.region} since {months_ago}, when earlier talks between the government "
            f"and the {c.group_long} collapsed.",
            f"The conflict has killed thousands of people and forced many more from their homes, according to "
            f"estimates by {self.pick(INTERNATIONAL)}.",
            f"Last month, {self.pick(c.mediators)} hosted a meeting of regional envoys on {c.grievance}.",
            "Diplomats said a broader political settlement remained distant, with both sides insisting on "
            "conditions the other has rejected.",
            f"The government in {c.capital} has long accused its neighbours of allowing fighters to cross the "
            f"border, a charge they deny.",
            f"In {MONTHS[(published.month + 2) % 12]} last year, a similar attack in {self.pick(c.cities)} killed "
            f"{self.rng.randint(5, 40)} people.",
            f"Residents of {self.pick(c.cities)} said shops and schools had stayed closed for days, and that "
            f"many families had moved to relatives in safer districts or to camps run by aid groups.",
            f"\"We have heard promises of peace many times before,\" said a shopkeeper in {self.pick(c.cities)}, "
            f"who asked not to be named for fear of reprisals. \"What we need is to be able to work and to send "
            f"our children to school without fear.\"",
            f"Opposition lawmakers in {c.capital} criticised the government's handling of the crisis and demanded "
            f"a parliamentary debate on security policy in {c.region}.",
            f"Security analysts said the {c.group_long} had changed its tactics over the past year, relying more on "
            f"small units, roadside bombs and drones, which made its operations harder to track.",
            f"Humanitarian agencies estimate that more than {self.rng.randint(2, 90) * 10000} people need "
            f"assistance in {c.region}, where access has been restricted for months.",
        ]
        return self.rng.sample(pool, self.rng.randint(5, 8))

    # ------------------------------------------------------------------ pages
    def text_page(self, a: dict) -> str:
        c, pub, site = a["conflict"], a["published"], a["site"]
        byline = self.pick(("Staff Reporter", "Our Correspondent", "News Desk", "Agencies"))
        lines = [_long_date(pub), f"{c.weather_city} {self.rng.randint(5, 38)}°C  {self.pick(WEATHER)}",
                 site.upper(), self.pick(NAV), "", a["title"], "", f"By {byline} | {c.capital}",
                 f"Published {MONTHS[pub.month - 1]} {pub.day}, {pub.year}", ""]
        body = a["paras"]
        cut = self.rng.randint(2, max(2, len(body) - 1))
        for n, p in enumerate(body):
            lines += [p, ""]
            if n == 1:
                lines += ["ADVERTISEMENT", ""]
            if n == cut:
                lines += [f"Read More: {self.pick(TEASERS)}", ""]
        lines += ["Share this article", "", "Top Stories", ""]
        for t in self.rng.sample(TEASERS, 3):
            lines += [t, "The latest developments as officials respond to questions from lawmakers...", ""]
        lines += ["Leave a Reply", "Your email address will not be published. Required fields are marked *",
                  f"© {pub.year} {site}. All rights reserved."]
        return "\n".join(lines) + "\n"

    def html_page(self, a: dict) -> str:
        c, pub, site = a["conflict"], a["published"], a["site"]
        paras = "".join(f"<p>{p}</p>" for p in a["paras"])
        teasers = "".join(f"<li><a href='/story/{self.rng.randint(1, 99999)}'>{t}</a></li>"
                          for t in self.rng.sample(TEASERS, 3))
        return (f"<!doctype html><html><head><meta charset='utf-8'><title>{a['title']} | {site}</title>"
                f"<meta property='article:published_time' content='{pub.isoformat()}'></head><body>"
                f"<header><div class='brand'>{site}</div><nav>{self.pick(NAV)}</nav></header><main><article>"
                f"<h1>{a['title']}</h1><p class='byline'>By {self.pick(('Staff Reporter', 'News Desk'))}, "
                f"{c.capital}</p><time datetime='{pub.isoformat()}'>{_long_date(pub)}</time>{paras}</article>"
                f"<aside><h2>Top Stories</h2><ul>{teasers}</ul></aside></main><footer>© {pub.year} {site}. "
                f"All rights reserved.</footer></body></html>\n")

    def syndicated(self, orig: dict, i: int) -> dict:
        c = orig["conflict"]
        paras = list(orig["paras"])
        if len(paras) > 4 and self.rng.random() < 0.6:
            del paras[self.rng.randrange(3, len(paras))]
        paras[0] = paras[0].replace(" said.", " said on Monday.", 1) if self.rng.random() < 0.3 else paras[0]
        site = self.pick([s for s in c.sites if s != orig["site"]])
        title = orig["title"].replace(" in ", " near ", 1) if " in " in orig["title"] else orig["title"] + ": report"
        return {**orig, "i": i, "site": site, "title": title, "paras": paras,
                "published": orig["published"] + timedelta(days=self.rng.choice((0, 1)))}


def generate(n: int, seed: int = 1, dup_share: float = 0.12):
    """(index, article dict) for n articles; `dup_share` of them are syndicated copies of an earlier one."""
    g = Generator(seed)
    recent: list[dict] = []
    for i in range(n):
        if recent and g.rng.random() < dup_share:
            a = g.syndicated(g.rng.choice(recent), i)
        else:
            a = g.article(i)
            recent.append(a)
            if len(recent) > 200:
                recent.pop(0)
        yield g, a


def write(out: Path, n: int, fmt: str = "mixed", seed: int = 1, dup_share: float = 0.12) -> Path:
    """Write the corpus; returns the path to give `newsline run` (a folder, or the JSONL file)."""
    if fmt == "jsonl":
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "w", encoding="utf-8") as fh:
            for g, a in generate(n, seed, dup_share):
                html = g.rng.random() < 0.2
                rec = {"id": f"syn{a['i']:06d}", "url": f"https://{a['site'].lower().replace(' ', '')}.example/"
                       f"{a['published']:%Y/%m/%d}/{a['i']}"}
                rec["html" if html else "text"] = g.html_page(a) if html else g.text_page(a)
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return out
    out.mkdir(parents=True, exist_ok=True)
    for g, a in generate(n, seed, dup_share):
        html = fmt == "html" or (fmt == "mixed" and g.rng.random() < 0.2)
        folder = out / f"{a['i'] // 1000:03d}"
        folder.mkdir(exist_ok=True)
        name = f"{a['conflict'].key}-{a['i']:06d}"
        if html:
            (folder / f"{name}.html").write_text(g.html_page(a), encoding="utf-8")
        else:
            (folder / f"{name}.txt").write_text(g.text_page(a), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="output folder (or .jsonl file with --format jsonl)")
    ap.add_argument("-n", type=int, default=1000, help="number of articles")
    ap.add_argument("--format", choices=("mixed", "txt", "html", "jsonl"), default="mixed")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dup-share", type=float, default=0.12, help="share of syndicated copies")
    args = ap.parse_args(argv)
    path = write(args.out, args.n, args.format, args.seed, args.dup_share)
    print(f"wrote {args.n} articles to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
