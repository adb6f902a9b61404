"""Shorten text for display: a list cell, a confirmation line, an e-mail subject, a heading."""

import re

_SPACE = re.compile(r"\s")
# Left dangling at the end of a cut: "rose 5%," or "the (" reads as if the text stopped there.
_DANGLING = " \t\n,;:–—-(“‘\"'«"


def shorten(text: str, limit: int) -> str:
    """Return ``text`` in at most ``limit`` characters, cut at a word boundary and ending "…".

    Text that fits is returned as it is. A word is cut only when it alone fills more than half
    of the room (a long address, a run of digits), where cutting elsewhere would leave too little.
    Django's ``Truncator.chars`` cuts mid-word ("kills 14, reg…"), hence this.
    """
    text = (text or "").strip()
    if len(text) <= limit:
        return text
    room = max(limit - 1, 1)  # one for the ellipsis
    cut = text[:room]
    if not text[room].isspace():
        spaces = [m.start() for m in _SPACE.finditer(cut)]
        if spaces and spaces[-1] >= room // 2:
            cut = cut[: spaces[-1]]
    return cut.rstrip(_DANGLING) + "…"
