"""A long article's page shows its text a page of sentences at a time: size and queries bounded."""

import html as htmllib
import re

import pytest
from django.urls import reverse

from reviews.selectors import TEXT_PAGE, article_body_segments
from reviews.services.articles import article_ingest
from tests.conftest import page_queries

SENTENCES = 2 * TEXT_PAGE + 50


@pytest.fixture
def long_article(editor):
    text = "Long read\n\n" + "\n\n".join(
        f"Officials in town {i} said {i} troops moved north on Monday." for i in range(SENTENCES)
    )
    article = article_ingest(data=text.encode(), name="long.txt", actor=editor).article
    assert article.claims.count() == SENTENCES
    return article


def visible_text(page: str) -> str:
    body = re.search(r'<div class="nr-article">(.*?)</div>', page, re.S).group(1)
    return htmllib.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<sup[^>]*>\d+</sup>", "", body)))


@pytest.mark.django_db
def test_the_pages_of_an_article_cover_its_body_exactly(long_article):
    pages = [article_body_segments(long_article, page=n) for n in (1, 2, 3)]
    assert "".join(seg.text for page in pages for seg in page) == long_article.current_revision.body
    numbers = [seg.number for page in pages for seg in page if seg.claim]
    assert numbers == list(range(1, SENTENCES + 1))
    assert article_body_segments(long_article, page=4) == []


@pytest.mark.django_db
def test_article_page_shows_one_page_of_sentences_with_links_to_the_others(client, editor, long_article):
    client.force_login(editor)
    url = reverse("admin:reviews_article_change", args=[long_article.pk])
    first_queries, first = page_queries(client, url)
    page = first.content.decode()
    assert page.count('class="nr-num"') == TEXT_PAGE
    assert f"Sentences 1–{TEXT_PAGE} of {SENTENCES}" in page
    assert f'href="{url}?text_page=3"' in page
    last_queries, last = page_queries(client, url, {"text_page": "3"})
    page = last.content.decode()
    assert page.count('class="nr-num"') == SENTENCES - 2 * TEXT_PAGE
    assert f'<sup class="nr-num">{SENTENCES}</sup>' in page
    assert visible_text(page).endswith(long_article.current_revision.body[-40:])
    assert last_queries == first_queries
    for crafted in ("²", "0", "99999999999999999999999", "9"):
        assert client.get(url, {"text_page": crafted}).status_code == 200


@pytest.mark.django_db
def test_in_the_article_opens_the_page_of_the_text_that_holds_the_claim(client, editor, long_article):
    """ "In the article" on a claim page leads to the claim in the text, on whichever page of a
    long article it is (it opened page 1, where a later claim is not)."""
    client.force_login(editor)
    claims = list(long_article.claims.order_by("start", "pk"))
    article_url = reverse("admin:reviews_article_change", args=[long_article.pk])
    for claim, page in ((claims[3], 1), (claims[TEXT_PAGE], 2), (claims[-1], 3)):
        html = client.get(reverse("admin:reviews_claim_change", args=[claim.pk])).content.decode()
        link = re.search(r'<a href="([^"]*)">In the article</a>', html).group(1)
        query = "" if page == 1 else f"?text_page={page}"
        assert htmllib.unescape(link) == f"{article_url}{query}#claim-{claim.pk}"
        assert f'id="claim-{claim.pk}"' in client.get(htmllib.unescape(link).split("#")[0]).content.decode()
