"""The admin: the working surface for editors, fact-checkers and legal reviewers."""

from . import articles, claims, flags, integrations, jobs, reference  # noqa: F401
