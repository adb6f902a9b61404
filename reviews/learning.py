"""What the newsroom's own decisions teach the models, and training a new model version.

Fact-checkers' check-worthiness corrections ("check this" / "not a claim", and claims
dismissed as not check-worthy) are labelled sentences; confirmed and dismissed flags are
labelled flag proposals; confirmed and rejected claim matches are labelled claim pairs.
``train_version`` adds them to ClaimBuster and the annotated corpus, measures the result
by cross-validation on the corpus, and stores it as a new model version (``modelstore``).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .models import CheckworthyDecision, Claim, ClaimMatch, ClaimStatus, Flag, FlagStatus, MatchStatus
from .modelstore import CHECKWORTHINESS, FLAG_SCORER, MATCH_MODEL, METRICS, ModelStore
from .rules import training as flag_training
from .services.flags import revision_analysis
from .textproc import corpus, match_training, matchmodel
from .textproc import training as cw_training


@dataclass(frozen=True)
class NewsroomDecisions:
    sentences: list  # textproc.training.Labelled
    flags: list  # rules.training.Decision
    matches: list = ()  # textproc.match_training.Pair


def newsroom_decisions() -> NewsroomDecisions:
    """Every check-worthiness correction and every resolved flag, as training examples."""
    decided = Claim.objects.exclude(checkworthy_decision="") | Claim.objects.filter(
        status=ClaimStatus.NOT_CHECKWORTHY
    )
    sentences = [
        cw_training.Labelled(
            c.text,
            c.checkworthy_decision == CheckworthyDecision.CHECK,
            f"newsroom-{c.article_id}",
        )
        for c in decided.order_by("pk")
    ]
    analyses = {}
    flags = []
    resolved = (
        Flag.objects.filter(status__in=[FlagStatus.CONFIRMED, FlagStatus.DISMISSED])
        .select_related("rule", "revision", "article")
        .order_by("pk")
    )
    for flag in resolved:
        if flag.revision_id not in analyses:
            analyses[flag.revision_id] = revision_analysis(flag.revision)
        flags.append(
            flag_training.Decision(
                analyses[flag.revision_id],
                flag.rule.code,
                flag.text,
                flag.status == FlagStatus.CONFIRMED,
                f"newsroom-{flag.article_id}",
            )
        )
    decided = (
        ClaimMatch.objects.filter(status__in=[MatchStatus.CONFIRMED, MatchStatus.REJECTED])
        .select_related("claim", "other")
        .order_by("pk")
    )
    matches = [
        match_training.Pair(
            m.claim.text,
            m.other.text,
            m.status,  # "confirmed" or "rejected"
            f"newsroom-{m.claim.article_id}",
            f"newsroom-{m.other.article_id}",
        )
        for m in decided
    ]
    return NewsroomDecisions(sentences, flags, matches)


@dataclass(frozen=True)
class TrainingData:
    claimbuster: list[dict]
    pages: list  # corpus.Page, in folds
    seeds: list  # corpus.Page, never in a fold
    pairs: list = ()  # match_training.Pair: the corpus's labelled claim pairs


def load_training_data(shared: Path, seeds_dir: Path) -> TrainingData:
    from .textproc.evaluation import read_jsonl

    pages = corpus.load(shared / "gold" / "news")
    return TrainingData(
        claimbuster=read_jsonl(shared / "benchmarks" / "claimbuster.jsonl"),
        pages=pages,
        seeds=corpus.load_seeds(shared / "gold" / "seeds.jsonl", seeds_dir),
        pairs=match_training.load_pairs(shared / "gold" / "news", pages),
    )


def cross_validated(data: TrainingData, decisions: NewsroomDecisions, say: Callable[[str], None]) -> dict:
    """CV figures of what training would produce: the corpus by article-level folds, the seeds
    and the newsroom's decisions always on the training side."""
    extra = [s for p in data.seeds for s in cw_training.page_sentences(p)] + decisions.sentences
    pooled, folds = [], []
    for number, pairs in cw_training.cross_validate(data.pages, corpus.splits, data.claimbuster, extra):
        folds.append(round(cw_training.macro_f1(pairs), 4))
        pooled += pairs
        say(f"check-worthy macro-F1, fold {number + 1}: {folds[-1]:.3f} ({len(pairs)} sentences)")
    cw = round(cw_training.macro_f1(pooled), 4)
    say(f"check-worthy macro-F1, pooled: {cw:.3f}")
    extra_flags = flag_training.decision_examples(decisions.flags)
    total = flag_training.FlagScore()
    flag_folds = []
    for number, train, test in corpus.splits(data.pages):
        examples = [e for p in train for e in flag_training.page_examples(p)] + extra_flags
        counts = flag_training.score_pages(test, flag_training.train_from_examples(examples))
        total.merge(counts)
        flag_folds.append([round(counts.recall, 4), round(counts.precision, 4)])
        say(f"flags, fold {number + 1}: recall {counts.recall:.3f} precision {counts.precision:.3f}")
    say(f"flags, pooled: recall {total.recall:.3f} precision {total.precision:.3f}")
    matching = match_training.Scores()
    if data.pairs:
        for number, _, scores in match_training.cross_validate(
            data.pages, list(data.pairs), decisions.matches
        ):
            matching.merge(scores)
            say(f"claim matching, fold {number + 1}: {match_training.summary(scores)}")
        say(f"claim matching, pooled: {match_training.summary(matching)}")
    else:
        say("claim matching: no labelled pairs in the corpus, not measured")
    return {
        "checkworthy_macro_f1": cw,
        "checkworthy_folds": folds,
        "flag_recall": round(total.recall, 4),
        "flag_precision": round(total.precision, 4),
        "flag_folds": flag_folds,
        "flag_per_rule": total.per_rule,
        "match_precision": round(matching.precision, 4),
        "match_recall": round(matching.recall, 4),
        "match_average_precision": round(matching.average_precision, 4),
        "match_conflicts_detected": round(matching.conflict_rate, 4),
    }


def train_version(store: ModelStore, data: TrainingData, decisions: NewsroomDecisions, metrics: dict) -> str:
    """Train both models on everything and store them as a new version (not yet active)."""
    sentences = [s for p in data.pages + data.seeds for s in cw_training.page_sentences(p)]
    sentences += decisions.sentences
    folder = store.new_version()
    try:
        model = cw_training.train_checkworthiness(
            sentences,
            data.claimbuster,
            version=folder.name,
            trained_on=f"ClaimBuster + {len(data.pages)} corpus pages + {len(data.seeds)} seeds + "
            f"{len(decisions.sentences)} newsroom corrections",
        )
        cw_training.write_model(model, folder / CHECKWORTHINESS)
        examples = [e for p in data.pages for e in flag_training.page_examples(p)]
        examples += flag_training.decision_examples(decisions.flags)
        flag_training.write_scorer(
            flag_training.train_from_examples(examples, version=folder.name), folder / FLAG_SCORER
        )
        pairs = list(data.pairs) + list(decisions.matches)
        if any(p.positive for p in pairs) and not all(p.positive for p in pairs):
            model = match_training.train_on_corpus(
                data.pages, list(data.pairs), list(decisions.matches), version=folder.name
            )
            matchmodel.write_model(model, folder / MATCH_MODEL)
        summary = {
            **metrics,
            "newsroom_sentences": len(decisions.sentences),
            "newsroom_flags": len(decisions.flags),
            "newsroom_matches": len(decisions.matches),
        }
        (folder / METRICS).write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    except BaseException:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()  # nothing half-written is left to activate
        raise
    return folder.name
