"""DOCX for Word: claims highlighted by verdict, verdicts and flags as real Word comments."""

import io
import re

from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from .doc import ExportDoc, segments, verdict_label

# Word highlights come from a fixed palette: map the rating scale onto it.
_HIGHLIGHT = {
    1: WD_COLOR_INDEX.RED,
    2: WD_COLOR_INDEX.PINK,
    3: WD_COLOR_INDEX.YELLOW,
    4: WD_COLOR_INDEX.BRIGHT_GREEN,
    5: WD_COLOR_INDEX.GREEN,
}
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _claim_comment(claim) -> str:
    lines = [f"{claim.number}. {verdict_label(claim)} ({claim.kind})"]
    v = claim.verdict
    if v:
        lines.append(v.summary)
        if v.explanation:
            lines.append(v.explanation)
        lines += [
            f"{ev.stance}: {ev.title or ev.url} <{ev.url}> (accessed {ev.accessed})" for ev in v.evidence
        ]
    return "\n".join(_clean(x) for x in lines)


def _flag_comment(flag) -> str:
    return _clean(
        f"FLAG {flag.title} ({flag.rule}, {flag.severity}, {flag.resolution})\n{flag.why}\n"
        f"Reference: {flag.reference}\nWhat to do: {flag.guidance}"
    )


def to_docx(doc: ExportDoc) -> bytes:
    document = Document()
    document.core_properties.title = _clean(doc.title)[:255]
    heading = document.add_heading(_clean(doc.title), level=1)
    for flag in doc.flags:
        if flag.field == "title" and heading.runs:
            document.add_comment(
                heading.runs, text=_flag_comment(flag), author="Newsroom Review", initials="NR"
            )
    meta = " · ".join(x for x in (doc.outlet, doc.byline, doc.published) if x)
    document.add_paragraph(_clean(f"{meta + ' · ' if meta else ''}revision {doc.revision_number}"))
    if doc.unresolved_legal:
        warning = document.add_paragraph()
        run = warning.add_run(
            f"{len(doc.unresolved_legal)} unresolved legal flag(s): do not publish before legal sign-off."
        )
        run.bold = True
    flags_by_claim: dict[int, list] = {}
    for flag in doc.flags:
        if flag.claim_number:
            flags_by_claim.setdefault(flag.claim_number, []).append(flag)
    paragraph = document.add_paragraph()
    for text, claim in segments(doc):
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            if i and paragraph.runs:
                paragraph = document.add_paragraph()  # a newline in the body starts a paragraph
            if not piece:
                continue
            run = paragraph.add_run(_clean(piece))
            if claim is None:
                continue
            value = claim.verdict.rating_value if claim.verdict else None
            run.font.highlight_color = _HIGHLIGHT.get(value, WD_COLOR_INDEX.GRAY_25)
            document.add_comment(run, text=_claim_comment(claim), author="Newsroom Review", initials="NR")
            for flag in flags_by_claim.get(claim.number, ()):
                document.add_comment(run, text=_flag_comment(flag), author="Newsroom Review", initials="NR")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
