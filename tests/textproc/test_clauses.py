from reviews.textproc.clauses import split_points


def cuts(text: str) -> list[str]:
    return [f"{text[:p].split()[-1]} ‖ {text[p:].split()[0]}" for p in split_points(text)]


def test_split_points_after_punctuation_and_before_joining_words():
    text = "Prices rose 5%, wages fell; and rents doubled."
    points = split_points(text)
    assert text.index("wages") - 1 in points  # after the comma: a clause follows
    assert text.index("; and") + 1 in points  # before "and", after the semicolon: offered once
    assert points == sorted(set(points)) and len(points) == 2
    assert all(text[:p].strip() and text[p:].strip() for p in points)


def test_each_split_point_is_offered_once():
    text = "Observers reported intimidation and vote buying, and an official said turnout was low."
    assert cuts(text) == ["buying, ‖ and"]


def test_no_cut_inside_a_noun_phrase_a_name_or_after_a_possessive():
    assert split_points("One two three.") == []  # no boundary: nothing to offer
    assert (
        split_points("Ukraine's interior ministry said 14 people died in Kharkiv, Ukraine, on Tuesday.") == []
    )
    assert split_points("Zelensky, Ukraine's president, said the war would end.") == []
    assert split_points("The ministry said 1,200 people, mostly women and children, had fled.") == []


def test_cut_between_sentences_but_not_after_an_abbreviation():
    text = "He said: 'In Russia they will kill us.' The U.S. Army said nothing. Mr. Smith left."
    assert cuts(text) == ["said: ‖ 'In", "us.' ‖ The", "nothing. ‖ Mr."]


def test_comma_before_a_main_clause():
    text = "While Putin has praised his troops, reports say soldiers disobeyed orders and fled."
    assert cuts(text) == ["troops, ‖ reports"]
