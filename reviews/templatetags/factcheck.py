"""Filters for the public fact-check pages and the claim page."""

from django import template

from reviews.exporters.doc import human_date, safe_url

register = template.Library()


@register.filter
def human(value: str) -> str:
    """An ISO date or time as '21 Nov 2026'."""
    return human_date(value or "")


@register.filter
def http_only(url: str) -> str:
    """The URL if it is http(s), else ''."""
    return safe_url(url or "")


QUOTE_MARKS = "\"'“”‘’«»„"


@register.filter
def quoted(text: str) -> str:
    """A quote between one pair of marks: as it is when it keeps its own, else in “ ”."""
    text = text or ""
    return text if text[:1] in QUOTE_MARKS else f"“{text}”"
