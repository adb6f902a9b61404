"""The admin: the working surface for editors, fact-checkers and legal reviewers."""

from . import articles, claims, flags, integrations, reference  # noqa: F401
