"""`manage.py train`: newsroom decisions are training data, versions are kept, rollback works."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reviews.models import Flag, FlagStatus
from reviews.modelstore import ModelStore
from reviews.rules.scorer import load_scorer
from reviews.services.claims import claim_mark_checkworthy
from reviews.textproc.model import load_model
from tests.conftest import ROOT

SHARED = ROOT.parent / "shared"


@pytest.fixture
def pow_article(editor):
    from reviews.services.articles import article_ingest
    from tests.conftest import POW_SEED

    return article_ingest(data=POW_SEED.read_bytes(), name=POW_SEED.name, actor=editor).article


needs_shared = pytest.mark.skipif(not (SHARED / "gold" / "news").is_dir(), reason="needs shared/")


def train(*args):
    out = io.StringIO()
    call_command("train", *args, stdout=out)
    return out.getvalue()


def test_a_fact_checker_corrects_check_worthiness_with_history(pow_article, alice):
    claim = pow_article.claims.filter(checkworthy=True).first()
    claim = claim_mark_checkworthy(claim=claim, actor=alice, checkworthy=False, version=claim.version)
    assert (claim.checkworthy, claim.checkworthy_decision) == (False, "not_a_claim")
    last = claim.history.first()
    assert last.history_user == alice and last.history_change_reason == "check-worthiness: not a claim"


@needs_shared
def test_train_learns_from_the_newsroom_keeps_versions_and_rolls_back(
    settings, tmp_path, small_shared, pow_article, alice, lawyer
):
    settings.MODEL_DIR = tmp_path / "models"
    claim = pow_article.claims.filter(checkworthy=True).first()
    claim_mark_checkworthy(claim=claim, actor=alice, checkworthy=False)
    flag = Flag.objects.filter(article=pow_article, rule__code="pow_imagery").first()
    from reviews.services.flags import flag_resolve

    flag_resolve(flag=flag, actor=lawyer, status=FlagStatus.CONFIRMED, note="Blur faces.")

    text = train("--shared", str(small_shared))
    assert "newsroom: 1 check-worthiness corrections, 1 resolved flags" in text
    assert "check-worthy macro-F1, pooled" in text and "flags, pooled: recall" in text
    assert text.index("pooled") < text.index("Switched on v0001")
    store = ModelStore(settings.MODEL_DIR)
    assert store.active() == "v0001" and store.metrics("v0001")["newsroom_flags"] == 1
    assert load_model().version == "v0001" and load_scorer().version == "v0001"

    assert "Switched on v0002; v0001 kept for rollback" in train("--shared", str(small_shared))
    assert "now using v0001" in train("--rollback")
    assert load_model().version == "v0001"
    assert "now using the shipped models" in train("--rollback")
    assert load_model().version != "v0001"
    with pytest.raises(CommandError, match="nothing to roll back"):
        train("--rollback")
    listing = train("--list")
    assert "v0001" in listing and "v0002" in listing and "shipped models" in listing


@needs_shared
def test_confirmed_and_rejected_matches_train_the_match_model(
    settings, tmp_path, small_shared, editor, alice
):
    from reviews.models import ClaimMatch
    from reviews.services.articles import article_ingest
    from reviews.services.matches import match_decide
    from reviews.textproc import matchmodel
    from tests.test_matching import CAPTURED_10, CAPTURED_10_AGAIN, CAPTURED_11

    settings.MODEL_DIR = tmp_path / "models"
    first = article_ingest(data=CAPTURED_10, name="a.txt", actor=editor).article
    again = article_ingest(data=CAPTURED_10_AGAIN, name="b.txt", actor=editor).article
    other = article_ingest(data=CAPTURED_11, name="c.txt", actor=editor).article
    match_decide(
        match=ClaimMatch.objects.get(claim__article=again, other__article=first), actor=alice, confirm=True
    )
    match_decide(
        match=ClaimMatch.objects.get(claim__article=other, other__article=first), actor=alice, confirm=False
    )

    text = train("--shared", str(small_shared))
    assert "2 decided claim matches" in text
    assert "claim matching" in text and text.index("claim matching") < text.index("Switched on v0001")
    store = ModelStore(settings.MODEL_DIR)
    assert store.metrics("v0001")["newsroom_matches"] == 2
    assert (store.root / "v0001" / "match_model.json").exists()
    assert matchmodel.active().version == "v0001"
    train("--rollback")
    assert matchmodel.active().version == "shipped"
