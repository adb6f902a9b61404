"""Self-contained, printable HTML an editor can send on: claims highlighted and linked to their
notes, flags marked in the text, a legend and a summary; scripts forbidden."""

from html import escape

from .doc import (
    UNCHECKED_COLOUR,
    Claim,
    ExportDoc,
    human_date,
    references,
    safe_url,
    segments,
    summary,
    timeline,
    unchecked,
    verdict_label,
)

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; form-action 'none'"
STYLE = """
body{font:16px/1.6 Georgia,serif;max-width:48em;margin:2em auto;padding:0 1em;color:#111}
h1{font-size:1.6em;line-height:1.25}h2{font:bold 1.15em system-ui,sans-serif;margin-top:2em}
.meta,.small,table,.legend{font:13px/1.5 system-ui,sans-serif;color:#333}
.body p{white-space:pre-wrap}
.claim{border-bottom:3px solid #999;padding:1px 0}
.claim.submitted{border-bottom-style:dashed}
.claim.stale{border-bottom-style:dotted;
 background-image:repeating-linear-gradient(135deg,transparent 0 6px,#0001 6px 8px)}
a.num{font:bold 10px system-ui,sans-serif;background:#333;color:#fff;border-radius:7px;padding:0 4px;
 text-decoration:none;vertical-align:super;margin-right:2px}
a.flag{font:bold 11px system-ui,sans-serif;color:#6f42c1;text-decoration:none;vertical-align:super}
.banner{background:#f3d9fa;border-left:5px solid #6f42c1;padding:.6em 1em;font:bold 14px system-ui,sans-serif}
.swatch{display:inline-block;width:1.1em;height:.9em;border:1px solid #0003;vertical-align:middle;
 margin-right:4px}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}
td.n{text-align:right}
ol.notes,ol.flags{list-style:none;padding-left:0}ol.notes>li,ol.flags>li{margin-bottom:1em;padding-left:.6em;
 border-left:4px solid #ddd}
.badge{font:bold 11px system-ui,sans-serif;border-radius:3px;padding:0 5px;margin-left:4px}
.badge.submitted{background:#fff;border:1px dashed #333}.badge.stale{background:#333;color:#fff}
.badge.open{background:#6f42c1;color:#fff}.badge.done{background:#ddd}
blockquote{margin:.3em 0 .3em 1em;padding-left:.6em;border-left:2px solid #ccc;color:#333}
.flags li.legal{border-left-color:#6f42c1}
@media print{a{color:inherit}.claim,.swatch,a.num{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 a[href^="http"]::after{content:" <" attr(href) ">";font:11px system-ui,sans-serif;word-break:break-all}
 section{break-inside:auto}}
"""


def _e(text) -> str:
    return escape(str(text), quote=True)


def _link(url: str, label: str) -> str:
    href = safe_url(url)
    return f'<a href="{_e(href)}" rel="noreferrer noopener">{_e(label)}</a>' if href else _e(label)


def _swatch(colour: str) -> str:
    return f'<span class="swatch" style="background:{_e(colour)}"></span>'


def _colour(claim: Claim) -> str:
    return claim.verdict.colour if claim.verdict else UNCHECKED_COLOUR


def _badge(claim: Claim) -> str:
    if claim.state == "submitted":
        return '<span class="badge submitted">awaiting approval</span>'
    if claim.state == "stale":
        return '<span class="badge stale">STALE</span>'
    return ""


def to_html(doc: ExportDoc) -> bytes:
    flags_by_claim: dict[int, list] = {}
    for flag in doc.flags:
        if flag.claim_number:
            flags_by_claim.setdefault(flag.claim_number, []).append(flag)
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
    headline_flags = "".join(_flag_mark(f) for f in doc.flags if f.field == "title")
    parts.append(f"<h1>{_e(doc.title)}{headline_flags}</h1>")
    meta = " · ".join(_e(x) for x in (doc.outlet, doc.byline, human_date(doc.published)) if x)
    by = f" by {_e(doc.exported_by)}" if doc.exported_by else ""
    revision = f"revision {doc.revision_number} · exported {_e(human_date(doc.exported_at, time=True))}{by}"
    source = f"<br>Source: {_link(doc.url, doc.url)}" if safe_url(doc.url) else ""
    parts.append(f'<p class="meta">{meta}{" · " if meta else ""}{revision}{source}</p>')
    parts.append(_summary(doc))
    body = []
    for text, claim in segments(doc):
        if claim is None:
            body.append(_e(text))
            continue
        colour = _colour(claim)
        marks = "".join(_flag_mark(f) for f in flags_by_claim.get(claim.number, ()))
        body.append(
            f'<span class="claim {claim.state}" id="claim-{claim.number}" style="background:{_e(colour)}40;'
            f'border-bottom-color:{_e(colour)}" title="{_e(verdict_label(claim))}">'
            f'<a class="num" href="#note-{claim.number}">{claim.number}</a>{_e(text)}</span>{marks}'
        )
    parts.append('<div class="body"><p>' + "".join(body).replace("\n\n", "</p><p>") + "</p></div>")
    parts.append(_notes(doc, flags_by_claim))
    parts.append(_flags(doc))
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")


def _flag_mark(flag) -> str:
    return f'<a class="flag" href="#flag-{flag.number}" title="{_e(flag.title)} ({_e(flag.status)})">⚑</a>'


def _summary(doc: ExportDoc) -> str:
    rows = []
    for rating, final, pending in summary(doc):
        rows.append(
            f"<tr><td>{_swatch(rating.colour)}{_e(rating.label)}</td>"
            f'<td class="n">{final}</td><td class="n">{pending}</td></tr>'
        )
    rows.append(
        f"<tr><td>{_swatch(UNCHECKED_COLOUR)}Check-worthy, not yet checked</td>"
        f'<td class="n" colspan="2">{unchecked(doc)}</td></tr>'
    )
    legal = doc.unresolved_legal
    legal_items = "".join(
        f'<li><a href="#flag-{f.number}">{_e(f.title)}</a> on {_e(f.where)}</li>' for f in legal
    )
    return (
        '<section class="summary"><h2>Summary</h2>'
        "<table><thead><tr><th>Rating</th><th>Final</th><th>Not final</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        '<p class="legend">How to read the text: each checked sentence is tinted with its rating’s colour '
        "and numbered (the number leads to its note). A solid underline is a final, approved verdict; a "
        "<b>dashed</b> underline is awaiting approval (not final); a <b>dotted, hatched</b> one is stale "
        "(the sentence changed since the verdict). ⚑ marks a flag.</p>"
        f'<p class="small">Open legal flags: <b>{len(legal)}</b></p>'
        + (f'<ul class="small">{legal_items}</ul>' if legal else "")
        + "</section>"
    )


def _verdict(claim: Claim) -> list[str]:
    v = claim.verdict
    who = f"by {_e(v.author_display)}, submitted {_e(human_date(v.submitted_at))}"
    if v.status == "approved" and v.approved_by:
        who += f"; approved by {_e(v.approver_display)}, {_e(human_date(v.approved_at))}"
    lines = [f'<div class="small">{who}</div>']
    if v.claim_reviewed:
        lines.append(f'<p class="small">Claim as checked: {_e(v.claim_reviewed)}</p>')
    lines.append(f"<p><b>{_e(v.summary)}</b></p>")
    if v.explanation:
        lines.append(f"<p>{_e(v.explanation)}</p>")
    if v.media_rating_label:
        lines.append(f'<p class="small">Media: {_e(v.media_rating_label)}</p>')
    if v.evidence:
        lines.append('<ul class="small">')
        for ev in v.evidence:
            archive = f" ({_link(ev.archive_url, 'archived copy')})" if ev.archive_url else ""
            excerpt = f"<blockquote>{_e(ev.excerpt)}</blockquote>" if ev.excerpt else ""
            lines.append(
                f"<li>{_e(ev.stance)}: {_link(ev.url, ev.label)}{' — ' + _e(ev.detail) if ev.detail else ''}"
                f"{archive}, "
                f"accessed {_e(human_date(ev.accessed))}{excerpt}</li>"
            )
        lines.append("</ul>")
    steps = timeline(v)
    if steps:
        items = "".join(
            f"<li>{_e(human_date(t.when, time=True))} — {_e(t.who)}: {_e(t.status)}"
            f"{' (' + _e(t.rating) + ')' if t.rating else ''}</li>"
            for t in steps
        )
        lines.append(f'<ul class="small">{items}</ul>')
    return lines


def _notes(doc: ExportDoc, flags_by_claim: dict) -> str:
    items = []
    for claim in doc.claims:
        lines = [
            f'<li id="note-{claim.number}" style="border-left-color:{_e(_colour(claim))}">'
            f'<a class="num" href="#claim-{claim.number}" title="back to the text">{claim.number}</a> '
            f"<b>{_e(claim.verdict.rating if claim.verdict else verdict_label(claim))}</b>{_badge(claim)}"
            f' <span class="small">{_e(claim.kind)}</span>'
        ]
        if claim.state in ("submitted", "stale"):
            lines.append(f'<div class="small">{_e(verdict_label(claim))}</div>')
        if claim.claimant:
            lines.append(f'<div class="small">Claimant: {_e(claim.claimant)}</div>')
        if claim.verdict:
            lines += _verdict(claim)
        flags = flags_by_claim.get(claim.number, ())
        if flags:
            links = ", ".join(f'<a href="#flag-{f.number}">⚑ {_e(f.title)}</a>' for f in flags)
            lines.append(f'<div class="small">Flags: {links}</div>')
        for note in claim.notes:
            lines.append(
                f'<div class="small">Note by {_e(note.author)}, {_e(human_date(note.when, time=True))}: '
                f"{_e(note.text)}</div>"
            )
        lines.append("</li>")
        items.append("".join(lines))
    return '<section><h2>Claims</h2><ol class="notes">' + "".join(items) + "</ol></section>"


def _flags(doc: ExportDoc) -> str:
    if not doc.flags:
        return "<section><h2>Flags</h2><p>No flags.</p></section>"
    refs = references(doc)
    items = []
    for f in doc.flags:
        state = "done" if f.done else "open"
        where = f'<a href="#claim-{f.claim_number}">{_e(f.where)}</a>' if f.claim_number else _e(f.where)
        ref = refs[f.rule]
        items.append(
            f'<li id="flag-{f.number}" class="{_e(f.category)}"><b>{_e(f.title)}</b> '
            f'<span class="badge {state}">{_e(f.status)}</span>'
            f' <span class="small">({_e(f.rule)}, {_e(f.severity)}) on {where}</span>'
            f"<blockquote>{_e(f.text)}</blockquote>"
            f'<div class="small">Why: {_e(f.explained)}</div>'
            + (f'<div class="small">{_e(f.resolution)}</div>' if f.done else "")
            + '<div class="small">Reference and what to do: '
            + f'<a href="#ref-{ref.number}">R{ref.number}</a></div>'
            "</li>"
        )
    ref_items = "".join(
        f'<li id="ref-{r.number}"><b>R{r.number}. {_e(r.title)}</b> <span class="small">({_e(r.rule)})</span>'
        f'<div class="small">Reference: {_e(r.reference)}</div><div>What to do: {_e(r.guidance)}</div></li>'
        for r in refs.values()
    )
    return (
        '<section><h2>Flags</h2><ol class="flags">'
        + "".join(items)
        + '</ol></section><section><h2>References</h2><ol class="flags">'
        + ref_items
        + "</ol></section>"
    )
