import pytest

from reviews.textproc import InputError, decode, format_for


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\t \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"caf\xe9 au lait", "not valid UTF-8"),
        (b"x" * 101, "over the 100-byte limit"),
        ("".join(chr(c) for c in range(1, 31)).encode() * 3, "binary"),
    ],
)
def test_decode_refuses_unusable_input(data, message):
    with pytest.raises(InputError, match=message):
        decode(data, max_bytes=100)


def test_decode_accepts_utf8_with_bom():
    assert decode("\ufeffKyiv said…".encode()) == "Kyiv said…"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.txt", "text"), ("a.MD", "markdown"), ("a.html", "html"), ("a.htm", "html"), ("noext", "text")],
)
def test_format_for_suffix(name, fmt):
    assert format_for(name) == fmt


def test_format_for_refuses_unknown_suffix():
    with pytest.raises(InputError, match=r"unsupported file type '\.pdf'"):
        format_for("report.pdf")
