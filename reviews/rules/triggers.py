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
  word, which is what makes it slow); a branch that opens with a group of alternatives
  (``\b(?:killed|dead|…)\b``) is spread into one piece per alternative, so a text runs only
  the pieces its words open (one word index over every trigger's pieces answers that once per
  text, and says which triggers cannot match at all);
- a piece with a few literal prefixes is searched from the first place one of them occurs;
- the answer for a text is remembered while one article is read (``new_document`` forgets),
  since the rules and the flag scorer ask the same trigger about the same sentence (and its
  neighbours, and the headline) many times.

The match returned is the case-insensitive pattern's own match on the original text, found
at the position the fast search located, so reasons quote the text as written.
"""

import operator
import re
import re._constants as _c
import re._parser as _parser

from reviews.textproc.casefree import FOLDING, FOLDS, lower_pattern

_MAX_PREFIXES = 256
_MEMO_SIZE = 4096
_ALL: list["Trigger"] = []


def new_document() -> None:
    """Forget the remembered answers: the texts of the next article are new."""
    for trigger in _ALL:
        trigger._memo.clear()
    _heads_memo.clear()


def _is_space(op, av) -> bool:
    """Whether the item is whitespace (``\\s``, a space, or one or more of them)."""
    if (op is _c.MAX_REPEAT or op is _c.MIN_REPEAT) and av[0] >= 1 and len(av[2]) == 1:
        op, av = av[2][0]
    if op is _c.LITERAL:
        return av == 32
    # A class of whitespace only ("[ \t]", "\s"); a negated one ("[^\s]") is no word's edge.
    return (
        op is _c.IN
        and bool(av)
        and all(
            (o is _c.CATEGORY and a is _c.CATEGORY_SPACE) or (o is _c.LITERAL and a in (9, 10, 13, 32))
            for o, a in av
        )
    )


def _walk(items) -> tuple[set[str] | None, bool]:
    """Literal strings one of which every match of ``items`` starts with, and whether they are
    whole matches (every item was literal). A string ends in a space where the match is known
    to end a word there (a ``\\b`` or whitespace follows). None: no such set."""
    out = {""}
    word_end = False
    for op, av in items:
        if op is _c.AT:
            word_end = av is _c.AT_BOUNDARY and all(s and (s[-1].isalnum() or s[-1] == "_") for s in out)
            continue  # \b, ^: zero-width
        if op is _c.ASSERT_NOT or op is _c.ASSERT:
            continue  # look-arounds: zero-width
        if op is _c.LITERAL:
            out = {s + chr(av) for s in out}
            word_end = False
            continue
        if op is _c.IN and av and all(o is _c.LITERAL for o, _ in av):
            out = {s + chr(v) for s in out for _, v in av}
            word_end = False
            if len(out) > _MAX_PREFIXES:
                return None, False
            continue
        if (op is _c.MAX_REPEAT or op is _c.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
            sub, whole = _walk(av[2])  # an optional part ("s?"): with it and without it
            if sub is not None and whole:
                out = out | {s + t for s in out for t in sub}
                word_end = False
                if len(out) > _MAX_PREFIXES:
                    return None, False
                continue
        if op is _c.BRANCH or op is _c.SUBPATTERN:
            subs = [_walk(branch) for branch in av[1]] if op is _c.BRANCH else [_walk(av[3])]
            if any(sub is None for sub, _ in subs):
                return (None if out == {""} else out), False
            out = {s + t for s in out for sub, _ in subs for t in sub}
            word_end = False
            if len(out) > _MAX_PREFIXES:
                return None, False
            if not all(whole for _, whole in subs):
                break  # what follows a group depends on where its branch stopped: stop here
            continue
        if word_end or _is_space(op, av):
            out = {s + " " for s in out}  # the word ends here
        break
    else:
        return out, True
    return out, False


def _prefixes(items) -> set[str] | None:
    """Literal strings one of which every match of ``items`` starts with (None: no such set)."""
    out, _ = _walk(items)
    if out is None:
        return None
    out = {s.strip() for s in out}
    if "" in out or len(out) > _MAX_PREFIXES:
        return None
    return out


def _needle(source: str, flags: int) -> str:
    """The longest literal run (three characters or more) outside any group or repeat: every
    match contains it ('' if there is none)."""
    runs, run = [], []
    for op, av in _parser.parse(source, flags):
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        runs.append("".join(run))
        run = []
    runs.append("".join(run))
    best = max(runs, key=len)
    return best if len(best) >= 3 else ""


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
    """For each literal prefix of ``source``'s matches, one word the text must have: the
    most telling word of the prefix, whole (marked ``=word``) where the prefix goes on past it,
    else its first one to four letters. A text with none of them cannot match (see ``text_heads``).
    A pattern with no literal prefix at a word's start is tested by the literal strings after
    its first ``\\b`` or whitespace that has them (``[a-z]{4,}s\\s+(?:is|was)\\b``: "is", "was").
    None: no such test."""
    items = list(_parser.parse(source, flags))
    starts = [0] if _starts_at_word(source, flags) else []
    starts += [
        k + 1
        for k, (op, av) in enumerate(items)
        if (op is _c.AT and av is _c.AT_BOUNDARY) or _is_space(op, av)
    ]
    for k in starts:
        found = _heads(items[k:])
        if found:
            return found
    return None


def _heads(items) -> frozenset[str] | None:
    """The heads of ``items``' literal prefixes, where a match of ``items`` starts a word."""
    raw, _ = _walk(items)
    keys = {k.lstrip().lower() for k in raw} if raw is not None else set()
    if not keys or "" in keys or len(keys) > _MAX_PREFIXES:
        return None
    found = set()
    for key in keys:
        words = list(_WORD.finditer(key))
        if not words or words[0].start() != 0:
            return None
        # Every word of the prefix starts a word of the text (the first at the pattern's word
        # boundary or after its whitespace, the others after a space or a stop in the prefix);
        # a word the prefix goes on past is a whole word of the text.
        # The most telling one: a whole word counts for more than a prefix of its length.
        heads = ["=" + m.group(0) if m.end() < len(key) else m.group(0)[:_HEAD] for m in words]
        ranked = [(len(h) + 0.5 if h[0] == "=" else len(h), i, h) for i, h in enumerate(heads)]
        found.add(max(ranked)[2])  # ties: the later word ("the man": "man")
    return frozenset(found)


# A doubled word (``\\b([a-z]+) \\1\\b``) has no literal to look for, but its two words are whole
# words of the text, one right after the other: a text none of whose words repeats the one
# before cannot match. Such a piece is opened by this head.
_DOUBLED_HEAD = "\x00doubled"
_WORD_CHAR = re.compile(r"\w")


def _is_doubled_word(items) -> bool:
    """Whether ``items`` is ``\\b`` (and look-arounds), a group of one or more word
    characters, a space, the group again and ``\\b``: every match is a word repeated."""
    k = 0
    boundary = False
    while k < len(items) and items[k][0] in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        boundary = boundary or items[k] == (_c.AT, _c.AT_BOUNDARY)
        k += 1
    rest = items[k:]
    if not boundary or len(rest) != 4 or rest[0][0] is not _c.SUBPATTERN:
        return False
    group, _, _, inner = rest[0][1]
    if rest[1:] != [(_c.LITERAL, 32), (_c.GROUPREF, group), (_c.AT, _c.AT_BOUNDARY)] or len(inner) != 1:
        return False
    op, av = inner[0]
    if op is not _c.MAX_REPEAT or av[0] < 1 or len(av[2]) != 1 or av[2][0][0] is not _c.IN:
        return False
    chars = []
    for o, a in av[2][0][1]:
        if o is _c.LITERAL:
            chars.append(chr(a))
        elif o is _c.RANGE:
            chars.extend(map(chr, range(a[0], a[1] + 1)))
        else:
            return False
    return all(_WORD_CHAR.match(ch) for ch in chars)


# Every gated branch of every trigger has a number; _BY_HEAD maps a head ("vid", "=it") to
# the branches it opens. What a word opens depends only on the word: remembered across articles
# (like a vocabulary), and recomputed when a trigger is added.
# A word also opens its triggers as a whole: trigger number t is marked in the same set by
# the negative number -1 - t, so one union per text says both which branches and which
# triggers may match.
_BY_HEAD: dict[str, list[int]] = {}
_PIECES: list[tuple[str, tuple[int, tuple[str, ...]] | None, re.Pattern]] = []  # by number
_word_memo: dict[str, frozenset[int]] = {}
_WORD_MEMO_SIZE = 50_000


def _register(heads: frozenset[str], mark: int, piece: tuple) -> int:
    number = len(_PIECES)
    _PIECES.append(piece)
    for head in heads:
        _BY_HEAD.setdefault(head, []).extend((number, mark))
    _word_memo.clear()
    return number


def _opened_by(word: str) -> frozenset[int]:
    """The branches whose first-word test ``word`` passes (its first one to four letters, or
    the whole word), and the marks of their triggers."""
    numbers: set[int] = set()
    for head in (word[:1], word[:2], word[:3], word[:4], "=" + word):
        numbers.update(_BY_HEAD.get(head, ()))
    return frozenset(numbers)


# A text with a letter that case-insensitive matching takes as another letter than
# lower-casing gives ("ſ" matches "s": see textproc.casefree) is searched with the plain pattern.
_FOLDS = FOLDS
_FOLDING = FOLDING


class _Everything(frozenset):
    """The opened numbers of a text searched with the plain patterns: every trigger."""

    def __contains__(self, number) -> bool:
        return True


_PLAIN: tuple[None, frozenset[int]] = (None, _Everything())
# In every text's opened numbers: the gate of a trigger that is searched whatever the words.
_ALWAYS = -(10**9)


def text_heads(text: str) -> tuple[str | None, frozenset[int]]:
    """A text lower-cased, and the numbers of the trigger branches its words open; None for
    a text that lower-cased would not match as the case-insensitive pattern does (its offsets
    move, or it has a letter in ``_FOLDS``)."""
    found = _heads_memo.get(text)
    if found is None:
        low = text.lower()
        if len(low) != len(text) or _FOLDING.search(low):
            if len(_heads_memo) >= _MEMO_SIZE:
                _heads_memo.clear()
            found = _heads_memo[text] = _PLAIN
            return found
        found = _heads_memo.get(low)  # the text in other casing (an own-voice text is lower-cased)
        if found is not None and found[0] == low:
            _heads_memo[text] = found
            return found
        found_words = _WORD.findall(low)
        words = set(found_words)
        known = _word_memo
        new = words.difference(known)
        if new:
            if len(known) + len(new) > _WORD_MEMO_SIZE:
                known.clear()
                new = words
            for word in new:
                known[word] = _opened_by(word)
        opened = frozenset().union(*map(known.__getitem__, words), (_ALWAYS,))
        if len(words) < len(found_words) and any(map(operator.eq, found_words, found_words[1:])):
            opened = opened.union(_BY_HEAD.get(_DOUBLED_HEAD, ()))  # a word repeats the one before
        if len(_heads_memo) >= _MEMO_SIZE:
            _heads_memo.clear()
        found = _heads_memo[text] = _heads_memo[low] = (low, opened)
    return found


_heads_memo: dict[str, tuple[str | None, frozenset[int]]] = {}


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


def _close(pattern: str, i: int) -> int:
    """The index of the parenthesis that closes the group opened at ``pattern[i]``."""
    depth = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = pattern.index("]", i + 2 if pattern[i + 1 : i + 2] in ("]", "^") else i + 1) + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced group in {pattern!r}")


_ZERO_WIDTH_OPENERS = ("(?<!", "(?<=", "(?!", "(?=")


def spread(branch: str, flags: int = re.I) -> list[str]:
    """``branch`` as patterns tried in the same order, one per alternative of its leading
    group: ``\\b(?:a|bc?)\\b`` is ``\\b(?:a)\\b`` and ``\\b(?:bc?)\\b``.

    At each position ``P(?:A|B)R`` tries ``A`` then ``R``, then ``B`` then ``R``: exactly what
    ``P(?:A)R|P(?:B)R`` tries, so the leftmost of the pieces' matches is where the branch
    matches. Only a group after zero-width items (``\\b``, ``^``, look-arounds), not repeated,
    in a branch without capturing groups (their numbers would change), is spread.
    """
    i = 0
    while True:
        if branch.startswith("\\b", i):
            i += 2
        elif branch.startswith("^", i):
            i += 1
        elif branch.startswith(_ZERO_WIDTH_OPENERS, i):
            i = _close(branch, i) + 1
        else:
            break
    if not branch.startswith("(?:", i) or _parser.parse(branch, flags).state.groups > 1:
        return [branch]
    end = _close(branch, i)
    rest = branch[end + 1 :]
    alternatives = top_level_branches(branch[i + 3 : end])
    if len(alternatives) == 1 or rest[:1] in ("?", "*", "+", "{"):
        return [branch]
    return [f"{branch[:i]}(?:{alternative}){rest}" for alternative in alternatives]


# A piece with at most this many literal prefixes is searched from the first place one of
# them occurs (str.find), and not at all when none does.
_FIND_KEYS = 12


def _width(op, av) -> int | None:
    """How many characters the item always matches, if it is one character or a fixed
    repeat of one (``\\d``, ``[a-z]``, ``.``, ``[a-z]{3}``); else None."""
    if op in (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY):
        return 1
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and av[0] == av[1] and len(av[2]) == 1:
        inner = _width(*av[2][0])
        return None if inner != 1 else av[0]
    return None


def _find_keys(items) -> tuple[int, tuple[str, ...]] | None:
    """Literal strings one of which every match of ``items`` has at a fixed offset from its
    start, and the offset: the prefixes of the matches as written (a leading space kept, only
    the mark of a word's end dropped), or those after a run of single characters
    (``[a-z]{2},``: "," at 2). None when there is no such set of a few strings."""
    k = 0
    while k < len(items) and items[k][0] in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        k += 1
    offset = 0
    while True:
        raw, _ = _walk(items[k:])
        keys = {key.rstrip(" ") for key in raw} if raw is not None else {""}
        if "" not in keys and len(keys) <= _FIND_KEYS:
            return offset, tuple(sorted(keys))
        width = _width(*items[k]) if k < len(items) else None
        if width is None:
            return None
        offset += width
        k += 1


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
        # A pattern with a letter of _FOLDS is always searched as it is.
        self._plain = len(pattern.lower()) == len(pattern) and not _FOLDING.search(pattern.lower())
        # An alternation of many branches is tried branch by branch at every word: search only
        # the branches whose first word the text has (case-insensitive ones lower-cased, on the
        # lower-cased text). A branch without a first-word test has the number None.
        # A branch with a literal run outside its groups ("accused") also needs that run.
        # A branch whose leading group has several alternatives is spread into one piece per
        # alternative (see ``spread``), each with its own first-word test. A piece with few
        # literal prefixes is searched from the first place one of them occurs.
        self._branches: list[tuple[int | None, str, tuple[int, tuple[str, ...]] | None, re.Pattern]] = []
        # The trigger's mark among a text's opened numbers (see _register); a trigger with a
        # branch that has no first-word test is searched whatever words the text has.
        self._mark = -1 - len(_ALL)
        for branch in (piece for whole in top_level_branches(pattern) for piece in spread(whole, flags)):
            heads = heads_of(branch, flags)
            source, searched = (lower_pattern(branch), flags & ~re.I) if self._lower else (branch, flags)
            if heads is None and _is_doubled_word(list(_parser.parse(source, searched))):
                heads = frozenset({_DOUBLED_HEAD})
            keys = _find_keys(list(_parser.parse(source, searched)))
            needle = _needle(branch, flags)
            piece = (
                needle.lower() if self._lower else needle,
                keys,
                re.compile(source, searched),
            )
            number = None if heads is None else _register(heads, self._mark, piece)
            self._branches.append((number, *piece))
        # The pieces searched whatever the text's words; the numbers of those a word opens.
        self._always = tuple(piece for number, *piece in self._branches if number is None)
        self._numbers = frozenset(number for number, *_ in self._branches if number is not None)
        # What a text's opened numbers must hold for the trigger to be searched on it.
        self._gate = self._mark if self._plain and not self._always else _ALWAYS
        self._memo: dict[str, re.Match | None] = {}
        self._lowered: re.Pattern | None = None  # the whole pattern lower-cased, when asked for
        _ALL.append(self)

    def possible(self, text: str) -> bool:
        """False when the pattern cannot match ``text`` (the cheap test)."""
        if self.gate is None:
            return True
        low = text.lower()
        return any(key in low for key in self.gate)

    def _find(self, text: str, low: str, opened: frozenset[int]) -> re.Match | None:
        if low is None or not self._plain:  # see text_heads
            return self.pattern.search(text)
        if self._mark in opened:
            pieces = [_PIECES[number] for number in self._numbers & opened]
            if self._always:
                pieces += self._always
        else:
            pieces = self._always
        subject = low if self._lower else text
        start = -1
        for needle, keys, piece in pieces:
            if needle not in subject:
                continue
            if keys is None:
                m = piece.search(subject)
            else:
                # Every match of the piece has one of its keys at the offset from its start:
                # none can start before the first place one occurs, less the offset (a search
                # from there sees the text before it, for \b and look-behinds, as a search from
                # the start does).
                offset, keys = keys
                at = -1
                for key in keys:
                    i = subject.find(key)
                    if i >= 0 and (at < 0 or i < at):
                        at = i
                if at < 0:
                    continue  # no match
                at = at - offset if at > offset else 0
                if 0 <= start <= at:
                    continue  # none before the one found
                m = piece.search(subject, at)
            if m and (start < 0 or m.start() < start):
                start = m.start()
        if start < 0:
            return None
        # At the leftmost position where a piece matches, the whole pattern's own match (its
        # first matching branch, and the text as written).
        return self.pattern.match(text, start) or self.pattern.search(text)

    def search(self, text: str) -> re.Match | None:
        """The pattern's first match in ``text`` (remembered per text)."""
        found = self._memo.get(text, _MISSING)
        if found is _MISSING:
            low, opened = _heads_memo.get(text) or text_heads(text)
            if self._gate not in opened:
                return None  # the text has none of the words any piece starts with
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            found = self._memo[text] = self._find(text, low, opened)
        return found

    def finditer(self, text: str):
        return self.pattern.finditer(text) if self.search(text) else iter(())

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The ``(start, end)`` of every match ``finditer`` gives, found on the lower-cased
        text where that is the same (see ``text_heads``)."""
        if not self.search(text):
            return []
        low = (_heads_memo.get(text) or text_heads(text))[0]
        if low is None or not self._plain or not self._lower:
            return [m.span() for m in self.pattern.finditer(text)]
        if self._lowered is None:
            self._lowered = re.compile(lower_pattern(self.source), self.pattern.flags & ~re.I)
        return [m.span() for m in self._lowered.finditer(low)]

    def sub(self, repl: str, text: str) -> str:
        return self.pattern.sub(repl, text) if self.search(text) else text


def first_matches(triggers, text: str) -> list[re.Match | None]:
    """``[t.search(text) for t in triggers]``, asking only those the text's words open."""
    opened = (_heads_memo.get(text) or text_heads(text))[1]
    return [t.search(text) if t._gate in opened else None for t in triggers]


def words(*alternatives: str) -> Trigger:
    """A trigger matching any of the alternatives as whole words."""
    return Trigger(r"\b(?:" + "|".join(alternatives) + r")\b")
