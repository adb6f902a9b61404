"""Newsroom watch terms: plain terms or regular expressions, validated before use."""

import re
from dataclasses import dataclass

MAX_PATTERN = 300


class WatchTermError(ValueError):
    """A watch-term list that cannot be used; the message names the line and the problem."""


@dataclass(frozen=True)
class WatchTermRule:
    code: str
    patterns: tuple[re.Pattern, ...]


def compile_terms(text: str) -> tuple[re.Pattern, ...]:
    """Compile one term per line; a line starting with ``re:`` is a regular expression.

    Plain terms match whole words, case-insensitively.
    """
    patterns = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("re:"):
            source = line[3:].strip()
            if not source:
                raise WatchTermError(f"line {number}: empty regular expression")
            if len(source) > MAX_PATTERN:
                raise WatchTermError(
                    f"line {number}: regular expression longer than {MAX_PATTERN} characters"
                )
            try:
                pattern = re.compile(source, re.I)
            except re.error as exc:
                raise WatchTermError(f"line {number}: invalid regular expression {source!r}: {exc}") from None
            if pattern.search(""):
                raise WatchTermError(
                    f"line {number}: {source!r} matches empty text, so it would flag everything"
                )
        else:
            if len(line) > MAX_PATTERN:
                raise WatchTermError(f"line {number}: term longer than {MAX_PATTERN} characters")
            pattern = re.compile(rf"(?<!\w){re.escape(line)}(?!\w)", re.I)
        patterns.append(pattern)
    if not patterns:
        raise WatchTermError("no terms: give one term or re:expression per line")
    return tuple(patterns)
