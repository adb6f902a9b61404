import pytest

from reviews.textproc import analyze, classify
from reviews.textproc.classify import extract_checkables


def only(text):
    (claim,) = classify(text)
    return claim


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("“We will not surrender,” the commander said.", "quote"),
        ("He said: 'In Russia we are already considered dead.", "quote"),
        ("More than 11,000 troops have been killed, according to officials.", "statistic"),
        ("Around 83% are rank-and-file soldiers.", "statistic"),
        ("The ministry said the convoy was attacked near the border.", "attribution"),
        ("Ukraine has set up a hotline that soldiers can call.", "event"),
        ("Social media should play a bigger role in the war.", "opinion"),
        ("Is this the end of the war?", "opinion"),
    ],
)
def test_kind(sentence, kind):
    assert only(sentence).kind == kind


def test_quotation_spanning_sentences_marks_the_continuation_as_quote():
    claims = classify("“The state does not want them back. That is why they drill this,” he said.")
    assert [c.kind for c in claims] == ["quote", "quote"]


def test_checkables():
    c = extract_checkables(
        "Since February 2022, more than 11,000 Russian troops have been killed, according to "
        "Ukrainian officials, and 83% of captives were privates."
    )
    assert "more than 11,000 Russian troops" not in c.numbers  # units are a closed list
    assert any(n.startswith("more than 11,000") for n in c.numbers)
    assert "83%" in c.numbers
    assert any("2022" in d for d in c.dates)
    assert c.sources == ("Ukrainian officials",)
    assert "according to" in c.attribution_verbs
    assert c.quote is False


def test_quote_speaker():
    c = extract_checkables("“There have even been cases,” Oleksandr Stupun said on Monday.")
    assert c.quote and c.speaker == "Oleksandr Stupun"
    assert c.quotes == ("“There have even been cases,”",)


def test_scores_are_probabilities_and_rank_fact_above_opinion():
    fact = only("The army said 300 soldiers were captured near Bakhmut on 4 May 2024.")
    opinion = only("I think this war is tragic and cannot be won.")
    assert 0 <= opinion.score < fact.score <= 1
    assert fact.checkworthy and not opinion.checkworthy


def test_every_claim_text_is_its_body_span(tmp_path):
    from tests.conftest import SEED_FILES

    for path in SEED_FILES:
        result = analyze(path.read_text())
        for claim in result.claims:
            assert result.body[claim.start : claim.end] == claim.text


def test_checkables_round_trip_through_json():
    (claim,) = classify("“We lost 300 men in May,” the commander told Reuters.")
    assert type(claim.checkables).from_dict(claim.checkables.as_dict()) == claim.checkables


def test_dates_are_what_the_date_pattern_finds():
    import importlib
    from pathlib import Path

    classify = importlib.import_module("reviews.textproc.classify")
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    sentences = [line for path in sorted(seeds.glob("*.txt")) for line in path.read_text().splitlines()]
    sentences += [
        "It happened in 2019 and again since 2021.",
        "On Monday, March 3, 2024 the talks began; by 1999 it was over.",
        "This year and last week, 12 May 2020, yesterday.",
        "Maybe in 1850 or this spring.",
        "No date at all here, only 42 people.",
    ]
    for sentence in sentences:
        want = [m.group(0).strip() for m in classify._DATE.finditer(sentence)]
        assert classify._dates(sentence, bool(classify._HAS_DIGIT.search(sentence))) == want, sentence


def test_a_time_of_day_is_not_a_figure():
    from reviews.textproc import analyze

    def numbers(sentence):
        return analyze(f"Headline\n\n{sentence}\n").claims[0].checkables.numbers

    assert numbers("The sky went dark around 3:15 PM yesterday, a witness said.") == ()
    assert numbers("The train left at 09:40 and the meeting ends at 10 p.m.") == ()
    assert numbers("At 7am, 300 people had gathered.") == ("300 people",)
    assert numbers("The quake struck at 22:42 local time (14:42 GMT), killing 12 people.") == ("12 people",)
    assert numbers("Some 40 amendments were filed.") == ("Some 40",)  # "am" inside a word is no a.m.
