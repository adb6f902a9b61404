"""Self-contained, printable HTML: claims highlighted, notes, flags; scripts forbidden."""

from html import escape

from .doc import ExportDoc, safe_url, segments, verdict_label

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; form-action 'none'"
STYLE = """
body{font:16px/1.6 Georgia,serif;max-width:48em;margin:2em auto;padding:0 1em;color:#111}
h1{font-size:1.6em;line-height:1.25}.meta{color:#555;font:13px system-ui,sans-serif}
.body p{white-space:pre-wrap}.claim{border-bottom:2px solid #999;padding:1px 0}
.claim sup{font:bold 10px system-ui,sans-serif;background:#333;color:#fff;border-radius:7px;padding:0 4px}
.banner{background:#f3d9fa;border-left:5px solid #6f42c1;padding:.6em 1em;font:bold 14px system-ui,sans-serif}
.notes li,.flags li{margin-bottom:.8em}.rating{font-weight:bold}
.small{font:13px system-ui,sans-serif;color:#444}
.flag-legal{border-left:4px solid #6f42c1;padding-left:.6em}section{margin-top:2em}
@media print{a{color:inherit}.claim{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def _e(text) -> str:
    return escape(str(text), quote=True)


def _link(url: str, label: str) -> str:
    href = safe_url(url)
    return f'<a href="{_e(href)}" rel="noreferrer noopener">{_e(label)}</a>' if href else _e(label)


def to_html(doc: ExportDoc) -> bytes:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e(doc.title)}</title><style>{STYLE}</style></head><body>",
    ]
    if doc.unresolved_legal:
        parts.append(
            f'<p class="banner" role="alert">{len(doc.unresolved_legal)} unresolved legal flag(s): '
            "do not publish before a legal reviewer signs off.</p>"
        )
    parts.append(f"<h1>{_e(doc.title)}</h1>")
    meta = " · ".join(_e(x) for x in (doc.outlet, doc.byline, doc.published) if x)
    source = " · " + _link(doc.url, "source") if safe_url(doc.url) else ""
    revision = f"revision {doc.revision_number} · exported {_e(doc.exported_at)}"
    parts.append(f'<p class="meta">{meta}{" · " if meta else ""}{revision}{source}</p>')
    body = []
    for text, claim in segments(doc):
        if claim is None:
            body.append(_e(text))
            continue
        colour = claim.verdict.colour if claim.verdict else "#fff3bf"
        body.append(
            f'<span class="claim" id="claim-{claim.number}" style="background:{_e(colour)}33;'
            f'border-color:{_e(colour)}" title="{_e(verdict_label(claim))}"><sup>{claim.number}</sup>'
            f"{_e(text)}</span>"
        )
    parts.append('<div class="body"><p>' + "".join(body).replace("\n\n", "</p><p>") + "</p></div>")
    parts.append(_notes(doc))
    parts.append(_flags(doc))
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")


def _notes(doc: ExportDoc) -> str:
    items = []
    for claim in doc.claims:
        v = claim.verdict
        lines = [
            f'<li id="note-{claim.number}"><span class="rating">{claim.number}. '
            f"{_e(verdict_label(claim))}</span>"
        ]
        lines.append(f'<div class="small">{_e(claim.kind)} · status {_e(claim.status)}</div>')
        if v:
            lines.append(f"<p><b>{_e(v.summary)}</b></p>")
            if v.explanation:
                lines.append(f"<p>{_e(v.explanation)}</p>")
            if v.evidence:
                lines.append("<ul>")
                for ev in v.evidence:
                    archive = f" ({_link(ev.archive_url, 'archived')})" if ev.archive_url else ""
                    excerpt = f"<br><q>{_e(ev.excerpt)}</q>" if ev.excerpt else ""
                    lines.append(
                        f"<li>{_e(ev.stance)}: {_link(ev.url, ev.title or ev.url)}{archive}, "
                        f"accessed {_e(ev.accessed)}{excerpt}</li>"
                    )
                lines.append("</ul>")
            if v.timeline:
                lines.append('<ol class="small">')
                for t in v.timeline:
                    lines.append(
                        f"<li>{_e(t.when)} — {_e(t.who)}: {_e(t.status)} {_e(t.rating)} {_e(t.note)}</li>"
                    )
                lines.append("</ol>")
        lines.append("</li>")
        items.append("".join(lines))
    return '<section class="notes"><h2>Claims</h2><ol>' + "".join(items) + "</ol></section>"


def _flags(doc: ExportDoc) -> str:
    if not doc.flags:
        return '<section class="flags"><h2>Flags</h2><p>No flags.</p></section>'
    items = []
    for f in doc.flags:
        items.append(
            f'<li class="flag-{_e(f.category)}"><b>{_e(f.title)}</b> ({_e(f.rule)}, {_e(f.severity)})'
            f' — {_e(f.resolution)}<br><span class="small">{_e(f.where.capitalize())}: “{_e(f.text)}”</span>'
            f'<br><span class="small">Why: {_e(f.why)}</span>'
            f'<br><span class="small">Reference: {_e(f.reference)}</span>'
            f"<br>What to do: {_e(f.guidance)}</li>"
        )
    return '<section class="flags"><h2>Flags</h2><ul>' + "".join(items) + "</ul></section>"
