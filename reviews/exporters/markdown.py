"""Markdown with footnotes: each claim numbered in the text, verdicts, flags and references as
notes, a summary table first."""

import re

from .doc import (
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

# Escaped anywhere: what starts emphasis, code, links or strikethrough.
_INLINE = re.compile(r"([\\`*_\[\]~])")
# A tag or autolink starts with "<" and a letter, "/", "!" or "?": written as an entity.
_TAG = re.compile(r"<(?=[A-Za-z/!?])")
# Escaped at the start of a line only: headings, quotes, list items, thematic breaks.
_LINE_MARK = re.compile(r"^([ \t]*)([#>+\-=|])", re.MULTILINE)
_LINE_NUMBER = re.compile(r"^([ \t]*\d+)([.)])", re.MULTILINE)
_ENTITY = re.compile(r"&(?=#?\w+;)")


def md_escape(text: str) -> str:
    """Article text as literal Markdown: no markup, no raw HTML, no links; nothing else escaped."""
    text = _INLINE.sub(r"\\\1", text)
    text = _TAG.sub("&lt;", _ENTITY.sub("&amp;", text))
    text = text.replace("\\](", "\\]\\(")  # never "](": not even the shape of a link
    return _LINE_NUMBER.sub(r"\1\\\2", _LINE_MARK.sub(r"\1\\\2", text))


def _link(url: str, label: str) -> str:
    href = safe_url(url)
    label = md_escape(label)
    return f"[{label}](<{href.replace('>', '%3E').replace(' ', '%20')}>)" if href else label


def _one_line(text: str) -> str:
    return md_escape(" ".join(text.split()))


def _summary(doc: ExportDoc) -> list[str]:
    out = ["## Summary", "", "| Rating | Final | Not final |", "|---|---:|---:|"]
    for rating, final, pending in summary(doc):
        out.append(f"| {_one_line(rating.label)} | {final} | {pending} |")
    out.append(f"| Check-worthy, not yet checked | {unchecked(doc)} | |")
    out.append("")
    out.append(
        "Each checked sentence carries its note number. A verdict marked *awaiting approval* is not "
        "final; one marked **STALE** was given on an earlier wording of the sentence. ⚑ marks a flag."
    )
    out.append(f"\nOpen legal flags: **{len(doc.unresolved_legal)}**")
    return out


def to_markdown(doc: ExportDoc) -> bytes:
    out = [f"# {_one_line(doc.title)}", ""]
    meta = " · ".join(_one_line(x) for x in (doc.outlet, doc.byline, human_date(doc.published)) if x)
    by = f" by {_one_line(doc.exported_by)}" if doc.exported_by else ""
    out.append(
        f"*{meta + ' · ' if meta else ''}revision {doc.revision_number} · exported "
        f"{human_date(doc.exported_at, time=True)}{by}*"
    )
    if safe_url(doc.url):
        out.append(f"\nSource: {_link(doc.url, doc.url)}")
    if doc.unresolved_legal:
        out.append(
            f"\n> **{len(doc.unresolved_legal)} unresolved legal flag(s): do not publish before a legal "
            "reviewer signs off.**"
        )
    out.append("")
    out += _summary(doc)
    out.append("\n## Text\n")
    flagged = {f.claim_number for f in doc.flags if f.claim_number}
    body = []
    for text, claim in segments(doc):
        if claim is None:
            body.append(md_escape(text))
        else:
            body.append(f"{md_escape(text)}[^{claim.number}]{' ⚑' if claim.number in flagged else ''}")
    out.append("".join(body))
    refs = references(doc)
    out.append("\n## Flags\n")
    if not doc.flags:
        out.append("No flags.")
    for f in doc.flags:
        ref = refs[f.rule]
        resolution = f"{_one_line(f.resolution)}" if f.done else "**open**"
        out.append(
            f"- ⚑ **{_one_line(f.title)}** (`{f.rule}`, {f.severity}, {resolution}) on {f.where}:  \n"
            f"  > {_one_line(f.text)}\n\n  Why: {_one_line(f.explained)}  \n"
            f"  Reference and what to do: R{ref.number}"
        )
    if refs:
        out.append("\n## References\n")
        for r in refs.values():
            out.append(
                f"R{r.number}. **{_one_line(r.title)}** (`{r.rule}`): {_one_line(r.reference)}  \n"
                f"   What to do: {_one_line(r.guidance)}"
            )
    out.append("")
    for claim in doc.claims:
        label = _one_line(verdict_label(claim))
        if claim.state == "submitted":
            label = f"{_one_line(claim.verdict.rating)} — *awaiting approval, not final*"
        elif claim.state == "stale":
            label = f"{_one_line(claim.verdict.rating)} — **STALE**: the sentence changed since this verdict"
        note = [f"[^{claim.number}]: {label} ({claim.kind})"]
        v = claim.verdict
        if claim.claimant:
            note.append(f"    Claimant: {_one_line(claim.claimant)}")
        if v:
            who = f"by {_one_line(v.author_display)}"
            if v.status == "approved" and v.approved_by:
                who += f", approved by {_one_line(v.approver_display)} on {human_date(v.approved_at)}"
            note.append(f"    {_one_line(v.summary)} ({who})")
            if v.explanation:
                note.append(f"    {_one_line(v.explanation)}")
            for ev in v.evidence:
                archive = f" ({_link(ev.archive_url, 'archived copy')})" if safe_url(ev.archive_url) else ""
                note.append(
                    f"    - {ev.stance}: {_link(ev.url, ' '.join(ev.label.split()))}"
                    f"{' — ' + _one_line(ev.detail) if ev.detail else ''}{archive}, "
                    f"accessed {human_date(ev.accessed)}"
                )
            for t in timeline(v):
                note.append(f"    - {human_date(t.when, time=True)}, {_one_line(t.who)}: {t.status}")
        for n in claim.notes:
            note.append(
                f"    - Note by {_one_line(n.author)}, {human_date(n.when, time=True)}: {_one_line(n.text)}"
            )
        out.append("\n".join(note))
    return ("\n".join(out) + "\n").encode("utf-8")
