from reviews.textproc import evaluation


def test_segmentation_suite_counts_exact_matches():
    cases = [
        {"id": 1, "text": "One. Two.", "sentences": ["One.", "Two."]},
        {"id": 2, "text": "Mr. Smith left.", "sentences": ["Mr.", "Smith left."]},
    ]
    result = evaluation.segmentation_suite(cases)
    assert (result.passed, result.total, result.percent) == (1, 2, 50.0)
    assert result.failures[0][0] == "2"


def test_seeds_gold_metrics(tmp_path):
    (tmp_path / "a.txt").write_text(
        "Budget row\nShare\nThe council spent $4 million on roads in 2025, officials said.\n"
        "What a shame it is.\nMost Read\nCelebrity opens cafe\n"
    )
    gold = [
        {
            "file": "a.txt",
            "debris": ["Celebrity opens cafe"],
            "claims": [
                {
                    "text": "The council spent $4 million on roads in 2025, officials said.",
                    "checkworthy": True,
                },
                {"text": "What a shame it is.", "checkworthy": False},
            ],
        }
    ]
    result = evaluation.seeds_gold(gold, tmp_path)
    assert result.sentence_f1 == 1.0
    assert result.debris_leak == 0.0
    assert result.checkworthy_macro_f1 == 1.0


def test_claimbuster_f1():
    rows = [
        {"text": "Unemployment rose to 7.8 percent in 2012.", "label": 1, "split": "groundtruth"},
        {"text": "Thank you, it is good to be here.", "label": 0, "split": "groundtruth"},
        {"text": "ignored", "label": 1, "split": "crowdsourced"},
    ]
    result = evaluation.claimbuster(rows)
    assert (result.f1, result.n) == (1.0, 2)


def test_throughput_is_characters_per_second():
    rate = evaluation.throughput(lambda text: text.split(), ["a b c"] * 10, min_seconds=0.01)
    assert rate > 1000
