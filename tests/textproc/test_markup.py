import pytest

from reviews.textproc import InputError, analyze
from reviews.textproc.markup import MAX_DEPTH, html_to_lines

STORY = "<p>The council approved a budget of $4.2 million on Tuesday, officials said.</p>"


def nested(depth: int, inner: str = STORY) -> str:
    return "<div>" * depth + inner + "</div>" * depth


def test_markup_nested_deeper_than_the_limit_is_refused_with_the_depth():
    with pytest.raises(InputError, match=rf"nested 2,501 tags deep, over the limit of {MAX_DEPTH:,}"):
        analyze(nested(2500, "<span>x</span>"), fmt="html")


def test_markup_nested_to_the_limit_is_read():
    text, removed, _ = html_to_lines(nested(MAX_DEPTH - 1))
    assert text.strip() == "The council approved a budget of $4.2 million on Tuesday, officials said."
    assert removed == ()


def test_markup_walk_keeps_blocks_furniture_and_dropped_tags_apart():
    html = (
        "<html><head><title>T</title><script>alert(1)</script></head><body>"
        "<nav>Home <button>Menu</button> <b>News</b></nav>"
        "<div>First<p>para<!-- note --> one</p>tail<img src=x.png></div>"
        "<aside role='complementary'>Most read</aside><div role='navigation'>Next</div>"
        "<template>hidden</template><span>inline</span></body></html>"
    )
    text, removed, _ = html_to_lines(html)
    assert [line for line in text.split("\n") if line] == ["First", "para one", "tail", "inline"]
    assert [(r.text, r.reason) for r in removed] == [
        ("Home News", "navigation"),
        ("Most read", "related or most-read list"),
        ("Next", "navigation"),
    ]
