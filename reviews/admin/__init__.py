"""The admin: the working surface for editors, fact-checkers and legal reviewers."""

from . import articles, claims, flags, jobs, reference  # noqa: F401
