"""Text shortened for display ends at a word with "…"; a cut list cell keeps the whole text
as its tooltip."""

import html
import re

import pytest
from django.urls import reverse

from reviews.models import Flag
from reviews.services.claims import claim_assign
from reviews.textproc.shorten import shorten

pytestmark = pytest.mark.django_db

TITLE = "Shelling of Kharkiv market kills 14, regional governor says"


def cut_mid_word(shown: str, full: str) -> bool:
    """Whether ``shown`` (without its "…") stops inside one of ``full``'s words."""
    stem = shown.removesuffix("…")
    return len(stem) < len(full) and stem[-1:].isalnum() and full[len(stem)].isalnum()


@pytest.fixture
def titled(seed_article):
    seed_article.title = TITLE
    seed_article.save()
    return seed_article


def test_flag_list_article_column_is_cut_at_a_word_with_the_title_on_hover(client, editor, titled):
    assert Flag.objects.filter(article=titled).exists()
    client.force_login(editor)
    html = client.get(reverse("admin:reviews_flag_changelist")).content.decode()
    cells = re.findall(r'<td class="field-article_link"><a href="[^"]+" title="([^"]+)">([^<]+)</a>', html)
    assert cells and all(
        title == TITLE and shown == "Shelling of Kharkiv market kills 14…" for title, shown in cells
    )


def test_flag_page_heading_ends_at_a_word(client, editor, seed_article):
    flag = next(
        f for f in Flag.objects.filter(article=seed_article).select_related("rule") if len(f.text) > 60
    )
    heading = str(flag)
    shown = heading.split(" on ", 1)[1]
    assert shown.endswith("…") and not cut_mid_word(shown, flag.text)
    # The flag's page names the rule whole and shows the passage whole, in its paragraph.
    client.force_login(editor)
    page = client.get(reverse("admin:reviews_flag_change", args=[flag.pk])).content.decode()
    page = page.replace("&#x27;", "'").replace("&quot;", '"')
    assert f"Flag: {flag.rule.title}" in page and flag.text in page


def test_assign_confirmation_cuts_claims_at_a_word(client, editor, seed_article):
    long = [c for c in seed_article.claims.all() if len(c.text) > 120]
    client.force_login(editor)
    response = client.post(
        reverse("admin:reviews_claim_changelist"),
        {"action": "assign_to", "_selected_action": [c.pk for c in long]},
    )
    labels = dict(response.context["items"])
    for claim in long:
        label = labels[claim.pk]
        text = label.split(" ", 1)[1].rsplit(" (", 1)[0]
        assert text == shorten(claim.text, 120) and text.endswith("…")
        assert not cut_mid_word(text, claim.text), label


def test_mail_subjects_end_at_a_word(
    editor, alice, seed_article, mailoutbox, django_capture_on_commit_callbacks
):
    claim = next(c for c in seed_article.claims.order_by("index") if len(c.text) > 60)
    with django_capture_on_commit_callbacks(execute=True):
        claim_assign(claim=claim, assignee=alice, actor=editor)
    subject = mailoutbox[0].subject
    shown = subject.removeprefix("Claim assigned: ")
    assert shown == shorten(claim.text, 60) and shown.endswith("…") and not cut_mid_word(shown, claim.text)


def test_claim_list_cell_keeps_the_whole_text_on_hover(client, editor, seed_article):
    long = next(c for c in seed_article.claims.order_by("index") if len(c.text) > 140)
    client.force_login(editor)
    page = client.get(reverse("admin:reviews_claim_changelist"), {"article": seed_article.pk})
    assert f'<span title="{long.text}">{shorten(long.text, 140)}</span>' in html.unescape(
        page.content.decode()
    )
