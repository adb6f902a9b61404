"""The debris model: is a line of a page article text, or page furniture?

Scraped pages mix the story with navigation, captions, bylines, share widgets, related-story
headlines, promos and footers. Each sits on lines (blocks) of its own, so the model judges
whole lines, from what a line looks like (length, closing punctuation, casing, digits,
function words, links) and where it stands (position, blank lines, its neighbours, whether
it repeats). The furniture patterns of ``clean.py`` are features too: the model learns how
far to trust each one. A second stage reads the first stage's scores of the neighbouring
lines, because furniture comes in runs (a related-stories list of headline-like lines).

Trained by ``debris_training.train_debris`` (scikit-learn, a dev requirement) on the news
corpus and the seeds; shipped as ``data/debris.json`` and scored here in plain Python.
"""

import json
import math
import operator
import re
from dataclasses import dataclass, field
from functools import cache
from itertools import repeat
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("data") / "debris.json"

# The furniture patterns whose verdicts are features (clean.py's reasons).
PATTERN_REASONS = (
    "source URL",
    "navigation",
    "broken image fragment",
    "image caption or credit",
    "share widget",
    "byline",
    "timestamp",
    "topic tags",
    "related or most-read list",
    "promo or appeal",
    "footer",
    "advertisement",
    "syndication note",
)
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_TERMINAL = re.compile(r"""[.!?…][\"'”’»)\]]*$|[.!?…]\s*(\[\d+\]\s*)+$""")
_SENTENCE_END = re.compile(r"""[.!?][\"'”’)]*\s+[\"'“‘(]?[A-Z]""")
_URLISH = re.compile(r"https?://|www\.|\.(?:com|org|net|co\.uk|gov)\b|@\w", re.I)
_BULLET = re.compile(r"^(?:[-–—•*·>|»]|\d{1,2}[.)])\s")
_SEPARATOR = re.compile(r"\s[|›»·/>]\s")
# Closed-class English words: present in running text, scarce in furniture.
_FUNCTION = frozenset(
    "a an the of to in on at by for from with as and or but that which who is are was were be "
    "been has have had it its he she they his her their this these there not will would said "
    "says".split()
)
_ADDRESSEE = frozenset("you your we our us".split())
# Casing and digit shares are read from a line's first characters: enough to tell a
# headline or a table row from prose, and a long paragraph costs no more than a short one.
_HEAD = 160

BASE = (
    "log_words",
    "log_chars",
    "terminal",
    "colon_end",
    "question_end",
    "bare_end",
    "paren_end",
    "title_case",
    "upper",
    "digits",
    "urlish",
    "bullet",
    "separators",
    "function_words",
    "addressee",
    "quote",
    "lower_start",
    "commas",
    "sentences",
    "paragraph",
    *tuple(f"pattern:{r}" for r in PATTERN_REASONS),
)
CONTEXT = (
    "position",
    "before_first_paragraph",
    "after_last_paragraph",
    "gap_before",
    "gap_after",
    "repeated",
    "prev_words",
    "prev_terminal",
    "prev_paragraph",
    "next_words",
    "next_terminal",
    "next_paragraph",
    "prev2_paragraph",
    "next2_paragraph",
    "run_of_short_lines",
    "paragraphs_near",
)
NEIGHBOUR = ("p_prev", "p_next", "p_prev2", "p_next2", "p_window")
TITLE = (*BASE, "candidate_rank", "first_candidate", "line_rank", "blank_after")
# The headline is looked for among the first lines of a page that no furniture pattern claims.
TITLE_WITHIN = 25


# A line ending in a full stop, colon, semicolon or comma (before closing quotes or brackets)
# is running text: style guides (AP, Reuters, BBC) end no headline that way. An ellipsis,
# a question or an exclamation may end one.
_TEXT_ENDING = re.compile(r"(?<!\.)[.:;,][\"'”’»)\]]*$")


def title_candidates(units: list["Unit"]) -> list[int]:
    """Indexes of the lines that may be the headline: early, unclaimed, 2 to 40 words."""
    return [
        i
        for i, u in enumerate(units[:TITLE_WITHIN])
        if not u.reason and 2 <= len(_WORD.findall(u.text)) <= 40
    ]


def title_features(units: list["Unit"], candidates: list[int], base=None) -> list[list[float]]:
    """One row per candidate line: what it looks like and where it stands among them.

    ``base`` holds the lines' first-stage rows when they are at hand (a candidate has no
    pattern, so its row is the same).
    """
    return [
        [
            *(base[i][: len(BASE)] if base else _base(units[i].text, "")),
            rank / 10,
            float(rank == 0),
            i / TITLE_WITHIN,
            float(units[i].gap_after),
        ]
        for rank, i in enumerate(candidates)
    ]


# Punctuation common in news text, none of it a letter, a capital or a digit: read as a space
# when counting those in a line's head, so that most heads are ASCII and counted by bytes.
_NEUTRAL = re.compile("[’‘“”—–…«»·•‑]")
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ASCII_UPPER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_DIGITS = b"0123456789"
# A match of _URLISH has one of these in the lower-cased line.
_URL_HINTS = ("://", "www.", "@", ".com", ".org", ".net", ".co.uk", ".gov")


def _char_counts(head: str) -> tuple[int, int, int]:
    """How many of ``head``'s characters are letters, capitals and digits (``str.isalpha``,
    ``str.isupper``, ``str.isdigit``)."""
    plain = head if head.isascii() else _NEUTRAL.sub(" ", head)
    if plain.isascii():
        data = plain.encode("ascii")
        n = len(data)
        return (
            n - len(data.translate(None, _ASCII_LETTERS)),
            n - len(data.translate(None, _ASCII_UPPER)),
            n - len(data.translate(None, _ASCII_DIGITS)),
        )
    return sum(map(str.isalpha, head)), sum(map(str.isupper, head)), sum(map(str.isdigit, head))


def _urlish(line: str) -> bool:
    low = line.lower()
    return any(hint in low for hint in _URL_HINTS) and bool(_URLISH.search(line))


def _base(line: str, reason: str) -> list[float]:
    head = line[:_HEAD]
    words = _WORD.findall(head)
    # Words of the whole line by its spaces; the shares below are of the head's words.
    n = len(words) if len(line) <= _HEAD else line.count(" ") + 1
    m = len(words)
    letters, upper, digits = _char_counts(head)
    lowered = [w.lower() for w in words]
    terminal = bool(_TERMINAL.search(line))
    last = line[-1]
    row = [
        math.log1p(n),
        math.log1p(len(line)) / 2,
        float(terminal),
        float(last == ":"),
        float(last == "?" or line.endswith('?"') or line.endswith("?”")),
        float(last.isalnum()),
        float(last == ")"),
        sum(map(str.isupper, [w[0] for w in words])) / m if m else 0.0,
        upper / letters if letters else 0.0,
        digits / len(head),
        float(_urlish(line)),
        float(bool(_BULLET.match(line))),
        min(len(_SEPARATOR.findall(line)), 3) / 3,
        sum(map(_FUNCTION.__contains__, lowered)) / m if m else 0.0,
        sum(map(_ADDRESSEE.__contains__, lowered)) / m if m else 0.0,
        float('"' in line or "“" in line or "”" in line),
        float(line[0].islower()),
        line.count(",") / (n + 1),
        math.log1p(len(_SENTENCE_END.findall(line)) + terminal),
        float(terminal and n >= 8),
    ]
    row.extend(float(reason == r) for r in PATTERN_REASONS)
    return row


@dataclass(frozen=True, slots=True)
class Unit:
    """One line of a page as the model sees it."""

    text: str
    gap_before: bool
    gap_after: bool
    reason: str  # the furniture pattern that matched, or ''


def features(units: list[Unit]) -> list[list[float]]:
    """The first-stage feature rows of a page's lines (``BASE + CONTEXT``)."""
    base = [_base(u.text, u.reason) for u in units]
    n = len(units)
    para = [row[BASE.index("paragraph")] for row in base]
    paragraphs = [i for i, p in enumerate(para) if p]
    first = paragraphs[0] if paragraphs else n
    last = paragraphs[-1] if paragraphs else -1
    counts: dict[str, int] = {}
    for u in units:
        counts[u.text] = counts.get(u.text, 0) + 1
    runs = [0] * n
    start = 0
    for i in range(n + 1):
        if i == n or para[i]:
            for j in range(start, i):
                runs[j] = i - start
            start = i + 1
    rows = []
    for i, u in enumerate(units):
        prev = base[i - 1] if i else None
        nxt = base[i + 1] if i + 1 < n else None
        near = para[max(0, i - 3) : i] + para[i + 1 : i + 4]
        context = [
            i / (n - 1) if n > 1 else 0.0,
            float(i < first),
            float(i > last),
            float(u.gap_before),
            float(u.gap_after),
            float(counts[u.text] > 1),
            prev[0] if prev else 0.0,
            prev[2] if prev else 0.0,
            para[i - 1] if i else 0.0,
            nxt[0] if nxt else 0.0,
            nxt[2] if nxt else 0.0,
            para[i + 1] if i + 1 < n else 0.0,
            para[i - 2] if i >= 2 else 0.0,
            para[i + 2] if i + 2 < n else 0.0,
            math.log1p(runs[i]),
            sum(near) / len(near) if near else 0.0,
        ]
        rows.append(base[i] + context)
    return rows


def neighbours(probabilities: list[float]) -> list[list[float]]:
    """The second-stage rows: the first stage's scores of the lines around each line."""
    n = len(probabilities)
    padded = [0.5, 0.5, *probabilities, 0.5, 0.5]  # line j at j + 2; 0.5 beyond the page
    rows = []
    for i in range(n):
        window = probabilities[max(0, i - 3) : i] + probabilities[i + 1 : i + 4]
        rows.append(
            [
                padded[i + 1],
                padded[i + 3],
                padded[i],
                padded[i + 4],
                sum(window) / len(window) if window else 0.5,
            ]
        )
    return rows


def _logistic(z: float) -> float:
    if z < -30:
        return 0.0
    if z > 30:
        return 1.0
    return 1.0 / (1.0 + math.exp(-z))


_TOKEN = re.compile(r"[^\W\d_]{2,}")


def tokens(line: str) -> set[str]:
    """The lower-cased words at the start of a line, for the model's word weights.

    Furniture announces itself in its first words ("Image caption", "Read more", "Sign up
    for"); the rest of a long paragraph would only cost time.
    """
    return set(_TOKEN.findall(line[:_HEAD].lower()))


@dataclass(frozen=True)
class Stage:
    """A logistic regression over standardised features, plus weights of words present."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    words: dict[str, float] = field(default_factory=dict)
    # The standardisation folded into the weights: z = bias + sum(x * weight).
    weights: tuple[float, ...] = field(init=False)
    bias: float = field(init=False)

    def __post_init__(self):
        weights = tuple(w / s for w, s in zip(self.coef, self.scale, strict=True))
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "bias", self.intercept - sum(map(operator.mul, weights, self.mean)))

    def probability(self, row: list[float], line: str = "") -> float:
        z = self.bias + sum(map(operator.mul, row, self.weights))
        if self.words and line:
            z += sum(map(self.words.get, tokens(line), repeat(0.0)))
        return _logistic(z)

    @classmethod
    def from_dict(cls, data: dict) -> "Stage":
        return cls(
            tuple(data["mean"]),
            tuple(data["scale"]),
            tuple(data["coef"]),
            data["intercept"],
            data.get("words", {}),
        )


@dataclass(frozen=True)
class DebrisModel:
    """Probability that each line of a page is article text; body when at least ``threshold``."""

    first: Stage
    second: Stage
    title: Stage
    threshold: float
    version: str

    def title_index(self, units: list[Unit], rows: list[list[float]] | None = None) -> int:
        """The line that is the page's headline, or -1 when no line may be: also when the line
        the scorer picks ends as running text does (a story pasted without its headline keeps
        its first paragraph)."""
        candidates = title_candidates(units)
        if not candidates:
            return -1
        scores = [self.title.probability(row) for row in title_features(units, candidates, rows)]
        best = candidates[max(range(len(scores)), key=scores.__getitem__)]
        return -1 if _TEXT_ENDING.search(units[best].text) else best

    def judge(self, units: list[Unit]) -> tuple[list[float], int]:
        """Each line's probability of being article text, and the headline's index (or -1)."""
        rows = features(units)
        return self._probabilities(units, rows), self.title_index(units, rows)

    def body_probabilities(self, units: list[Unit]) -> list[float]:
        return self._probabilities(units, features(units))

    def _probabilities(self, units: list[Unit], rows: list[list[float]]) -> list[float]:
        first = [self.first.probability(row, u.text) for row, u in zip(rows, units, strict=True)]
        return [
            self.second.probability([*row, p, *extra])
            for row, p, extra in zip(rows, first, neighbours(first), strict=True)
        ]

    @classmethod
    def from_dict(cls, data: dict) -> "DebrisModel":
        return cls(
            Stage.from_dict(data["first"]),
            Stage.from_dict(data["second"]),
            Stage.from_dict(data["title"]),
            data["threshold"],
            data["version"],
        )


@cache
def load_debris_model(path: Path = MODEL_PATH) -> DebrisModel:
    """The shipped debris model (read once)."""
    return DebrisModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
