import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import SEEDS


def analyze_json(path):
    out = io.StringIO()
    call_command("analyze", str(path), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_analyze_prints_the_json_contract_without_a_database():
    # No `db` fixture: pytest-django fails the test on any database access.
    result = analyze_json(SEEDS / "001_147ffded2b2062e8.txt")
    assert {"title", "byline", "published", "body", "removed", "claims", "flags"} <= set(result)
    body = result["body"]
    for i, claim in enumerate(result["claims"]):
        assert claim["index"] == i
        assert body[claim["start"] : claim["end"]] == claim["text"]
        assert claim["kind"] in {"statistic", "quote", "attribution", "event", "opinion", "other"}
        assert 0 <= claim["score"] <= 1 and isinstance(claim["checkworthy"], bool)
        assert {"numbers", "sources", "quote"} <= set(claim["checkables"])
    removed = {r["text"] for r in result["removed"]}
    assert {"Featured Image Credit: Alamy", "Most Read StoriesMost Read"} <= removed
    texts = " ".join(c["text"] for c in result["claims"])
    assert "Featured Image" not in texts and "Most Read" not in texts


def test_image_fragment_is_removed_not_a_claim():
    result = analyze_json(SEEDS / "000_f702ac5364007b7a.txt")
    assert "-048987b1cb8d32e4786971ae6cd0f55f.png)" in {r["text"] for r in result["removed"]}
    assert not any(".png" in c["text"] for c in result["claims"])


def test_text_format_is_readable():
    out = io.StringIO()
    call_command("analyze", str(SEEDS / "004_4bd4561382271f31.txt"), stdout=out)
    assert out.getvalue().startswith("Title:     Russian forces are killing their own wounded")
    assert "[syndication note] Read the original article on Business Insider" in out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"\xff\xfe\x00\x00", "file is empty"),  # a UTF-32 byte-order mark and nothing after it
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_bad_input(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=f"bad.txt: .*{message}"):
        call_command("analyze", str(path))


def test_missing_file():
    with pytest.raises(CommandError, match="no such file"):
        call_command("analyze", "/nonexistent/article.txt")


def test_founding_example_pow_imagery_with_geneva_reference():
    result = analyze_json(SEEDS / "001_147ffded2b2062e8.txt")
    pow_flags = {f["text"]: f for f in result["flags"] if f["rule"] == "pow_imagery"}
    videos = next(t for t in pow_flags if t.startswith("The Ukrainian Security Service has recorded videos"))
    online = next(t for t in pow_flags if "posted online" in t)
    for text in (videos, online):
        assert "Geneva Convention III" in pow_flags[text]["reference"]
        assert "Art. 13" in pow_flags[text]["reference"]
        assert result["body"][pow_flags[text]["start"] : pow_flags[text]["end"]] == text


def test_hands_raised_drone_attack_is_hors_de_combat():
    result = analyze_json(SEEDS / "000_f702ac5364007b7a.txt")
    texts = [f["text"] for f in result["flags"] if f["rule"] == "hors_de_combat"]
    assert any(t.startswith("Despite clearly walking with their hands raised") for t in texts)
    title_flags = [f for f in result["flags"] if f["field"] == "title"]
    assert title_flags and "start" not in title_flags[0]
