"""DOCX for Word: claims highlighted by verdict; verdicts, flags and notes as Word comments by
the people who wrote them, with replies and resolved flags marked done."""

import datetime as dt
import io
import re
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_COLOR_INDEX, WD_UNDERLINE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import nsdecls
from docx.oxml.parser import OxmlElement, parse_xml
from docx.text.paragraph import Paragraph

from .doc import ExportDoc, human_date, references, segments, summary, unchecked, verdict_label

# Word highlights come from a fixed palette: map the rating scale onto it.
_HIGHLIGHT = {
    1: WD_COLOR_INDEX.RED,
    2: WD_COLOR_INDEX.PINK,
    3: WD_COLOR_INDEX.YELLOW,
    4: WD_COLOR_INDEX.BRIGHT_GREEN,
    5: WD_COLOR_INDEX.GREEN,
}
_UNRATED = WD_COLOR_INDEX.TURQUOISE  # a rating without a value (Unverifiable)
_UNCHECKED = WD_COLOR_INDEX.GRAY_25
_UNDERLINE = {"submitted": WD_UNDERLINE.DASH, "stale": WD_UNDERLINE.DOTTED}
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FLAG_AUTHOR = "Flag rules (automatic)"

# Word 2013+ keeps replies and "done" in commentsExtended.xml (MS-DOCX 2.5.1): one commentEx
# per comment, naming the w14:paraId of the comment's last paragraph and of its parent's.
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CT_COMMENTS_EXTENDED = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
RT_COMMENTS_EXTENDED = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"


def _clean(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _when(value: str, default: dt.datetime) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return default
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _initials(name: str) -> str:
    words = re.findall(r"[^\W\d_]+", name)
    return "".join(w[0] for w in words[:3]).upper() or "?"


class _Comments:
    """Word comments numbered as they are added, with replies and done marks.

    python-docx's ``add_comment`` reads every comment's id to find the next one, so an
    article of thousands of claims took quadratic time (8,000 claims: 99 s). The comment
    element is the one python-docx 1.2 writes (CommentText paragraph, annotation reference);
    python-docx has no replies, so commentsExtended.xml is written here.
    """

    def __init__(self, document, now: dt.datetime):
        comments = document.comments  # creates the comments part
        self._document = document
        self._element = comments._comments_elm
        self._part = comments._comments_part
        self._next = len(comments)
        self._now = now
        self._extended: list[tuple[str, str | None, bool]] = []  # (paraId, parent paraId, done)

    def add(self, first_run, last_run, text: str, *, author: str, when: str = "", parent=None, done=False):
        """Add a comment on the runs (a reply when ``parent`` is the paraId of another); return
        its paraId."""
        comment_id, self._next = self._next, self._next + 1
        para_id = f"{0x10000000 + comment_id:08X}"
        lines = _clean(text).split("\n")
        style = '<w:pPr><w:pStyle w:val="CommentText"/></w:pPr>'
        mark = '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>'
        last = len(lines) - 1
        paragraphs = "".join(
            ("<w:p>" if i < last else f'<w:p w14:paraId="{para_id}">')
            + style
            + (mark if i == 0 else "")
            + f'<w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
            for i, line in enumerate(lines)
        )
        # One parse per comment: building it run by run through python-docx cost 1 ms a comment.
        element = parse_xml(
            f'<w:comment {nsdecls("w", "w14")} w:id="{comment_id}" w:author="">{paragraphs}</w:comment>'
        )
        author = _clean(author) or "Unknown"
        element.author, element.initials = author, _initials(author)
        element.date = _when(when, self._now)
        self._element.append(element)
        first_run.mark_comment_range(last_run, comment_id)
        self._extended.append((para_id, parent, done))
        return para_id

    def thread(self, first_run, last_run, entries, *, done=False) -> None:
        """A comment and its replies: ``entries`` are (author, when, text), the first the comment."""
        root = None
        for author, when, text in entries:
            para_id = self.add(first_run, last_run, text, author=author, when=when, parent=root, done=done)
            root = root or para_id

    def finish(self) -> None:
        """Write commentsExtended.xml: who replies to whom, and which threads are done."""
        if not self._extended:
            return
        items = "".join(
            f'<w15:commentEx w15:paraId="{pid}"'
            + (f' w15:paraIdParent="{parent}"' if parent else "")
            + f' w15:done="{1 if done else 0}"/>'
            for pid, parent, done in self._extended
        )
        blob = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w15:commentsEx xmlns:mc="{MC}" xmlns:w14="{W14}" xmlns:w15="{W15}" mc:Ignorable="w14 w15">'
            f"{items}</w15:commentsEx>"
        ).encode()
        package = self._document.part.package
        part = Part(PackURI("/word/commentsExtended.xml"), CT_COMMENTS_EXTENDED, blob, package)
        self._document.part.relate_to(part, RT_COMMENTS_EXTENDED)


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


class _Citations:
    """Long texts (a flag rule's reference, a source) written in full once, then pointed to."""

    def __init__(self):
        self._seen: dict[str, str] = {}

    def cite(self, key: str, label: str, full: str, where: str) -> str:
        if key in self._seen:
            return f"{label}: as cited in full on {self._seen[key]}"
        self._seen[key] = where
        return f"{label}: {full}"


def _highlight(claim):
    if claim.verdict is None:
        return _UNCHECKED
    return _HIGHLIGHT.get(claim.verdict.rating_value, _UNRATED)


def _verdict_thread(claim, citations: _Citations, sources: dict) -> list[tuple[str, str, str]]:
    v = claim.verdict
    lines = [f"{claim.number}. {verdict_label(claim)} ({claim.kind})"]
    if v.claim_reviewed:
        lines.append(f"Claim as checked: {v.claim_reviewed}")
    if claim.claimant:
        lines.append(f"Claimant: {claim.claimant}")
    lines.append(v.summary)
    if v.explanation:
        lines.append(v.explanation)
    if v.media_rating_label:
        lines.append(f"Media: {v.media_rating_label}")
    for ev in v.evidence:
        # Numbered by source: a link once, and each source described without one on its own.
        number = sources.setdefault(ev.key, len(sources) + 1)
        where = f" <{ev.url}>" if ev.url else " (no link)"
        detail = f" — {ev.detail}" if ev.detail else ""
        full = f"{ev.stance}, {ev.label}{detail}{where} (accessed {human_date(ev.accessed)})"
        lines.append(citations.cite(f"source:{ev.key}", f"[S{number}]", full, f"claim {claim.number}"))
    entries = [(v.author_display, v.submitted_at, "\n".join(lines))]
    if v.status == "approved" and v.approved_by:
        entries.append((v.approver_display, v.approved_at, f"Approved ({v.rating})."))
    return entries


def _flag_thread(flag, citations: _Citations, refs) -> list[tuple[str, str, str]]:
    ref = refs[flag.rule]
    where = flag.where
    text = (
        f"FLAG {flag.title} ({flag.rule}, {flag.severity}, {flag.status})\n{flag.explained}\n"
        + citations.cite(
            f"rule:{flag.rule}",
            f"Reference and what to do [R{ref.number}]",
            f"{ref.reference}\nWhat to do: {ref.guidance}",
            where,
        )
    )
    entries = [(FLAG_AUTHOR, "", text)]
    if flag.done:
        entries.append(
            (
                flag.resolver_name or flag.resolved_by,
                flag.resolved_at,
                f"{flag.status.capitalize()}: {flag.note}",
            )
        )
    return entries


def _notes_entries(claim) -> list[tuple[str, str, str]]:
    return [(n.author, n.when, f"Note: {n.text}") for n in claim.notes]


def _legend(new_paragraph, doc: ExportDoc) -> None:
    legend = new_paragraph()
    legend.add_run("Colours: ").bold = True
    for rating in doc.scale:
        run = legend.add_run(_clean(rating.label))
        run.font.highlight_color = _HIGHLIGHT.get(rating.value, _UNRATED)
        legend.add_run(" ")
    run = legend.add_run("not yet checked")
    run.font.highlight_color = _UNCHECKED
    legend.add_run(". ")
    run = legend.add_run("Dashed underline")
    run.font.underline = WD_UNDERLINE.DASH
    legend.add_run(": awaiting approval, not final. ")
    run = legend.add_run("Dotted underline")
    run.font.underline = WD_UNDERLINE.DOTTED
    legend.add_run(": stale, the sentence changed since the verdict. Small numbers are claim numbers.")
    counts = [f"{final} {r.label}" for r, final, _ in summary(doc) if final]
    pending = sum(p for _, _, p in summary(doc))
    new_paragraph().add_run(
        _clean(
            f"Final verdicts: {', '.join(counts) or 'none'}; not final: {pending}; "
            f"check-worthy, not yet checked: {unchecked(doc)}; open legal flags: {len(doc.unresolved_legal)}."
        )
    )


def to_docx(doc: ExportDoc) -> bytes:
    now = _when(doc.exported_at, dt.datetime.now(dt.UTC)).replace(microsecond=0)
    document = Document()
    props = document.core_properties
    props.title = _clean(doc.title)[:255]
    props.author = props.last_modified_by = _clean(doc.exported_by or doc.org.name)[:255]
    props.created = props.modified = now
    props.subject = _clean(doc.outlet)[:255]
    props.identifier = doc.article_uri
    props.comments = _clean(f"Fact-check review of revision {doc.revision_number} by {doc.org.name}")[:255]
    props.keywords = "fact-check"
    props.revision = doc.revision_number
    comments = _Comments(document, now)
    citations, refs, sources = _Citations(), references(doc), {}
    heading = document.add_heading(_clean(doc.title), level=1)
    heading_runs = heading.runs
    for flag in doc.flags:
        if flag.field == "title" and heading_runs:
            comments.thread(
                heading_runs[0], heading_runs[-1], _flag_thread(flag, citations, refs), done=flag.done
            )
    new_paragraph = _paragraphs(document)
    meta = " · ".join(x for x in (doc.outlet, doc.byline, human_date(doc.published)) if x)
    by = f" by {doc.exported_by}" if doc.exported_by else ""
    new_paragraph().add_run(
        _clean(
            f"{meta + ' · ' if meta else ''}revision {doc.revision_number} · exported "
            f"{human_date(doc.exported_at, time=True)}{by}"
        )
    )
    if doc.url:
        new_paragraph().add_run(_clean(f"Source: {doc.url}"))
    if doc.unresolved_legal:
        run = new_paragraph().add_run(
            f"{len(doc.unresolved_legal)} unresolved legal flag(s): do not publish before legal sign-off."
        )
        run.bold = True
    _legend(new_paragraph, doc)
    flags_by_claim: dict[int, list] = {}
    for flag in doc.flags:
        if flag.claim_number:
            flags_by_claim.setdefault(flag.claim_number, []).append(flag)
    paragraph, has_runs = new_paragraph(), False
    for text, claim in segments(doc):
        pieces = text.split("\n")
        first_run = last_run = None
        for i, piece in enumerate(pieces):
            if i and has_runs:
                # a newline in the body starts a paragraph
                paragraph, has_runs = new_paragraph(), False
            if not piece:
                continue
            if claim is not None and first_run is None:
                number = paragraph.add_run(str(claim.number))
                number.font.superscript = True
            run, has_runs = paragraph.add_run(_clean(piece)), True
            if claim is None:
                continue
            run.font.highlight_color = _highlight(claim)
            if claim.state in _UNDERLINE:
                run.font.underline = _UNDERLINE[claim.state]
            first_run, last_run = first_run or run, run
        if claim is None or first_run is None:
            continue
        notes = _notes_entries(claim)
        if claim.verdict is not None:
            comments.thread(first_run, last_run, _verdict_thread(claim, citations, sources) + notes)
        elif notes:
            comments.thread(first_run, last_run, notes)
        for flag in flags_by_claim.get(claim.number, ()):
            comments.thread(first_run, last_run, _flag_thread(flag, citations, refs), done=flag.done)
    comments.finish()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
