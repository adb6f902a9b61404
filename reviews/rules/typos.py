"""Spelling, capitalisation and spacing damage, with few false alarms on names.

A word is checked only where its casing makes a dictionary verdict meaningful:
lower-case words, every word of a Title-Case article (where capitals say nothing),
and near-misses of month and weekday names. Names of people and places, which no
dictionary holds, are capitalised and so left alone.
"""

import re
from functools import cache
from itertools import compress
from operator import itemgetter

from .context import Document, Sentence
from .triggers import Trigger, first_matches

_SPACE_BEFORE_PUNCT = re.compile(r"[^\W\d_]\s+[,;:](?=\s)|[^\W\d_]{2}\s+\.(?=\s|$)(?! \.)")
# Common writing and scraping errors, as grammar checkers list them: each proposes a typo
# flag with its reason; the flag scorer weighs it.
_GRAMMAR = (
    (Trigger(r"\b(?!(?:that|had|is|very|bye|no|so)\b)([a-z]+) \1\b", re.I), "doubled word"),
    (Trigger(r"\d(?:per|million|billion|bn|thousand|percent)\b", 0), "number glued to its word"),
    (Trigger(r"[a-z]{2},[a-z]{2}|\d[a-z]*,[a-z]{3}", 0), "no space after a comma"),
    (Trigger(r"[a-z]{3}\.[A-Z][a-z]{2}", 0), "no space after a full stop"),
    (
        Trigger(
            r"\b(?:less|more|rather|other|better|worse|fewer|greater|higher|lower|bigger|smaller) then\b", 0
        ),
        "'then' for 'than'",
    ),
    (
        Trigger(
            r"\bthere\s+(?!is\b|are\b|was\b|were\b|has\b|have\b|seems\b|remains\b|appears\b|"
            r"exists\b|lies\b|stands\b|comes\b|goes\b|follows\b|needs\b|means\b)[a-z]{3,}s\b",
            0,
        ),
        "'there' for 'their'?",
    ),
    (
        Trigger(r"\bit's own\b|\bits (?:the|a|an|not|been|going|time|true|clear|hard|easy|free)\b", re.I),
        "'its'/'it's' confused",
    ),
    (
        Trigger(r"\ban? (?:any|more \w+)\b|\bno any\b|\bmore (?:safe|far|big|fast|easy|cheap|quick)\b", 0),
        "ungrammatical comparison or determiner",
    ),
    (Trigger(r"\b(?:could|should|would|must) of\b", 0), "'of' for 'have'"),
    (Trigger(r"\ba (?=[aeio])(?!one\b|once\b|eu|uni|usu|uti|uro)[a-z]+", 0), "'a' before a vowel"),
    (
        Trigger(
            r"\b(?:they|we|you|people|men|women|children|officials|authorities|experts|scientists|"
            r"[a-z]{4,}(?<![su])s)\s+(?:is|was|has|says)\b",
            0,
        ),
        "plural subject with a singular verb?",
    ),
    (
        Trigger(
            r"\b(?:he|she|it|[Tt]he (?:man|woman|line|project|agency|company))\s+"
            r"(?:tell|say|go|have|do|give|work|pay|"
            r"call|want|need|make|take)\b",
            0,
        ),
        "singular subject with a plural verb?",
    ),
)
_GRAMMAR_TRIGGERS = tuple(trigger for trigger, _ in _GRAMMAR)
_GRAMMAR_REASONS = tuple(reason for _, reason in _GRAMMAR)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# A capitalised word (a name, mostly): one capital, then lower-case letters only.
_NAME = re.compile(r"\b[^\W\d_a-z][^\W\d_A-Z]{5,}\b")
_CALENDAR = (
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
_VARIANTS = (
    ("is", "iz"),
    ("ise", "ize"),
    ("isation", "ization"),
    ("our", "or"),
    ("re", "er"),
    ("yse", "yze"),
    ("ll", "l"),
    ("ogue", "og"),
    ("ence", "ense"),
    ("ae", "e"),
    ("oe", "e"),
)


@cache
def _speller():
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


@cache
def _calendar_near_misses() -> dict[str, str]:
    """Every string one edit away from a month or weekday name, mapped to that name."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = {}
    for name in _CALENDAR:
        for i in range(len(name) + 1):
            for c in letters:
                out.setdefault(name[:i] + c + name[i:], name)  # insertion
                if i < len(name):
                    out.setdefault(name[:i] + c + name[i + 1 :], name)  # substitution
            if i < len(name):
                out.setdefault(name[:i] + name[i + 1 :], name)  # deletion
    for name in _CALENDAR:
        out.pop(name, None)
    return out


@cache
def _proper_aliases(knowledge) -> frozenset[str]:
    return frozenset(
        alias.lower()
        for party in knowledge.parties
        for alias in party.aliases
        if alias[0].isupper() and " " not in alias
    )


def _is_variant(word: str, known) -> bool:
    """British/American spelling pairs are not typos ("criticises", "demoralised")."""
    for uk, us in _VARIANTS:
        for x, y in ((uk, us), (us, uk)):
            if x in word and word.replace(x, y) in known:
                return True
    return False


@cache
def misspelling(word: str) -> str:
    """Return the likely intended word if ``word`` looks misspelt, else ''."""
    low = word.lower()
    if word[0].isupper() and len(low) >= 5 and low in _calendar_near_misses():
        return _calendar_near_misses()[low].capitalize()
    if len(low) < 5 or not low.isalpha():
        return ""
    speller = _speller()
    known = speller.word_frequency.dictionary
    if low in known or _is_variant(low, known):
        return ""
    correction = speller.correction(low)
    if not correction:
        # A British spelling one edit off ("critcised"): the dictionary knows the American form.
        for uk, us in _VARIANTS:
            if uk in low:
                correction = speller.correction(low.replace(uk, us))
                if correction:
                    break
    if not correction or correction == low or speller.word_usage_frequency(correction) < 1e-6:
        return ""
    return correction


def name_variants(text: str) -> dict[str, str]:
    """Names spelt two ways in one text, one edit apart inside the word ("Ukranian" beside
    "Ukrainian", "Zaporizzhia" beside "Zaporizhzhia"): each doubtful spelling mapped to the
    other. An editor checks that a name is spelt the same way throughout; the dictionary
    cannot help with names, the article itself can.

    Which spelling is doubtful: the one the dictionary does not know, else the rarer one, else
    both (the article alone cannot tell). Left alone: endings ("Russia"/"Russian",
    "Ukraine"/"Ukraines"), two words the dictionary knows, and the British and American forms
    of one word ("Ministry of Defence" beside "Department of Defense" is right).
    """
    counts: dict[str, int] = {}
    for name in _NAME.findall(text):
        counts[name] = counts.get(name, 0) + 1
    if len(counts) < 2:
        return {}
    known = _speller().word_frequency.dictionary
    unknown = {name for name in counts if name.lower() not in known}
    if not unknown:
        return {}
    # One edit inside the word keeps the first and last letters: compare within those groups.
    groups: dict[tuple[str, str], list[str]] = {}
    for name in counts:
        groups.setdefault((name[0], name[-1]), []).append(name)
    out: dict[str, str] = {}
    for names in groups.values():
        if len(names) < 2:
            continue
        for a in names:
            for b in names:
                if a >= b or (a not in unknown and b not in unknown) or not _one_inside_edit(a, b):
                    continue
                if _is_variant(a.lower(), {b.lower()}):
                    continue
                if (a in unknown) != (b in unknown):
                    doubtful = (a,) if a in unknown else (b,)
                elif counts[a] != counts[b]:
                    doubtful = (a,) if counts[a] < counts[b] else (b,)
                else:
                    doubtful = (a, b)
                for word in doubtful:
                    out[word] = b if word == a else a
    return out


def _one_inside_edit(a: str, b: str) -> bool:
    """One letter added, dropped or changed between the first and the last letter."""
    if len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(differ) == 1 and 0 < differ[0] < len(a) - 1
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) != 1:
        return False
    i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    return 0 < i < len(a) and a[i:] == b[i + 1 :]


def typo_reason(s: Sentence, doc: Document) -> str | None:
    reasons = []
    title_case = doc.state.get("title_case")
    if title_case is None:
        title_case = doc.state["title_case"] = _is_title_case(doc.body)
    if title_case and s.field == "body" and s.index == 0:
        reasons.append("erratic Title-Case capitalisation throughout")
    near_misses = _calendar_near_misses()
    text = s.text
    if "'" in text or "’" in text:
        words = {w[:-2] if w.endswith(("'s", "’s")) else w for w in _WORD.findall(text)}
    else:  # no possessive to take off
        words = set(_WORD.findall(text))
    lower = set(filter(str.islower, words))
    proper = doc.state.get("proper_aliases")
    if proper is None:
        proper = doc.state["proper_aliases"] = _proper_aliases(doc.knowledge)
    for word in sorted(lower & proper):
        reasons.append(f"{word!r} should be capitalised")
    variants = doc.state.get("name_variants")
    if variants is None:
        variants = doc.state["name_variants"] = name_variants(f"{doc.title or ''}\n{doc.body}")
    if variants:
        for word in sorted(words & variants.keys()):
            reasons.append(f"{word!r} is spelt {variants[word]!r} elsewhere in the article")
    known = _speller().word_frequency.dictionary
    if title_case:
        candidates = {w for w in words if len(w) >= 5 and w.lower() not in known}
    else:
        candidates = {w for w in lower if len(w) >= 5 and w not in known}
        candidates |= {w for w in words - lower if w.lower() in near_misses}
    for word in sorted(candidates):
        fix = misspelling(word)
        if fix:
            reasons.append(f"{word!r} looks misspelt ({fix!r}?)")
    for m, reason in zip(first_matches(_GRAMMAR_TRIGGERS, text), _GRAMMAR_REASONS, strict=True):
        if m:
            reasons.append(f"{reason} ({m.group(0)!r})")
    if (" ," in text or " ." in text or " ;" in text or " :" in text) and _SPACE_BEFORE_PUNCT.search(text):
        reasons.append("space before punctuation")
    return "; ".join(dict.fromkeys(reasons)) or None


def _is_title_case(text: str) -> bool:
    found = _WORD.findall(text)
    words = list(compress(found, map((3).__lt__, map(len, found))))  # longer than three letters
    if len(words) < 30:
        return False
    return sum(map(str.isupper, map(itemgetter(0), words))) / len(words) > 0.5
