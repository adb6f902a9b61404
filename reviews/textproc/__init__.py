"""Pure text pipeline: clean scraped articles, split sentences, classify claims.

Imports nothing from Django, so it can be tested, benchmarked and reused alone.
"""

from .model import load_model
from .pipeline import PIPELINE_VERSION, TITLE_LIMIT, analyze, classify, clean, title_from
from .segment import split_sentences
from .sources import InputError, decode, format_for, is_http_url
from .types import Analysis, Checkables, ClaimCandidate, Cleaned, Metadata, Removed, Span

__all__ = [
    "PIPELINE_VERSION",
    "TITLE_LIMIT",
    "Analysis",
    "Checkables",
    "ClaimCandidate",
    "Cleaned",
    "InputError",
    "Metadata",
    "Removed",
    "Span",
    "analyze",
    "classify",
    "clean",
    "decode",
    "format_for",
    "is_http_url",
    "load_model",
    "split_sentences",
    "title_from",
]
