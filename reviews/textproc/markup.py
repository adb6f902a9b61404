"""Reduce HTML and Markdown to lines of text, keeping what the markup tells us.

HTML goes through trafilatura, the field's standard main-text extractor: it finds the
article among the navigation, asides, figures and footers and reads the page's metadata
(title, author, date, site name, URL). Every block of visible text it leaves out is reported
as removed, so an editor can audit the cut. The lines it keeps then go to the plain-text
cleaner, which removes the furniture that sits inside the article element.
"""

import bisect
import re

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from .clean import INVISIBLE
from .sources import InputError, is_http_url
from .types import Metadata, Removed

R_OUTSIDE = "outside the main text"
# Real pages nest a few dozen levels. The HTML parser (libxml2) stops building the tree at
# 256 levels and silently drops what lies deeper, so deeper pages are refused, never cut.
MAX_DEPTH = 250
_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "head", "title", "svg")
_BLOCK_TAGS = frozenset(
    "p div section article main header footer aside nav h1 h2 h3 h4 h5 h6 li ul ol dl dt dd "
    "blockquote pre figure figcaption table tr td th br hr address time form button label "
    "select option".split()
)
_WS = re.compile(r"\s+")
# How far past the last kept line the next one may start (the extractor joins and trims).
_WINDOW = 200


def _norm(text: str) -> str:
    # Soft hyphens and other invisible characters: the extractor drops them, the page keeps them
    # ("Thou\xadsands"), and the cleaner drops them later anyway.
    return _WS.sub(" ", INVISIBLE.sub("", text)).strip()


# An XHTML page's XML declaration: the parser refuses it in a decoded string (the text is
# already decoded, so what it says of the encoding no longer applies).
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _parse(html: str):
    try:
        tree = lxml_html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"HTML could not be parsed ({exc})") from None
    depth, stack = 0, [(tree, 1)]
    while stack:
        node, level = stack.pop()
        depth = max(depth, level)
        if depth > MAX_DEPTH:
            raise InputError(f"HTML is nested more than {MAX_DEPTH} elements deep")
        stack.extend((child, level + 1) for child in node)
    return tree


def visible_lines(tree) -> list[str]:
    """The page's visible text, one line per block element (scripts and styles left out)."""
    parts: list[str] = []

    def walk(node):
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _INVISIBLE_TAGS or not tag:
            if node.tail:
                parts.append(node.tail)
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if node.text:
            parts.append(node.text.replace("\n", " "))
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail.replace("\n", " "))

    body = tree.find("body")
    for node in [body] if body is not None else list(tree):
        walk(node)
    return [line for line in (_norm(x) for x in "".join(parts).split("\n")) if line]


def html_to_lines(html: str) -> tuple[str, tuple[Removed, ...], Metadata]:
    """Return the page's main text as lines, the visible text left out and the metadata."""
    tree = _parse(html)
    lines = visible_lines(tree)
    doc = trafilatura.bare_extraction(
        tree,
        fast=True,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        # A date only from the page's own date markup, never guessed from a copyright line.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (doc.text or "") if doc is not None else ""
    metadata, dropped = Metadata(), _unusable_urls(tree)
    if doc is not None:
        url = (doc.url or "").strip()
        if url and not is_http_url(url):  # a javascript: or data: "URL" is never stored or exported
            dropped, url = (*dropped, Removed(text=url, reason="page URL that is not an http(s) URL")), ""
        metadata = Metadata(
            title=_norm(doc.title or ""),
            byline=_norm(doc.author or ""),
            published=(doc.date or "")[:10],
            outlet=_norm(doc.sitename or ""),
            url=url,
        )
    if not text.strip():
        # Nothing recognised as an article: hand every visible line to the cleaner.
        return "\n".join(lines), dropped, metadata
    kept, removed = _split(lines, _norm(text))
    return "\n\n".join(kept), dropped + removed, metadata


def _unusable_urls(tree) -> tuple[Removed, ...]:
    """The page's own URLs (og:url, canonical link) that are not http(s): reported, never used."""
    found = [("og:url", v) for v in tree.xpath("//meta[@property='og:url']/@content")]
    found += [("canonical link", v) for v in tree.xpath("//link[@rel='canonical']/@href")]
    return tuple(
        Removed(text=value.strip(), reason=f"{name} that is not an http(s) URL")
        for name, value in found
        if value.strip() and not is_http_url(value.strip())
    )


def _split(lines: list[str], main: str) -> tuple[list[str], tuple[Removed, ...]]:
    """Split the visible lines into those in the extracted main text and the rest.

    The lines come from the page's block elements, so paragraphs, captions and list items
    stay apart even where the extractor ran them together; the extractor decides which of
    them are the article. Both texts are walked in order.

    A short line can occur inside the main text by chance (a menu's "Germany" inside the
    first paragraph's "One of Germany's…"), so the walk is pinned first by anchors: long
    lines found exactly once in the main text, in page order (the longest run of them whose
    places increase). A line between two anchors is looked for between them; a line before
    the first anchor, before it; a line after the last, within a short window of the line
    before it, as the extractor joins and trims.
    """
    anchors = _anchors(lines, main)
    # The place of the next anchor after each line (None after the last), in one pass back.
    following: list[int | None] = [None] * len(lines)
    for i in range(len(lines) - 2, -1, -1):
        following[i] = anchors.get(i + 1, following[i + 1])
    kept, removed, cursor = [], [], 0
    for i, line in enumerate(lines):
        if i in anchors:
            at = anchors[i]
        else:
            end = following[i] if following[i] is not None else cursor + len(line) + _WINDOW
            at = main.find(line, cursor, end)
        if at < 0:
            removed.append(Removed(text=line, reason=R_OUTSIDE))
        else:
            kept.append(line)
            cursor = at + len(line)
    return kept, tuple(removed)


_ANCHOR_LENGTH = 40  # characters: shorter lines are too likely to occur by chance


def _anchors(lines: list[str], main: str) -> dict[int, int]:
    """{line index: place in ``main``} of the long lines found once in it, increasing in place."""
    found = []
    for i, line in enumerate(lines):
        if len(line) >= _ANCHOR_LENGTH:
            at = main.find(line)
            if at >= 0 and main.find(line, at + 1) < 0:
                found.append((i, at))
    # The longest run of increasing places (patience sorting), so that one line found out of
    # order (a teaser quoting the first paragraph above it) cannot pin the rest.
    tails: list[int] = []  # tails[k]: index into found of the smallest last place of a run of k+1
    before: list[int | None] = []
    for n, (_, at) in enumerate(found):
        k = bisect.bisect_left([found[t][1] for t in tails], at)
        before.append(tails[k - 1] if k else None)
        if k == len(tails):
            tails.append(n)
        else:
            tails[k] = n
    out: dict[int, int] = {}
    n = tails[-1] if tails else None
    while n is not None:
        out[found[n][0]] = found[n][1]
        n = before[n]
    return out


_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]+|\([^)]*\))*(?:\s+\"[^\"]*\")?\)")
_MD_REFLINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_MD_LINKDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_MD_CODE = re.compile(r"`([^`]+)`")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")
_MD_BULLET = re.compile(r"^\s{0,3}[*+]\s+")
_MD_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def markdown_to_lines(text: str) -> tuple[str, tuple[Removed, ...], Metadata]:
    """Strip Markdown syntax line by line; the first level-1 heading is the title."""
    out: list[str] = []
    removed: list[Removed] = []
    title = ""
    in_fence = False
    for line in text.splitlines():
        if _MD_FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            out.append(line)
            continue
        if _MD_RULE.match(line) or _MD_LINKDEF.match(line):
            out.append("")
            continue
        for image in _MD_IMAGE.finditer(line):
            removed.append(Removed(text=image.group(0), reason="image"))
        line = _MD_IMAGE.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_REFLINK.sub(r"\1", line)
        line = _MD_CODE.sub(r"\1", line)
        line = _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(3), line)
        line = _MD_QUOTE.sub("", line)
        line = _MD_BULLET.sub("", line)
        heading = _MD_HEADING.match(line)
        if heading:
            level, content = len(heading.group(1)), heading.group(2)
            if level == 1 and not title:
                title = content
                continue
            # A heading line is structure, never a sentence of the story.
            removed.append(Removed(text=content, reason="section heading"))
            out.append("")
            continue
        out.append(line)
    return "\n".join(out), tuple(removed), Metadata(title=title)
