"""Markdown with footnotes: each claim marked in the text, verdicts and flags as notes."""

import re

from .doc import ExportDoc, safe_url, segments, verdict_label

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|>~])")


def md_escape(text: str) -> str:
    """Article text as literal Markdown: no markup, no raw HTML, no autolinks."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def _link(url: str, label: str) -> str:
    href = safe_url(url)
    label = md_escape(label)
    return f"[{label}](<{href.replace('>', '%3E').replace(' ', '%20')}>)" if href else label


def _one_line(text: str) -> str:
    return " ".join(md_escape(text).split())


def to_markdown(doc: ExportDoc) -> bytes:
    out = [f"# {_one_line(doc.title)}", ""]
    meta = " · ".join(_one_line(x) for x in (doc.outlet, doc.byline, doc.published) if x)
    out.append(f"*{meta + ' · ' if meta else ''}revision {doc.revision_number} · exported {doc.exported_at}*")
    if safe_url(doc.url):
        out.append(f"\nSource: {_link(doc.url, doc.url)}")
    if doc.unresolved_legal:
        out.append(
            f"\n> **{len(doc.unresolved_legal)} unresolved legal flag(s): do not publish before a legal "
            "reviewer signs off.**"
        )
    out.append("")
    body = []
    for text, claim in segments(doc):
        body.append(md_escape(text) if claim is None else f"**{md_escape(text)}**[^{claim.number}]")
    out.append("".join(body))
    out.append("\n## Flags\n")
    if not doc.flags:
        out.append("No flags.")
    for f in doc.flags:
        out.append(
            f"- **{_one_line(f.title)}** (`{f.rule}`, {f.severity}, {_one_line(f.resolution)}) on {f.where}: "
            f"“{_one_line(f.text)}”  \n  Why: {_one_line(f.why)}  \n  Reference: {_one_line(f.reference)}  \n"
            f"  What to do: {_one_line(f.guidance)}"
        )
    out.append("")
    for claim in doc.claims:
        note = [f"[^{claim.number}]: **{_one_line(verdict_label(claim))}** ({claim.kind})"]
        v = claim.verdict
        if v:
            note.append(f"    {_one_line(v.summary)}")
            if v.explanation:
                note.append(f"    {_one_line(v.explanation)}")
            for ev in v.evidence:
                note.append(f"    - {ev.stance}: {_link(ev.url, ev.title or ev.url)}, accessed {ev.accessed}")
            for t in v.timeline:
                note.append(
                    f"    - {t.when} {_one_line(t.who)}: {t.status} {_one_line(t.rating)} {_one_line(t.note)}"
                )
        out.append("\n".join(note))
    return ("\n".join(out) + "\n").encode("utf-8")
