"""Property-based: random text, Unicode, HTML and bytes through ingest → analyze → export.

Nothing crashes, a refused input writes nothing, every stored span is exact, every export
is produced and well-formed. ``FUZZ_EXAMPLES`` sets the number of cases (CI runs a few
dozen; `make bench-fuzz` runs 10,000).
"""

import io
import json
import os
import zipfile

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviews.exporters import EXPORTERS
from reviews.models import Article, ArticleRevision, Claim, Flag
from reviews.selectors import article_export_doc
from reviews.services.articles import article_ingest
from reviews.textproc import InputError

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))

words = st.sampled_from(
    "The minister said 4.5% of 10,000 troops were killed on Monday . “Quote” — U.S. Dr. No. 3 "
    "[1] … ' \" < > & <script> javascript: =HYPERLINK( \u202e \u200b \x00 \ufeff é 中文 🙂".split(" ")
)
prose = st.lists(st.one_of(words, st.text(max_size=12)), max_size=80).map(" ".join)
paragraphs = st.lists(prose, min_size=0, max_size=8).map("\n\n".join)
tags = st.sampled_from(["p", "h1", "div", "script", "style", "a", "img", "li", "figure", "nav"])
html = st.lists(st.tuples(tags, prose), max_size=10).map(
    lambda parts: "<html><body>" + "".join(f"<{t}>{x}</{t}>" for t, x in parts) + "</body></html>"
)
# Bad bytes and shapes: NUL and other controls anywhere (also past the first 8 KB), stray CR
# and CRLF line endings, UTF-16/UTF-32 with a BOM, markup nested past the depth limit.
controls = st.sampled_from(["\x00", "\r", "\r\n", "\x01", "\x1b", "\x0b", "\x0c"])
with_bytes = st.tuples(paragraphs, st.lists(st.tuples(st.integers(0, 10_000), controls), max_size=3)).map(
    lambda t: "".join(
        [t[0]] + [x for _, x in sorted(t[1])]
        if not t[1]
        else [t[0][: p % (len(t[0]) + 1)] + x + t[0][p % (len(t[0]) + 1) :] for p, x in t[1][:1]]
    )
)
padded = st.tuples(st.integers(8_200, 9_000), controls, prose).map(
    lambda t: (
        ("The minister said 40 troops were moved on Monday, officials said.\n" * (t[0] // 66))
        + t[2]
        + t[1]
        + " the end."
    )
)
wide = st.tuples(paragraphs, st.sampled_from(["utf-16", "utf-16-be", "utf-32", "utf-8-sig"]))
deep = st.tuples(st.integers(1, 2_600), tags, prose).map(
    lambda t: "<html><body>" + f"<{t[1]}>" * t[0] + t[2] + f"</{t[1]}>" * t[0] + "</body></html>"
)
inputs = st.one_of(
    st.tuples(paragraphs.map(lambda s: s.encode("utf-8", "surrogatepass")), st.just("fuzz.txt")),
    st.tuples(
        with_bytes.map(lambda s: s.encode("utf-8", "surrogatepass")), st.sampled_from(["fuzz.txt", "fuzz.md"])
    ),
    st.tuples(padded.map(str.encode), st.just("fuzz.txt")),
    st.tuples(
        wide.map(lambda t: ("\ufeff" + t[0] if t[1].endswith("-be") else t[0]).encode(t[1], "surrogatepass")),
        st.just("fuzz.txt"),
    ),
    st.tuples(deep.map(str.encode), st.just("fuzz.html")),
    st.tuples(html.map(lambda s: s.encode("utf-8", "surrogatepass")), st.just("fuzz.html")),
    st.tuples(paragraphs.map(lambda s: s.encode("utf-8", "surrogatepass")), st.just("fuzz.md")),
    st.tuples(st.binary(max_size=400), st.sampled_from(["fuzz.txt", "fuzz.html"])),
)


def counts():
    return tuple(m.objects.count() for m in (Article, ArticleRevision, Claim, Flag))


@pytest.mark.django_db
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(item=inputs)
def test_ingest_analyze_export_never_break(editor, item):
    data, name = item
    before = counts()
    try:
        result = article_ingest(data=data, name=name, actor=editor)
    except InputError as exc:
        assert str(exc)  # a reason for the person
        assert counts() == before  # and nothing written
        return
    article = result.article
    body = article.current_revision.body
    previous_end = 0
    for claim in Claim.objects.filter(revision=article.current_revision).order_by("start"):
        assert 0 <= previous_end <= claim.start < claim.end <= len(body)
        assert body[claim.start : claim.end] == claim.text
        previous_end = claim.end
    for flag in Flag.objects.filter(revision=article.current_revision, field="body"):
        assert body[flag.start : flag.end] == flag.text
    doc = article_export_doc(article)
    outputs = {fmt: export(doc) for fmt, export in EXPORTERS.items()}
    page = outputs["html"].decode() if isinstance(outputs["html"], bytes) else outputs["html"]
    assert "<script" not in page.split("<body", 1)[1].lower()
    json.loads(outputs["webanno"])
    json.loads(outputs["claimreview"])
    Document(io.BytesIO(outputs["docx"]))
    assert len(zipfile.ZipFile(io.BytesIO(outputs["bundle"])).namelist()) == 6  # five formats, a manifest
