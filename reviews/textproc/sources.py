"""Read article bytes safely: size, binary and encoding checks before any parsing."""

import codecs
from pathlib import PurePath

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


def format_for(name: str) -> str:
    """Return the pipeline format for a file name ('text' when it has no known suffix)."""
    suffix = PurePath(name).suffix.lower()
    if suffix and suffix not in FORMATS:
        raise InputError(f"unsupported file type {suffix!r} (use .txt, .md or .html)")
    return FORMATS.get(suffix, "text")


def decode(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode article bytes as UTF-8 (BOM allowed), refusing empty, huge or binary input."""
    if len(data) > max_bytes:
        raise InputError(f"file is {len(data):,} bytes, over the {max_bytes:,}-byte limit")
    if not data.strip():
        raise InputError("file is empty")
    if b"\x00" in data[:8192]:
        raise InputError("file is binary, not text")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"file is not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r})"
        ) from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 8:
        raise InputError("file is binary, not text")
    return text
