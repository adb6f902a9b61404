import subprocess
import sys

from tests.conftest import ROOT


def test_pure_packages_import_and_run_without_django():
    code = (
        "import sys; import reviews.textproc as t, reviews.rules as r, reviews.exporters as e; "
        "import reviews.textproc.clauses, reviews.textproc.shorten; "
        "r.run_rules(t.analyze(open('seeds/000_f702ac5364007b7a.txt').read())); "
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
        "print(loaded); sys.exit(1 if loaded else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
