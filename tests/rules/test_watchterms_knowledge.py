import pytest

from reviews.rules import (
    WatchTermError,
    WatchTermRule,
    compile_terms,
    default_knowledge,
    merged_knowledge,
    run_rules,
)
from reviews.rules.knowledge import Party
from reviews.textproc import analyze


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ("re:(unclosed", "line 1: invalid regular expression '(unclosed'"),
        ("ok term\nre:", "line 2: empty regular expression"),
        ("re:a*", "matches empty text"),
        ("", "no terms"),
        ("re:" + "a" * 301, "longer than 300"),
    ],
)
def test_bad_watch_terms_are_rejected_with_the_line(terms, message):
    with pytest.raises(WatchTermError, match=message.replace("(", r"\(")):
        compile_terms(terms)


def test_watch_terms_match_whole_words_and_regexes():
    patterns = compile_terms("# comment\nmartyr\nre:\\bcasualt(y|ies)\\b")
    rule = WatchTermRule(code="house_watch", patterns=patterns)
    text = "Headline\n\nThe martyrdom claim spread.\nHe was called a martyr by crowds.\nCasualties rose.\n"
    hits = run_rules(analyze(text), watch_terms=(rule,), enabled=frozenset())
    assert [h.text for h in hits] == ["He was called a martyr by crowds.", "Casualties rose."]


def test_default_knowledge_needs_two_parties():
    k = default_knowledge()
    assert {p.name for p in k.active_parties("Russia and Ukraine")} == {"Russia", "Ukraine"}
    assert k.active_parties("Ukraine alone") == ()
    assert k.party_source("the Israeli army said", k.active_parties("Israel and Hamas")) == "Israeli army"


def test_newsroom_parties_extend_the_shipped_list():
    extra = [
        Party(conflict="Ruritania conflict", name="Ruritania", aliases=("Ruritania", "Ruritanian")),
        Party(
            conflict="Ruritania conflict",
            name="Grand Fenwick",
            aliases=("Fenwick",),
            bodies=("Fenwick Guard",),
        ),
        Party(conflict="Russia–Ukraine war", name="Ukraine", aliases=(), bodies=("Azov Brigade",)),
    ]
    k = merged_knowledge(extra)
    parties = k.active_parties("Ruritania and Fenwick")
    assert k.party_source("the Fenwick Guard reported 300 dead", parties) == "Fenwick Guard"
    ukraine = next(p for p in k.parties if p.name == "Ukraine")
    assert "Azov Brigade" in ukraine.bodies and "Kyiv" in ukraine.aliases


def test_party_sources_are_found_as_the_case_insensitive_patterns_find_them():
    import re
    from pathlib import Path

    from reviews.rules.knowledge import default_knowledge
    from reviews.textproc import analyze

    k = default_knowledge()
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    sentences = [c.text for path in sorted(seeds.glob("*.txt")) for c in analyze(path.read_text()).claims]
    sentences += [
        "UKRAINIAN OFFICIALS SAID so",
        "the ſecurity ſervice of Ukraine",
        "Kyiv’s  general staff said",
    ]
    for sentence in sentences + [s.upper() for s in sentences]:
        want = ""
        for party in k.parties:
            m = re.search(k._source_re(party)[0].pattern.pattern, sentence, re.I)
            if m:
                want = m.group(0)
                break
        assert k.party_source(sentence, k.parties) == want, sentence
