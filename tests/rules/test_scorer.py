"""The learned flag scorer: plain-Python scoring, and what it keeps of the triggers' proposals."""

from reviews.rules import run_rules
from reviews.rules.engine import propose
from reviews.rules.scorer import FlagScorer, features, load_scorer, neighbours_of
from reviews.textproc import analyze
from tests.conftest import SEEDS

WAR = "Russian and Ukrainian forces fought near the town on Monday.\n"


def test_a_rule_without_weights_keeps_every_proposal():
    scorer = FlagScorer({"version": "t", "rules": {}})
    assert scorer.keep("typo", {"bias": 1.0}) == (True, None)


def test_a_rule_below_its_threshold_is_dropped():
    scorer = FlagScorer({"version": "t", "rules": {"typo": {"weights": {"bias": -3.0}, "threshold": 0.5}}})
    keep, p = scorer.keep("typo", {"bias": 1.0})
    assert not keep and p < 0.05


def test_the_scorer_drops_proposals_the_triggers_make():
    analysis = analyze("Headline\n\n" + WAR + "Prices rose by 3.4% in the year to March, the ONS said.\n")
    _, proposals = propose(analysis)
    assert "unverified_statistic" in {p.rule for p in proposals}
    assert "unverified_statistic" not in {h.rule for h in run_rules(analysis)}


def test_features_name_the_trigger_word_and_the_context():
    analysis = analyze("Headline\n\n" + WAR + "The general was reportedly dismissed on Friday.\n")
    doc, proposals = propose(analysis)
    (p,) = [p for p in proposals if p.rule == "anonymous_source"]
    feats = features(p, doc, neighbours_of(proposals))
    assert feats["w:reportedly"] == 1.0 and feats["parties"] == 1.0 and feats["bias"] == 1.0


def test_seed_pow_video_sentence_is_still_flagged_with_article_13():
    text = (SEEDS / "001_147ffded2b2062e8.txt").read_text(encoding="utf-8")
    hits = [h for h in run_rules(analyze(text)) if h.rule == "pow_imagery"]
    assert any(h.text.startswith("The Ukrainian Security Service") for h in hits)


def test_the_shipped_scorer_scores_every_rule_with_news_examples():
    scorer = load_scorer()
    for code in ("pow_imagery", "anonymous_source", "hors_de_combat", "unverified_statistic", "typo"):
        assert code in scorer.rules and 0 < scorer.rules[code].threshold < 1


def test_newsroom_decisions_are_training_examples_labelled_by_the_decision():
    from reviews.rules.training import Decision, decision_examples

    analysis = analyze("Headline\n\n" + WAR + "About 40% of the recruits had criminal records.\n")
    text = "About 40% of the recruits had criminal records."
    (kept,) = decision_examples([Decision(analysis, "unverified_statistic", text, True, "n1")])
    (dismissed,) = decision_examples([Decision(analysis, "unverified_statistic", text, False, "n1")])
    assert kept.label and not dismissed.label and kept.feats == dismissed.feats
    assert decision_examples([Decision(analysis, "graphic_violence", text, True, "n1")]) == []


def test_a_scored_flag_carries_the_scorers_probability_and_an_unscored_one_none():
    analysis = analyze("Headline\n\n" + WAR + "The general was reportedly dismissed on Friday.\n")
    doc, proposals = propose(analysis)
    (p,) = [p for p in proposals if p.rule == "anonymous_source"]
    _, probability = load_scorer().keep(p.rule, features(p, doc, neighbours_of(proposals)))
    (hit,) = [h for h in run_rules(analysis) if h.rule == "anonymous_source"]
    assert hit.confidence == round(probability, 3) and 0 < hit.confidence < 1
    unscored = FlagScorer({"version": "t", "rules": {}})
    assert {h.confidence for h in run_rules(analysis, scorer=unscored)} == {None}
    assert {h.confidence for h in run_rules(analysis, scorer=False)} == {None}


def test_the_analyze_contract_gives_each_flag_its_confidence():
    from reviews.rules import flags_json

    analysis = analyze("Headline\n\n" + WAR + "The general was reportedly dismissed on Friday.\n")
    items = flags_json(run_rules(analysis))
    assert items and all(0 < item["confidence"] < 1 for item in items if item["rule"] == "anonymous_source")


def test_scoring_a_proposal_directly_gives_the_probability_of_its_features_to_the_last_bit():
    scorer = load_scorer()
    checked = 0
    for path in sorted(SEEDS.glob("*.txt")):
        doc, proposals = propose(analyze(path.read_text(encoding="utf-8")))
        near = neighbours_of(proposals)
        for p in proposals:
            model = scorer.rules.get(p.rule)
            keep, probability = scorer.keep(p.rule, features(p, doc, near))
            assert scorer.judge(p, doc, near) == (keep, probability)
            if model is not None:
                assert model.proposal_probability(p, doc, near) == probability
                checked += 1
    assert checked > 50


def test_training_gives_each_rule_a_threshold_drawn_toward_the_shared_one():
    from reviews.rules.training import Example, held_out_scores, rule_threshold, train_from_examples

    def example(rule, n, right):
        # A trigger word that is right on some articles and wrong on others, per rule.
        word = "w:sure" if right else "w:doubt"
        return Example(rule, f"{rule} {n}", {"bias": 1.0, word: 1.0}, right, f"page{n % 8}")

    examples = [example(rule, n, n % 3 != 0) for rule in ("typo", "anonymous_source") for n in range(48)]
    examples += [example("graphic_violence", n, True) for n in range(5)]  # nothing to learn: all right
    scorer = train_from_examples(examples, version="t")
    assert set(scorer.rules) == {"typo", "anonymous_source"}
    assert all(0 < model.threshold < 1 for model in scorer.rules.values())
    scored = held_out_scores(examples)
    assert {code: len(rows) for code, rows in scored.items()} == {"typo": 48, "anonymous_source": 48}
    rows = scored["typo"]
    assert min(p for p, right in rows if right) > max(p for p, right in rows if not right)
    # Perfectly separated: every threshold between the two groups has F1 1, and of those the
    # one nearest the shared threshold is taken.
    low, high = max(p for p, right in rows if not right), min(p for p, right in rows if right)
    chosen = rule_threshold(rows, shared=0.5)
    assert low < chosen <= high and abs(chosen - 0.5) <= abs(0.1 - 0.5)


def test_a_rule_rarely_right_keeps_a_low_threshold():
    from reviews.rules.training import rule_threshold

    # One proposal in five right, the right ones scored a little higher: F1 is best when
    # nearly all are kept, and falls away above; the shared 0.5 is far outside the tolerance.
    rows = [(0.12 + 0.01 * (n % 10), n % 5 == 0) for n in range(100)]
    rows += [(0.3, True)] * 3
    assert rule_threshold(rows, shared=0.5) < 0.3
