"""Who is a party to a conflict: the data behind party-sourced figures and allegations.

The default list ships in ``data/parties.json``; a newsroom extends it in the admin
(Party sources), and the engine is given the merged list. Nothing here is specific to
one war: a conflict is "in" an article when two of its parties are named there.
"""

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from reviews.textproc.casefree import Caseless, caseless

DATA_PATH = Path(__file__).with_name("data") / "parties.json"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Party:
    conflict: str
    name: str
    aliases: tuple[str, ...]
    bodies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Knowledge:
    parties: tuple[Party, ...]
    official_nouns: tuple[str, ...]
    _compiled: dict = field(default_factory=dict, compare=False, repr=False)

    def _source_re(self, party: Party) -> tuple[Caseless, tuple[str, ...]]:
        """A party's body, or an alias followed closely by an official noun ("Ukrainian officials");
        and the names (lower-cased) one of which every match starts with."""
        key = ("source", party)
        if key not in self._compiled:
            aliases = "|".join(map(re.escape, sorted(party.aliases, key=len, reverse=True)))
            nouns = "|".join(map(re.escape, sorted(self.official_nouns, key=len, reverse=True)))
            bodies = "|".join(map(re.escape, sorted(party.bodies, key=len, reverse=True)))
            pattern = rf"\b(?:{aliases})(?:['’]s)?(?:[\s-]+[\w’'-]+){{0,3}}?[\s-]+(?:{nouns})\b"
            pattern += rf"|\b(?:{aliases})\s+(?:says|said|claims|claimed|reports|reported)\b"
            if bodies:
                pattern += rf"|\b(?:{bodies})\b"
            names = tuple(name.lower() for name in (*party.aliases, *party.bodies))
            self._compiled[key] = (Caseless(pattern), names)
        return self._compiled[key]

    def active_parties(self, text: str) -> tuple[Party, ...]:
        """Parties of every conflict of which at least two parties are named in ``text``."""
        words = set(_WORD.findall(text))
        named = [
            p
            for p in self.parties
            if any((alias in words) if " " not in alias else (alias in text) for alias in p.aliases)
        ]
        conflicts = {p.conflict for p in named}
        active = []
        for conflict in conflicts:
            members = [p for p in named if p.conflict == conflict]
            if len(members) >= 2:
                active += [p for p in self.parties if p.conflict == conflict]
        return tuple(active)

    def party_source(self, sentence: str, parties: tuple[Party, ...]) -> str:
        """Return the party-side source named in ``sentence`` (its text), or ''."""
        low = caseless(sentence)
        for party in parties:
            pattern, names = self._source_re(party)
            if low is not None and not any(name in low for name in names):
                continue  # no name of the party: no match
            m = pattern.search(sentence, low)
            if m:
                return sentence[m.start() : m.end()]
        return ""


def from_data(data: dict, extra: list[Party] | None = None) -> Knowledge:
    parties = [
        Party(
            conflict=c["name"],
            name=p["name"],
            aliases=tuple(p["aliases"]),
            bodies=tuple(p.get("bodies", ())),
        )
        for c in data["conflicts"]
        for p in c["parties"]
    ]
    return Knowledge(parties=tuple(parties + list(extra or ())), official_nouns=tuple(data["official_nouns"]))


@cache
def default_knowledge() -> Knowledge:
    return from_data(json.loads(DATA_PATH.read_text(encoding="utf-8")))


def merged_knowledge(extra: list[Party]) -> Knowledge:
    """The shipped list plus a newsroom's additions (same party name and conflict merge)."""
    base = default_knowledge()
    merged: dict[tuple[str, str], Party] = {(p.conflict, p.name): p for p in base.parties}
    for party in extra:
        key = (party.conflict, party.name)
        old = merged.get(key)
        if old:
            party = Party(
                conflict=old.conflict,
                name=old.name,
                aliases=tuple(dict.fromkeys(old.aliases + party.aliases)),
                bodies=tuple(dict.fromkeys(old.bodies + party.bodies)),
            )
        merged[key] = party
    return Knowledge(parties=tuple(merged.values()), official_nouns=base.official_nouns)
