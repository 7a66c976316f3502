"""Actor resolution: states, sector agents, IGOs, named groups, persons with dated offices, media.

The dictionary is data (`data/actors.yaml`, schema at its top, extended with `--actors FILE`); this module
only compiles it into two spaCy PhraseMatchers (one case-sensitive for single-token names such as "TTP",
"Dawn", "Pakistani"; one on lowercased tokens for multi-word names, agent nouns and titles) and composes
the raw matches into `ActorMention`s:

* a **state** name, adjective or capital ("Pakistan", "Afghan", "Islamabad"); a capital is a metonym for
  the state's government ("pak-gov"), or for the actor that holds that government on the date
  (`governed_by`: "Kabul" after 2021-08-15 is the Taliban); a capital after a locative preposition
  ("talks in Vienna") or as a compound modifier ("the Vienna round") is a place, not an actor;
* a **sector agent** ("officials", "the army", "security forces") takes its country from a modifier to
  its left ("Pakistani officials", "Pakistan's special envoy", "the Afghan interim government"), or from a
  prepositional modifier to its right ("officials in Afghanistan"); failing that, from the context:
  the nearest country named before it in the same sentence (a state, a state organ, a province or
  district; a state after "to"/"for" — "envoy for Afghanistan" — is not context); else the article's
  dominant country (one that clearly leads the article's state and place mentions); else the nearest
  country after it in the sentence; else the nearest in the paragraph (preceding on ties); failing all,
  its country is None. "both"/"the two"/"each" + agent ("the two governments") has no country.
  A group or IGO as modifier makes the agent that group ("TTP militants" -> ttp, "Taliban authorities" ->
  afg-taliban). `agent_of` in the dictionary maps (country, sector) to a named organ ("the Sudanese
  army" -> saf). An agent word used as a modifier of another noun ("military action") is no actor;
* **named actors** (groups, IGOs, organs, outlets, persons) by their aliases;
* **persons**: dictionary persons, or spaCy PERSON entities with their title ("Lt Gen Omar Sadiq",
  "Afghan journalist X"); a person named by part of the name after a full mention in the same article
  ("Sadiq", "Gen Omar") is the same person (the most recent one carrying that name part); a title alone
  with a unique `office` ("Kenya's army chief", "the deputy premier") resolves to the person of this
  article holding that office on the date, else to the dictionary's holder in the context country, else
  it is an agent of the title's sector; "the ambassador" after "Ambassador X" is X. Unknown persons keep
  their text: id "person:<slug of the name without titles>", role/country/sector from their title and its
  modifier ("Afghan journalist X" -> media, AFG, JRN; "M23's permanent secretary X" -> COD, REB;
  "Kenya's former Prime Minister X" -> ELI), later mentions by surname coded the same.

A person or group with dated roles is coded through the role held on the article's publication date;
when the date is unknown, through the role the title in the text points to ("Corps Commander Lt General
X"), else the open-ended (current) role. `ActorMention.roles` carries every dated role so the coder can
recode for the event's own date with `code_actor_on(mention, date)`.
The package, by concern: `names` (dates, name keys), `dictionary` (loading and indexing the YAML), `coding`
(dated roles, `code_actor_on`), `matching` (the PhraseMatchers, atoms), `frame` (one document's state and
the questions asked of its text), the resolver's steps `persons`, `agents` (agents, titles, named actors,
states and capitals) and `merging` (apposition, organisations, unknown persons), and `resolver`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from newsline.annotate.actors.coding import code_actor_on, role_on
from newsline.annotate.actors.dictionary import ActorDictionary, Agent, Entry, Role, State, Title
from newsline.annotate.actors.frame import DocInputs
from newsline.annotate.actors.matching import AGENT, HONOR, NAMED, STATE, TITLE, ActorMatcher, Atom
from newsline.annotate.actors.names import fold, name_skeleton, slugify
from newsline.annotate.actors.resolver import ActorResolver

__all__ = ["AGENT", "HONOR", "NAMED", "STATE", "TITLE", "ActorDictionary", "ActorMatcher", "ActorResolver", "Agent",
           "Atom", "DocInputs", "Entry", "Role", "State", "Title", "code_actor_on", "fold", "load_dictionary",
           "name_skeleton", "role_on", "slugify"]


@lru_cache(maxsize=8)
def _cached_dictionary(files: tuple[str, ...]) -> ActorDictionary:
    return ActorDictionary.load(files)


def load_dictionary(files: Iterable[str | Path] = ()) -> ActorDictionary:
    """The default dictionary merged with user files (cached per process by file list)."""
    return _cached_dictionary(tuple(str(f) for f in files))
