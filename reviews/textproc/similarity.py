"""Claim similarity: what two claims share, as terms, figures, names and sources.

A claim is reduced to a ``Profile``: light-stemmed content terms (function words and
reporting verbs dropped), its figures kept exact ("10,000" -> "#10000", "4 per cent" ->
"#4%", "seven" -> "#7"), the names it mentions (runs of capitalised words and
acronyms) and the sources it attributes to ("according to the NDRRMC", "Kyiv said").
Two profiles are compared by ``pair_features``: the IDF-weighted cosine of their terms
and of their names, whether they state the same figure, a near but different figure
(the same fact, counted otherwise) or only unrelated ones, and whether they cite the same
source. A small model (``matchmodel``) turns those features into a score; ``explain``
says in words what the two share and where their figures differ.

No synonym lists: two sentences about the same subject share its vocabulary, so shared
words alone cannot tell "the same fact" from "the same story". What tells them apart is
the assertion's specifics: the figure, who is named, who says so.
"""

import gzip
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from .segment import CITATION

WEIGHTS_PATH = Path(__file__).resolve().parent / "data" / "term_weights.json.gz"

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over same she should so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours yourself yourselves
    said says say saying told tells according reported reports report claimed claims claim added
    stated states noted explained asserted alleged allegedly reportedly
    mr mrs ms dr one also however although though yet still even just may might must
    shall would could upon via per among amid within without across along around like""".split()
)

# English number words, as figures: "seven soldiers" states the figure 7. ("one" is left
# out: it is a pronoun at least as often as a count.)
_UNITS = "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
_UNITS += "seventeen eighteen nineteen"
NUMBER_WORDS = {w: i for i, w in enumerate(_UNITS.split(), start=2)}
NUMBER_WORDS |= {
    w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
}

_TOKEN = re.compile(
    r"\d{1,2}:\d\d\b"  # a time of day: a content term, never a figure
    r"|\d{1,3}(?: \d{3})+(?![\d.,])"  # thousands set apart by spaces ("2 900")
    r"|\d+(?:[,.\u00a0\u202f]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?|%"
)
_SUFFIXES = ("ians", "ian", "ings", "ing", "ies", "ied", "ed", "es", "ia", "s", "e")
_YEAR = re.compile(r"^(19|20)\d\d$")
# A name: capitalised words (joined by "of", "and", "for", "the" inside), or an acronym.
_NAME = re.compile(
    r"(?<![\w’'])(?:[A-Z][\w’'.-]*[\w]|[A-Z]{2,})"
    r"(?:\s+(?:(?:of|and|for|the|de|al)\s+)?(?:[A-Z][\w’'.-]*[\w]|[A-Z]{2,}))*"
)
_REPORTING = r"(?:said|says|say|told|stated|reported|announced|confirmed|estimated|warned|claimed|added)"
_SOURCE = re.compile(
    rf"[Aa]ccording to\s+(?:the\s+)?(?P<a>[^,.;:]+)"
    rf"|(?P<b>(?:[A-Z][\w’'.-]*\s+){{0,6}}[A-Z][\w’'.-]*)\s+{_REPORTING}\b"
    rf"|{_REPORTING}\s+(?:the\s+)?(?P<c>(?:[A-Z][\w’'.-]*\s*){{1,6}})"
)
_NOT_A_NAME = STOPWORDS | {"yes", "but", "and"}  # a sentence's first word that starts no name


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light, deterministic stemmer: enough to meet 'surrendering' with 'surrender'."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def _number(token: str) -> str | None:
    """A digit token as a plain decimal string ("10,000" -> "10000", "4,5" -> "4.5")."""
    digits = token.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", digits):
        digits = digits.replace(",", "")
    digits = digits.replace(",", ".")
    if digits.count(".") > 1:
        return None  # a version or a time, not a quantity
    return digits.rstrip("0").rstrip(".") if "." in digits else digits.lstrip("0") or "0"


def _scaled(value: str, scale: int) -> str:
    number = float(value) * scale
    return str(int(number)) if number == int(number) else f"{number:g}"


@dataclass(frozen=True)
class Profile:
    """What a claim says, as parts that two claims can share."""

    terms: frozenset[str]  # content stems and figures ("#..."): the index terms
    figures: Mapping[str, str]  # figure term -> as written ("#10000" -> "10,000")
    names: Mapping[str, str]  # stem of each word in a name -> the name as written
    sources: frozenset[str]  # stems of the words naming the sources it attributes to
    words: Mapping[str, str]  # content stem -> the word as first written

    def index_terms(self) -> frozenset[str]:
        """Everything ``pair_features`` reads, as index terms: the terms, and the names and
        sources marked ("=" a name's word, "~" a source's word). ``from_index`` reads them back."""
        return self.terms | {NAME + t for t in self.names} | {SOURCE + t for t in self.sources}

    @classmethod
    def from_index(cls, index_terms: Iterable[str]) -> "Profile":
        """A profile rebuilt from its index terms: the same features, but no words as written."""
        plain = frozenset(t for t in index_terms if t[0] not in (NAME, SOURCE))
        names = {t[1:]: t[1:] for t in index_terms if t[0] == NAME}
        sources = frozenset(t[1:] for t in index_terms if t[0] == SOURCE)
        return cls(plain, {f: f[1:] for f in plain if f[0] == "#"}, names, sources, {t: t for t in plain})


NAME, SOURCE = "=", "~"  # marks of index terms that are a name's or a source's word
# The version of what ``Profile.index_terms`` returns: change it with anything that changes a
# claim's index terms (stemming, stopwords, figures, names, sources), so that stored claims
# are re-indexed (``manage.py reindex_claims``) and a match model says which terms it read.
# "1": terms and concept lists (before versions were recorded); "2": terms, names, sources;
# "3": citation markers ("[2]") dropped, no longer read as figures.
INDEX_VERSION = "3"
TERM_LENGTH = 39  # index terms are at most 40 characters, a mark included


def profile(text: str) -> Profile:
    """The claim's terms, figures, names and sources."""
    # A citation marker says where the sentence came from, not what it says: "[7]" is no figure.
    text = CITATION.sub(" ", text)
    tokens = _TOKEN.findall(text)
    terms, figures, words = set(), {}, {}
    i = 0
    while i < len(tokens):
        token = tokens[i]
        lowered = token.lower()
        value, written = None, token
        if token[0].isdigit():
            if _YEAR.match(token) or ":" in token:  # a date or a time: a content term, never a figure
                terms.add(token)
                words.setdefault(token, token)
                i += 1
                continue
            nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
            if nxt in ("st", "nd", "rd", "th"):  # an ordinal ("the 14th exchange"), not a quantity
                i += 2
                continue
            value = _number(token)
        elif lowered in NUMBER_WORDS:
            value = str(NUMBER_WORDS[lowered])
        if value is not None:
            nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
            if nxt in SCALES:
                value, written, i = _scaled(value, SCALES[nxt]), f"{token} {tokens[i + 1]}", i + 1
                nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
            per_cent = nxt == "per" and i + 2 < len(tokens) and tokens[i + 2].lower() == "cent"
            if nxt in ("%", "percent") or per_cent:
                value, written = value + "%", written + "%"
            figures.setdefault("#" + value[: TERM_LENGTH - 1], written)
            i += 1
            continue
        i += 1
        if lowered in STOPWORDS or len(lowered) < 3 or lowered in SCALES or lowered in ("cent", "percent"):
            continue
        stemmed = stem(lowered)[:TERM_LENGTH]
        terms.add(stemmed)
        words.setdefault(stemmed, token)
    names = {}
    for match in _NAME.finditer(text):
        name = match.group(0)
        parts = name.split()
        if match.start() == 0 or text[: match.start()].rstrip()[-1:] in "\"“‘'(":
            # A sentence's first word is capitalised anyway: alone, it is not a name.
            if parts[0].lower() in _NOT_A_NAME:
                parts = parts[1:]
            elif len(parts) == 1 and not parts[0].isupper():
                continue
        name = " ".join(parts)
        for part in parts:
            key = stem(part)[:TERM_LENGTH]
            if key in terms and key not in names:
                names[key] = name
    sources = set()
    for match in _SOURCE.finditer(text):
        source = match.group("a") or match.group("b") or match.group("c") or ""
        sources |= {stem(w)[:TERM_LENGTH] for w in _TOKEN.findall(source) if stem(w)[:TERM_LENGTH] in terms}
    return Profile(frozenset(terms | figures.keys()), figures, names, frozenset(sources), words)


def terms(text: str) -> frozenset[str]:
    """The claim's content terms: stems of content words, plus figures as '#<number>'."""
    return profile(text).terms


def figures(term_set: Iterable[str]) -> frozenset[str]:
    return frozenset(t for t in term_set if t.startswith("#"))


@cache
def background() -> tuple[int, dict[str, int]]:
    """(sentences, document frequency per term) of general speech: see scripts/build_term_weights.py."""
    data = json.loads(gzip.decompress(WEIGHTS_PATH.read_bytes()))
    return data["sentences"], data["df"]


def general_idf(term: str) -> float:
    n, df = background()
    return idf(df.get(term, 0), n)


def idf(df: int, n: int) -> float:
    """Smoothed inverse document frequency of a term found in ``df`` of ``n`` claims."""
    return math.log((n + 1) / (df + 1)) + 1.0


def cosine(a: Iterable[str], b: Iterable[str], weight: Callable[[str], float]) -> float:
    """Cosine of two term sets, each term weighted by ``weight`` (its rarity)."""
    a, b = set(a), set(b)
    if not a or not b:
        return 0.0
    shared = sum(weight(t) ** 2 for t in a & b)
    if not shared:
        return 0.0
    return shared / math.sqrt(sum(weight(t) ** 2 for t in a) * sum(weight(t) ** 2 for t in b))


def _value(figure_term: str) -> tuple[float, bool]:
    return float(figure_term[1:].rstrip("%")), figure_term.endswith("%")


NEVER_SEEN = "#"  # a term no claim can hold: the weight of the rarest term
NEAR = 2.5  # two different figures of one kind within this ratio may count the same thing


def differing_figures(a: Profile, b: Profile) -> list[tuple[str, str]]:
    """Pairs of figures, one from each claim, that differ but are near enough to count the
    same thing (185 vs 190, 3.6% vs 4%): the sign of a conflicting figure. Figures the
    other claim states too are left out."""
    mine = [f for f in a.figures if f not in b.figures]
    theirs = [f for f in b.figures if f not in a.figures]
    out = []
    for x in mine:
        vx, px = _value(x)
        best = None
        for y in theirs:
            vy, py = _value(y)
            if px != py or vx <= 0 or vy <= 0 or max(vx, vy) / min(vx, vy) > NEAR:
                continue
            if best is None or abs(vy - vx) < abs(_value(best)[0] - vx):
                best = y
        if best:
            out.append((x, best))
    return out


FEATURES = (
    "terms",
    "shared",
    "names",
    "same_figure",
    "near_figure",
    "other_figures",
    "same_source",
    "both_figures",
)


def pair_features(a: Profile, b: Profile, weight: Callable[[str], float]) -> list[float]:
    """The evidence that two claims state the same fact, in the order of ``FEATURES``."""
    content_a, content_b = a.terms - figures(a.terms), b.terms - figures(b.terms)
    shared_figures = a.figures.keys() & b.figures.keys()
    # A shared figure counts by its rarity: "4" says less than "185".
    rarity = max((weight(f) for f in shared_figures), default=0.0) / weight(NEVER_SEEN)
    near = bool(differing_figures(a, b))
    both = bool(a.figures and b.figures)
    # The evidence in absolute terms: the number of rare words both use (cosine alone
    # rates two short sentences sharing one rare word as highly as two sharing five).
    shared = sum(weight(t) for t in content_a & content_b) / weight(NEVER_SEEN)
    return [
        cosine(content_a, content_b, weight),
        min(shared, 6.0) / 6.0,
        cosine(a.names.keys(), b.names.keys(), weight),
        rarity,
        float(near and not shared_figures),
        float(both and not shared_figures and not near),
        float(bool(a.sources & b.sources)),
        float(both),
    ]


def figures_conflict(a: Profile, b: Profile) -> bool:
    """Both state a figure for what looks like the same quantity, and the figures differ."""
    return bool(differing_figures(a, b))


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def shared_parts(a: Profile, b: Profile, weight: Callable[[str], float], *, most: int = 4) -> list[str]:
    """What the two claims share, as phrases in words as written (never stems): the source,
    the names, the figures, the rarest other shared words, and the figures that differ.
    Empty when they share nothing that words can name."""
    shared = sorted((a.terms & b.terms) - figures(a.terms), key=lambda t: (-weight(t), t))
    parts = []
    cited = list(
        dict.fromkeys(a.names.get(t) or a.words[t] for t in shared if t in a.sources and t in b.sources)
    )
    if cited:
        parts.append("both cite " + _listed(cited[:2]))
    names = [a.names[t] for t in shared if t in a.names and t in b.names and a.names[t] not in cited]
    if names:
        parts.append("both name " + _listed(list(dict.fromkeys(names))[:most]))
    same = sorted(a.figures.keys() & b.figures.keys(), key=lambda f: _value(f)[0])
    if same:
        parts.append("both state " + _listed([a.figures[f] for f in same][:most]))
    other = [a.words[t] for t in shared if t not in a.names and t not in a.sources][:most]
    if other:
        parts.append("both say " + _listed(other))
    differ = differing_figures(a, b)
    if differ:
        parts.append(
            "figures differ: " + "; ".join(f"{a.figures[x]} vs {b.figures[y]}" for x, y in differ[:3])
        )
    return parts


# What ``explain`` says of two claims that share nothing nameable: such a pair is never
# proposed (``nameable``), and one proposed before that rule is not shown.
LITTLE_IN_COMMON = "Little in common"


def explain(a: Profile, b: Profile, weight: Callable[[str], float], *, most: int = 4) -> str:
    """What the two claims share, in words: ``shared_parts`` as one sentence."""
    parts = shared_parts(a, b, weight, most=most)
    if not parts:
        return LITTLE_IN_COMMON
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def nameable(a: Profile, b: Profile) -> bool:
    """Whether the two share anything ``explain`` can name beyond figures: a pair that shares
    nothing nameable is never shown to a person, whatever its score, nor one whose only common
    ground is a number ("Both state two": two soldiers, two vehicles; "Both state 38": 38
    criminal cases, 38 degrees). A conflicting figure is worth a look only about the same thing,
    which shared words, names or a source say."""
    parts = shared_parts(a, b, lambda term: 1.0, most=1)
    return any(not part.startswith(("both state ", "figures differ")) for part in parts)
