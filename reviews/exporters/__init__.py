"""Exporters: pure functions from an ExportDoc to bytes (no Django)."""

import hashlib
import io
import json
import zipfile

from .claimreview import to_claimreview
from .doc import Claim, Evidence, ExportDoc, Flag, Media, Note, Publisher, RatingEntry, TimelineEntry, Verdict
from .docx import to_docx
from .html import to_html
from .markdown import to_markdown
from .webanno import to_webanno

MANIFEST = "manifest.json"


def manifest(doc: ExportDoc, files: dict[str, bytes]) -> dict:
    """What a bundle holds and where it comes from: each file with its size and SHA-256."""
    return {
        "article": {"id": doc.article_id, "title": doc.title, "url": doc.url, "iri": doc.article_uri},
        "revision": {"number": doc.revision_number, "id": doc.revision_id},
        "exported_by": doc.exported_by,
        "exported_at": doc.exported_at,
        "publisher": doc.org.name,
        "files": [
            {"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in files.items()
        ],
    }


def to_bundle(doc: ExportDoc) -> bytes:
    """A zip of every format, with a manifest."""
    files = {
        doc.filename(suffix): EXPORTERS[fmt](doc) for fmt, (suffix, _) in FORMATS.items() if fmt != "bundle"
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
        zf.writestr(MANIFEST, json.dumps(manifest(doc, files), ensure_ascii=False, indent=2))
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
    "MANIFEST",
    "Claim",
    "Evidence",
    "ExportDoc",
    "Flag",
    "Media",
    "Note",
    "Publisher",
    "RatingEntry",
    "TimelineEntry",
    "Verdict",
    "manifest",
    "to_bundle",
    "to_claimreview",
    "to_docx",
    "to_html",
    "to_markdown",
    "to_webanno",
]
