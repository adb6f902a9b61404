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


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_decode_reads_utf16_and_utf32_with_a_bom(codec):
    text = "Kyiv said 40 troops…\nA second line."
    data = text.encode(codec)
    if not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        data = ("\ufeff" + text).encode(codec)
    assert decode(data).lstrip("\ufeff") == text


@pytest.mark.parametrize("byte", [b"\x00", b"\x01", b"\x1b"])
def test_decode_refuses_a_control_byte_anywhere_with_its_place(byte):
    data = b"The minister said 40 troops were killed.\n" * 300 + b"Then" + byte + b" more.\n"
    assert len(data) > 8192
    with pytest.raises(InputError, match=r"control character U\+00[0-1][0-9A-F] at line 301, column 5"):
        decode(data)


def test_decode_refuses_nul_in_utf16_text():
    with pytest.raises(InputError, match=r"binary, not text"):
        decode("Kyiv said\x00 40.".encode("utf-16"))


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"One line.\r\nTwo lines.\r\n", "One line.\nTwo lines.\n"),
        (b"One line.\rTwo lines.\r", "One line.\nTwo lines.\n"),  # classic Mac line endings
        (b"The minister said\r 40 troops left.\nNext.", "The minister said  40 troops left.\nNext."),
        (b"A stray\r\rcarriage return.\r\nNext.", "A stray  carriage return.\nNext."),
    ],
)
def test_decode_normalises_line_endings(raw, text):
    assert decode(raw) == text
