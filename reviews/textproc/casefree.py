"""Case-insensitive patterns searched fast: a lower-cased copy on lower-cased text.

Python's ``re`` with IGNORECASE compares every character through its case folding and gives
up its search for a literal prefix, which makes an alternation of words several times slower.
The pattern with its literals lower-cased, without the flag, run on the lower-cased text finds
the same matches at the same offsets wherever lower-casing is what case-insensitive matching
does: where the text keeps its length ("İ" lower-cases to two characters) and has no letter
of ``FOLDS`` (letters that match another letter than their lower case: "ſ" matches "s", "ı"
matches "i", "ς" matches "σ"). Elsewhere the pattern itself is used, so nothing changes.
"""

import re

# Python's re._casefix table (letters case-insensitive matching takes as others) and those
# letters' other cases, outside ASCII.
FOLDS = (
    "µıſ\u0345ΐΒΕΘΙΚΜΠΡΣΦΰβεθικμπρςσφϐϑϕϖϰϱϵВДОСТЪвдостъѢѣ"
    "\u1c80\u1c81\u1c82\u1c83\u1c84\u1c85\u1c86\u1c87\u1c88\u1e60\u1e61\u1e9b"
    "\u1fbe\u1fd3\u1fe3\ua64a\ua64b\ufb05\ufb06"
)
FOLDING = re.compile(f"[{FOLDS}]")


def lower_pattern(pattern: str) -> str:
    """``pattern`` with its literals lower-cased and its escapes (``\\W``, ``\\S``, ``\\b``) kept."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif pattern.startswith("(?P", i):  # a named group or reference: its name as written
            end = pattern.index(">" if pattern[i + 3] == "<" else ")", i)
            out.append(pattern[i : end + 1])
            i = end + 1
        else:
            out.append(pattern[i].lower())
            i += 1
    return "".join(out)


def caseless(text: str) -> str | None:
    """``text`` lower-cased, or None where a lower-cased search would not find what a
    case-insensitive search finds (see the module's note)."""
    low = text.lower()
    if len(low) != len(text) or FOLDING.search(low):
        return None
    return low


class Caseless:
    """A case-insensitive pattern, searched as its lower-cased copy where that is the same.

    Matches found the fast way are matches in the lower-cased text: read their offsets
    (``start``, ``end``, ``span``), and take text from the original by them.
    """

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern = re.compile(pattern, flags | re.I)
        self.lowered = re.compile(lower_pattern(pattern), flags & ~re.I)
        # "İ" lowers to two characters: such a pattern is searched as it is, as one with a
        # letter of FOLDS is.
        self.plain = len(pattern.lower()) == len(pattern) and not FOLDING.search(pattern.lower())

    def finditer(self, text: str, low: str | None):
        """The matches in ``text``; ``low`` is ``caseless(text)``."""
        if low is None or not self.plain:
            return self.pattern.finditer(text)
        return self.lowered.finditer(low)

    def search(self, text: str, low: str | None, pos: int = 0, endpos: int | None = None):
        end = len(text) if endpos is None else endpos
        if low is None or not self.plain:
            return self.pattern.search(text, pos, end)
        return self.lowered.search(low, pos, end)
