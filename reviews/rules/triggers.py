"""Trigger patterns whose fast pre-filter is derived from the patterns themselves.

A rule's regular expression is the one declaration of what it looks for. The pre-filter
(a cheap test that rules a sentence out before the full pattern runs) is computed from it:
every match of the pattern must start with one of the literal prefixes of its alternatives,
so a sentence containing none of them cannot match. Nothing is kept by hand beside the
pattern, so the two cannot drift apart.
"""

import re
import re._constants as _c
import re._parser as _parser

_MAX_PREFIXES = 256


def _prefixes(items) -> set[str] | None:
    """Literal strings one of which every match of ``items`` starts with (None: no such set)."""
    out = {""}
    for op, av in items:
        if op is _c.AT:
            continue  # \b, ^: zero-width
        if op is _c.LITERAL:
            out = {s + chr(av) for s in out}
            continue
        if op is _c.IN and av and all(o is _c.LITERAL for o, _ in av):
            out = {s + chr(v) for s in out for _, v in av}
            if len(out) > _MAX_PREFIXES:
                return None
            continue
        if op is _c.BRANCH:
            subs = [_prefixes(branch) for branch in av[1]]
        elif op is _c.SUBPATTERN:
            subs = [_prefixes(av[3])]
        else:
            break
        if any(sub is None for sub in subs):
            return None if out == {""} else out
        out = {s + t for s in out for sub in subs for t in sub}
        break  # what follows a group depends on which branch matched: stop here
    out = {s.strip() for s in out}
    if "" in out or len(out) > _MAX_PREFIXES:
        return None
    return out


def key_prefixes(pattern: str, flags: int = re.I) -> frozenset[str] | None:
    """The literal prefixes (lower-cased) that every match of ``pattern`` starts with."""
    found = _prefixes(list(_parser.parse(pattern, flags)))
    return frozenset(p.lower() for p in found) if found else None


class Trigger:
    """A compiled pattern and the pre-filter derived from it."""

    def __init__(self, pattern: str, flags: int = re.I):
        self.source = pattern
        self.pattern = re.compile(pattern, flags)
        self.keys = key_prefixes(pattern, flags)
        # Substring tests on the lower-cased text: far cheaper than a regular expression
        # alternation, and a superset of what the pattern can match.
        self.gate = tuple(sorted(self.keys)) if self.keys else None

    def possible(self, text: str) -> bool:
        """False when the pattern cannot match ``text`` (the cheap test)."""
        if self.gate is None:
            return True
        low = text.lower()
        return any(key in low for key in self.gate)

    def search(self, text: str, pos: int = 0) -> re.Match | None:
        return self.pattern.search(text, pos) if self.possible(text) else None

    def finditer(self, text: str):
        return self.pattern.finditer(text) if self.possible(text) else iter(())

    def sub(self, repl: str, text: str) -> str:
        return self.pattern.sub(repl, text) if self.possible(text) else text


def words(*alternatives: str) -> Trigger:
    """A trigger matching any of the alternatives as whole words."""
    return Trigger(r"\b(?:" + "|".join(alternatives) + r")\b")
