"""The admin: the working surface for editors, fact-checkers and legal reviewers."""

from . import articles, claims, flags, reference  # noqa: F401
