"""DOCX for Word: claims highlighted by verdict, verdicts and flags as real Word comments."""

import datetime as dt
import io
import re

from docx import Document
from docx.comments import Comment
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import nsdecls
from docx.oxml.parser import OxmlElement, parse_xml
from docx.text.paragraph import Paragraph

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


class _Comments:
    """Word comments numbered as they are added.

    python-docx's ``add_comment`` reads every comment's id to find the next one, so an
    article of thousands of claims took quadratic time (8,000 claims: 99 s). The comment
    element is the one python-docx 1.2 writes (CommentText paragraph, annotation reference).
    """

    _AUTHOR, _INITIALS = "Newsroom Review", "NR"

    def __init__(self, document):
        comments = document.comments  # creates the comments part
        self._element = comments._comments_elm
        self._part = comments._comments_part
        self._next = len(comments)
        self._date = dt.datetime.now(dt.UTC)

    def add(self, first_run, last_run, text: str) -> None:
        comment_id, self._next = self._next, self._next + 1
        element = parse_xml(
            f'<w:comment {nsdecls("w")} w:id="{comment_id}" w:author="">'
            '<w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>'
            '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>'
            "</w:p></w:comment>"
        )
        element.author, element.initials, element.date = self._AUTHOR, self._INITIALS, self._date
        self._element.append(element)
        comment = Comment(element, self._part)
        first, *rest = text.split("\n")
        comment.paragraphs[0].add_run(first)
        for line in rest:
            comment.add_paragraph(text=line)
        first_run.mark_comment_range(last_run, comment_id)


def _paragraphs(document):
    """Return a function adding an empty paragraph at the end of the body in constant time.

    python-docx looks for the section properties among all the body's children on every
    paragraph it adds: quadratic in paragraphs. They stay last: each paragraph goes before them.
    """
    body = document.element.body
    anchor = body.sectPr
    if anchor is None:
        return document.add_paragraph

    def add():
        p = OxmlElement("w:p")
        anchor.addprevious(p)
        return Paragraph(p, document._body)

    return add


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
    comments = _Comments(document)
    heading = document.add_heading(_clean(doc.title), level=1)
    heading_runs = heading.runs
    for flag in doc.flags:
        if flag.field == "title" and heading_runs:
            comments.add(heading_runs[0], heading_runs[-1], _flag_comment(flag))
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
    new_paragraph = _paragraphs(document)
    paragraph, has_runs = new_paragraph(), False
    for text, claim in segments(doc):
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            if i and has_runs:
                # a newline in the body starts a paragraph
                paragraph, has_runs = new_paragraph(), False
            if not piece:
                continue
            run, has_runs = paragraph.add_run(_clean(piece)), True
            if claim is None:
                continue
            value = claim.verdict.rating_value if claim.verdict else None
            run.font.highlight_color = _HIGHLIGHT.get(value, WD_COLOR_INDEX.GRAY_25)
            comments.add(run, run, _claim_comment(claim))
            for flag in flags_by_claim.get(claim.number, ()):
                comments.add(run, run, _flag_comment(flag))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
