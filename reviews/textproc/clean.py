"""Turn scraped text, Markdown or HTML into an article body plus removed debris.

Scraped articles arrive with page furniture around the story: navigation crumbs,
share widgets, image credits, bylines, "most read" lists, donation appeals, blog
footers. Left in, each one becomes a bogus claim in a fact-checker's queue. The
cleaner works line by line, because page furniture almost always sits on lines of
its own, and records every removal with a reason so an editor can audit it.
"""

import re
import unicodedata
from datetime import datetime
from urllib.parse import urlsplit

from .debris import DebrisModel, Unit, load_debris_model
from .reflow import reflow
from .types import Cleaned, Metadata, Removed

# Reasons, as shown to editors.
R_URL = "source URL"
R_NAV = "navigation"
R_IMAGE = "broken image fragment"
R_CAPTION = "image caption or credit"
R_SHARE = "share widget"
R_BYLINE = "byline"
R_TIMESTAMP = "timestamp"
R_TAGS = "topic tags"
R_RELATED = "related or most-read list"
R_PROMO = "promo or appeal"
R_FOOTER = "footer"
R_AD = "advertisement"
R_HEADLINE = "repeated headline"
R_MODEL = "not article text"
R_HEADER = "page header"
R_HEADING = "section heading"
R_SYNDICATION = "syndication note"
R_SLUG = "wire slug line"

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_EDGES = re.compile(r" *\n *")
# The same substitutions without the runs that are already what they become (a lone space, a
# newline without spaces beside it), which are most of a text's matches.
_SPACES_CHANGED = re.compile(
    r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000][ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*"
    r"| [ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+"
)
_LINE_EDGES_CHANGED = re.compile(r" +\n *|\n +")
# Characters with no width: zero-width spaces and joiners, word joiner, byte-order mark, soft hyphen.
INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_TERMINAL = re.compile(r"""[.!?…:;][\"'”’»)\]]*$|[.!?…]\s*(\[\d+\]\s*)+$""")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")

_URL_LINE = re.compile(r"^<?https?://\S+>?$")
_IMAGE_FRAGMENT = re.compile(
    r"^\S*\.(?:png|jpe?g|gif|webp|svg|avif|bmp)(?:\?\S*)?\)?$|^!\[[^\]]*\]\([^)]*\)$", re.I
)
_CREDIT = re.compile(
    r"^(?:featured\s+)?(?:image|photo(?:graph)?|picture|video|illustration|graphic)s?"
    r"\s*(?:credit|courtesy|source|caption|by)?s?\s*[:|/,]|^(?:credit|photo|image|source)\s*:|"
    r"^(?:photo|image|picture)s?\s+(?:by|via|courtesy)\b",
    re.I,
)
_AGENCY_TAIL = re.compile(
    r"\((?:[^()]*\b(?:getty(?: images)?|alamy|reuters|ap(?: photo)?|afp|epa|shutterstock|"
    r"pa(?: media| images)?|anadolu|bloomberg|istock|sipa|zuma|wikimedia(?: commons)?|"
    r"handout|supplied|file photo|screenshot|screengrab)\b[^()]*)\)$",
    re.I,
)
_SHARE = re.compile(
    r"^(?:share|tweet|e-?mail|print|copy(?: the)? link|link copied|save|comments?|"
    r"share (?:on|to|this|via|article|story)\b.*|follow us\b.*|whatsapp|facebook|twitter|x|"
    r"linkedin|pinterest|reddit|telegram|flipboard|messenger)$",
    re.I,
)
_NAV = re.compile(r"^(?:[-–—•*>|»·]\s*)\S")
# A news agency's slug line above the story: AP's "BC-EU-Election-Results,0412" (and its
# "BC-US--Budget,1st Ld-Writethru"), a keyword slug "Election-Results-Berlin", Reuters'
# "UKRAINE-CRISIS/PRISONERS (PIX)". Not words anyone reads; never the headline.
_SLUG = re.compile(
    r"^(?:BC-[A-Za-z]{2,4}-{1,2}\S.*"
    r"|[A-Z][A-Za-z0-9]*(?:-{1,2}[A-Za-z0-9]+){2,}(?:,[A-Za-z0-9]+)*"
    r"|[A-Z0-9]+(?:-[A-Z0-9]+)*/[A-Z0-9][A-Z0-9/-]*(?:\s*\([A-Z0-9 ,]*\))?)$"
)
_BREADCRUMB = re.compile(r"^\s*\S[^.!?]{0,40}(?:\s[>»/|]\s\S[^.!?]{0,40}){1,6}$")
_BYLINE = re.compile(
    r"^(?i:by|words by|written by|reporting by)\s+"
    r"([A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|and|&|de|van|von|da|al)){0,6})(?:\s*[,|–—-]\s*.*)?$"
)
# A bare name on its own line in the page header: the byline ("Poppy Bilderbeck").
_NAME = re.compile(r"^[A-Z][a-z'’-]+(?:\s+[A-Z]\.?)?(?:\s+(?:de |van |von |al-)?[A-Z][a-z'’-]+){1,2}$")
_RELATIVE_TIME = re.compile(
    r"^(?:updated\s+|published\s+)?\d+\s+(?:sec|second|min|minute|hr|hour|day|week|month|year)s?\s+ago$",
    re.I,
)
_TIMESTAMP = re.compile(
    r"^[|·•]?\s*(?:last\s+)?(?:updated|published|posted|modified|first published)\b[^.!?]{0,60}$",
    re.I,
)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
_DATE_LINE = re.compile(
    rf"^(?:(?:{_DAYS})\.?,?\s+)?(?:"
    rf"(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|"
    rf"\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}"
    rf")(?:,?\s*(?:at\s+)?\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{{2,4}})?)?$",
    re.I,
)
_TAGS = re.compile(
    r"^(?:topics?|tags?|labels?|categories|category|filed under|related topics|more about)\s*:", re.I
)
_RELATED = re.compile(
    r"^(?:most read|most popular|more like this|chosen for you|related(?: stories| articles| posts|"
    r" coverage| content| reading)?|recommended(?: for you| stories| reading)?|read more|read next|"
    r"more from\b.*|more on this(?: story)?|you may also like|you might also like|trending(?: now)?|"
    r"popular(?: now)?|latest(?: stories| news)?|see also|more stories|top stories|editor'?s'? picks|"
    r"around the web|from our partners|in other news|don'?t miss)",
    re.I,
)
_PROMO = re.compile(
    r"\b(?:donate|donation|donating|subscribe|subscription|subscriber|newsletter|sign up|"
    r"click here|support us|support our|your support|become a (?:member|patron|supporter)|"
    r"follow us on|download (?:our|the) app|get the app|join our|advertis(?:e|ement|ing) with us|"
    r"support independent journalism)\b",
    re.I,
)
_PROMO_HINTS = (
    "donat",
    "subscri",
    "newsletter",
    "sign up",
    "click here",
    "support",
    "member",
    "patron",
    "follow us",
    " app",
    "join our",
    "advertis",
)
_FOOTER = re.compile(
    r"^(?:no comments|\d+ comments?|posted by\b|newer post|older post|home$|subscribe to\s*:|"
    r"post comments|share this post|email this|blogthis|share to (?:twitter|facebook|pinterest)|"
    r"all rights reserved|©|copyright\b|\(c\)\s*\d{4}|privacy policy|terms of (?:use|service)|"
    r"cookie (?:policy|settings)|about us$|contact us$|"
    # A news agency's production credits: "(Reporting by …; Additional reporting by …; Editing by …)".
    # Every part of the line is a credit, so running text that opens with "Reporting by" stays.
    r"\(?(?:(?:additional\s+)?(?:reporting|writing|editing|compiled|translated)\s+by\s+[^;.!?()]{1,80}"
    r"(?:;\s*|\)?\s*$))+$)",
    re.I,
)
_SYNDICATION = re.compile(
    r"^(?:read (?:the )?(?:original|full) (?:article|story|report)|this (?:article|story) "
    r"(?:was )?(?:originally|first) (?:appeared|published)|originally published)\b",
    re.I,
)
_SYNDICATION_OUTLET = re.compile(r"\b(?:on|at|in|by)\s+(.+?)\.?$")
_AD = re.compile(r"^(?:advertisement|sponsored(?: content)?|ad|promoted|paid (?:content|post))$", re.I)
# A dateline opens the first paragraph of wire copy and statements: "KYIV, Ukraine (AP) --",
# "MANILA, April 12 (APW) —", "(Kyiv, 20 November 2025) –", "AUSTIN, Texas, Feb. 26, 2026
# /Wire/ --". It is metadata; the first sentence starts after it.
_PLACE_WORD = r"[A-Z][\w'’.-]*"
_DATELINE = re.compile(
    rf"^\(?(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,3}})"
    rf"(?P<rest>(?:, (?:{_PLACE_WORD}|\d{{1,4}})(?: (?:{_PLACE_WORD}|\d{{1,4}},?)){{0,3}}){{0,3}})\)?"
    r"(?P<agency> (?:\([^()\n]{2,40}\)|/[^/\n]{2,40}/))? ?(?:--|[—–-]) (?=\S)"
)
R_DATELINE = "dateline"
# Fewer lines than this are a note, not a page (the corpus pages have 20 and more): the
# debris model is not asked.
_SHORT = 8
# A dateline opens the story: it is looked for in the first paragraphs kept (a summary list or
# an editor's note may come before it), nowhere else.
_DATELINE_WITHIN = 6

_DATE_FORMATS = (
    "%A, %B %d, %Y",
    "%A %B %d, %Y",
    "%B %d, %Y",
    "%B %d %Y",
    "%d %B %Y",
    "%A, %d %B %Y",
    "%A %d %B %Y",
    "%b %d, %Y",
    "%d %b %Y",
    "%Y-%m-%d",
)


def normalise(text: str) -> str:
    """Normalise Unicode (NFC), line endings and blank characters; undo hard wrapping."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = reflow(INVISIBLE.sub("", text).replace("\x00", ""))
    text = _SPACES_CHANGED.sub(" ", text)  # as _SPACES.sub(" ", text)
    return _LINE_EDGES_CHANGED.sub("\n", text).strip(" ")  # as _LINE_EDGES.sub("\n", text)


def words(line: str) -> int:
    return len(_WORD.findall(line))


def has_terminal(line: str) -> bool:
    return bool(_TERMINAL.search(line))


def is_paragraph(line: str) -> bool:
    """A line that reads as running text rather than page furniture."""
    return has_terminal(line) and words(line) >= 8


def parse_date(text: str) -> str:
    """Return an ISO date for a date written the usual ways, or ''."""
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip().rstrip("."))
    text = re.sub(r"\s*(?:at\s+)?\d{1,2}[:.]\d{2}.*$", "", text)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return ""


def _furniture_reason(line: str) -> str:
    """Why a line is page furniture wherever it stands, or '' if it may be text.

    Each check is gated by the line's length or edges, so running text, the bulk of any
    article, costs a few comparisons rather than every pattern.
    """
    n = len(line.split())
    if n == 1 and (_IMAGE_FRAGMENT.match(line) or _URL_LINE.match(line)):
        return R_IMAGE if _IMAGE_FRAGMENT.match(line) else R_URL
    if line[0] == "!" and _IMAGE_FRAGMENT.match(line):
        return R_IMAGE
    if n > 60:
        return ""
    terminal = has_terminal(line)
    if n <= 25 and _CREDIT.match(line):
        return R_CAPTION
    if line[-1] == ")" and n <= 30 and _AGENCY_TAIL.search(line) and not line.endswith((".)", "?)", "!)")):
        return R_CAPTION
    if n <= 4 and not terminal and _SLUG.match(line):
        return R_SLUG
    if n <= 12:
        if n <= 3 and _AD.match(line):
            return R_AD
        if n <= 4 and _SHARE.match(line):
            return R_SHARE
        if _RELATIVE_TIME.match(line) or _TIMESTAMP.match(line) or _DATE_LINE.match(line):
            return R_TIMESTAMP
        if not terminal and _BYLINE.match(line):
            return R_BYLINE
    if ":" in line[:30] and _TAGS.match(line):
        return R_TAGS
    if _SYNDICATION.match(line):
        return R_SYNDICATION
    if _FOOTER.match(line):
        return R_FOOTER
    if n <= 10 and not terminal and _RELATED.match(line):
        return R_RELATED
    low = line.lower()
    if any(hint in low for hint in _PROMO_HINTS) and _PROMO.search(line):
        return R_PROMO
    if n <= 5 and not terminal and (_NAV.match(line) or _BREADCRUMB.match(line)):
        return R_NAV
    return ""


def find_dateline(paragraph: str) -> str:
    """Return the dateline that opens ``paragraph`` (with the dash and space after it), or ''."""
    m = _DATELINE.match(paragraph)
    if not m:
        return ""
    place = m.group("place")
    if (
        m.group("agency")
        or any(ch.isdigit() for ch in m.group("rest"))
        or (place.replace(" ", "").replace(".", "").isupper() and len(place) >= 3)
    ):
        return m.group(0)
    return ""


def _title_key(line: str) -> str:
    return re.sub(r"\W+", " ", line).strip().lower()


# "3. Methods that lowered the barrier": a numbered line that ends no sentence is a
# section heading (a numbered sentence or list item ends with its punctuation).
_NUMBERED = re.compile(r"^\d{1,2}[.)] ")


def _numbered_heading(line: str) -> bool:
    return bool(_NUMBERED.match(line)) and not has_terminal(line)


def _is_bare_name(line: str) -> bool:
    """A name alone on a line in the page header is the byline."""
    return len(line) <= 40 and bool(_NAME.match(line))


def _position_reason(
    page: list[Unit], i: int, first_body: int, last_body: int, is_body: list[bool], run_reason: str
) -> str:
    """Why the model's non-text line was removed, as an editor would say it."""
    if run_reason == R_RELATED:
        return R_RELATED  # the lines under a "Most read" / "Related" heading
    if i < first_body:
        return R_HEADER
    if i > last_body:
        return R_FOOTER
    text = page[i].text
    if not has_terminal(text) and words(text) <= 14 and i + 1 < len(page) and is_body[i + 1]:
        return R_HEADING
    return R_MODEL


def units(raw: str) -> list[Unit]:
    """The non-empty lines of ``raw`` after normalising and reflowing, as the model sees them."""
    lines = normalise(raw).split("\n")
    out: list[Unit] = []
    for i, line in enumerate(lines):
        if not line:
            continue
        out.append(
            Unit(
                text=line,
                gap_before=i == 0 or not lines[i - 1],
                gap_after=i + 1 == len(lines) or not lines[i + 1],
                reason=_furniture_reason(line),
            )
        )
    return out


def clean_text(
    raw: str,
    *,
    title_hint: str = "",
    metadata: Metadata | None = None,
    model: DebrisModel | None = None,
) -> Cleaned:
    """Split plain text into body, removed debris and metadata.

    The debris model decides which lines are article text. The headline is the title
    hint (from the page's markup) or else the line the model's headline scorer picks among
    the page's first lines; it is metadata, not a claim. Every other line that is not
    article text is reported as removed, with the furniture pattern it matched or, if none,
    where it stood (page header, footer, section heading) or "not article text".
    """
    meta = {"title": title_hint, "byline": "", "published": "", "outlet": "", "dateline": "", "url": ""}
    if metadata is not None:
        meta.update({name: getattr(metadata, name) for name in Metadata.__slots__ if getattr(metadata, name)})
    page = units(raw)
    model = model or load_debris_model()
    if len(page) < _SHORT:
        # A note of a few lines is no page: nothing to learn its furniture from. Its first
        # line that no pattern claims and that does not end a sentence is its headline; the
        # rest is text if it reads as such and no furniture pattern claims it.
        is_body = [not u.reason and (has_terminal(u.text) or words(u.text) >= 4) for u in page]
        heads = [i for i, u in enumerate(page) if not u.reason and not has_terminal(u.text)]
        if heads and not meta["title"] and any(is_body[heads[0] + 1 :]):
            meta["title"] = page[heads[0]].text
            del page[heads[0]], is_body[heads[0]]
        title_at = -1
    else:
        probabilities, title_at = model.judge(page)
        is_body = [
            p >= model.threshold and not _numbered_heading(u.text)
            for p, u in zip(probabilities, page, strict=True)
        ]
    if title_at >= 0 and not meta["title"]:
        is_body[title_at] = False
    if not any(is_body):
        # Nothing reads as a page's story (a short note, a pasted paragraph): keep every
        # line that ends a sentence rather than report no text at all.
        is_body = [has_terminal(u.text) and words(u.text) >= 2 and i != title_at for i, u in enumerate(page)]
    first_body = next((i for i, b in enumerate(is_body) if b), len(page))
    last_body = max((i for i, b in enumerate(is_body) if b), default=-1)

    for i, unit in enumerate(page):
        reason, line = unit.reason, unit.text
        if reason == R_URL and not meta["url"] and i < first_body:
            meta["url"] = line.strip("<>")
        elif reason == R_TIMESTAMP and not meta["published"] and _DATE_LINE.match(line):
            meta["published"] = parse_date(line)
        elif reason == R_BYLINE and not meta["byline"] and not is_body[i]:
            meta["byline"] = _BYLINE.match(line).group(1)
        elif i < first_body and i != title_at and not (reason or meta["byline"]) and _is_bare_name(line):
            meta["byline"] = line
            page[i] = Unit(line, unit.gap_before, unit.gap_after, R_BYLINE)
        elif reason == R_SYNDICATION and not meta["outlet"]:
            m = _SYNDICATION_OUTLET.search(line)
            meta["outlet"] = m.group(1) if m else ""

    if meta["title"]:
        title_at = -1
    elif title_at >= 0:
        meta["title"] = page[title_at].text
    title_key = _title_key(meta["title"]) if meta["title"] else None
    title_len = len(meta["title"])

    kept: list[str] = []
    removed: list[Removed] = []
    paragraphs = 0
    run_reason = ""  # R_RELATED once a run of removed lines has had a related-list heading
    for i, unit in enumerate(page):
        if i == title_at:
            continue
        if (
            title_key is not None
            and abs(len(unit.text) - title_len) <= 12
            and _title_key(unit.text) == title_key
        ):
            removed.append(Removed(text=unit.text, reason=R_HEADLINE))
            continue
        if not is_body[i]:
            # Lines under a "Most read" / "Related" heading belong to its list.
            reason = unit.reason or _position_reason(page, i, first_body, last_body, is_body, run_reason)
            if reason == R_RELATED:
                run_reason = R_RELATED
            removed.append(Removed(text=unit.text, reason=reason))
            continue
        run_reason = ""
        text = unit.text
        paragraphs += 1
        dateline = find_dateline(text) if paragraphs <= _DATELINE_WITHIN and not meta["dateline"] else ""
        if dateline and len(dateline) < len(text):
            removed.append(Removed(text=dateline.rstrip(), reason=R_DATELINE))
            meta["dateline"] = dateline.rstrip(" —–-")
            text = text[len(dateline) :]
        if kept:
            kept.append("\n\n" if unit.gap_before else "\n")
        kept.append(text)
    body = "".join(kept)
    if not meta["outlet"] and meta["url"]:
        meta["outlet"] = urlsplit(meta["url"]).hostname or ""
        meta["outlet"] = meta["outlet"].removeprefix("www.")
    return Cleaned(body=body, removed=tuple(removed), metadata=Metadata(**meta))
