"""Undo hard wrapping: join the lines of a paragraph broken at a fixed width.

Wire copy and e-mailed statements arrive hard-wrapped: every paragraph broken into lines of
60–80 columns, paragraphs marked by a blank line or an indented first line. Read line by line,
the first line of each paragraph looks like a headline and the rest like fragments. A wrapped
line is recognised the way a wrapping program makes one: the next line's first word would not
have fitted on it. Nothing is added or removed but line breaks (and the indentation that marked
a paragraph), so every word of the input is still in the output, in order.
"""

import re

_INDENT = re.compile(r"^[ \t]*")
_FIRST_WORD = re.compile(r"\S+")
_BULLET = re.compile(r"^[-–—•*·>|]\s")
_NUMBERED = re.compile(r"^\d{1,2}[.)]\s")
# A wrapped document has most of its longer lines close to one width.
_MIN_WIDTH, _MAX_WIDTH = 40, 100
_NEAR = 16
_WRAPPED_SHARE = 0.6
_MIN_WRAPPED_LINES = 4
# Hand-wrapped copy is ragged: a line may stop a few columns short of the width. A line that
# goes on in lower case after a line that did not end a sentence is read with more slack.
_SLACK, _SLACK_LOWER = 3, 15
_TERMINAL = re.compile(r"""[.!?:;][\"'”’)\]]*$""")
# "Eds:", "Photo:", "By Jane Roe": a field of the page, never the rest of a wrapped line.
_LABEL = re.compile(r"^(?:[A-Z][\w.'’-]*:|By [A-Z])")


def wrap_width(lines: list[str]) -> int:
    """Return the width ``lines`` were wrapped at, or 0 if they were not hard-wrapped."""
    lengths = sorted((len(ln.rstrip()) for ln in lines if len(ln.strip()) >= _MIN_WIDTH), reverse=True)
    if len(lengths) < _MIN_WRAPPED_LINES:
        return 0
    # The third-longest line, so that one stray long line (a URL) does not set the width.
    width = lengths[min(2, len(lengths) - 1)]
    if width > _MAX_WIDTH:
        return 0
    near = sum(1 for n in lengths if n >= width - _NEAR)
    return width if near >= _WRAPPED_SHARE * len(lengths) else 0


def _indent(line: str) -> int:
    return len(_INDENT.match(line).group(0).expandtabs(4))


def reflow(text: str) -> str:
    """Join hard-wrapped lines into one line per paragraph.

    A line is joined to the one before when both are in the same block (no blank line
    between), the line is not indented deeper than the one before (an indented first line
    starts a paragraph), it is not a list item, and its first word would not have fitted on
    the line before within the document's wrap width (less some slack: hand-wrapped lines are
    ragged). A word broken at its hyphen is joined back without a space.
    """
    lines = text.split("\n")
    width = wrap_width(lines)
    long_lines = [ln for ln in lines if len(ln.strip()) >= _MIN_WIDTH]
    indented = sum(1 for ln in long_lines if _indent(ln)) / len(long_lines) if long_lines else 0.0
    # Wire copy indents the first line of each paragraph only: where some long lines are
    # indented and others not, an indented line always starts a paragraph.
    marks_paragraphs = 0.0 < indented < 1.0
    out: list[str] = []
    previous = ""  # the physical line before, as written
    for line in lines:
        stripped = line.strip()
        if (
            out
            and previous.strip()
            and stripped
            and not (marks_paragraphs and _indent(line))
            and _continues(previous, line, stripped, width)
        ):
            tail = out[-1].rstrip()
            hyphen = tail.endswith("-") and len(tail) > 1 and tail[-2].isalpha()
            out[-1] = tail + ("" if hyphen else " ") + stripped
        else:
            out.append(line)
        previous = line
    return "\n".join(out)


def _continues(previous: str, line: str, stripped: str, width: int) -> bool:
    if _indent(line) > _indent(previous) or _BULLET.match(stripped) or _LABEL.match(stripped):
        return False
    before = previous.rstrip()
    if _NUMBERED.match(stripped) and _TERMINAL.search(before):
        return False
    first = _FIRST_WORD.match(stripped).group(0)
    room = len(before) + (0 if before.endswith("-") else 1) + len(first)
    lower = first[0].islower() and not _TERMINAL.search(before)
    if not width:
        # Too few long lines to know a width: only a long line that stops mid-sentence and
        # goes on in lower case on the next line is taken as wrapped.
        return lower and len(before) >= _MIN_WIDTH
    return room > width - (_SLACK_LOWER if lower else _SLACK)
