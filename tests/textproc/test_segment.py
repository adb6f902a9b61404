import pytest

from reviews.textproc import split_sentences


def sentences(text):
    spans = split_sentences(text)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == text[span.start : span.end].strip()
    return [text[s.start : s.end] for s in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Troops advanced. Officials said so.", ["Troops advanced.", "Officials said so."]),
        ("Is it true? Nobody knows!", ["Is it true?", "Nobody knows!"]),
        # abbreviations and titles
        ("Dr. Smith met Gen. Jones in St. Louis.", ["Dr. Smith met Gen. Jones in St. Louis."]),
        ("Unit No. 1 moved first. It was dawn.", ["Unit No. 1 moved first.", "It was dawn."]),
        ("He lives in the U.S. for now.", ["He lives in the U.S. for now."]),
        ("He works for the U.S. Army in Texas.", ["He works for the U.S. Army in Texas."]),
        ("She moved to the U.S. Then she left.", ["She moved to the U.S.", "Then she left."]),
        ("They struck at 5 p.m. Monday, the army said.", ["They struck at 5 p.m. Monday, the army said."]),
        ("He left at 6 p.m. The talks ended.", ["He left at 6 p.m.", "The talks ended."]),
        ("A deal with Smith & Co. It closed.", ["A deal with Smith & Co.", "It closed."]),
        # initials and numbers
        ("Jonas E. Smith spoke.", ["Jonas E. Smith spoke."]),
        ("It cost $4.50 each. Prices rose 2.5 percent.", ["It cost $4.50 each.", "Prices rose 2.5 percent."]),
        # quotes
        ("“We will fight,” he said. “We will win.”", ["“We will fight,” he said.", "“We will win.”"]),
        ("He said: 'We are dead. They told me so.'", ["He said: 'We are dead.", "They told me so.'"]),
        ('She said, "This is great." she left.', ['She said, "This is great." she left.']),
        ('"Are you sure?" he asked.', ['"Are you sure?" he asked.']),
        # ellipsis
        ("Just to get by… psychologically, it hurts.", ["Just to get by… psychologically, it hurts."]),
        ("I never meant that.... She left.", ["I never meant that....", "She left."]),
        # citations and parentheses
        (
            "Figures vary by source [1] [2]. Kyiv disagrees [3].",
            ["Figures vary by source [1] [2].", "Kyiv disagrees [3]."],
        ),
        ("Hydrogen is a gas. [1] It burns.", ["Hydrogen is a gas. [1]", "It burns."]),
        ("He worked (for 5 years.) at the plant.", ["He worked (for 5 years.) at the plant."]),
        # lines: a headline or caption on its own line is its own sentence
        (
            "Troops surrender\nThe army said 20 men surrendered.",
            ["Troops surrender", "The army said 20 men surrendered."],
        ),
        ("1. The first item 2. The second item", ["1. The first item", "2. The second item"]),
        (
            "Her email is jane.doe@example.com. Write to her.",
            ["Her email is jane.doe@example.com.", "Write to her."],
        ),
        # eras, months, units, degrees
        ("In 44 B.C. Caesar died.", ["In 44 B.C. Caesar died."]),
        ("It erupted in 79 C.E. Pompeii was buried.", ["It erupted in 79 C.E.", "Pompeii was buried."]),
        ("He left in Jan. 2020 for good.", ["He left in Jan. 2020 for good."]),
        ("The bag held 2 lb. 4 oz. of nuts.", ["The bag held 2 lb. 4 oz. of nuts."]),
        ("The shelf is 3 ft. Tom measured it.", ["The shelf is 3 ft.", "Tom measured it."]),
        ("She holds an LL.M. Sam holds a J.D.", ["She holds an LL.M.", "Sam holds a J.D."]),
        ("By 9:00 P.M. Mr. Smith was home.", ["By 9:00 P.M. Mr. Smith was home."]),
        ("At 11:58 p.m. P.D.T. police arrived.", ["At 11:58 p.m. P.D.T. police arrived."]),
        # glued sentences, but not addresses or notation
        ("Hello world.Today is Tuesday.", ["Hello world.", "Today is Tuesday."]),
        ("Write to jane.Doe@example.com today.", ["Write to jane.Doe@example.com today."]),
        ("Then 7.Bg5 wins.", ["Then 7.Bg5 wins."]),
        # brackets and ellipses
        ("See the note [page. 42] for details.", ["See the note [page. 42] for details."]),
        ('"Bohr [...] used stairways [...]" (Smith 55).', ['"Bohr [...] used stairways [...]" (Smith 55).']),
        ("Happy . . .  No one said so.", ["Happy . . .", "No one said so."]),
        ("It was . . . I didn't mean it.", ["It was . . . I didn't mean it."]),
        # stand-alone quote marks in tokenised text: open or close by count
        ("as a ' Big Name . ' He left .", ["as a ' Big Name . '", "He left ."]),
        ("He is a singer . ' Blessings ' is a hit .", ["He is a singer .", "' Blessings ' is a hit ."]),
        ("what to do ? '' Graham was convicted .", ["what to do ? ''", "Graham was convicted ."]),
        ("He said `it is over.` Next one.", ["He said `it is over.`", "Next one."]),
        # a bracket after a time or a company name goes on with the sentence
        (
            "It hit at 10:42 p.m. (1442 GMT) at sea. It was felt.",
            ["It hit at 10:42 p.m. (1442 GMT) at sea.", "It was felt."],
        ),
        ("Acme Inc. (NASDAQ: ACME) rose.", ["Acme Inc. (NASDAQ: ACME) rose."]),
        ("The call is at 5:00 p.m. Eastern Time.", ["The call is at 5:00 p.m. Eastern Time."]),
    ],
)
def test_split_sentences(text, expected):
    assert sentences(text) == expected


def test_spans_index_the_original_text_with_surrounding_space():
    text = "  First one.   Second one.  \n\n  Third.  "
    assert [(s.start, s.end) for s in split_sentences(text)] == [(2, 12), (15, 26), (32, 38)]


def test_empty_text_has_no_sentences():
    assert split_sentences("") == []
    assert split_sentences(" \n \n") == []
