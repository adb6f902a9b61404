"""`manage.py reindex_claims`: stored claims' index rows rewritten with the current index terms."""

import io
import json
import shutil
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from reviews import jobs
from reviews.models import Claim, ClaimTerm, IndexedClaim, Job, JobKind, JobState
from reviews.services import match_index
from reviews.services.articles import article_ingest
from reviews.services.match_index import ALL_CLAIMS, index_terms, term_counts, terms_count
from reviews.textproc import matchmodel
from reviews.textproc.model import MODEL_PATH as CHECKWORTHINESS_PATH
from reviews.textproc.similarity import INDEX_VERSION
from tests.conftest import SEED_FILES


def reindex(*args) -> str:
    out = io.StringIO()
    call_command("reindex_claims", *args, stdout=out)
    return out.getvalue()


def counts_from_index() -> dict[str, int]:
    counts = Counter(ClaimTerm.objects.values_list("term", flat=True))
    indexed = ClaimTerm.objects.values("claim").distinct().count()
    return {**counts, **({ALL_CLAIMS: indexed} if indexed else {})}


def stored_counts() -> dict[str, int]:
    return {term: n for term, n in term_counts().items() if n}


def old_terms(claim: Claim) -> list[str]:
    """Index rows as an older version of the index wrote them: unmarked names, a concept."""
    return sorted({t.lstrip("=~") for t in index_terms(claim.text)} | {"@prisoner"})


def make_stale(claims) -> None:
    """Give these claims the index rows (and counts) an archive from before had."""
    for claim in claims:
        current = list(ClaimTerm.objects.filter(claim=claim).values_list("term", flat=True))
        ClaimTerm.objects.filter(claim=claim).delete()
        terms_count([current], -1)
        ClaimTerm.objects.bulk_create(
            [ClaimTerm(claim=claim, article_id=claim.article_id, term=t) for t in old_terms(claim)]
        )
        terms_count([old_terms(claim)], +1)
    IndexedClaim.objects.filter(claim__in=claims).delete()


def assert_current(claims) -> None:
    for claim in claims:
        stored = set(ClaimTerm.objects.filter(claim=claim).values_list("term", flat=True))
        assert stored == set(index_terms(claim.text)), claim.pk
        assert IndexedClaim.objects.get(claim=claim).terms_version == INDEX_VERSION


@pytest.fixture
def archive(editor):
    """Two seed articles whose claims were indexed by an older version of the index terms."""
    articles = [
        article_ingest(data=path.read_bytes(), name=path.name, actor=editor).article
        for path in SEED_FILES[:2]
    ]
    claims = list(Claim.objects.filter(article__in=articles).order_by("pk"))
    make_stale(claims)
    assert stored_counts() == counts_from_index() and "@prisoner" in stored_counts()
    return articles, claims


def test_old_index_rows_are_rewritten_and_every_term_counted_again(archive):
    _, claims = archive
    out = reindex()
    assert f"{len(claims)} claims re-indexed with index terms {INDEX_VERSION}" in out
    assert "term counts recounted from the index" in out
    assert "every stored claim is indexed with the current index terms" in out
    assert_current(claims)
    assert stored_counts() == counts_from_index() and "@prisoner" not in stored_counts()
    # One row per term after the recount.
    assert sorted(match_index.TermCount.objects.values_list("term", flat=True)) == sorted(stored_counts())
    assert Job.objects.get(kind=JobKind.REINDEX).state == JobState.DONE


def test_running_it_again_does_nothing(archive):
    reindex()
    rows = list(ClaimTerm.objects.order_by("pk").values_list("pk", "term"))
    assert reindex().startswith("0 claims re-indexed")
    assert list(ClaimTerm.objects.order_by("pk").values_list("pk", "term")) == rows


def test_a_run_stopped_half_way_goes_on_with_the_claims_still_to_do(archive, monkeypatch):
    _, claims = archive
    real, calls = match_index.claims_index, []

    def fail_on_the_third_batch(batch):
        calls.append(len(batch))
        if len(calls) == 3:
            raise ConnectionError("the database went away")
        return real(batch)

    monkeypatch.setattr(match_index, "claims_index", fail_on_the_third_batch)
    with pytest.raises(CommandError, match="run it again to go on"):
        reindex("--batch", "5")
    assert IndexedClaim.objects.count() == 10  # two batches committed, the third rolled back
    assert stored_counts() == counts_from_index()  # exact batch by batch
    assert_current(claims[:10])
    monkeypatch.setattr(match_index, "claims_index", real)
    assert reindex("--batch", "5").startswith(f"{len(claims) - 10} claims re-indexed")
    assert_current(claims)
    assert stored_counts() == counts_from_index()


def test_article_and_since_narrow_it(archive):
    (first, second), _ = archive
    out = reindex("--article", str(first.pk))
    assert out.startswith(f"{first.claims.count()} claims re-indexed")
    assert "recounted" not in out and f"{second.claims.count()} stored claims are still indexed" in out
    assert_current(first.claims.all())
    assert not IndexedClaim.objects.filter(claim__article=second).exists()
    assert stored_counts() == counts_from_index()

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert reindex("--since", tomorrow).startswith("0 claims re-indexed")
    assert reindex("--since", timezone.localdate().isoformat()).startswith(
        f"{second.claims.count()} claims re-indexed"
    )
    assert stored_counts() == counts_from_index()
    with pytest.raises(CommandError, match="no article with id 999999"):
        reindex("--article", "999999")


def test_withdrawn_claims_keep_current_index_rows_if_they_had_rows(archive, editor):
    """Matching leaves a withdrawn claim's rows (it is still found); re-indexing rewrites them
    and gives none to a withdrawn claim that had none."""
    (first, _), _ = archive
    kept, dropped = first.claims.order_by("index")[1:3]
    body = first.current_revision.body
    for claim in (kept, dropped):
        body = body.replace(claim.text, "")
    article_ingest(data=body, name="v2.txt", actor=editor, article=first)
    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert kept.status == dropped.status == "withdrawn"
    make_stale([kept])
    terms_count([ClaimTerm.objects.filter(claim=dropped).values_list("term", flat=True)], -1)
    ClaimTerm.objects.filter(claim=dropped).delete()
    IndexedClaim.objects.filter(claim=dropped).delete()
    reindex()
    assert_current([kept])
    assert not ClaimTerm.objects.filter(claim=dropped).exists()
    assert not IndexedClaim.objects.filter(claim=dropped).exists()
    assert stored_counts() == counts_from_index()


def test_with_a_broker_the_workers_run_it(archive, settings, monkeypatch, editor):
    _, claims = archive
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent = []
    monkeypatch.setattr(jobs, "_send", lambda job_id, kind: sent.append((job_id, kind)))
    out = reindex("--no-wait", "--as", editor.username, "--batch", "7")
    job = Job.objects.get(kind=JobKind.REINDEX)
    assert out.strip() == f"re-indexing queued as job {job.pk}" and sent == [(job.pk, JobKind.REINDEX)]
    assert (job.state, job.created_by, job.params["batch"]) == (JobState.QUEUED, editor, 7)

    from reviews.tasks import reindex as task

    task.apply(args=[job.pk])  # what a worker does with the message
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.result["claims"] == len(claims) == job.progress_done
    assert_current(claims)


def test_switching_to_a_match_model_tells_the_operator_to_reindex(archive, settings, tmp_path):
    """A rollback (or a training) that switches the match model on says what is still to do."""
    _, claims = archive
    settings.MODEL_DIR = tmp_path / "models"
    data = matchmodel.MODEL_PATH.parent
    for version in ("v0001", "v0002"):
        folder = settings.MODEL_DIR / version
        folder.mkdir(parents=True)
        shutil.copy(CHECKWORTHINESS_PATH, folder / "checkworthiness.json.gz")
        shutil.copy(data.parent.parent / "rules" / "data" / "flag_scorer.json", folder / "flag_scorer.json")
        shutil.copy(matchmodel.MODEL_PATH, folder / "match_model.json")
    (settings.MODEL_DIR / "active.json").write_text(json.dumps({"active": "v0002", "previous": ["v0001"]}))

    def train(*args):
        out = io.StringIO()
        call_command("train", *args, stdout=out)
        return out.getvalue()

    out = train("--rollback")
    assert f"{len(claims)} stored claims are indexed with older index terms" in out
    assert "manage.py reindex_claims" in out
    assert not IndexedClaim.objects.exists()  # told, not done

    (settings.MODEL_DIR / "active.json").write_text(json.dumps({"active": "v0002", "previous": ["v0001"]}))
    out = train("--rollback", "--reindex")
    assert "re-indexed (done" in out
    assert_current(claims)
    (settings.MODEL_DIR / "active.json").write_text(json.dumps({"active": "v0002", "previous": ["v0001"]}))
    assert "index terms" not in train("--rollback")  # nothing left to say

    # A model trained on other index terms than the code writes: retrain, re-indexing cannot help.
    old = json.loads(matchmodel.MODEL_PATH.read_text())
    del old["index_terms"]
    (settings.MODEL_DIR / "v0001" / "match_model.json").write_text(json.dumps(old))
    (settings.MODEL_DIR / "active.json").write_text(json.dumps({"active": "v0002", "previous": ["v0001"]}))
    assert "trained on index terms 1, but claims are indexed with" in train("--rollback")


def test_claims_indexed_with_version_2_read_citation_markers_as_figures_until_reindexed(editor):
    """Version "3" stopped reading "[2]" and "[7]" as figures: a claim indexed with "2" still has
    them in its rows and is re-indexed like any claim indexed with older index terms."""
    text = (
        "Vaping ban\n\nThe Supreme Court upheld the state's ban on flavoured vaping products on "
        "Tuesday,[2] rejecting the industry's appeal.[7]\n"
    )
    claim = article_ingest(data=text, name="court.txt", actor=editor).article.claims.get()
    assert INDEX_VERSION == "3" and not {"#2", "#7"} & set(index_terms(claim.text))
    assert not match_index.stale_claims().exists()
    # The rows version "2" wrote for it: the markers as figures.
    current = index_terms(claim.text)
    ClaimTerm.objects.bulk_create(
        [ClaimTerm(claim=claim, article_id=claim.article_id, term=t) for t in ("#2", "#7")]
    )
    terms_count([current], -1)
    terms_count([[*current, "#2", "#7"]], +1)
    IndexedClaim.objects.filter(claim=claim).update(terms_version="2")
    assert list(match_index.stale_claims()) == [claim]
    assert stored_counts() == counts_from_index() and stored_counts()["#7"] == 1

    out = reindex()
    assert out.startswith("1 claims re-indexed with index terms 3")
    assert "every stored claim is indexed with the current index terms" in out
    assert_current([claim])
    assert stored_counts() == counts_from_index() and "#7" not in stored_counts()
    assert not match_index.stale_claims().exists()
