import io

import pytest
from django.core.management import call_command

from tests.conftest import ROOT


@pytest.mark.skipif(
    not (ROOT.parent / "shared" / "benchmarks").is_dir(), reason="needs shared/ beside the checkout"
)
def test_bench_prints_every_figure_with_its_target():
    out = io.StringIO()
    call_command(
        "bench",
        "--seconds",
        "0.05",
        "--docx-claims",
        "20",
        "80",
        "--depths",
        "50",
        "3000",
        "--corpus",
        "skip",
        stdout=out,
    )
    text = out.getvalue()
    for label in (
        "golden_rules_en exact",
        "sentencex_en exact",
        "sentence F1",
        "debris leak",
        "check-worthy macro-F1",
        "F1 check-worthy class",
        "pySBD 0.3.4 segmentation",
        "segmentation (",
        "whole analyze pipeline (",
        "flag recall",
        "flag precision",
        "news sentence F1 (pooled over folds)",
        "news debris leak (pooled over folds)",
        "fold 5: sentence F1",
        "analyze + flag rules (",
        "Export (an article of 200 claims",
        "docx",
        "claimreview",
        "docx, 20 claims",
        "docx, 80 claims",
        "docx growth 20 -> 80 claims, vs linear",
        "depth 50 ",
        "depth 3,000 ",
        "refused: HTML is nested more than 250 elements deep",
    ):
        assert label in text
    assert text.count("target") == 14


@pytest.mark.skipif(not (ROOT.parent / "shared" / "gold" / "news").is_dir(), reason="needs shared/")
def test_bench_prints_the_news_corpus_by_fold_pooled_and_per_rule(small_shared):
    """On a five-page corpus (one page per fold) and 400 ClaimBuster sentences, to stay quick."""
    out = io.StringIO()
    call_command("bench", "--shared", str(small_shared), "--corpus", "only", stdout=out)
    text = out.getvalue()
    for label in (
        "News corpus (5 pages)",
        "fold 5: macro-F1",
        "news check-worthy macro-F1 (pooled)",
        "fold 5: recall",
        "pow_imagery",
        "news flag recall (pooled)",
        "news flag precision (pooled)",
        "gold flags below precision",
        "weakest rule (",
    ):
        assert label in text
    assert text.count("target") == 5
