"""What a rule sees: one sentence, with its neighbours and the article around it."""

import re
from dataclasses import dataclass, field
from functools import cached_property

from reviews.textproc.segment import CITATION

from .knowledge import Knowledge, Party

_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?|(?<!\w)[‘'][^’']*[’'](?!\w)")
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    kind: str = "other"
    numbers: tuple[str, ...] = ()
    attribution_verbs: tuple[str, ...] = ()
    speaker: str = ""
    direct_speech: bool = False
    field: str = "body"  # "title" for the headline

    @cached_property
    def lower(self) -> str:
        return self.text.lower()

    @cached_property
    def tokens(self) -> frozenset[str]:
        """The sentence's lower-cased words: rules check these before running any pattern."""
        return frozenset(_TOKEN.findall(self.lower))

    def has(self, words: frozenset[str]) -> bool:
        return not self.tokens.isdisjoint(words)

    @cached_property
    def own_voice(self) -> str:
        """The sentence without its quotations, lower-cased: what the outlet itself says."""
        if self.direct_speech and not _QUOTED.search(self.text):
            return ""
        return _QUOTED.sub(" ", self.text).lower()

    @cached_property
    def cited(self) -> bool:
        return bool(CITATION.search(self.text))

    @property
    def attributed(self) -> bool:
        return bool(self.attribution_verbs) or self.cited


@dataclass
class Document:
    title: str
    body: str
    sentences: list[Sentence]
    knowledge: Knowledge
    parties: tuple[Party, ...] = ()
    state: dict = field(default_factory=dict)  # rules may remember things across sentences

    def previous(self, sentence: Sentence, n: int) -> list[Sentence]:
        if sentence.field != "body":
            return []
        return self.sentences[max(0, sentence.index - n) : sentence.index]

    def party_source(self, text: str) -> str:
        """The party-side source ``text`` names, or '' (asked by several rules and the scorer)."""
        if not self.parties:
            return ""
        seen = self.state.setdefault("party_source", {})
        if text not in seen:
            seen[text] = self.knowledge.party_source(text, self.parties)
        return seen[text]
