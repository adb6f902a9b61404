"""Split, merge and narrow: spans, indexes, flags, verdicts, matching rows and history."""

import pytest

from reviews.models import Claim, ClaimStatus, ClaimTerm, Flag, FlagStatus, Rating, Verdict, VerdictStatus
from reviews.services.articles import article_ingest
from reviews.services.claim_edits import claim_merge, claim_narrow, claim_split, fragment_span
from reviews.services.claims import claim_assign
from reviews.services.match_index import index_terms
from reviews.services.verdicts import verdict_approve, verdict_submit
from reviews.services.workflow import StaleWriteError, WorkflowError
from reviews.textproc import analyze

pytestmark = pytest.mark.django_db


def claims_of(article) -> list[Claim]:
    article.refresh_from_db()
    return list(Claim.objects.filter(revision=article.current_revision).order_by("index"))


def assert_consistent(article) -> None:
    """Every claim is its span of the body, numbered densely in body order; every flag of a
    claim overlaps it; the index rows are the claim's terms."""
    claims = claims_of(article)
    body = article.current_revision.body
    assert [c.index for c in claims] == list(range(len(claims)))
    assert [c.start for c in claims] == sorted(c.start for c in claims)
    for claim in claims:
        assert body[claim.start : claim.end] == claim.text
        assert claim.text == claim.text.strip() and claim.text
        for flag in Flag.objects.filter(claim=claim, revision=article.current_revision, field="body"):
            assert flag.start < claim.end and flag.end > claim.start, (flag.text, claim.text)
        terms = set(ClaimTerm.objects.filter(claim=claim).values_list("term", flat=True))
        assert terms == set(index_terms(claim.text))


def claim_at(article, index) -> Claim:
    return Claim.objects.get(revision=article.current_revision, index=index)


def test_split_makes_two_claims_and_renumbers_the_rest(seed_article, editor):
    before = claims_of(seed_article)
    claim = before[1]
    at = claim.start + claim.text.index(" and of the Kremlin")
    first, second = claim_split(claim=claim, at=at, actor=editor, version=claim.version)
    assert first.pk == claim.pk and first.index == 1 and second.index == 2
    assert first.text.endswith("disobeying orders") and second.text.startswith("and of the Kremlin")
    after = claims_of(seed_article)
    assert len(after) == len(before) + 1
    assert [c.pk for c in after[3:]] == [c.pk for c in before[2:]]  # everyone after moved down one
    assert after[3].version == before[2].version  # renumbering is no edit of the claim
    assert_consistent(seed_article)
    row = first.history.first()
    assert row.history_user == editor and row.history_change_reason.startswith("split:")
    assert second.history.first().history_user == editor
    assert after[3].history.first().history_change_reason == "renumbered: claim #2 was split"


def test_split_moves_the_flags_of_the_part_that_moves(seed_article, editor):
    claim = claim_at(seed_article, 12)  # casualty figure "…killed, according to Ukrainian officials."
    flag_count = Flag.objects.filter(claim=claim).count()
    at = claim.start + claim.text.index("according")
    # A flag lying wholly in the second part follows it (made here on the second part's words).
    flag = Flag.objects.filter(claim=claim).first()
    flag.start, flag.end, flag.text = at, claim.end, claim.text[claim.text.index("according") :]
    flag.save()
    first, second = claim_split(claim=claim, at=at, actor=editor, version=claim.version)
    flag.refresh_from_db()
    assert flag.claim == second
    assert Flag.objects.filter(claim=first).count() == flag_count - 1  # the whole-sentence flag stays
    assert flag.history.first().history_user == editor
    assert_consistent(seed_article)


def test_merge_joins_two_claims_with_their_flags(seed_article, editor):
    before = claims_of(seed_article)
    claim, second = before[4], before[5]
    flags = set(Flag.objects.filter(claim__in=[claim, second]).values_list("pk", flat=True))
    merged = claim_merge(claim=claim, actor=editor, version=claim.version)
    assert merged.text == seed_article.current_revision.body[claim.start : second.end]
    assert set(Flag.objects.filter(claim=merged).values_list("pk", flat=True)) == flags
    assert not Claim.objects.filter(pk=second.pk).exists()
    assert Claim.history.filter(id=second.pk).first().history_type == "-"
    assert Claim.history.filter(id=second.pk).first().history_user == editor
    after = claims_of(seed_article)
    assert len(after) == len(before) - 1
    assert [c.pk for c in after[5:]] == [c.pk for c in before[6:]]
    assert merged.history.first().history_change_reason.startswith("merged with the next sentence")
    assert_consistent(seed_article)


def test_merge_moves_the_second_claims_verdicts(seed_article, editor, alice):
    claim, second = claim_at(seed_article, 4), claim_at(seed_article, 5)
    claim_assign(claim=claim, assignee=alice, actor=editor)
    claim_assign(claim=second, assignee=alice, actor=editor)
    rating = Rating.objects.get(label="True")
    verdict_submit(claim=second, rating=rating, summary="Said so.", actor=alice)
    verdict = verdict_approve(claim=second, actor=editor)
    merged = claim_merge(claim=claim, actor=alice, version=None)
    verdict.refresh_from_db()
    assert verdict.claim == merged and verdict.status == VerdictStatus.SUPERSEDED
    assert merged.status == ClaimStatus.ASSIGNED and merged.assignee == alice


def test_narrow_keeps_the_fragment(seed_article, editor):
    claim = claim_at(seed_article, 3)
    start, end = fragment_span(claim, "one soldier from Russia's 2nd Motor Rifle Division said")
    narrowed = claim_narrow(claim=claim, start=start, end=end, actor=editor, version=claim.version)
    assert narrowed.text == "one soldier from Russia's 2nd Motor Rifle Division said"
    assert narrowed.history.first().history_change_reason.startswith("narrowed to “one soldier")
    assert narrowed.history.first().history_user == editor
    assert "Division" in narrowed.text and "Telegraph" not in narrowed.checkables.get("sources", [])
    assert_consistent(seed_article)


def test_narrow_detaches_decided_flags_it_leaves_out_and_refuses_open_ones(seed_article, editor):
    claim = claim_at(seed_article, 12)
    flags = list(Flag.objects.filter(claim=claim))
    cut = claim.text.index("according")
    for flag in flags:  # pretend both flags were raised on the closing words
        flag.start, flag.end = claim.start + cut, claim.end
        flag.save()
    start, end = fragment_span(claim, "more than 11,000 Russian troops have been killed")
    with pytest.raises(WorkflowError, match="leaves out the open flag"):
        claim_narrow(claim=claim, start=start, end=end, actor=editor, version=claim.version)
    for flag in flags:
        flag.status, flag.resolved_by, flag.note = FlagStatus.DISMISSED, editor, "fine"
        flag.save()
    claim_narrow(claim=claim, start=start, end=end, actor=editor, version=claim.version)
    assert all(Flag.objects.get(pk=f.pk).claim_id is None for f in flags)
    assert Flag.objects.get(pk=flags[0].pk).history.first().history_user == editor


def test_an_approved_verdict_is_superseded_and_the_claim_goes_back_to_its_checker(
    seed_article, editor, alice
):
    claim = claim_at(seed_article, 3)
    claim_assign(claim=claim, assignee=alice, actor=editor)
    verdict_submit(claim=claim, rating=Rating.objects.get(label="True"), summary="Yes.", actor=alice)
    # Awaiting approval: no edit.
    start, end = fragment_span(claim, "one soldier from Russia's 2nd Motor Rifle Division said")
    with pytest.raises(WorkflowError, match="awaits approval"):
        claim_narrow(claim=claim, start=start, end=end, actor=editor, version=None)
    verdict = verdict_approve(claim=claim, actor=editor)
    narrowed = claim_narrow(claim=claim, start=start, end=end, actor=editor, version=None)
    verdict.refresh_from_db()
    assert verdict.status == VerdictStatus.SUPERSEDED
    assert verdict.history.first().history_user == editor
    assert narrowed.status == ClaimStatus.STALE and narrowed.assignee == alice
    assert Claim.objects.for_checker(alice).filter(pk=claim.pk).exists()


def test_the_assigned_checker_may_edit_and_the_second_part_stays_theirs(seed_article, editor, alice):
    claim = claim_at(seed_article, 1)
    claim = claim_assign(claim=claim, assignee=alice, actor=editor)
    at = claim.start + claim.text.index(" and of the Kremlin")
    first, second = claim_split(claim=claim, at=at, actor=alice, version=claim.version)
    assert second.assignee == alice and second.status == ClaimStatus.ASSIGNED
    assert first.history.first().history_user == alice


def snapshot(article):
    return [(c.pk, c.index, c.start, c.end, c.text, c.version, c.status) for c in claims_of(article)]


@pytest.mark.parametrize(
    ("what", "expected"),
    [
        ("other checker", "may not edit"),
        ("legal", "may not edit"),
        ("outside", "inside the claim"),
        ("at the start", "inside the claim"),
        ("no words before", "first part would hold no words"),
        ("stale version", "was changed by"),
    ],
)
def test_split_refusals_change_nothing(seed_article, editor, alice, bob, lawyer, what, expected):
    claim = claim_assign(claim=claim_at(seed_article, 6), assignee=alice, actor=editor)  # 'If we are…'
    at = claim.start + claim.text.index(" then")
    kwargs = {"claim": claim, "at": at, "actor": editor, "version": claim.version}
    kwargs.update(
        {
            "other checker": {"actor": bob},
            "legal": {"actor": lawyer},
            "outside": {"at": claim.end + 5},
            "at the start": {"at": claim.start},
            "no words before": {"at": claim.start + 1},  # after the opening quotation mark
            "stale version": {"version": claim.version - 1},
        }[what]
    )
    before = snapshot(seed_article)
    with pytest.raises(WorkflowError, match=expected):
        claim_split(**kwargs)
    assert snapshot(seed_article) == before


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ((0, 0), "empty"),
        ((-3, 10), "inside the claim"),
        ((0, 400), "inside the claim"),
        ("space", "only spaces"),
        ("padded", "begins or ends with a space"),
        ("whole", "nothing to narrow"),
    ],
)
def test_narrow_refusals_change_nothing(seed_article, editor, fragment, expected):
    claim = claim_at(seed_article, 3)
    space = claim.text.index(" ")
    start, end = {
        "space": (space, space + 1),
        "padded": (space, space + 10),
        "whole": (0, len(claim.text)),
    }.get(fragment, fragment)
    before = snapshot(seed_article)
    with pytest.raises(WorkflowError, match=expected):
        claim_narrow(
            claim=claim, start=claim.start + start, end=claim.start + end, actor=editor, version=claim.version
        )
    assert snapshot(seed_article) == before


def test_fragment_must_be_in_the_sentence_once(seed_article):
    claim = claim_at(seed_article, 3)
    with pytest.raises(WorkflowError, match="not in the claim's text"):
        fragment_span(claim, "soldiers from Russia")
    with pytest.raises(WorkflowError, match="occurs 2 times"):
        fragment_span(claim, "his")
    assert fragment_span(claim, "  press conference ") == (
        claim.start + claim.text.index("press"),
        claim.start + claim.text.index("press") + len("press conference"),
    )


def test_merge_refusals(seed_article, editor, alice, bob):
    claims = claims_of(seed_article)
    last = claims[-1]
    with pytest.raises(WorkflowError, match="is the last of the article"):
        claim_merge(claim=last, actor=editor, version=last.version)
    claim_assign(claim=claims[5], assignee=bob, actor=editor)
    before = snapshot(seed_article)
    with pytest.raises(WorkflowError, match="assigned to bob"):
        claim_merge(claim=claims[4], actor=editor, version=claims[4].version)
    verdict_submit(claim=claims[5], rating=Rating.objects.get(label="True"), summary="Yes.", actor=bob)
    with pytest.raises(WorkflowError, match="#6 awaits approval"):
        claim_merge(claim=claims[4], actor=editor, version=None)
    assert snapshot(seed_article)[:5] == before[:5]
    with pytest.raises(StaleWriteError):
        claim_merge(claim=claims[0], actor=editor, version=claims[0].version + 1)


def test_claims_of_an_earlier_version_and_withdrawn_claims_are_not_edited(seed_article, editor):
    body = seed_article.current_revision.body
    old = claim_at(seed_article, 1)
    dropped = claim_at(seed_article, 2)
    article_ingest(
        data=body.replace(dropped.text, "").replace(old.text, old.text.replace("vocal", "loud")),
        name="v2.txt",
        actor=editor,
        article=seed_article,
    )
    dropped.refresh_from_db()
    assert dropped.status == ClaimStatus.WITHDRAWN
    with pytest.raises(WorkflowError, match="withdrawn claim"):
        claim_merge(claim=dropped, actor=editor, version=None)
    dropped.status = ClaimStatus.NEW  # as if it were still open: its revision is no longer current
    dropped.save()
    with pytest.raises(WorkflowError, match="current version"):
        claim_narrow(claim=dropped, start=dropped.start, end=dropped.start + 5, actor=editor, version=None)


def test_a_new_version_after_edits_reanchors_the_claims(seed_article, editor, alice):
    claim = claim_at(seed_article, 1)
    claim_split(
        claim=claim, at=claim.start + claim.text.index(" and of the Kremlin"), actor=editor, version=None
    )
    claim_merge(claim=claim_at(seed_article, 5), actor=editor, version=None)
    narrowed = claim_at(seed_article, 8)
    start, end = fragment_span(narrowed, narrowed.text.split(",")[0])
    claim_narrow(claim=narrowed, start=start, end=end, actor=editor, version=None)
    assert_consistent(seed_article)
    body = seed_article.current_revision.body
    text = body.replace("Kyiv", "Kiev")
    result = article_ingest(data=text, name="v2.txt", actor=editor, article=seed_article)
    assert result.revised and result.revision.number == 2
    assert_consistent(seed_article)
    # The new version's claims are its sentences again, each claim carried over at most once.
    sentences = [c.text for c in analyze(text).claims]
    assert [c.text for c in claims_of(seed_article)] == sentences
    assert sum(result.fates.values()) >= len(sentences)
    assert not Verdict.objects.filter(claim__revision=result.revision, status="submitted").exists()


def test_a_claim_merged_away_is_refused_with_the_reason(seed_article, editor):
    first, second = claim_at(seed_article, 0), claim_at(seed_article, 1)
    claim_merge(claim=first, actor=editor, version=first.version)
    with pytest.raises(WorkflowError, match="no longer exists"):
        claim_narrow(claim=second, start=second.start, end=second.start + 5, actor=editor, version=None)
