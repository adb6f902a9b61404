from pathlib import Path

from reviews.exporters import EXPORTERS


def test_dump(export_doc):
    out = Path("/tmp/exp17-out")
    out.mkdir(exist_ok=True)
    for fmt, fn in EXPORTERS.items():
        (out / f"001.{fmt}").write_bytes(fn(export_doc))
