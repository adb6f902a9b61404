"""Reduce HTML and Markdown to lines of text, keeping what the markup tells us.

Markup knows things plain text does not: which block is navigation, which is a
figure caption, what the page says its headline, author and date are. We use
that, then hand the lines to the plain-text cleaner for the rest.
"""

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from .sources import InputError, is_http_url
from .types import Metadata, Removed

# Browsers flatten markup nested past 512 levels and news pages sit far below that; deeper
# nesting is refused, so a crafted page cannot make the walk over it expensive.
MAX_DEPTH = 2000

_BLOCK_TAGS = (
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "table",
    "tr",
    "td",
    "th",
    "br",
    "hr",
    "address",
    "time",
)
_DROP_SILENTLY = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "canvas",
    "iframe",
    "object",
    "embed",
    "link",
    "meta",
    "button",
    "input",
    "select",
    "textarea",
    "form",
    "head",
)
_FURNITURE = {
    "nav": "navigation",
    "footer": "footer",
    "aside": "related or most-read list",
    "figcaption": "image caption or credit",
}
_ROLE_FURNITURE = {
    "navigation": "navigation",
    "contentinfo": "footer",
    "complementary": "related or most-read list",
    "banner": "navigation",
}


def _meta(soup, *names: str) -> str:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag and tag.get("content", "").strip():
            return tag["content"].strip()
    return ""


def _walk(root, on_tag):
    """Yield the strings under ``root`` in document order, and None where a block starts or ends.

    ``on_tag(tag)`` returns False to skip a tag and everything in it. Iterative and linear,
    however deep the markup: no recursion, no search of a subtree per tag.
    """
    kinds = root.interesting_string_types
    kinds = (kinds,) if isinstance(kinds, type) else tuple(kinds or (NavigableString,))
    stack, blocks = [iter(root.contents)], [False]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            if blocks.pop():
                yield None
        elif isinstance(node, Tag):
            if on_tag(node) is False:
                continue
            block = node.name in _BLOCK_TAGS
            if block:
                yield None
            stack.append(iter(node.contents))
            blocks.append(block)
        elif type(node) in kinds:
            yield node


def _depth(soup) -> int:
    """The deepest nesting of tags in ``soup`` (iterative: no recursion limit to hit)."""
    deepest, stack = 0, [iter(soup.contents)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif isinstance(node, Tag):
            stack.append(iter(node.contents))
            deepest = max(deepest, len(stack) - 1)
    return deepest


def _kept(tag) -> bool:
    return tag.name not in _DROP_SILENTLY and tag.name != "img"


def html_to_lines(html: str, *, max_depth: int = MAX_DEPTH) -> tuple[str, tuple[Removed, ...], Metadata]:
    """Return the page's text as lines, the removed blocks and the page metadata.

    Raises InputError for markup nested deeper than ``max_depth`` tags: no article needs it.
    """
    soup = BeautifulSoup(html, "html.parser")
    depth = _depth(soup)
    if depth > max_depth:
        raise InputError(f"HTML is nested {depth:,} tags deep, over the limit of {max_depth:,}")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    removed: list[Removed] = []
    url = ""
    canonical = (soup.find("link", rel="canonical") or {}).get("href", "")
    for name, candidate in (("og:url", _meta(soup, "og:url")), ("canonical link", canonical.strip())):
        if candidate and not url and is_http_url(candidate):
            url = candidate
        elif candidate and not is_http_url(candidate):
            removed.append(Removed(text=candidate, reason=f"{name} that is not an http(s) URL"))
    title = _meta(soup, "og:title", "twitter:title")
    h1 = soup.find("h1")
    if h1 and h1.get_text(" ", strip=True):
        title = h1.get_text(" ", strip=True)
    elif not title and soup.title and soup.title.string:
        title = soup.title.string.strip()
    time_tag = soup.find("time", attrs={"datetime": True})
    metadata = Metadata(
        title=title,
        byline=_meta(soup, "author", "article:author", "byl"),
        published=(
            _meta(soup, "article:published_time", "date", "pubdate", "dc.date")
            or (time_tag["datetime"] if time_tag else "")
        )[:10],
        outlet=_meta(soup, "og:site_name", "application-name"),
        url=url,
    )

    def keep(tag) -> bool:
        if not _kept(tag):
            return False
        reason = _FURNITURE.get(tag.name) or _ROLE_FURNITURE.get(tag.get("role", ""))
        if reason:
            text = " ".join(x.strip() for x in _walk(tag, _kept) if x is not None and x.strip())
            if text:
                removed.append(Removed(text=text, reason=reason))
            return False
        return True

    text = "".join("\n" if x is None else x for x in _walk(soup, keep))
    return text, tuple(removed), metadata


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
