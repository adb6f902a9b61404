"""Filters for the public fact-check pages."""

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
