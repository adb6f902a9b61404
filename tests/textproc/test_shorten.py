from reviews.textproc.shorten import shorten


def test_text_that_fits_is_kept_as_it_is():
    assert shorten("Kharkiv market", 40) == "Kharkiv market"
    assert shorten("  padded  ", 6) == "padded"
    assert shorten("", 10) == ""


def test_long_text_is_cut_at_a_word_with_an_ellipsis():
    title = "Shelling of Kharkiv market kills 14, regional governor says"
    assert title[:40] == "Shelling of Kharkiv market kills 14, reg"  # the old cut, mid-word
    assert shorten(title, 40) == "Shelling of Kharkiv market kills 14…"  # no dangling comma
    claim = "Russian soldiers who surrendered said they feared being shot by their own side in Ukraine soon"
    short = shorten(claim, 90)
    assert len(short) <= 90 and short.endswith("in Ukraine…")


def test_a_word_longer_than_half_the_room_is_cut():
    url = "https://example.org/" + "a" * 80
    short = shorten(url, 30)
    assert len(short) == 30 and short.endswith("…")
