#!/usr/bin/env python3
"""Synthetic news corpus for scale benchmarks: realistic articles from templates, deterministic per seed.

    .venv/bin/python benchmarks/make_corpus.py OUT -n 10000 [--format mixed|txt|html|jsonl] [--seed 1]
                                               [--dup-share 0.12]

Each article reports one main event (talks, a visit, an attack, a ceasefire, a prisoner exchange, arrests,
a protest, an aid delivery, sanctions) of one of several conflicts (Pakistan - TTP, Sudan SAF - RSF,
DRC - M23, Russia - Ukraine, Colombia - ELN, Israel - Hamas, Mali - JNIM), with dated references ("on
Monday", "last month", "in April"), places, officials with titles, tolls, attributions and background
paragraphs and scene paragraphs (daily life, geography, prices), wrapped in page chrome: site header with a date and weather line, navigation, ADVERTISEMENT
markers, "Read More:" links, related-story teasers, a comment form and a footer (text pages), or an HTML
page with nav/aside/footer. A share of the articles (`--dup-share`) are syndicated copies of an earlier one
on another site: same body with light edits, another headline and chrome, published a day later.

Every sentence template carries "[a|b|c]" alternatives and articles draw one to three event details, two to
five background and one to three scene paragraphs from larger pools in varied order, so that independent
articles share a median of about 0.03 of their word 3-shingles (real reports < 0.05) and only the syndicated
copies are near-duplicates; an article carries about 4 event mentions (real reports: 3-7).

Output: a folder of .txt/.html files in sub-folders of 1000 (`--format mixed` is 80 % text, 20 % HTML), or
one JSONL file (`--format jsonl`: id, url, text or html). Same seed, same corpus, byte for byte.
"""

from __future__ import annotations

import argparse
import json
import random
import re
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
                 "the UN Security Council", "Amnesty International", "the African Union", "Human Rights Watch",
                 "the UN human rights office", "Medecins Sans Frontieres", "the Norwegian Refugee Council")
VICTIMS = ("soldiers", "policemen", "civilians", "people", "security personnel", "villagers", "passengers",
           "militiamen", "worshippers", "market traders")
TARGETS = ("a police station", "a military checkpoint", "a market", "a convoy", "an army post",
           "a government building", "a camp for displaced people", "a bus station", "a mosque", "a fuel depot",
           "a border post", "a hospital compound")
SOURCES = ("officials said", "a local official said", "police said", "a hospital spokesman said",
           "residents told reporters", "the military said in a statement", "according to local authorities",
           "security sources said", "a district official told this newspaper", "witnesses said",
           "according to medical workers", "a provincial spokesman said", "according to initial reports")
NAV = ("Home | World | Politics | Business | Sport | Opinion", "Home  National  World  Sports  Opinion  E-Paper",
       "NEWS | VIDEO | PODCASTS | NEWSLETTERS", "Latest | Regions | Analysis | Features | Multimedia")
TEASERS = ("Fuel prices rise for the third time this quarter", "Central bank holds interest rates steady",
           "Heatwave warning issued for southern districts", "National team name squad for qualifiers",
           "Ministers approve new budget after long debate", "Floods cut roads to northern villages",
           "Exporters warn of shipping delays at main port", "Teachers end strike after pay deal")
WEATHER = ("Haze", "Sunny", "Clear", "Cloudy", "Light rain", "Smoke")
# Sentences are written with alternatives, "[a|b|c]" (one is picked; "[|x]" is optional text), so that each
# template has hundreds to thousands of wordings: independent reports of one kind share few word 3-shingles
# (as real ones do, < 0.05 Jaccard) while syndicated copies share almost all of theirs.
SPEAKERS = ("A senior security official", "A local elder", "A spokesman for the provincial government",
            "A diplomat familiar with the talks", "An aid worker in {city}", "A resident of {city}",
            "A member of the negotiating team", "A district administrator", "A doctor at the main hospital",
            "A journalist based in {city}", "A former minister", "A researcher who follows the conflict",
            "One shopkeeper", "A teacher from {city}", "A taxi driver", "A tribal leader", "An opposition lawmaker",
            "A retired general", "A Western diplomat", "A nurse in {city}", "A farmer near {city}",
            "A student leader", "A businessman in {city}", "An imam in {city}", "A lawyer for the families")
VERBS = ("said", "told reporters", "warned", "noted", "added", "insisted", "estimated", "complained",
         "confirmed", "acknowledged", "claimed", "recalled", "explained", "argued", "suggested", "admitted",
         "told local radio", "wrote on social media")
CLAUSES = ("the situation remained tense", "roads into the city had been reopened",
           "electricity had been cut in several neighbourhoods", "fresh clashes had been reported overnight",
           "the number of displaced families had doubled", "prices of flour and fuel had risen sharply",
           "schools would stay closed until further notice", "more troops had been deployed to the area",
           "talks could resume within weeks", "the truce was being broadly observed",
           "mobile networks had been down for three days", "hospitals were running short of blood and fuel",
           "farmers had been unable to reach their fields", "checkpoints had multiplied along the main road",
           "several bridges had been damaged", "young men were being recruited in the villages",
           "local traders had closed the market", "convoys were being searched at every crossing",
           "nobody trusted the promises anymore", "water had become scarce in the camps",
           "bus fares had tripled", "curfew hours were being extended", "the harvest would be poor",
           "rents in the city centre had soared", "families were sleeping in mosques and churches",
           "the bakery queues started before dawn", "wedding parties had been cancelled",
           "officials rarely visited the outlying districts", "the border crossing stayed shut",
           "cash was running out at the banks", "drones were heard over the hills every night",
           "gunfire could be heard from the outskirts", "the price of a sack of rice had doubled")
TAILS = ("", "", " despite the announcement", " in recent days", " according to local media",
         " since the start of the year", " as the rainy season approached", " in the outlying villages",
         " for the second week running", " after a night of shelling", " this week", " lately",
         " since the weekend", " in his neighbourhood", " along the river", " over the past fortnight")
_ALT = re.compile(r"\[([^\[\]]*)\]")


def _day_name(d: date) -> str:
    return WEEKDAYS[d.weekday()]


def _long_date(d: date) -> str:
    return f"{_day_name(d)}, {MONTHS[d.month - 1]} {d.day}, {d.year}"


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def pick(self, seq):
        return self.rng.choice(seq)

    def x(self, text: str) -> str:
        """Expand "[a|b|c]" alternatives (one picked at random); tidies doubled spaces and sentence starts."""
        out = _ALT.sub(lambda m: self.rng.choice(m.group(1).split("|")), text)
        out = " ".join(out.split()).replace(" ,", ",").replace(" .", ".").replace(",.", ".")
        return out[:1].upper() + out[1:]

    # ------------------------------------------------------------------ one article body
    def article(self, i: int) -> dict:
        r, c = self.rng, self.pick(CONFLICTS)
        published = date(2021, 1, 1) + timedelta(days=r.randrange(0, 5 * 365))
        when = published - timedelta(days=r.choice((0, 1, 1, 2, 3)))
        on_day = ("on " + _day_name(when) if r.random() < 0.7 else f"on {MONTHS[when.month - 1]} {when.day}") \
            if when != published else r.choice(("today", "on " + _day_name(when), "earlier today"))
        kind = self.pick(("talks", "visit", "attack", "attack", "ceasefire", "exchange", "arrests", "protest",
                          "aid", "sanctions"))
        title, lede, details = getattr(self, "_" + kind)(c, on_day, when)
        # fewer templated event sentences: the lede plus one to three details
        details = r.sample(details, min(len(details), r.choice((1, 2, 2, 3))))
        rest = [*details[1:], *self._background(c, published),
                *(self._colour(c) for _ in range(r.choice((1, 2, 2, 3))))]
        r.shuffle(rest)
        paras = [lede, details[0], *rest] if r.random() < 0.7 else [lede, *rest, details[0]]
        for n in range(1, len(paras)):
            for _ in range(r.choice((0, 0, 1, 1, 2))):
                paras[n] += " " + self._filler(c)
        if len(paras) > 3 and r.random() < 0.4:  # merge two short paragraphs, as some outlets do
            k = r.randrange(1, len(paras) - 1)
            paras[k:k + 2] = [paras[k] + " " + paras[k + 1]]
        return {"i": i, "conflict": c, "published": published, "kind": kind, "title": title, "paras": paras,
                "site": self.pick(c.sites), "copy_of": None}

    def _filler(self, c: Conflict) -> str:
        speaker = self.pick(SPEAKERS).format(city=self.pick(c.cities))
        if self.rng.random() < 0.3:
            clause = self.pick(CLAUSES)
            return f"\"{clause[:1].upper()}{clause[1:]}{self.pick(TAILS)},\" " \
                   f"{speaker[0].lower()}{speaker[1:]} {self.pick(('said', 'added', 'told reporters'))}."
        return f"{speaker} {self.pick(VERBS)} that {self.pick(CLAUSES)}{self.pick(TAILS)}."

    def _official(self, c: Conflict) -> str:
        title, name = self.pick(c.gov_people)
        return self.pick((f"{title} {name}", f"{name}, the {title.lower()},", f"{title} {name}"))

    def _talks(self, c, on_day, when):
        venue, mediator = self.pick(c.venues), self.pick(c.mediators)
        t, p = self.pick(c.group_people)
        title = self.x(f"{c.adj} government and {c.group} [hold|open|begin|resume] [new|fresh|another] round of "
                       f"[talks|negotiations] in {venue}")
        lede = self.x(
            f"[Representatives|Delegations|Negotiators|Envoys] of the {c.adj} government and the {c.group_long} "
            f"[met|sat down|gathered|held talks] in {venue} {on_day} [for a new round of talks|to resume "
            f"negotiations|for another session of negotiations|in a fresh attempt at dialogue] [mediated|hosted|"
            f"brokered|overseen] by {mediator}, {self.pick(SOURCES)}.")
        details = [
            self.x(f"The [two-day|three-day|closed-door|day-long] [meeting|session|round] [focused on|centred on|"
                   f"dealt mainly with|covered] [a ceasefire|a truce|a halt to hostilities], [the release of "
                   f"prisoners|prisoner releases|the fate of detainees] and [humanitarian access to|aid deliveries "
                   f"to|relief for] {self.pick(c.cities)}[, according to a statement|, a statement said| |, "
                   f"participants said]."),
            self.x(f"{self._official(c)} [told reporters|said|insisted|stressed] that the government [wanted|"
                   f"sought|hoped for] a [lasting|durable|permanent] [agreement|settlement|deal] but [would not|"
                   f"could not] accept [conditions|demands|terms] that [threatened|endangered|undermined] "
                   f"[the country's security|national security|the state]."),
            self.x(f"{c.group} {t} {p} [said|declared|told a news agency] the group [was committed to|remained "
                   f"engaged in|would stay in] the [process|talks|dialogue] [and|but] accused the government "
                   f"of [delaying|stalling on|blocking] the release of [detained|imprisoned|jailed] "
                   f"[members|fighters|supporters]."),
            self.x(f"[Officials from|Diplomats from|A spokesman for] {mediator} said the next round [was expected|"
                   f"could|might] [to take place|to be held|to follow] in {MONTHS[when.month % 12]}."),
        ]
        return title, lede, details

    def _visit(self, c, on_day, when):
        venue = self.pick(c.venues)
        title_, name = self.pick(c.gov_people)
        title = self.x(f"{name.split()[-1]} [visits|travels to|arrives in|heads to] {venue} [for talks on "
                       f"security|to seek support|on diplomatic mission|amid conflict]")
        lede = self.x(
            f"{title_} {name} [arrived in|travelled to|landed in|flew to] {venue} {on_day} [on a visit|on a trip|"
            f"for talks] [aimed at|with the goal of|focused on] [securing support for|rallying backing for|"
            f"building support for] [efforts|attempts|a push] to end the [conflict|fighting|war] with the "
            f"{c.group_long}, [the foreign ministry said|his office said|officials said|state media reported].")
        details = [
            self.x(f"[During the visit|While there|In {venue}] he [met|held talks with|sat down with] [senior "
                   f"officials|his counterparts|top leaders] and [discussed|raised|talked about] [border security|"
                   f"cross-border attacks|security cooperation], [trade|commerce|economic ties] and [the return of "
                   f"refugees|refugee returns|displaced families][, according to a statement| |, his office "
                   f"said]."),
            self.x(f"It was the first [visit|trip] by a [senior|high-ranking|cabinet-level] {c.adj} official to "
                   f"{venue} since {MONTHS[(when.month + 5) % 12]}[, when talks broke down| |, when relations "
                   f"soured]."),
            self.x(f"[Analysts|Observers|Commentators] said the [trip|visit] [signalled|marked|suggested] a "
                   f"[shift|change] in [the government's approach|policy] after [months|a year] of {c.grievance}."),
        ]
        return title, lede, details

    def _attack(self, c, on_day, when):
        city, target = self.pick(c.cities), self.pick(TARGETS)
        dead, hurt = self.rng.randint(2, 60), self.rng.randint(3, 120)
        victims = self.pick(VICTIMS)
        t, p = self.pick(c.group_people)
        title = self.x(f"{dead} [killed|dead] in [attack|assault|raid] on {target.split(' ', 1)[1]} "
                       f"[in|near|outside] {city}")
        lede = self.x(
            f"[Gunmen|Militants|Armed men|Fighters|Attackers] [attacked|stormed|struck|raided] {target} "
            f"[in|near|on the outskirts of] {city} {on_day}, killing [at least|] {dead} {victims} and "
            f"[wounding|injuring] {hurt} [others|more], {self.pick(SOURCES)}.")
        claim = self.rng.random()
        details = [
            self.x("The [attack|assault] [began|started] [shortly before dawn|late at night|around midday|in the "
                   "early hours], when [fighters|the attackers|gunmen] [opened fire|began shooting] and [set off "
                   "explosives|detonated a bomb|threw grenades] [at the entrance|near the gate|inside], "
                   "[witnesses said|a survivor said|residents said]."),
            (self.x(f"The {c.group_long} [claimed responsibility for|said it carried out] the attack [in a "
                    f"statement|on social media|in a message to journalists].") if claim < 0.5 else
             self.x(f"{c.group} {t} {p} [denied|rejected claims] that the group was [involved|behind it].")
             if claim < 0.8 else self.x("No group [has so far|has yet|immediately] claimed responsibility.")),
            self.x(f"{self._official(c)} [condemned|denounced] the [attack|killings] and [said|vowed|promised] "
                   f"[those responsible|the perpetrators] would be [brought to justice|punished|found]."),
            self.x(f"{self.pick(INTERNATIONAL)} [condemned|deplored|denounced] the [violence|attack] and [called on|"
                   f"urged] [all sides|all parties|everyone involved] to [protect|spare] civilians."),
        ]
        return title, lede, details

    def _ceasefire(self, c, on_day, when):
        days = self.rng.choice((3, 7, 10, 14, 30, 60, 90))
        mediator = self.pick(c.mediators)
        title = self.x(f"{c.state} and {c.group} [agree|announce|sign] {days}-day [ceasefire|truce]")
        lede = self.x(
            f"The {c.adj} government and the {c.group_long} [agreed|committed] {on_day} to a {days}-day "
            f"[ceasefire|truce|halt in fighting], [mediated|brokered] by {mediator}, in the [latest|newest|most "
            f"recent] [attempt|effort|bid] to [end|stop|halt] the [fighting|violence|war] in {c.region}.")
        details = [
            self.x(f"Under the [agreement|deal|terms], both sides will [halt|suspend|stop] [offensive operations|"
                   f"attacks] and [allow|let] aid [convoys|trucks|deliveries] [reach|into] {self.pick(c.cities)}"
                   f"[, a joint statement said| |, mediators said]."),
            self.x(f"{self._official(c)} said the [truce|ceasefire] [would|could] be [extended|prolonged|renewed] "
                   f"if the group [respected|honoured|kept to] its terms."),
            self.x(f"A [previous|former|similar] [ceasefire|truce] [collapsed|broke down|fell apart] in "
                   f"{MONTHS[(when.month + 7) % 12]} [after each side accused the other of violations|amid "
                   f"mutual accusations|within days]."),
        ]
        return title, lede, details

    def _exchange(self, c, on_day, when):
        n = self.rng.randint(5, 300)
        mediator = self.pick(c.mediators)
        title = self.x(f"{c.state} and {c.group} [exchange|swap|trade] {n * 2} [prisoners|detainees|captives]")
        lede = self.x(
            f"The {c.adj} government and the {c.group_long} [exchanged|swapped|freed] {n * 2} [prisoners|"
            f"detainees] {on_day} in [a swap|a deal|an exchange] [brokered|arranged|mediated] by {mediator}, "
            f"[officials on both sides said|both sides said|the mediators said].")
        details = [
            self.x(f"Each side [released|freed|handed over] {n} [detainees|prisoners] [at a crossing point|at a "
                   f"checkpoint|on a road] near {self.pick(c.cities)}[, where relatives had gathered| |, where "
                   f"families waited]."),
            self.x("The International Committee of the Red Cross [said it had|confirmed it] [facilitated|"
                   "supervised|organised] the [transfer|exchange|handover]."),
            self.x(f"{self._official(c)} said [further|more|new] [exchanges|swaps] were [planned|expected|being "
                   f"prepared] [for the coming weeks|soon|before the end of the year]."),
        ]
        return title, lede, details

    def _arrests(self, c, on_day, when):
        n, city = self.rng.randint(2, 40), self.pick(c.cities)
        title = self.x(f"[Police|Security forces|Authorities] [arrest|detain|hold] {n} [suspects|people|militants] "
                       f"[after raids|in crackdown|in operation] in {city}")
        lede = self.x(
            f"[Police|Security forces|Counter-terrorism officers] [arrested|detained|rounded up] {n} "
            f"[suspected members|alleged members|suspected supporters] of the {c.group_long} in [raids|an "
            f"operation|a series of raids] [across|in|around] {city} {on_day}, {self.pick(SOURCES)}.")
        details = [
            self.x("[Weapons|Rifles|Guns], [explosives|bomb-making material] and [communication equipment|phones|"
                   "laptops] were [seized|found|recovered] [during the operation|in the raids], [a police "
                   "spokesman said|officials said]."),
            self.x(f"The [suspects|detainees|men] [were accused of|are suspected of|allegedly were] [planning|"
                   f"plotting|preparing] [attacks|strikes] on [security forces|police|troops] in {c.region}."),
            self.x("[Rights groups|Activists|Lawyers] said [several|some|many] of those [detained|arrested|held] "
                   "were [students|teenagers|labourers] and [called for|demanded] their release."),
        ]
        return title, lede, details

    def _protest(self, c, on_day, when):
        n, city = self.rng.choice(("Hundreds", "Thousands", "Tens of thousands")), self.pick(c.cities)
        title = self.x(f"{n} [protest|rally|march] in {city} over [worsening security|the violence|insecurity]")
        lede = self.x(
            f"{n} of [people|residents|demonstrators] [protested|rallied|marched] in {city} {on_day} [against|over] "
            f"{c.grievance}, [demanding|calling for|asking] that the government [protect civilians|act|do "
            f"more].")
        details = [
            self.x("[Protesters|Demonstrators|Marchers] [marched|walked|headed] to the [offices of the regional "
                   "administration|governor's office|town hall], [chanting slogans|waving flags|singing] and "
                   "[carrying|holding] [portraits|photos|pictures] of [relatives|family members|loved ones]."),
            self.x(f"[Police|Riot police|Security forces] [fired tear gas|used water cannon|fired into the air] "
                   f"[to disperse|to break up] the [crowd|protest] and [detained|arrested] "
                   f"{self.rng.randint(3, 50)} [people|protesters], {self.pick(SOURCES)}."),
            self.x(f"{self._official(c)} said the government [understood|shared] the [anger|frustration] but "
                   f"would not [tolerate|accept] [violence|disorder|lawlessness]."),
        ]
        return title, lede, details

    def _aid(self, c, on_day, when):
        n, city = self.rng.randint(1000, 90000), self.pick(c.cities)
        org = self.pick(("the World Food Programme", "UNICEF", "the UN refugee agency",
                         "the International Committee of the Red Cross", "the World Health Organization",
                         "Save the Children"))
        title = self.x(f"[Aid|Relief|Food aid] [reaches|arrives in|gets through to] {city} as [humanitarian "
                       f"crisis deepens|hunger spreads|needs grow]")
        lede = self.x(
            f"The first [aid|relief|humanitarian] [convoy|shipment|delivery] in [weeks|months|a month] "
            f"[reached|arrived in|got through to] {city} {on_day}, [bringing|carrying|delivering] [food and "
            f"medicine|flour, medicine and fuel|food, water and medical supplies] for {n} people, {org} said.")
        details = [
            self.x(f"[Aid agencies|Relief groups|Humanitarian organisations] have [repeatedly|long|often] warned "
                   f"that {c.grievance} has left [hundreds of thousands|many thousands|vast numbers] of people "
                   f"[without enough food|hungry|facing famine]."),
            self.x(f"{org[:1].upper()}{org[1:]} [called on|urged|asked] the {c.adj} authorities and the "
                   f"{c.group_long} to [guarantee|ensure|allow] [safe access|unhindered access|free passage] for "
                   f"[humanitarian workers|aid workers|relief staff]."),
        ]
        return title, lede, details

    def _sanctions(self, c, on_day, when):
        imposer = self.pick(("The United States", "The European Union", "Britain", "The UN Security Council",
                             "Canada"))
        t, p = self.pick(c.group_people)
        title = self.x(f"{imposer.removeprefix('The ')} [imposes|announces|slaps] sanctions on {c.group} "
                       f"[leaders|commanders|figures]")
        lede = self.x(
            f"{imposer} [imposed|announced|placed] sanctions {on_day} on {p} and [other|several other|two other] "
            f"[leaders|commanders|senior figures] of the {c.group_long}, [accusing them of|citing] [abuses "
            f"against|crimes against|attacks on] civilians in {c.region}.")
        details = [
            self.x("The [measures|sanctions|penalties] [freeze|block] [any assets|the assets|bank accounts] [the "
                   "individuals hold|of those named|held abroad] and [ban them from travel|impose travel bans|"
                   "bar them from entry], [a statement said|officials said]."),
            self.x(f"{c.group} [rejected|dismissed|condemned] the sanctions as [politically motivated|unjust|"
                   f"meaningless] and said they would not [affect|change|hurt] the group's [operations|plans]."),
            self.x(f"{self._official(c)} [welcomed|praised|hailed] the [decision|move|measures] and [called for|"
                   f"urged] [more|further|greater] pressure on the group."),
        ]
        return title, lede, details

    def _colour(self, c: Conflict) -> str:
        """A scene or context paragraph (daily life, geography, economy): two to four sentences, no event."""
        r = self.rng
        city, city2 = r.sample(c.cities, 2)
        pool = (
            f"[In the morning|At dusk|By midday|On most days|In the evenings] the [streets|lanes|main roads] of "
            f"{city} [are|were|looked|seemed] [quiet|half empty|crowded|busier than usual], [with|as] [donkey "
            f"carts|motorbikes|minibuses|handcarts|pickup trucks] [weaving between|lining up at|parked outside] "
            f"[bakeries|fuel stations|pharmacies|tea stalls].",
            f"{city} [lies|sits|is located] [about|roughly|some] {r.randint(2, 40) * 10} kilometres [from|south "
            f"of|north of|west of|east of] {city2}[, on the main road to {c.capital}| |, across a dry plain|, "
            f"beside a river].",
            "[Its|The town's|The city's] [population|number of inhabitants] [has swollen|has shrunk|changed "
            "sharply|has grown] [in recent years|since the fighting began|over the past decade], [local "
            "officials say|according to a census|elders say| ].",
            "[Most|Many|Some] [families|households|residents] [depend on|live from|rely on] [farming|herding|"
            "small trade|remittances from abroad|day labour], and [incomes|wages|earnings] [have fallen|are "
            "low|barely cover rent|rarely exceed a few dollars a day].",
            f"[A|One] [pharmacist|baker|mechanic|schoolteacher|tailor|bus driver] in {city}, [who gave only "
            f"his first name|who declined to be named|a father of {r.randint(2, 9)}|in his fifties], [described|"
            f"recounted|talked about] [long queues|empty shelves|sleepless nights|rising rents|his daily "
            f"commute] [and|while] [sipping tea|closing his shop|counting banknotes|waiting for customers].",
            "[Power cuts|Water shortages|Internet outages|Fuel queues] [last|stretch|go on] [for hours|for "
            "much of the day|well into the night], and [generators|solar panels|water tankers] [have become|"
            "are now|remain] [a common sight|essential|expensive].",
            f"[Mobile phone|Internet|Radio] [coverage|signal|reception] [in|around] {city2} [is|remains|has "
            f"been] [patchy|poor|unreliable], [so|and] [news|information|word of events] [travels|spreads|"
            f"arrives] [slowly|by word of mouth|through relatives].",
            "[The rainy season|The harvest|Winter|The holiday season] [is|was] [approaching|weeks away|"
            "under way], and [farmers|traders|families] [worry|fear|wonder] [about|whether] [prices|the "
            "roads|their savings] [will hold|can last|stay open].",
            f"[Many|Several|A number of] [young people|graduates|teenagers] from {city} [have moved|have "
            f"left|hope to go] to {c.capital} or [abroad|the Gulf|Europe] [in search of work|to study|to "
            f"join relatives].",
            "[Television|Radio|Local newspapers] [carried|broadcast|ran] [little|brief|extensive] [coverage|"
            "reports|footage] of the [day's|week's] [developments|news], [mostly|largely|partly] [from "
            "official sources|from agencies|from social media].",
            f"[Hotels|Guesthouses|Restaurants] in {city} [are|were|stood] [mostly empty|half full|closed], "
            f"[their owners said|a manager said| |according to the chamber of commerce].",
            "[Prices|The cost] of [tomatoes|onions|sugar|cooking oil|rice] [have|has] [risen|climbed|jumped] "
            "[by a third|by half|steadily], [shoppers|housewives|traders] [say|complain|note].",
        )
        return " ".join(self.x(t) for t in r.sample(pool, r.randint(2, 4)))

    def _background(self, c, published: date) -> list[str]:
        """Two to five background paragraphs from a pool of about thirty templates, each with many wordings."""
        r = self.rng
        months_ago = MONTHS[(published.month - 1 - r.randint(1, 6)) % 12]
        city, city2 = r.sample(c.cities, 2)
        pool = (
            f"[Violence|Fighting|Insecurity] has [risen|grown|worsened|spread] [across|in|throughout] {c.region} "
            f"since {months_ago}[, when earlier talks collapsed| |, when a previous truce ended].",
            f"The [conflict|war|insurgency] has [killed|claimed the lives of] [thousands of|tens of thousands of|"
            f"countless] people and [forced|driven] [many more|millions|hundreds of thousands] from their homes"
            f"[, according to {self.pick(INTERNATIONAL)}| |, rights groups say].",
            f"[Last month|Earlier this year|In the spring], {self.pick(c.mediators)} [hosted|convened|organised] a "
            f"[meeting|conference|summit] of [regional envoys|foreign ministers|donors] on {c.grievance}.",
            "[Diplomats|Western officials|Regional envoys] [said|say|believe] a [broader|wider|comprehensive] "
            "[political settlement|peace deal] [remained|remains|is still] [distant|out of reach|far off].",
            f"The government in {c.capital} has [long|repeatedly|often] [accused|blamed] [its neighbours|foreign "
            f"backers|outside powers] of [allowing|helping|letting] [fighters|militants|weapons] [cross the "
            f"border|slip across|move freely], a charge they [deny|reject].",
            f"In {MONTHS[(published.month + 2) % 12]} last year, a [similar|comparable] [attack|assault] "
            f"[in|near] {city} [killed|left dead] {r.randint(5, 40)} people.",
            f"[Residents|Families|Shopkeepers] in {city} [said|say|reported] [shops|businesses|markets] and "
            f"[schools|clinics] had [stayed|remained] [closed|shut] for [days|weeks][, and many had left| |, and "
            f"some had fled to {city2}].",
            f"\"We have [heard|been given] [promises of peace|such promises|these pledges] [many times|so often|"
            f"before],\" said a [shopkeeper|mechanic|schoolteacher|widow|pharmacist] in {city}. \"[What we need|"
            f"All we want|Our only wish] is to [work|live|farm] [without fear|in peace|safely].\"",
            f"[Opposition lawmakers|Critics|Members of parliament] in {c.capital} [criticised|attacked|questioned] "
            f"the government's [handling of|response to|approach to] the [crisis|violence|situation] in "
            f"{c.region}[ and demanded a debate| |, calling it a failure].",
            f"[Security analysts|Experts|Researchers] [said|say|note] the {c.group_long} [had changed|has "
            f"adapted|has shifted] its [tactics|methods] [over the past year|recently|since {months_ago}], "
            f"[relying more on|turning to|using more] [small units|roadside bombs|drones|ambushes].",
            f"[Humanitarian agencies|Aid groups|The United Nations] [estimate|say|believe] [more than|about|nearly] "
            f"{r.randint(2, 90) * 10000} people [need|require|depend on] [assistance|aid|food aid] in "
            f"{c.region}.",
            f"The road between {city} and {city2} [has been|was] [closed|cut|blocked] [for weeks|since "
            f"{months_ago}|several times this year], [forcing|leaving] [traders|drivers|families] to [take long "
            f"detours|pay bribes at checkpoints|wait for escorts].",
            f"[Prices|Costs] of [bread|fuel|cooking gas|medicine] in {city} have [doubled|tripled|soared] "
            f"[since {months_ago}|this year|in recent months], [residents|traders|local officials] [say|said].",
            f"{c.capital} [announced|promised|unveiled] a [development package|reconstruction fund|jobs "
            f"programme] for {c.region} in {months_ago}, but [little|few projects|not much] has [materialised|"
            f"been delivered|reached the villages].",
            f"[Elections|Local polls|A referendum] [planned for|due in|scheduled for] "
            f"{MONTHS[(published.month + r.randint(1, 8)) % 12]} [could be|may be|are likely to be] [delayed|"
            f"postponed] [because of|due to|given] the [insecurity|fighting|situation].",
            f"[Journalists|Reporters|Foreign media] have [had limited|been denied|struggled to gain] access to "
            f"{c.region}[, making casualty figures hard to verify| |, and phone lines are often cut].",
            f"A [report|study|survey] [published|released] [in {months_ago}|this year|last week] by "
            f"{self.pick(INTERNATIONAL)} [found|said|documented] [widespread|serious|repeated] [abuses|violations|"
            f"displacement] [in|across] {c.region}.",
            f"[Many|Most|Some] of the [displaced|uprooted|fleeing] [families|people|residents] [live|are living|"
            f"have settled] in [tents|schools|makeshift shelters|camps] [around|near|outside] {city2}"
            f"[, with little water| |, where disease has spread].",
            f"[The army|Government forces|The {c.army}] [says|said|claims] it has [regained|retaken|recaptured] "
            f"[several villages|key positions|a strategic hill] [near|around] {city2} [in recent weeks|this month|"
            f"since {months_ago}], a claim that [could not be|has not been] [independently verified|confirmed].",
            f"[Women's groups|Local councils|Religious leaders] in {city} have [called for|demanded|urged] a "
            f"[greater role|seat at the table|voice] in [any talks|the negotiations|peace efforts].",
            f"[Trade|Commerce|Cross-border trade] [through|around|via] {city2} has [collapsed|dwindled|slowed to "
            f"a trickle] [since|after] {months_ago}[, traders say| |, hitting farmers hardest].",
            "[Unemployment|Poverty|Hunger] [among young people|in rural areas|in the region] [has been cited|is "
            "seen|is often described] as a [driver|cause|factor] of [recruitment|the violence|unrest].",
            f"[Several|Two|Three] [aid workers|health workers|teachers] [were killed|died|were abducted] in "
            f"{c.region} [last year|in {months_ago}|this year], [according to|said] {self.pick(INTERNATIONAL)}.",
            f"[Cholera|Measles|Malnutrition] [cases|outbreaks] have been [reported|recorded|confirmed] in [camps|"
            f"villages|districts] [near|around] {city}[, health officials said| |, doctors say].",
            f"The {c.group_long} [controls|holds|operates in] [large parts|several districts|rural areas] of "
            f"{c.region}[ and levies taxes on traders| |, analysts say|, according to residents].",
            f"[Schools|Universities|Colleges] in {city} [reopened|were due to reopen|remained shut] [after|"
            f"despite|following] [months of closure|the summer break|repeated threats].",
        )
        return [self.x(t) for t in r.sample(pool, r.choice((2, 3, 3, 4, 5)))]

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
        return {**orig, "i": i, "site": site, "title": title, "paras": paras, "copy_of": orig["i"],
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
