"""Claim similarity: normalised content terms, figures kept exact, IDF-weighted overlap.

Two news sentences that make the same claim rarely share their wording: "Russia is using
drones to kill its own soldiers" and "the soldiers were targeted by a Russian FPV drone".
What they share is a handful of content terms, and how telling a shared term is depends
on how rare it is among the claims already stored. So a claim is reduced to a set of
light-stemmed content terms (function words and reporting verbs dropped; common news
synonyms folded into one concept), numbers become exact figure terms ("10,000" ->
"#10000", never equal to "#11000"), and similarity is the cosine of two such sets with
each term weighted by its rarity.
"""

import gzip
import json
import math
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

WEIGHTS_PATH = Path(__file__).resolve().parent / "data" / "term_weights.json.gz"

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours yourself yourselves
    said says say saying told tells according reported reports report claimed claims claim added
    stated states noted explained asserted alleged allegedly reportedly
    mr mrs ms dr one two three also however although though yet still even just may might must
    shall would could upon via per among amid within without across along around like""".split()
)
# Keep an actor's own possessive: "its own soldiers" is content, not a function word.
STOPWORDS = STOPWORDS - {"own"}

# Words news copy uses interchangeably for the same fact, mapped to one concept term, so
# that "troops were shot" meets "soldiers were killed". General news vocabulary: harm and
# death, armed forces, surrender and capture, counts going up or down, statements, channels.
CONCEPTS = {
    "@harm": "kill killed shoot shot attack target strike murder execut slain slaughter fire fired bomb "
    "shell dead death die died deadly",
    "@casualties": "fatality fatalities casualty casualties toll",
    "@troops": "soldier troop servicemen serviceman personnel fighter forc army militar unit infantry",
    "@surrender": "surrender surrendered surrendering capitulat defect desert",
    "@captive": "captive captiv captur prisoner pow pows detain detaine",
    "@drone": "drone fpv uav quadcopter",
    "@channel": "hotline hotlin channel chatbot helpline telegram app",
    "@rise": "rise rose risen increas grow grew grown climb climbed jump jumped soar surg",
    "@fall": "fall fell fallen decreas declin drop dropped plung slump",
    "@wound": "wound wounded injur injured hurt",
}
_CONCEPT_OF = {}


def _load_concepts() -> None:
    for concept, words in CONCEPTS.items():
        for word in words.split():
            _CONCEPT_OF[word] = concept
            _CONCEPT_OF[stem(word)] = concept


_TOKEN = re.compile(r"\d+(?:[,.\u00a0\u202f]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?")
_SUFFIXES = ("ians", "ian", "ings", "ing", "ies", "ied", "ed", "es", "ia", "s", "e")
_YEAR = re.compile(r"^(19|20)\d\d$")


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


def figure(token: str) -> str | None:
    """A number token as an exact figure term, or None for a year (a date, not a quantity)."""
    digits = token.replace("\u00a0", "").replace("\u202f", "")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", digits):
        digits = digits.replace(",", "")
    digits = digits.replace(",", ".")
    if _YEAR.match(digits):
        return None
    return "#" + digits.rstrip("0").rstrip(".") if "." in digits else "#" + digits


def terms(text: str) -> frozenset[str]:
    """The claim's content terms: stems of content words, plus figures as '#<number>'."""
    out = set()
    for token in _TOKEN.findall(text):
        if token[0].isdigit():
            fig = figure(token)
            if fig:
                out.add(fig)
            continue
        lowered = token.lower()
        if lowered in STOPWORDS or len(lowered) < 3:
            continue
        stemmed = stem(lowered)
        out.add(_CONCEPT_OF.get(lowered) or _CONCEPT_OF.get(stemmed) or stemmed)
    return frozenset(out)


_load_concepts()


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


def similarity(a: frozenset[str], b: frozenset[str], weights: Mapping[str, float], default: float) -> float:
    """Cosine of two term sets under IDF weights, figures left out (they are compared apart)."""
    a, b = a - figures(a), b - figures(b)
    if not a or not b:
        return 0.0

    def norm(items):
        return math.sqrt(sum(weights.get(t, default) ** 2 for t in items))

    return sum(weights.get(t, default) ** 2 for t in a & b) / (norm(a) * norm(b))


def figures_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Both state figures and share none of them: the same thing, different quantities."""
    fa, fb = figures(a), figures(b)
    return bool(fa and fb and not (fa & fb))
