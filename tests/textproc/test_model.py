import gzip
import hashlib
import json
import subprocess
import sys

import pytest

from reviews.textproc import classify, load_model
from reviews.textproc.classify import features
from reviews.textproc.model import FEATURE_NAMES, MODEL_PATH, ngrams
from tests.conftest import ROOT

SHARED_CLAIMBUSTER = ROOT.parent / "shared" / "benchmarks" / "claimbuster.jsonl"


def test_ngrams_are_lowercased_words_and_pairs():
    assert ngrams("The U.S. army, 2 units.") == [
        "the",
        "army",
        "units",
        "the army",
        "army units",
    ]


def test_model_scores_are_probabilities():
    model = load_model()
    for text in ("", "Yes.", "We're consuming 50 percent of the world's cocaine.", "Thank you."):
        score = model.score(text, features(text))
        assert 0.0 <= score <= 1.0


def test_factual_figures_outrank_pleasantries():
    model = load_model()

    def score(text):
        return model.score(text, features(text))

    assert score("Unemployment rose to 7.8 percent in 2012, the highest since 1983.") > 0.8
    assert score("Thank you very much, it is good to be here tonight.") < 0.2
    assert classify("Unemployment rose to 7.8 percent in 2012.")[0].checkworthy


def test_a_video_of_captured_soldiers_shared_online_is_check_worthy():
    (claim,) = classify("A video of captured soldiers being interrogated was shared online on Tuesday.")
    assert claim.checkworthy


def test_model_file_is_small_and_names_its_features():
    assert MODEL_PATH.stat().st_size < 1_000_000
    assert 0.2 <= load_model().threshold <= 0.8
    with gzip.open(MODEL_PATH, "rt") as fh:
        data = json.load(fh)
    assert tuple(data["features"]) == FEATURE_NAMES
    assert len(data["stack"]["coef"]) == len(FEATURE_NAMES)


@pytest.mark.skipif(not SHARED_CLAIMBUSTER.exists(), reason="needs shared/benchmarks beside the checkout")
def test_training_is_reproducible(tmp_path):
    out = tmp_path / "model.json.gz"
    result = subprocess.run(
        [
            sys.executable,
            "scripts/train_checkworthiness.py",
            "--data",
            str(SHARED_CLAIMBUSTER),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert digest == hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()


@pytest.mark.skipif(not SHARED_CLAIMBUSTER.exists(), reason="needs shared/benchmarks beside the checkout")
def test_term_weights_are_reproducible(tmp_path):
    from reviews.textproc.similarity import WEIGHTS_PATH

    out = tmp_path / "weights.json.gz"
    result = subprocess.run(
        [sys.executable, "scripts/build_term_weights.py", "--data", SHARED_CLAIMBUSTER, "--out", out],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == WEIGHTS_PATH.read_bytes()
