"""Read article bytes safely: size, binary and encoding checks before any parsing."""

import codecs
import re
from pathlib import PurePath
from urllib.parse import urlsplit

FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


class InputError(ValueError):
    """The input cannot be taken as an article; the message says why."""


def is_http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host: the only links stored or exported."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and not _URL_BAD.search(url)


def format_for(name: str) -> str:
    """Return the pipeline format for a file name ('text' when it has no known suffix)."""
    suffix = PurePath(name).suffix.lower()
    if suffix and suffix not in FORMATS:
        raise InputError(f"unsupported file type {suffix!r} (use .txt, .md or .html)")
    return FORMATS.get(suffix, "text")


_BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# C0 controls other than tab, line feed, form feed and carriage return: no article has them,
# PostgreSQL refuses NUL in text, and XML (DOCX) refuses them all.
_URL_BAD = re.compile(r"[\s\x00-\x1f\x7f<>\"]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _encoding(data: bytes) -> tuple[bytes, str, str]:
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :], codec, name
    return data, "utf-8", "UTF-8"


def line_endings(text: str) -> str:
    """Turn CRLF and CR line endings into LF.

    A text with LF line endings that also holds a lone CR has it by accident (a stray byte
    inside a sentence): it becomes a space rather than a line break that would cut the
    sentence in two. A text with no LF at all uses CR as its line ending.
    """
    text = text.replace("\r\n", "\n")
    if "\r" not in text:
        return text
    return text.replace("\r", " " if "\n" in text else "\n")


def decode(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, subject: str = "file") -> str:
    """Decode article bytes (UTF-8, or UTF-8/16/32 with a BOM) into text with LF line endings.

    Refuses empty, huge and binary input, and text holding NUL or other control characters;
    the refusal speaks of ``subject`` ("file", or "the pasted text" for what was pasted).
    """
    if len(data) > max_bytes:
        raise InputError(f"{subject} is {len(data):,} bytes, over the {max_bytes:,}-byte limit")
    data, codec, name = _encoding(data)
    if codec == "utf-8" and b"\x00" in data[:8192]:
        raise InputError(f"{subject} is binary, not text")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{subject} is not valid {name} (byte {exc.start}: {data[exc.start : exc.start + 1]!r})"
        ) from None
    if not text.strip():
        raise InputError(f"{subject} is empty")
    head = text[:8192]
    if "\x00" in head or len(_CONTROLS.findall(head)) > 8:
        raise InputError(f"{subject} is binary, not text")
    bad = _CONTROLS.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - text.rfind("\n", 0, bad.start())
        raise InputError(
            f"{subject} holds the control character U+{ord(bad.group()):04X} at line {line:,}, "
            f"column {column:,}: not plain text"
        )
    return line_endings(text)
