"""Train and measure the match model on labelled claim pairs (pure, no Django).

The labelled pairs are the news corpus's ``pairs.jsonl`` (same fact, conflicting figure,
or only the same subject: the hard negatives) and the newsroom's confirmed and rejected
matches. Measured as the product works: every claim of the corpus's pages is stored in an
in-memory index built like the database's; each claim of a test fold looks up its
candidates among all other pages, keeps its best ``PER_CLAIM`` of those the model proposes
(``MatchModel.proposal_tier``: at or above the suggestion threshold, sharing something that
words can name), and the proposals are judged against the labelled pairs. The model and its
thresholds are trained on the other folds only (article-level folds, ``corpus.FOLDS``).
"""

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import corpus
from . import matchmodel as mm
from . import similarity as sim

POSITIVE = frozenset({"same_fact", "conflicting_figure"})
# "Suggested" from the lowest score at which the labelled pairs proposed are this precise;
# "likely the same" from the lowest score at which even the other-event candidates (counted
# as wrong, though some are the same generic fact) make up no more than 60 % of the proposals.
SUGGEST_PRECISION = 0.9
LIKELY_PRECISION = 0.4
L2 = 1.0  # ridge penalty of the logistic regression
OTHER_EVENT_PER_CLAIM = 2  # index candidates from other events taken as negatives, per claim


@dataclass(frozen=True)
class Pair:
    a: str  # claim texts
    b: str
    label: str  # same_fact | conflicting_figure | same_subject | other_event | confirmed | rejected
    group: str  # the article key (or newsroom article) of ``a``: it decides the fold
    other_group: str = ""

    @property
    def positive(self) -> bool:
        return self.label in POSITIVE or self.label == "confirmed"


def load_pairs(news_dir: Path, pages: list[corpus.Page]) -> list[Pair]:
    """The labelled pairs whose two pages are among ``pages``."""
    path = news_dir / "pairs.jsonl"
    if not path.exists():
        return []
    keys = {p.key for p in pages}
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            a, b = row["a"]["file"][:3], row["b"]["file"][:3]
            if a in keys and b in keys:
                out.append(Pair(row["a"]["text"], row["b"]["text"], row["label"], a, b))
    return out


@dataclass
class Archive:
    """Claims in an in-memory inverted index, looked up as the database's index is."""

    claims: list[tuple[str, str]] = field(default_factory=list)  # (article key, text)
    profiles: list[sim.Profile] = field(default_factory=list)
    index: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    df: Counter = field(default_factory=Counter)

    def add(self, article: str, text: str) -> None:
        profile = sim.profile(text)
        n = len(self.claims)
        self.claims.append((article, text))
        self.profiles.append(profile)
        for term in profile.terms:
            self.index[term].append(n)
        self.df.update(profile.terms)

    def weight(self):
        return mm.term_weight(self.df, max(len(self.claims), 1))

    def candidates(self, n: int, weight) -> list[int]:
        """The claims of other articles sharing most of claim ``n``'s lookup terms."""
        profile, article = self.profiles[n], self.claims[n][0]
        if not mm.matchable(profile):
            return []
        shared: Counter = Counter()
        reach: Counter = Counter()
        for term in mm.lookup_terms(profile.terms, self.df, weight):
            for m in self.index[term]:
                if self.claims[m][0] != article:
                    shared[m] += 1
                    reach[m] += weight(term)
        hits = sorted((m for m, k in shared.items() if k >= mm.MIN_SHARED), key=lambda m: (-reach[m], m))
        return hits[: mm.MAX_CANDIDATES]


def corpus_archive(pages: Iterable[corpus.Page]) -> Archive:
    archive = Archive()
    for page in pages:
        for claim in page.gold["claims"]:
            archive.add(page.key, claim["text"])
    return archive


def events(pairs: Iterable[Pair]) -> dict[str, str]:
    """Each article's same-event cluster (the articles linked by labelled pairs), by a
    representative article key; an article in no pair is its own cluster."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for pair in pairs:
        parent[root(pair.group)] = root(pair.other_group or pair.group)
    return {key: root(key) for key in list(parent)}


def other_event_pairs(archive: Archive, keys: set[str], pairs: list[Pair], weight) -> list[Pair]:
    """Negatives the index itself offers: each claim's first ``OTHER_EVENT_PER_CLAIM``
    candidates from articles about another event (no labelled pair links the two). These
    are what a matcher proposes when it mistakes shared words for a shared fact."""
    cluster = events(pairs)
    out = []
    for n, (article, text) in enumerate(archive.claims):
        if article not in keys:
            continue
        taken = 0
        for m in archive.candidates(n, weight):
            other = archive.claims[m][0]
            if other in keys and cluster.get(other, other) != cluster.get(article, article):
                out.append(Pair(text, archive.claims[m][1], "other_event", article, other))
                taken += 1
                if taken == OTHER_EVENT_PER_CLAIM:
                    break
    return out


def features_of(a: str, b: str, weight) -> list[float]:
    return sim.pair_features(sim.profile(a), sim.profile(b), weight)


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the matrix is small and positive definite)."""
    n = len(vector)
    rows = [[*row, v] for row, v in zip(matrix, vector, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col and rows[col][col]:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [x - factor * y for x, y in zip(rows[r], rows[col], strict=True)]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def fit(examples: list[tuple[list[float], bool]], *, l2: float = L2) -> tuple[tuple[float, ...], float]:
    """Logistic regression by Newton's method with an L2 penalty (not on the intercept)."""
    if not examples or len({y for _, y in examples}) < 2:
        raise ValueError("training needs both matching and non-matching pairs")
    k = len(examples[0][0]) + 1
    w = [0.0] * k
    model = mm.MatchModel((0.0,) * (k - 1), 0.0, 0.5, 0.5)
    for _ in range(25):
        grad = [0.0] * k
        hess = [[0.0] * k for _ in range(k)]
        model = mm.MatchModel(tuple(w[1:]), w[0], 0.5, 0.5)
        for x, y in examples:
            row = [1.0, *x]
            p = model.score(x)
            for i in range(k):
                grad[i] += (p - float(y)) * row[i]
                for j in range(k):
                    hess[i][j] += p * (1 - p) * row[i] * row[j]
        for i in range(1, k):
            grad[i] += l2 * w[i]
            hess[i][i] += l2
        step = _solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return tuple(w[1:]), w[0]


def threshold_for(scored: list[tuple[float, bool]], precision: float) -> float:
    """The lowest score from which proposals are at least ``precision`` right."""
    ranked = sorted(scored, key=lambda s: -s[0])
    best, right = 1.0, 0
    for n, (score, good) in enumerate(ranked, start=1):
        right += good
        if right / n >= precision and good:
            best = score
    return best


def train(pairs: list[Pair], weight, *, version: str = "untrained") -> mm.MatchModel:
    """The model and its two thresholds, all from these pairs."""
    examples = [(features_of(p.a, p.b, weight), p.positive) for p in pairs]
    coef, intercept = fit(examples)
    model = mm.MatchModel(coef, intercept, 0.5, 0.5, version)
    scored = [(model.score(x), y) for x, y in examples]
    labelled = [s for s, p in zip(scored, pairs, strict=True) if p.label != "other_event"]
    suggest = threshold_for(labelled, SUGGEST_PRECISION)
    likely = max(threshold_for(scored, LIKELY_PRECISION), suggest)
    return mm.MatchModel(coef, intercept, suggest, likely, version)


@dataclass
class Scores:
    """Proposals judged against labelled pairs; every figure is of pairs."""

    labelled: int = 0
    positives: int = 0
    conflicting: int = 0
    proposed_labelled: int = 0  # labelled pairs proposed
    proposed_right: int = 0  # ... of them same fact or conflicting figure
    likely: int = 0  # labelled pairs proposed as "likely the same"
    likely_right: int = 0
    conflicts_found: int = 0  # conflicting-figure pairs proposed with their figures differing
    other_proposals: int = 0  # proposals between pairs nobody labelled (not counted as errors)
    ranking: list = field(default_factory=list)  # (score, positive) of every labelled pair

    @property
    def precision(self) -> float:
        return self.proposed_right / self.proposed_labelled if self.proposed_labelled else 0.0

    @property
    def recall(self) -> float:
        return self.proposed_right / self.positives if self.positives else 0.0

    @property
    def likely_precision(self) -> float:
        return self.likely_right / self.likely if self.likely else 0.0

    @property
    def conflict_rate(self) -> float:
        return self.conflicts_found / self.conflicting if self.conflicting else 0.0

    @property
    def average_precision(self) -> float:
        """Of the ranking of all labelled pairs by score (an unretrieved pair scores 0)."""
        ranked = sorted(self.ranking, key=lambda s: -s[0])
        right, total = 0, 0.0
        for n, (_, good) in enumerate(ranked, start=1):
            if good:
                right += 1
                total += right / n
        positives = sum(1 for _, good in ranked if good)
        return total / positives if positives else 0.0

    def merge(self, other: "Scores") -> None:
        for name in (
            "labelled positives conflicting proposed_labelled proposed_right likely likely_right "
            "conflicts_found other_proposals"
        ).split():
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.ranking += other.ranking


def summary(scores: Scores) -> str:
    """One line of figures, as the bench and the train command print them."""
    return (
        f"precision {scores.precision:.3f} ({scores.proposed_right}/{scores.proposed_labelled} "
        f"labelled pairs proposed), recall {scores.recall:.3f} (of {scores.positives} "
        f"same-fact/conflicting), AP {scores.average_precision:.3f}, conflicting figures "
        f"{scores.conflict_rate:.3f} ({scores.conflicts_found}/{scores.conflicting}), likely-tier "
        f"precision {scores.likely_precision:.3f} ({scores.likely}); "
        f"{scores.other_proposals} unlabelled pairs proposed"
    )


def proposals(archive: Archive, claims: Iterable[int], model: mm.MatchModel, weight) -> dict:
    """{frozenset of two texts: (score, figures differ)} as claims_match would propose them."""
    out: dict = {}
    for n in claims:
        found = []
        for m in archive.candidates(n, weight):
            a, b = archive.profiles[n], archive.profiles[m]
            score = model.score(sim.pair_features(a, b, weight))
            if model.proposal_tier(score, a, b) is not None:
                found.append((score, m))
        found.sort(key=lambda s: (-s[0], s[1]))
        for score, m in found[: mm.PER_CLAIM]:
            key = frozenset((archive.claims[n][1], archive.claims[m][1]))
            differ = sim.figures_conflict(archive.profiles[n], archive.profiles[m])
            out[key] = max(out.get(key, (0.0, False)), (score, differ))
    return out


def score_fold(archive: Archive, test_keys: set[str], pairs: list[Pair], model: mm.MatchModel) -> Scores:
    weight = archive.weight()
    claims = [n for n, (article, _) in enumerate(archive.claims) if article in test_keys]
    proposed = proposals(archive, claims, model, weight)
    retrievable = {}
    for n in claims:
        for m in archive.candidates(n, weight):
            retrievable[frozenset((archive.claims[n][1], archive.claims[m][1]))] = (n, m)
    scores = Scores()
    labelled = set()
    for pair in pairs:
        key = frozenset((pair.a, pair.b))
        labelled.add(key)
        scores.labelled += 1
        scores.positives += pair.positive
        scores.conflicting += pair.label == "conflicting_figure"
        if key in retrievable:
            n, m = retrievable[key]
            score = model.score(sim.pair_features(archive.profiles[n], archive.profiles[m], weight))
        else:
            score = 0.0
        scores.ranking.append((score, pair.positive))
        if key in proposed:
            value, differ = proposed[key]
            scores.proposed_labelled += 1
            scores.proposed_right += pair.positive
            if value >= model.likely_at:
                scores.likely += 1
                scores.likely_right += pair.positive
            scores.conflicts_found += pair.label == "conflicting_figure" and differ
    scores.other_proposals = len(proposed.keys() - labelled)
    return scores


def train_on_corpus(
    pages: list[corpus.Page], pairs: list[Pair], extra: list[Pair] = (), *, version: str = "shipped"
) -> mm.MatchModel:
    """The model trained on every page's pairs (and ``extra``), with its thresholds."""
    archive = corpus_archive(pages)
    weight = archive.weight()
    negatives = other_event_pairs(archive, {p.key for p in pages}, pairs, weight)
    return train(pairs + negatives + list(extra), weight, version=version)


def cross_validate(pages: list[corpus.Page], pairs: list[Pair], extra: list[Pair] = ()):
    """(fold number, model trained without that fold, its scores on the fold) for each fold;
    ``extra`` pairs (the newsroom's decisions) are always on the training side."""
    archive = corpus_archive(pages)
    weight = archive.weight()
    for number, train_pages, test_pages in corpus.splits(pages):
        train_keys, test_keys = {p.key for p in train_pages}, {p.key for p in test_pages}
        labelled = [p for p in pairs if p.group in train_keys]
        negatives = other_event_pairs(archive, train_keys, labelled, weight)
        model = train(labelled + negatives + list(extra), weight)
        test = [p for p in pairs if p.group in test_keys]
        yield number, model, score_fold(archive, test_keys, test, model)
