"""`make bench-scale` at a small size: every figure is printed, with its target."""

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def test_bench_scale_prints_every_figure():
    load = ["--load-users", "4", "--load-seconds", "2"]
    if not shutil.which("wrk"):
        if os.environ.get("CI"):
            pytest.fail("wrk is missing; .ci/run installs it (apt-get install wrk)")
        load = ["--load-seconds", "0"]
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "bench_scale",
            "--articles",
            "60",
            "--sample",
            "30",
            "--requests",
            "5",
            "--fuzz",
            "20",
            *load,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for figure in (
        "ingest vs bare insert",
        "claims changelist p50 / p95",
        "My queue p50 / p95",
        "claim page p50 / p95",
        "article export (HTML) p50 / p95",
    ):
        assert figure in out and "target" in out.split(figure, 1)[1].splitlines()[0]
    assert "fuzz: ingest → analyze → export" in out and "20 cases, 0 failed" in out
    if load[-1] != "0":
        assert "load: errors" in out and " 0 of " in out
