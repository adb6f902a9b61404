"""A new version of an article: claims re-anchored, stale, withdrawn or new; flags re-run."""

import io

import pytest
from django.core.management import call_command

from reviews.models import Article, ArticleRevision, Claim, Rating, Verdict
from reviews.selectors import article_export_doc
from reviews.services.articles import article_ingest
from reviews.services.claims import claim_assign
from reviews.services.flags import flag_resolve
from reviews.services.history import save_with_history
from reviews.services.revisions import CHANGED, NEW, UNCHANGED, WITHDRAWN, Fate, align
from reviews.services.verdicts import verdict_approve, verdict_submit
from tests.conftest import POW_SEED, ROOT

EDITED_FROM = "Since the invasion first began, more than 11,000 Russian troops have been killed"
EDITED_TO = "Since the invasion first began, more than 12,000 Russian troops have been killed"
REMOVED = "Social media has subsequently played a hugely impactful role in the ongoing war."
ADDED = "The Kremlin has not commented on the soldiers' statements, a spokesman said on Friday."
ANCHOR = "One military personnel stated:"


def test_align_pairs_sentences_in_order():
    old = ["A cat sat on the mat.", "Prices rose 4% in May.", "The mayor resigned.", "It rained."]
    new = ["A cat sat on the mat.", "Prices rose 5% in May.", "It rained.", "A new sentence here."]
    assert align(old, new) == [
        Fate(UNCHANGED, 0, 0),
        Fate(CHANGED, 1, 1),
        Fate(WITHDRAWN, 2, None),
        Fate(UNCHANGED, 3, 2),
        Fate(NEW, None, 3),
    ]


def test_align_does_not_pair_unrelated_sentences():
    assert align(["The mayor resigned on Monday."], ["Shares fell sharply in Tokyo."]) == [
        Fate(WITHDRAWN, 0, None),
        Fate(NEW, None, 0),
    ]


def edited_seed() -> str:
    text = POW_SEED.read_text()
    assert EDITED_FROM in text and REMOVED in text
    text = text.replace(EDITED_FROM, EDITED_TO).replace(REMOVED + "\n", "")
    return text.replace(ANCHOR, ADDED + "\n\n" + ANCHOR)


@pytest.fixture
def checked(seed_article, editor, alice):
    """The seed with two approved verdicts: one on a sentence that will change, one that will not."""
    kept = seed_article.claims.get(text__startswith="The Ukrainian Security Service has recorded")
    edited = seed_article.claims.get(text__startswith=EDITED_FROM)
    for claim in (kept, edited):
        claim_assign(claim=claim, assignee=alice, actor=editor)
        verdict_submit(claim=claim, rating=Rating.objects.get(label="True"), summary="Checked.", actor=alice)
        verdict_approve(claim=claim, actor=editor)
    return seed_article, kept, edited


def test_reingest_re_anchors_every_claim(checked, editor):
    article, kept, edited = checked
    before = {c.pk: c for c in Claim.objects.filter(article=article)}
    history_before = {pk: c.history.count() for pk, c in before.items()}
    result = article_ingest(data=edited_seed(), name="v2.txt", actor=editor, article=article)
    assert result.revised and result.fates == {UNCHANGED: len(before) - 2, CHANGED: 1, WITHDRAWN: 1, NEW: 1}
    article.refresh_from_db()
    revision = article.current_revision
    assert revision.number == 2 and ArticleRevision.objects.filter(article=article).count() == 2

    claims = {c.pk: c for c in Claim.objects.filter(article=article)}
    stale = [c for c in claims.values() if c.status == "stale"]
    assert [c.pk for c in stale] == [edited.pk]
    assert stale[0].text.startswith(EDITED_TO) and stale[0].revision == revision
    withdrawn = [c for c in claims.values() if c.status == "withdrawn"]
    assert [c.text for c in withdrawn] == [REMOVED]
    assert withdrawn[0].revision.number == 1  # still anchored where its sentence was
    new = [c for c in claims.values() if c.pk not in before]
    assert [(c.text, c.status) for c in new] == [(ADDED, "new")]

    # Every other claim moved with its text, kept its state, verdict and history.
    for pk, old in before.items():
        claim = claims[pk]
        if claim.status in ("stale", "withdrawn"):
            continue
        assert claim.revision == revision and claim.status == old.status
        assert revision.body[claim.start : claim.end] == claim.text == old.text
        assert claim.history.count() == history_before[pk] + 1
        assert claim.history.first().history_change_reason == "re-anchored to revision 2, text unchanged"
        assert claim.history.first().history_user == editor
    kept.refresh_from_db()
    assert kept.status == "approved"
    assert Verdict.objects.get(claim=kept).status == "approved"
    # The edited claim's verdict is superseded, not lost.
    superseded = Verdict.objects.get(claim=edited)
    assert superseded.status == "superseded"
    assert [h.status for h in superseded.history.order_by("history_id")] == [
        "submitted",
        "approved",
        "superseded",
    ]


def test_exports_mark_the_stale_claim_with_its_earlier_verdict(checked, editor):
    article, _, edited = checked
    article_ingest(data=edited_seed(), name="v2.txt", actor=editor, article=article)
    doc = article_export_doc(Article.objects.get(pk=article.pk))
    (claim,) = [c for c in doc.claims if c.id == edited.pk]
    assert claim.status == "stale" and claim.verdict.status == "superseded"
    assert REMOVED not in [c.text for c in doc.claims]  # withdrawn claims are not in the new text


def test_flags_rerun_and_a_dismissed_passage_stays_dismissed(seed_article, editor, lawyer):
    flag = seed_article.flags.filter(rule__code="pow_imagery").order_by("start").first()
    flag_resolve(flag=flag, actor=lawyer, status="dismissed", note="Faces blurred; cleared.")
    article_ingest(data=edited_seed(), name="v2.txt", actor=editor, article=seed_article)
    seed_article.refresh_from_db()
    again = seed_article.current_revision.flags.get(rule__code="pow_imagery", text=flag.text)
    assert again.status == "dismissed" and again.resolved_by == lawyer
    assert again.claim.revision == seed_article.current_revision


def test_same_text_again_is_not_a_new_revision(seed_article, editor):
    result = article_ingest(data=POW_SEED.read_bytes(), name="again.txt", actor=editor, article=seed_article)
    assert not result.created and ArticleRevision.objects.count() == 1


def test_same_url_is_a_new_version(editor):
    url = "https://example.org/news/strike"
    first = article_ingest(
        data="Strike hits depot\n\nA drone hit a depot on Monday.\n", name="a.txt", actor=editor, url=url
    )
    second = article_ingest(
        data="Strike hits depot\n\nA drone hit a fuel depot on Monday.\nNine people were hurt.\n",
        name="b.txt",
        actor=editor,
        url=url,
    )
    assert second.article == first.article and second.revision.number == 2
    assert second.fates == {CHANGED: 1, NEW: 1}
    assert Article.objects.count() == 1


def test_ingest_command_takes_an_article_id(seed_article, tmp_path, editor):
    path = tmp_path / "v2.txt"
    path.write_text(edited_seed())
    out = io.StringIO()
    call_command("ingest", str(path), "--article", str(seed_article.pk), "--as", "eddie", stdout=out)
    assert "revision 2" in out.getvalue() and "1 changed, 1 withdrawn, 1 new" in out.getvalue()


def test_a_bad_new_version_changes_nothing(seed_article, editor):
    from reviews.textproc import InputError

    with pytest.raises(InputError):
        article_ingest(data=b"\x00\x01binary", name="v2.txt", actor=editor, article=seed_article)
    assert ArticleRevision.objects.count() == 1 and not Claim.objects.exclude(status="new").exists()


def test_admin_upload_new_version_then_the_diff_page(client, seed_article, editor, alice):
    from django.urls import reverse

    client.force_login(editor)
    page = client.get(reverse("admin:reviews_article_change", args=[seed_article.pk])).content.decode()
    url = reverse("admin:reviews_article_new_version", args=[seed_article.pk])
    assert url in page and "Revision 1" in page
    response = client.post(url, {"text": edited_seed(), "url": ""}, follow=True)
    assert "Revision 2 stored; claims: 1 changed, 1 new, " in response.content.decode()
    html = response.content.decode()
    assert "<del>" + EDITED_FROM in html and "<ins>" + EDITED_TO in html
    assert "<del>" + REMOVED + "</del>" in html and "<ins>" + ADDED.replace("'", "&#x27;") + "</ins>" in html
    # A fact-checker reads revisions but cannot upload one.
    client.force_login(alice)
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": "Another\n\nversion of it.\n"}).status_code == 403
    assert ArticleRevision.objects.count() == 2


def test_articles_list_counts_the_sentences_of_the_current_version(client, checked, editor):
    article, _, _ = checked
    before = Claim.objects.filter(article=article).count()
    article_ingest(data=edited_seed(), name="v2.txt", actor=editor, article=article)
    client.force_login(editor)
    response = client.get("/admin/reviews/article/")
    row = next(a for a in response.context["cl"].result_list if a.pk == article.pk)
    # One sentence removed (withdrawn, still stored), one added: as many as before.
    assert Claim.objects.filter(article=article).count() == before + 1
    assert row.n_claims == before
    assert (
        row.n_checkworthy
        == Claim.objects.filter(article=article, checkworthy=True).exclude(status="withdrawn").count()
    )


def page_with_url(text: str, url: str) -> str:
    """An HTML page of ``text``'s paragraphs whose only tie to anything is its og:url."""
    headline, *paragraphs = [p for p in text.split("\n\n") if p.strip()]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    head = f'<head><meta property="og:url" content="{url}"></head>'
    return f"<html>{head}<body><h1>{headline}</h1>{body}</body></html>"


def test_a_page_sharing_only_the_url_is_a_new_article(checked, editor, tmp_path):
    article, kept, _ = checked
    url = "https://example.org/news/pow-video"
    article.url = url
    save_with_history(article, actor=editor, reason="test: the article's URL")
    other = (ROOT / "seeds" / "002_6ec3d0cf2b8a1c6b.txt").read_text()
    path = tmp_path / "other.html"
    path.write_text(page_with_url(other, url))
    out = io.StringIO()
    call_command("ingest", str(path), "--as", editor.username, stdout=out)
    assert Article.objects.filter(url=url).count() == 2
    new = Article.objects.exclude(pk=article.pk).get()
    assert f"ingested {path}: article {new.pk}" in out.getvalue()
    assert f"stored as a new article, not as a version of article {article.pk} with the same URL: 0%" in (
        out.getvalue()
    )
    article.refresh_from_db()
    assert article.current_revision.number == 1
    assert not article.claims.filter(status="withdrawn").exists()
    assert Claim.objects.get(pk=kept.pk).status == "approved"

    # A page that is the article, edited, is its next version (found among both by URL).
    result = article_ingest(data=page_with_url(edited_seed(), url), name="v2.html", actor=editor)
    assert result.article == article and result.revision.number == 2 and result.note == ""
    assert result.fates == {UNCHANGED: 18, CHANGED: 1, WITHDRAWN: 1, NEW: 1} and result.kept == 0.95


def test_an_unrelated_text_asked_for_as_a_new_version_is_stored_with_a_warning(client, seed_article, editor):
    from django.urls import reverse

    other = (ROOT / "seeds" / "002_6ec3d0cf2b8a1c6b.txt").read_text()
    client.force_login(editor)
    url = reverse("admin:reviews_article_new_version", args=[seed_article.pk])
    page = client.post(url, {"text": other, "url": ""}, follow=True).content.decode()
    # Pasted, so the warning is a sentence of its own rather than "pasted.txt: only 0% …".
    assert "Only 0% of the previous version&#x27;s sentences are found again in this one" in page
    assert "pasted.txt: only" not in page
    assert seed_article.revisions.count() == 2


def test_a_new_version_carries_flag_decisions_and_closes_the_old_revisions_flags(
    client, seed_article, editor, alice, lawyer
):
    """Legal confirms the prisoner-video flag, an editor dismisses another; a new version with
    one sentence edited, one removed (its claim's verdict awaiting approval) and one added."""
    from reviews.services.flags import article_reflag

    first = seed_article.current_revision
    pow_flag = first.flags.filter(rule__code="pow_imagery", text__startswith="The Ukrainian Security").get()
    flag_resolve(flag=pow_flag, actor=lawyer, status="confirmed", note="Public interest; faces blurred.")
    other = first.flags.exclude(resolver_role="legal").exclude(pk=pow_flag.pk).first()
    flag_resolve(flag=other, actor=editor, status="dismissed", note="Attributed in the next sentence.")
    gone = seed_article.claims.get(text=REMOVED)
    claim_assign(claim=gone, assignee=alice, actor=editor)
    pending = verdict_submit(claim=gone, rating=Rating.objects.get(label="True"), summary="Yes.", actor=alice)
    before = {(f.rule_id, f.text) for f in first.flags.all()}
    open_legal_before = first.flags.filter(status="open", resolver_role="legal").count()

    article_ingest(data=edited_seed(), name="v2.txt", actor=editor, article=seed_article)
    seed_article.refresh_from_db()
    second = seed_article.current_revision
    assert second.number == 2
    assert not first.flags.filter(status="open").exists()  # closed with their revision
    assert set(first.flags.values_list("status", flat=True)) <= {"confirmed", "dismissed", "superseded"}
    now = {(f.rule_id, f.text) for f in second.flags.all()}
    assert len(now) == second.flags.count() <= len(before) + 2  # no passage flagged twice
    carried = second.flags.get(rule__code="pow_imagery", text=pow_flag.text)
    assert (carried.status, carried.resolved_by) == ("confirmed", lawyer)
    assert "Confirmed for the same passage in revision 1" in carried.note
    assert second.flags.get(rule=other.rule, text=other.text).status == "dismissed"
    open_legal = seed_article.flags.filter(status="open", resolver_role="legal").count()
    assert open_legal <= open_legal_before
    pending.refresh_from_db()
    assert pending.status == "superseded"  # not stuck awaiting an approval nobody can give

    claim = seed_article.claims.get(text=pow_flag.text)
    client.force_login(editor)
    page = client.get(f"/admin/reviews/claim/{claim.pk}/change/")
    shown = [f.pk for f in page.context["page"].flags]
    assert len(shown) == len(set(shown)) == claim.flags.filter(revision=second).count()
    article_page = client.get(f"/admin/reviews/article/{seed_article.pk}/change/").content.decode()
    if open_legal:
        assert f"{open_legal} unresolved legal flag(s)" in article_page

    article_reflag(article=seed_article, actor=editor)
    assert not first.flags.filter(status="open").exists()
    assert second.flags.get(pk=carried.pk).status == "confirmed"


def test_a_stale_claim_goes_back_to_its_checkers_queue_with_a_next_step(client, checked, editor, alice):
    from reviews.services.claims import claim_start

    article, _kept, edited = checked
    article_ingest(data=edited_seed(), name="v2.txt", actor=editor, article=article)
    edited.refresh_from_db()
    assert (edited.status, edited.assignee) == ("stale", alice)
    client.force_login(alice)
    queue = client.get("/admin/reviews/claim/", {"work": "mine"})
    assert edited.pk in [c.pk for c in queue.context["cl"].result_list]
    assert "Stale" in queue.content.decode()
    page = client.get(f"/admin/reviews/claim/{edited.pk}/change/").content.decode()
    assert 'id="start-form"' in page
    claim_start(claim=edited, actor=alice)
    edited.refresh_from_db()
    assert edited.status == "in_review"
