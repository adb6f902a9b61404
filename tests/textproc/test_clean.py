import pytest

from reviews.textproc import analyze, clean

STORY = (
    "The council approved a budget of $4.2 million on Tuesday, officials said after a long meeting.\n\n"
    "The vote was 7 to 2 after a three-hour debate in the town hall, where residents spoke for and "
    "against the plan.\n\n"
    "Most of the money will go on resurfacing roads in the old town, which have not been repaired "
    "since 2009, according to the council's own survey.\n\n"
    "The mayor, Ana Ruiz, said the budget was the fairest the town had seen in a decade and that "
    "work would start in the spring.\n\n"
    "Two councillors who voted against it said the council had not consulted shop owners on the "
    "closures the roadworks will bring.\n"
)


def removed_reasons(raw, fmt="text"):
    return {r.text: r.reason for r in clean(raw, fmt=fmt).removed}


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("- Home", "navigation"),
        ("Home > News > Local", "navigation"),
        ("Share", "share widget"),
        ("Share on Facebook", "share widget"),
        ("Featured Image Credit: Getty", "image caption or credit"),
        ("Photo: Jane Roe/Reuters", "image caption or credit"),
        ("Council members at the vote (Getty Images)", "image caption or credit"),
        ("-0a1b2c3d4e5f.jpg)", "broken image fragment"),
        ("![chart](https://example.org/chart.png)", "broken image fragment"),
        ("By Jane Roe and John Doe", "byline"),
        ("Updated 3 hours ago", "timestamp"),
        ("| Last updated", "timestamp"),
        ("Tuesday, March 3, 2026", "timestamp"),
        ("Tags: budget, council", "topic tags"),
        ("Sign up for our daily newsletter to get the news first.", "promo or appeal"),
        ("Please donate to keep local journalism alive.", "promo or appeal"),
        ("ADVERTISEMENT", "advertisement"),
        ("Read the original article on The Courier", "syndication note"),
    ],
)
def test_furniture_lines_are_removed_with_a_reason(line, reason):
    raw = f"Council passes budget\n{line}\n{STORY}"
    cleaned = clean(raw)
    assert line not in cleaned.body
    assert removed_reasons(raw)[line] == reason


def test_related_list_after_the_story_is_removed():
    raw = (
        f"Council passes budget\n{STORY}\nMost Read\nMayor opens new library\n"
        "2 hours ago\nFootball club signs striker\n"
    )
    reasons = removed_reasons(raw)
    assert reasons["Most Read"] == "related or most-read list"
    assert reasons["Mayor opens new library"] == "related or most-read list"
    assert reasons["2 hours ago"] == "timestamp"
    assert "library" not in clean(raw).body


def test_trailing_blog_footer_is_removed():
    raw = f"Council passes budget\n{STORY}\n\n\n\nWhy our parks matter! Jane Roe\n\nNo comments:\n"
    reasons = removed_reasons(raw)
    assert reasons["No comments:"] == "footer"
    assert reasons["Why our parks matter! Jane Roe"] == "footer"


def test_headline_is_metadata_and_repeat_is_removed():
    raw = f"Council passes budget\nBy Jane Roe\n\nCouncil passes budget\n{STORY}"
    cleaned = clean(raw)
    assert cleaned.metadata.title == "Council passes budget"
    assert cleaned.metadata.byline == "Jane Roe"
    assert removed_reasons(raw)["Council passes budget"] == "repeated headline"
    assert cleaned.body.startswith("The council approved")


def test_section_headings_are_removed():
    raw = (
        f"Council passes budget\n\n{STORY}\nWhat happens next\n\n"
        "The mayor will sign the budget next week, her office said in a statement on Wednesday.\n\n"
        "Work on the roads of the old town is due to start in April and to last until the autumn.\n"
    )
    assert removed_reasons(raw)["What happens next"] == "section heading"
    numbered = raw.replace("What happens next", "2. What happens next")
    assert removed_reasons(numbered)["2. What happens next"] == "section heading"


def test_metadata_date_url_outlet_and_dateline():
    raw = (
        "https://www.example-news.org/local/budget\nCouncil passes budget\nThursday, January 15, 2026\n"
        "SPRINGFIELD, Ill. (AP) — The council approved a budget of $4.2 million on Tuesday, officials said.\n"
    )
    meta = clean(raw).metadata
    assert meta.url == "https://www.example-news.org/local/budget"
    assert meta.outlet == "example-news.org"
    assert meta.published == "2026-01-15"
    assert meta.dateline == "SPRINGFIELD, Ill. (AP)"


def test_markdown_syntax_is_stripped():
    md = (
        "# Council passes budget\n\n![photo](x.jpg)\n\n"
        "The council approved a **budget** of $4.2 million on Tuesday, [officials said](https://x.org).\n\n"
        "## Next steps\n\n> The vote was 7 to 2 after a three-hour debate in the town hall.\n\n" + STORY
    )
    cleaned = clean(md, fmt="markdown")
    assert cleaned.metadata.title == "Council passes budget"
    assert cleaned.body.splitlines()[:3] == [
        "The council approved a budget of $4.2 million on Tuesday, officials said.",
        "",
        "The vote was 7 to 2 after a three-hour debate in the town hall.",
    ]
    assert {r.reason for r in cleaned.removed} == {"image", "section heading"}


def test_text_is_normalised():
    raw = "Headline\r\n\r\n" + STORY.replace("The council approved", "The\u00a0council\u200b approved")
    assert clean(raw).body == clean("Headline\n\n" + STORY).body


def test_a_short_note_keeps_its_sentences():
    cleaned = clean("Headline\nA council voted.\nIt passed.")
    assert "A council voted." in cleaned.body and "It passed." in cleaned.body


def test_seed_debris_never_becomes_a_claim(seed_texts):
    for name, text in seed_texts.items():
        claims = [c.text for c in analyze(text).claims]
        for fragment in ("Featured Image Credit", "Most Read", ".png)", "Your support keeps", "No comments"):
            assert not any(fragment in c for c in claims), (name, fragment)


@pytest.fixture
def seed_texts():
    from tests.conftest import SEED_FILES

    return {p.name: p.read_text() for p in SEED_FILES}


def test_blank_runs_are_replaced_as_the_plain_substitutions_replace_them():
    import importlib
    import random

    module = importlib.import_module("reviews.textproc.clean")

    rng = random.Random(7)
    alphabet = " \t\u00a0\u2003\u3000\nab"
    texts = ["".join(rng.choice(alphabet) for _ in range(60)) for _ in range(3000)]
    texts += ["a  b", " a ", "a \n b", "\n\n", "a\t\n\tb", ""]
    for text in texts:
        assert module._SPACES_CHANGED.sub(" ", text) == module._SPACES.sub(" ", text), repr(text)
        assert module._LINE_EDGES_CHANGED.sub("\n", text) == module._LINE_EDGES.sub("\n", text), repr(text)


@pytest.mark.parametrize(
    "credit",
    [
        "(Reporting by Jane Doe; Editing by John Smith)",
        "(Reporting by Ana Ruiz in Madrid; Additional reporting by Tom Hale; Editing by Clare Wynn)",
        "Reporting by Priya Raman and Tom Hale; Editing by Clare Wynn",
        "(Writing by Sam Obi; Editing by Lee Park)",
    ],
)
def test_a_wire_storys_production_credits_are_removed_even_from_a_short_story(credit):
    raw = (
        "Ukraine says it hit depot\n\nUkraine said its drones struck a fuel depot.\n\n"
        "Russia did not comment.\n\n" + credit
    )
    analysis = analyze(raw)
    assert [c.text for c in analysis.claims] == [
        "Ukraine said its drones struck a fuel depot.",
        "Russia did not comment.",
    ]
    assert removed_reasons(raw)[credit] == "footer"


def test_a_sentence_that_begins_with_reporting_by_stays_text():
    raw = (
        "Headline\n\nReporting by the council's auditors found the roads fund was overspent by $2 million.\n"
    )
    assert "Reporting by the council's auditors" in analyze(raw).claims[0].text


@pytest.mark.parametrize(
    "sentence",
    [
        "Reporting by independent journalists from the region has been banned since March; "
        "the ministry says 1,200 civilians have died there.",
        "Writing by hand is slow; most reporters now type their notes.",
    ],
)
def test_running_text_that_opens_like_a_credit_stays_text(sentence):
    raw = "Headline\n\nThe council met on Tuesday.\n\n" + sentence + "\n\nThe vote was 7 to 2.\n"
    assert removed_reasons(raw).get(sentence) is None
    assert any(sentence.startswith(c.text[:30]) for c in analyze(raw).claims)


def test_a_wire_slug_line_is_debris_and_the_headline_below_it_is_the_title():
    story = (
        "BC-EU-Election-Results,0412\n"
        "Centre-right wins most seats in European vote, early results show\n"
        "\n"
        "BRUSSELS (AP) - The centre-right European People's Party won the most seats in the\n"
        "European Parliament, early results showed on Monday, though it fell short of a majority.\n"
        "\n"
        "Turnout was 51 percent, the parliament's press office said in a statement on Monday.\n"
        "\n"
        "Liberal and Green groups lost ground, according to the provisional count.\n"
    )
    cleaned = clean(story)
    assert cleaned.metadata.title == "Centre-right wins most seats in European vote, early results show"
    assert ("BC-EU-Election-Results,0412", "wire slug line") in {(r.text, r.reason) for r in cleaned.removed}
    assert cleaned.body.startswith("The centre-right European People's Party won the most seats")


def test_a_story_pasted_without_its_headline_keeps_its_first_paragraph():
    """No headline line: the first paragraph, which ends as running text, is never taken as
    the headline (it was, and its sentences were lost as claims)."""
    raw = STORY.replace("\n\n", "\n\n\n") * 2  # a page long enough for the model to judge
    cleaned = clean(raw)
    assert cleaned.metadata.title == ""
    assert cleaned.body.startswith("The council approved a budget of $4.2 million on Tuesday")
