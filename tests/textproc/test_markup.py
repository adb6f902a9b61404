import pytest

from reviews.textproc import InputError, clean
from reviews.textproc.markup import MAX_DEPTH, html_to_lines

PAGE = """<html><head><title>Council passes budget | The Courier</title>
<meta property="og:site_name" content="The Courier">
<meta property="og:url" content="https://courier.example/budget">
<meta name="author" content="Jane Roe"></head>
<body><div class="cookie">We use cookies to improve your experience.</div>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Council passes budget</h1>
<p>The council approved a budget of $4.2 million on Tuesday, officials said after a long
meeting in the town hall that ran late into the evening.</p>
<p>The vote was 7 to 2 after a three-hour debate in which residents spoke for and against
the plan to resurface the roads of the old town.</p>
<p>The mayor will sign the budget next week, her office said in a statement on Wednesday
morning, and work on the roads is due to start in the spring.</p></article>
<aside><h3>Most read</h3><ul><li>Football club signs striker from rivals</li></ul></aside>
<footer>© 2026 The Courier. All rights reserved.</footer></body></html>"""


def test_html_main_text_and_metadata_come_from_the_extractor():
    cleaned = clean(PAGE, fmt="html")
    meta = cleaned.metadata
    assert (meta.title, meta.byline, meta.outlet, meta.url) == (
        "Council passes budget",
        "Jane Roe",
        "The Courier",
        "https://courier.example/budget",
    )
    assert cleaned.body.startswith("The council approved a budget")
    assert cleaned.body.count("\n\n") == 2  # one paragraph per block
    for furniture in ("cookies", "Sport", "striker", "All rights reserved"):
        assert furniture not in cleaned.body


def test_every_visible_block_left_out_is_reported():
    text, removed, _ = html_to_lines(PAGE)
    left_out = {r.text for r in removed}
    assert "We use cookies to improve your experience." in left_out
    assert "Football club signs striker from rivals" in left_out
    assert "© 2026 The Courier. All rights reserved." in left_out
    assert {r.reason for r in removed} == {"outside the main text"}
    assert "The vote was 7 to 2" in text


def test_deeply_nested_html_is_refused():
    html = "<div>" * (MAX_DEPTH + 50) + "text" + "</div>" * (MAX_DEPTH + 50)
    with pytest.raises(InputError, match="nested more than"):
        clean(html, fmt="html")


def test_windows_line_endings_in_html():
    cleaned = clean(PAGE.replace("\n", "\r\n"), fmt="html")
    assert "\r" not in cleaned.body
    assert "officials said after a long meeting" in cleaned.body


def nested(depth: int, inner: str) -> str:
    return "<div>" * depth + inner + "</div>" * depth


STORY = "<p>The council approved a budget of $4.2 million on Tuesday, officials said.</p>"


def test_markup_nested_to_the_limit_is_read_whole():
    text, _, _ = html_to_lines(nested(MAX_DEPTH - 10, STORY))
    assert "The council approved a budget of $4.2 million on Tuesday, officials said." in text


@pytest.mark.parametrize("depth", [MAX_DEPTH + 10, 2_500, 20_000])
def test_markup_nested_past_the_limit_is_refused_never_cut(depth):
    """The parser stops at 256 levels and drops what lies deeper: such a page is refused."""
    with pytest.raises(InputError, match=f"nested more than {MAX_DEPTH} elements deep"):
        html_to_lines(nested(depth, STORY) + "<p>A sentence after the nesting.</p>")


def test_a_page_url_that_is_not_http_is_dropped_and_reported():
    page = PAGE.replace("https://courier.example/budget", "javascript:alert(document.cookie)")
    _text, removed, meta = html_to_lines(page)
    assert meta.url == ""
    assert ("javascript:alert(document.cookie)", "og:url that is not an http(s) URL") in [
        (r.text, r.reason) for r in removed
    ]


def test_a_menu_word_found_inside_the_first_paragraph_does_not_cut_the_article():
    """A menu item ("Germany") occurs by chance in the first paragraph's "One of Germany's…":
    the walk must not start after it and lose every paragraph (the page was refused as empty)."""
    page = PAGE.replace(
        '<a href="/sport">Sport</a></nav>', '<a href="/sport">Sport</a><ul><li>Germany</li></ul></nav>'
    ).replace("<p>The council approved", "<p>One of Germany's smallest councils approved")
    text, removed, _ = html_to_lines(page)
    assert "\n\nOne of Germany's smallest councils approved a budget" in text
    assert "The mayor will sign the budget next week" in text
    assert "Germany" in {r.text for r in removed}


def test_split_pins_the_walk_on_long_lines_found_once_in_order():
    from reviews.textproc.markup import _split

    first = "The first paragraph of the story, long enough to pin the walk."
    second = "The second paragraph of the story, also long enough to pin it."
    main = f"{first} Short aside. {second} Tail."
    lines = ["Menu", "story", first, "Short aside.", "Teaser: " + second[:20], second, "Tail.", "Footer"]
    kept, removed = _split(lines, main)
    assert kept == [first, "Short aside.", second, "Tail."]
    assert [r.text for r in removed] == ["Menu", "story", "Teaser: " + second[:20], "Footer"]
    # A teaser above the story quoting its second paragraph verbatim does not pin the walk there.
    kept, _ = _split([second, first, "Short aside.", second, "Tail."], main)
    assert kept[:3] == [first, "Short aside.", second]


def test_soft_hyphens_in_the_page_do_not_hide_its_paragraphs():
    """Pages hyphenated for narrow columns carry soft hyphens ("Thou\xadsands"); the extractor
    drops them, so the page's lines must be compared without them (the article was lost)."""
    page = PAGE.replace("approved a budget", "ap\xadproved a bud\xadget").replace(
        "three-hour debate", "three-hour de\xadbate"
    )
    cleaned = clean(page, fmt="html")
    assert cleaned.body.startswith("The council approved a budget of $4.2 million")
    assert "after a three-hour debate" in cleaned.body and "\xad" not in cleaned.body


def test_an_xhtml_page_with_an_xml_declaration_is_read():
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + PAGE
    cleaned = clean(page, fmt="html")
    assert cleaned.metadata.title == "Council passes budget"
    assert cleaned.body.startswith("The council approved a budget")
