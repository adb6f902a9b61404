"""Exporters: pure functions from an ExportDoc to bytes (no Django)."""

import io
import zipfile

from .claimreview import to_claimreview
from .doc import Claim, Evidence, ExportDoc, Flag, TimelineEntry, Verdict
from .docx import to_docx
from .html import to_html
from .markdown import to_markdown
from .webanno import to_webanno


def to_bundle(doc: ExportDoc) -> bytes:
    """A zip of every format."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for fmt, (suffix, _) in FORMATS.items():
            if fmt != "bundle":
                zf.writestr(doc.filename(suffix), EXPORTERS[fmt](doc))
    return buffer.getvalue()


FORMATS = {
    "html": (".html", "text/html; charset=utf-8"),
    "md": (".md", "text/markdown; charset=utf-8"),
    "docx": (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "webanno": (".webanno.jsonld", "application/ld+json"),
    "claimreview": (".claimreview.jsonld", "application/ld+json"),
    "bundle": (".zip", "application/zip"),
}
EXPORTERS = {
    "html": to_html,
    "md": to_markdown,
    "docx": to_docx,
    "webanno": to_webanno,
    "claimreview": to_claimreview,
    "bundle": to_bundle,
}

__all__ = [
    "EXPORTERS",
    "FORMATS",
    "Claim",
    "Evidence",
    "ExportDoc",
    "Flag",
    "TimelineEntry",
    "Verdict",
    "to_bundle",
    "to_claimreview",
    "to_docx",
    "to_html",
    "to_markdown",
    "to_webanno",
]
