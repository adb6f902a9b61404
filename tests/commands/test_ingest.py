import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from reviews.models import Article, ArticleRevision, Claim, Outlet
from tests.conftest import SEED_FILES

TRACKED = (Article, ArticleRevision, Claim, Outlet)


def snapshot():
    counts = {}
    for model in TRACKED:
        counts[model.__name__] = model.objects.count()
        counts[f"history:{model.__name__}"] = model.history.count()
    return counts


def ingest(*args, stdin=None, monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    call_command("ingest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


BAD_INPUTS = {
    "empty.txt": (b"", "file is empty"),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "file is binary"),
    "latin1.txt": ("Le café a été attaqué.".encode("latin-1"), "not valid UTF-8"),
    "huge.txt": (b"word " * (5 * 1024 * 1024 // 5 + 1), "over the 5,242,880-byte limit"),
    "empty.html": (b"<html><body><nav>Home</nav><script>x()</script></body></html>", "no article text"),
    "report.pdf": (b"%PDF-1.4 ...", "unsupported file type"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_rejected_and_nothing_written(tmp_path, editor, name):
    data, _ = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    before = snapshot()
    with pytest.raises(CommandError, match="1 of 1 inputs failed") as excinfo:
        ingest(str(path), "--as", editor.username)
    assert snapshot() == before
    assert excinfo.value.returncode == 1


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_error_names_file_and_reason(tmp_path, editor, name, capsys):
    data, reason = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", str(path), "--as", editor.username, stdout=io.StringIO(), stderr=err)
    assert f"error: {path}: " in err.getvalue()
    assert reason in err.getvalue()


def test_missing_path_is_reported(editor, tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", str(tmp_path / "nope.txt"), "--as", "eddie", stdout=io.StringIO(), stderr=err)
    assert "nope.txt: no such file or folder" in err.getvalue()
    assert Article.objects.count() == 0


def test_batch_goes_on_past_failures_and_reports_them_at_the_end(tmp_path, editor):
    shutil.copy(SEED_FILES[0], tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(b"")
    shutil.copy(SEED_FILES[1], tmp_path / "c.md")
    (tmp_path / "ignored.json").write_text("{}")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 of 3 inputs failed"):
        call_command("ingest", str(tmp_path), "--as", "eddie", stdout=out, stderr=err)
    assert Article.objects.count() == 2
    assert "2 ingested, 0 skipped, 1 failed" in out.getvalue()
    assert err.getvalue().strip().endswith("b.txt: file is empty")


def test_reingesting_the_same_content_is_skipped(editor):
    ingest(str(SEED_FILES[0]), "--as", "eddie")
    before = snapshot()
    out, _ = ingest(str(SEED_FILES[0]), "--as", "eddie")
    assert "skipped" in out
    assert snapshot() == before


def test_every_ingested_row_has_history_by_the_acting_user(editor):
    ingest(*map(str, SEED_FILES), "--as", "eddie")
    assert Article.objects.count() == 5
    claims = Claim.objects.all()
    assert claims.count() > 100
    created = Claim.history.filter(history_type="+")
    assert created.count() == claims.count()
    assert set(created.values_list("history_user__username", flat=True)) == {"eddie"}
    assert set(created.values_list("history_change_reason", flat=True)) == {
        f"ingested from {p}" for p in map(str, SEED_FILES)
    }
    for model in (Article, ArticleRevision):
        assert set(model.history.values_list("history_user__username", flat=True)) == {"eddie"}


def test_stdin(editor, monkeypatch):
    out, _ = ingest("-", "--as", "eddie", stdin=SEED_FILES[2].read_bytes(), monkeypatch=monkeypatch)
    assert "ingested stdin.txt" in out
    assert Article.objects.get().title == "Mass Russian Surrenders in Ukraine War"


def test_acting_user_is_required(db):
    with pytest.raises(CommandError, match="--as USERNAME"):
        call_command("ingest", str(SEED_FILES[0]))
    with pytest.raises(CommandError, match="no user named 'ghost'"):
        call_command("ingest", str(SEED_FILES[0]), "--as", "ghost")


def test_ingest_with_no_broker_prints_no_broker_warning(editor, caplog):
    """With no broker, jobs run inline: nothing speaks of a broker host (`make run` printed
    "No hostname was supplied. Reverting to default 'localhost'" before anything else)."""
    with caplog.at_level("WARNING"):
        ingest(str(SEED_FILES[0]), "--as", editor.username)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("kombu")] == []
