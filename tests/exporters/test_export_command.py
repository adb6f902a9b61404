import io

import pytest
from django.core.management import CommandError, call_command


def test_export_writes_one_file_per_article(tmp_path, verdict_world, editor):
    out = io.StringIO()
    call_command("export", "--all", "--format", "claimreview", "--out", str(tmp_path / "x"), stdout=out)
    name = f"{verdict_world.pk}-{verdict_world.slug}.claimreview.jsonld"
    assert (tmp_path / "x" / name).is_file()
    assert "1 article(s) exported as claimreview" in out.getvalue()


def test_export_names_the_person_exporting(tmp_path, verdict_world, editor):
    import json
    import zipfile

    call_command(
        "export", str(verdict_world.pk), "--format", "bundle", "--as", "eddie", "--out", str(tmp_path)
    )
    bundle = zipfile.ZipFile(tmp_path / f"{verdict_world.pk}-{verdict_world.slug}.zip")
    assert json.loads(bundle.read("manifest.json"))["exported_by"] == "Eddie Marsh"
    with pytest.raises(CommandError, match="no user called nobody"):
        call_command(
            "export", str(verdict_world.pk), "--format", "md", "--as", "nobody", "--out", str(tmp_path)
        )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "html"], "name the articles"),
        (["999999", "--format", "html"], "no article with id 999999"),
    ],
)
def test_export_errors(db, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export", *args, "--out", str(tmp_path))
