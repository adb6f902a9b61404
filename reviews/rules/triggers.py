"""Trigger patterns whose fast pre-filter is derived from the patterns themselves.

A rule's regular expression is the one declaration of what it looks for. The pre-filter
(a cheap test that rules a sentence out before the full pattern runs) is computed from it:
every match of the pattern must start with one of the literal prefixes of its alternatives,
so a sentence containing none of them cannot match. Nothing is kept by hand beside the
pattern, so the two cannot drift apart.

Searching is arranged for speed without changing what matches:

- the pattern runs on the lower-cased text, compiled from a lower-cased copy of itself
  without ``re.I`` (Python's case-insensitive matching is several times slower);
- a pattern that is an alternation of several branches keeps one pre-filter per branch and
  runs only the branches that can match (a long alternation is tried branch by branch at every
  word, which is what makes it slow);
- the answer for a text is remembered while one article is read (``new_document`` forgets),
  since the rules and the flag scorer ask the same trigger about the same sentence (and its
  neighbours, and the headline) many times.

The match returned is the case-insensitive pattern's own match on the original text, found
at the position the fast search located, so reasons quote the text as written.
"""

import itertools
import re
import re._constants as _c
import re._parser as _parser

_MAX_PREFIXES = 256
_MEMO_SIZE = 4096
_ALL: list["Trigger"] = []


def new_document() -> None:
    """Forget the remembered answers: the texts of the next article are new."""
    for trigger in _ALL:
        trigger._memo.clear()
    _heads_memo.clear()


def _prefixes(items) -> set[str] | None:
    """Literal strings one of which every match of ``items`` starts with (None: no such set)."""
    out = {""}
    for op, av in items:
        if op is _c.AT or op is _c.ASSERT_NOT or op is _c.ASSERT:
            continue  # \b, ^, look-arounds: zero-width
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


_WORD = re.compile(r"\w+")
_HEAD = 4  # a word is known by its first letters (up to four), or whole when followed by more


def _starts_at_word(source: str, flags: int) -> bool:
    """Whether every match of ``source`` starts at the beginning of a word (``\\b`` or ``^``
    before the first literal)."""
    for op, av in _parser.parse(source, flags):
        if op is _c.AT:
            return av in (_c.AT_BOUNDARY, _c.AT_BEGINNING, _c.AT_BEGINNING_STRING)
        if op is not _c.ASSERT_NOT and op is not _c.ASSERT:
            return False
    return False


def heads_of(source: str, flags: int = re.I) -> frozenset[str] | None:
    """What the word each match of ``source`` starts with must look like: its first one to
    four letters, or the whole word (marked ``=word``) where the literal goes on past it. A
    text none of whose words fit cannot match (see ``text_heads``). None: no such test."""
    keys = key_prefixes(source, flags)
    if not keys or not _starts_at_word(source, flags):
        return None
    found = set()
    for key in keys:
        m = _WORD.match(key)
        if not m:
            return None
        word = m.group(0)
        found.add("=" + word if len(word) < len(key) else word[:_HEAD])
    return frozenset(found)


def text_heads(text: str) -> tuple[str, frozenset[str]]:
    """A text lower-cased, and the first one to four letters of each of its words and each
    word (marked ``=word``) in one set: what ``heads_of`` sets are intersected with."""
    found = _heads_memo.get(text)
    if found is None:
        low = text.lower()
        tokens = _WORD.findall(low)
        heads = frozenset(
            itertools.chain(
                (t[:1] for t in tokens),
                (t[:2] for t in tokens),
                (t[:3] for t in tokens),
                (t[:4] for t in tokens),
                ("=" + t for t in tokens),
            )
        )
        if len(_heads_memo) >= _MEMO_SIZE:
            _heads_memo.clear()
        found = _heads_memo[text] = (low, heads)
    return found


_heads_memo: dict[str, tuple[str, frozenset[str]]] = {}


def lower_pattern(pattern: str) -> str:
    """``pattern`` with its literals lower-cased and its escapes (``\\W``, ``\\S``, ``\\b``) kept."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        else:
            out.append(pattern[i].lower())
            i += 1
    return "".join(out)


def top_level_branches(pattern: str) -> list[str]:
    """The alternatives of ``pattern``'s outermost ``|`` (one item: the pattern has none)."""
    parts, current, depth, i = [], [], 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            current.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[":  # a class: its "|" and parentheses are literal
            end = pattern.index("]", i + 2 if pattern[i + 1 : i + 2] in ("]", "^") else i + 1)
            current.append(pattern[i : end + 1])
            i = end + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append("".join(current))
            current = []
            i += 1
            continue
        current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


_MISSING = object()


class Trigger:
    """A compiled pattern and the pre-filter derived from it."""

    def __init__(self, pattern: str, flags: int = re.I):
        self.source = pattern
        self.pattern = re.compile(pattern, flags)
        self.keys = key_prefixes(pattern, flags)
        # Substring tests on the lower-cased text: a superset of what the pattern can match.
        self.gate = tuple(sorted(self.keys)) if self.keys else None
        self._lower = bool(flags & re.I)
        # An alternation of many branches is tried branch by branch at every word: search only
        # the branches whose first word the text has (case-insensitive ones lower-cased, on the
        # lower-cased text).
        self._branches: list[re.Pattern] = []
        self._always: list[int] = []  # branches with no first-word test
        self._by_head: dict[str, list[int]] = {}
        for number, branch in enumerate(top_level_branches(pattern)):
            self._branches.append(
                re.compile(lower_pattern(branch), flags & ~re.I) if self._lower else re.compile(branch, flags)
            )
            heads = heads_of(branch, flags)
            if heads is None:
                self._always.append(number)
            else:
                for head in heads:
                    self._by_head.setdefault(head, []).append(number)
        self._heads = frozenset(self._by_head)
        self._memo: dict[str, re.Match | None] = {}
        _ALL.append(self)

    def possible(self, text: str) -> bool:
        """False when the pattern cannot match ``text`` (the cheap test)."""
        if self.gate is None:
            return True
        low = text.lower()
        return any(key in low for key in self.gate)

    def _find(self, text: str) -> re.Match | None:
        low, heads = text_heads(text)
        if len(low) != len(text):  # lower-casing moved the offsets (rare letters)
            return self.pattern.search(text)
        hits = self._heads.intersection(heads)
        if not hits and not self._always:
            return None
        if len(self._branches) == 1:
            candidates = (0,)
        else:
            candidates = set(self._always)
            for head in hits:
                candidates.update(self._by_head[head])
        subject = low if self._lower else text
        start = -1
        for number in candidates:
            m = self._branches[number].search(subject)
            if m and (start < 0 or m.start() < start):
                start = m.start()
        if start < 0:
            return None
        # At the leftmost position where a branch matches, the whole pattern's own match (its
        # first matching branch, and the text as written).
        return self.pattern.match(text, start) or self.pattern.search(text)

    def search(self, text: str) -> re.Match | None:
        """The pattern's first match in ``text`` (remembered per text)."""
        found = self._memo.get(text, _MISSING)
        if found is _MISSING:
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            found = self._memo[text] = self._find(text)
        return found

    def finditer(self, text: str):
        return self.pattern.finditer(text) if self.search(text) else iter(())

    def sub(self, repl: str, text: str) -> str:
        return self.pattern.sub(repl, text) if self.search(text) else text


def words(*alternatives: str) -> Trigger:
    """A trigger matching any of the alternatives as whole words."""
    return Trigger(r"\b(?:" + "|".join(alternatives) + r")\b")
