"""Each rule's trigger on sentences it must propose and sentences it must leave alone (no database).

The triggers are written for recall and judged here alone (``scorer=False``); what the
learned scorer keeps is tested in ``test_scorer.py``.
"""

import pytest

from reviews.rules import RULES, RULES_BY_CODE, run_rules
from reviews.textproc import analyze

WAR = "Russian and Ukrainian forces fought near the town on Monday.\n"  # makes the conflict's parties known


def flagged(text: str, *, title: str = "Headline", scorer=False) -> dict[str, list[str]]:
    hits = run_rules(analyze(f"{title}\n\n{WAR}{text}\n"), scorer=scorer)
    out: dict[str, list[str]] = {}
    for hit in hits:
        out.setdefault(hit.rule, []).append(hit.text)
    return out


POSITIVE = [
    ("pow_imagery", "Ukraine's security service posted videos of captured Russian soldiers online."),
    ("pow_imagery", "State television paraded the prisoners of war in front of cameras."),
    ("hors_de_combat", "A drone attacked two soldiers who were trying to surrender."),
    ("hors_de_combat", "The wounded men were shot as they lay on the road, a medic said."),
    ("no_quarter", "The commander ordered his men to take no prisoners."),
    (
        "party_casualty_figure",
        "More than 2,000 Russian troops were killed last week, Ukrainian officials said.",
    ),
    ("unverified_statistic", "About 40% of the recruits had criminal records."),
    (
        "single_source",
        "According to the Ukrainian defence ministry, Russian troops executed civilians in the village.",
    ),
    ("anonymous_source", "The general was reportedly dismissed on Friday."),
    ("anonymous_source", "He has been accused of looting the museum."),
    ("anonymous_source", "Western officials said the convoy had turned back."),
    ("graphic_violence", "Charred bodies lay in the street for days."),
    ("loaded_language", "The regime's propaganda failed to hide the losses."),
    ("typo", "The attack came on Fabruary 8, a spokesman said."),
    ("typo", "The convoy was attacked by ukrainians at dawn."),
    ("typo", "Talks resumed , a diplomat said."),
    # Hedged and agentless attribution, general patterns the first library missed.
    ("anonymous_source", "It was alleged that the town was shelled."),
    ("anonymous_source", "The commander is said to have been captured near the river."),
    ("anonymous_source", "The man is believed to be in hiding."),
    ("anonymous_source", "Olena, which is not her real name, fled in March."),
    ("anonymous_source", "Two people familiar with the talks said a deal was close."),
    ("graphic_violence", "The men had been shot through the head at close range."),
    ("pow_imagery", "The recording of the captured soldiers was posted online on Sunday."),
    ("pow_imagery", "Clips of the prisoners of war spread on social media."),
    ("no_quarter", "Their orders were to shoot anyone who gives up."),
    # Unnamed sources as style guides list them: a reporting verb after an unnamed group, the
    # outlet's "understands", anonymity asked for, rumour, unnamed media.
    ("anonymous_source", "Some economists argue that the cut came too late."),
    ("anonymous_source", "One senior aide admitted the plan had stalled."),
    ("anonymous_source", "The minister is expected to resign, the Herald understands."),
    ("anonymous_source", "A nurse, who asked not to be named, said the ward was full."),
    ("anonymous_source", "The club has been dogged by rumours of a takeover."),
    ("anonymous_source", "Local media reported that the bridge had collapsed."),
    ("anonymous_source", "One fighter, who gave only his call sign, described the ambush."),
    # Graphic detail of injuries and torture.
    ("graphic_violence", "The man was shot several times in the head."),
    ("graphic_violence", "Detainees described electric shocks and mock executions."),
    ("typo", "The ministry was critcised for the delay."),
]

NEGATIVE = [
    ("pow_imagery", "Reports from the front paint a grim picture of the fighting."),
    ("pow_imagery", "The drone footage captured by the unit showed an empty trench."),
    ("hors_de_combat", "Barrier troops threatened to shoot soldiers who retreated."),
    ("hors_de_combat", "The army attacked the bridge at night."),
    ("party_casualty_figure", "More than 2,000 people attended the funeral, organisers said."),
    (
        "party_casualty_figure",
        "According to the United Nations, at least 12,340 civilians have been killed since February 2022.",
    ),
    ("unverified_statistic", "The two men surrendered in 2024."),
    ("single_source", "The Red Cross and the UN said prisoners were abused in the camp."),
    ("anonymous_source", "Andriy Yusov, from Ukraine's military intelligence, said this was happening."),
    ("anonymous_source", "Troops have accused the president of lying."),
    ("graphic_violence", "Volunteers recovered the bodies of fallen soldiers."),
    ("loaded_language", "“They are a terrorist regime,” the minister said."),
    ("typo", "Oleksandr Stupun spoke in Zaporizhzhia on Monday."),
    ("typo", "The demoralised troops were criticised by their commanders."),
]


@pytest.mark.parametrize(("code", "sentence"), POSITIVE)
def test_rule_flags(code, sentence):
    assert sentence in flagged(sentence).get(code, [])


@pytest.mark.parametrize(("code", "sentence"), NEGATIVE)
def test_rule_leaves_alone(code, sentence):
    assert sentence not in flagged(sentence, scorer=True).get(code, [])


def test_headline_is_flagged_as_title():
    hits = run_rules(analyze(f"Troops shoot soldiers trying to surrender\n\n{WAR}"), scorer=False)
    (hit,) = [h for h in hits if h.rule == "hors_de_combat"]
    assert (hit.field, hit.claim, hit.text) == ("title", None, "Troops shoot soldiers trying to surrender")


def test_loaded_words_in_the_headline_are_proposed():
    hits = run_rules(analyze(f"Evil thugs storm the town hall\n\n{WAR}"), scorer=False)
    assert [(h.field, h.text) for h in hits if h.rule == "loaded_language"] == [
        ("title", "Evil thugs storm the town hall")
    ]


def test_captive_statements_after_captivity_footage_are_flagged():
    text = (
        "Kyiv released a video of captured Russian soldiers on Tuesday.\n"
        "One soldier said: 'We were told it was an exercise. Nobody told us the truth.'"
    )
    hits = flagged(text)["pow_imagery"]
    assert "One soldier said: 'We were told it was an exercise." in hits
    assert "Nobody told us the truth.'" in hits


def test_party_figures_need_two_parties_of_a_conflict():
    text = "More than 2,000 soldiers were killed last week, Ukrainian officials said."
    assert "party_casualty_figure" not in {h.rule for h in run_rules(analyze(f"Headline\n\n{text}\n"))}


def test_no_flags_on_unrelated_news():
    text = (
        "Council approves new library\n\n"
        "The city council voted on Tuesday to build a library on Mill Street, the mayor said.\n"
        "Construction will start in the spring and take two years.\n"
    )
    assert run_rules(analyze(text)) == []


def test_every_rule_has_reference_guidance_and_resolver():
    for rule in RULES:
        assert rule.reference and rule.guidance and rule.resolver_role in ("editor", "legal")
        assert rule.category in ("legal", "sourcing", "accuracy", "ethics", "style")
    assert "Art. 13" in RULES_BY_CODE["pow_imagery"].reference
    assert RULES_BY_CODE["pow_imagery"].resolver_role == "legal"


def test_enabled_limits_the_rules():
    hits = run_rules(
        analyze(f"Headline\n\n{WAR}The general was reportedly dismissed.\n"), enabled=frozenset()
    )
    assert hits == []


def test_it_was_alleged_raises_an_anonymous_source_flag():
    assert flagged("It was alleged that the town was shelled.", scorer=True).get("anonymous_source") == [
        "It was alleged that the town was shelled."
    ]


def test_a_name_spelt_two_ways_in_one_article_is_proposed_where_it_is_doubtful():
    text = (
        "Ukrainian officials said the village had been retaken.\n"
        "A Ukranian commander described the fighting on Sunday.\n"
        "The Ukrainian army did not comment.\n"
    )
    hits = [h for h in run_rules(analyze(f"Headline\n\n{text}"), scorer=False) if h.rule == "typo"]
    assert [h.text for h in hits] == ["A Ukranian commander described the fighting on Sunday."]
    assert "'Ukranian' is spelt 'Ukrainian' elsewhere in the article" in hits[0].why


def test_name_variants_leave_endings_spelling_pairs_and_real_words_alone():
    from reviews.rules.typos import name_variants

    assert name_variants("Russia said Russian troops had left Ukraine; Ukraines was a typo.") == {}
    assert name_variants("The Ministry of Defence and the Department of Defense met.") == {}
    # Neither spelling is in the dictionary and each is used once: the article cannot say which.
    assert name_variants("Zaporizzhia was shelled; Zaporizhzhia has no power.") == {
        "Zaporizzhia": "Zaporizhzhia",
        "Zaporizhzhia": "Zaporizzhia",
    }


@pytest.mark.parametrize(
    ("a", "b", "one"),
    [
        ("Ukranian", "Ukrainian", True),  # a letter dropped inside
        ("Zaporizzhia", "Zaporizhzhia", True),
        ("Jonas", "Jones", True),  # a letter changed inside
        ("Russia", "Russian", False),  # an ending
        ("Abcd", "Xbcd", False),  # the first letter
        ("Abcd", "Abcx", False),  # the last letter
        ("Abcd", "Abcd", False),
        ("Abcdef", "Abxdxf", False),  # two edits
    ],
)
def test_one_inside_edit(a, b, one):
    from reviews.rules.typos import _one_inside_edit

    assert _one_inside_edit(a, b) is one
    assert _one_inside_edit(b, a) is one
