"""A synthetic newsroom at scale: ingest throughput, page latency, and a load test.

Runs in a throwaway test database (created and dropped here) on the configured database
engine: PostgreSQL for the figures that count (set DATABASE_URL), SQLite for a quick run.
"""

import http.client
import json
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max, Min
from django.test import Client, override_settings
from django.test.utils import setup_databases, teardown_databases
from simple_history.utils import bulk_update_with_history

from reviews import textproc
from reviews.models import Article, Claim, ClaimStatus
from reviews.roles import EDITORS, FACT_CHECKERS
from reviews.services.articles import Prepared, article_rows, articles_import, articles_insert
from reviews.services.flags import RuleBook, rulebook

SEEDS = Path(settings.BASE_DIR) / "seeds"
# What a fact-checker or an editor types into the search box (words of the seed articles,
# so that some match tens of thousands of rows and some only a few).
CLAIM_SEARCHES = ["Geneva", "drone", "hotline", "prisoners", "Kremlin", "Chasiv Yar"]
ARTICLE_SEARCHES = ["surrender", "Putin", "captured", "videos"]
TARGETS = {"ingest_ratio": 0.5, "p50_ms": 150.0, "p95_ms": 400.0}
_DIGIT = re.compile(r"\d")

LOAD_SCRIPT = """
local paths = {%(paths)s}
local cookies = {%(cookies)s}
local n = 0
request = function()
  n = n + 1
  local path = paths[(n %% #paths) + 1]
  local cookie = cookies[(math.random(#cookies))]
  return wrk.format("GET", path, {["Cookie"] = "sessionid=" .. cookie, ["X-Forwarded-Proto"] = "https"})
end
done = function(summary, latency, requests)
  io.write(string.format(
    'WRKJSON {"requests": %%d, "seconds": %%.2f, "p50": %%.1f, "p95": %%.1f, "p99": %%.1f, '
    .. '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
end
"""


def analysed_seeds(book: RuleBook | None = None) -> list[Prepared]:
    """The seed articles, analysed and checked against the newsroom's rules."""
    book = book or rulebook()
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        analysis = textproc.analyze(path.read_text(encoding="utf-8"), fmt="text")
        out.append(Prepared(name=path.name, analysis=analysis, hits=tuple(book.hits(analysis))))
    return out


def bare_insert(items: list[Prepared], book: RuleBook, *, actor) -> int:
    """The rows ``articles_import`` writes, with plain ``bulk_create`` and no history or
    dedupe: the floor the import is measured against. Rolled back."""
    with transaction.atomic():
        articles, _, _ = articles_insert(list(article_rows(items, book, actor=actor, outlets={})))
        transaction.set_rollback(True)
    return len(articles)


def perturbed(seeds: list[Prepared], n: int, rng: random.Random) -> Prepared:
    """Seed article ``n % 5`` with every digit redrawn (spans keep their length) and its own title."""
    seed = seeds[n % len(seeds)]
    a = seed.analysis
    body = _DIGIT.sub(lambda _: str(rng.randint(0, 9)), a.body)
    claims = tuple(replace(c, text=body[c.start : c.end]) for c in a.claims)
    hits = tuple(replace(h, text=body[h.start : h.end]) if h.field == "body" else h for h in seed.hits)
    meta = replace(a.metadata, title=f"{a.metadata.title or claims[0].text[:80]} ({n})")
    analysis = replace(a, body=body, claims=claims, metadata=meta)
    return Prepared(
        name=f"synthetic-{n}.txt", analysis=analysis, hits=hits, url=f"https://example.org/news/{n}"
    )


def database_url(db: dict, name: str) -> str:
    """A PostgreSQL URL for database ``name`` on the server and account of ``db`` (settings)."""
    account = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        account += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{account}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94]


class Command(BaseCommand):
    help = "Synthetic newsroom: ingest throughput vs bare inserts, page p50/p95, and a wrk load test."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--batch", type=int, default=500)
        parser.add_argument("--sample", type=int, default=1000, help="articles timed for ingest throughput")
        parser.add_argument("--requests", type=int, default=60, help="timed requests per page")
        parser.add_argument("--load-users", type=int, default=50)
        parser.add_argument("--load-seconds", type=int, default=60)
        parser.add_argument("--workers", type=int, default=max(2 * (os.cpu_count() or 1) + 1, 3))
        parser.add_argument("--seed", type=int, default=11)
        parser.add_argument("--fuzz", type=int, default=10_000, help="random inputs through ingest → export")
        parser.add_argument(
            "--keep", action="store_true", help="keep the synthetic newsroom's database, to look into it"
        )

    def handle(self, *args, **opts):
        if opts["load_seconds"] and not shutil.which("wrk"):
            raise CommandError("wrk is not installed (apt-get install -y wrk), or pass --load-seconds 0")
        scratch = None
        if connection.vendor == "sqlite":  # a file the load test's server processes can open too
            scratch = tempfile.mkdtemp(prefix="bench-scale-")
            connection.settings_dict["TEST"]["NAME"] = str(Path(scratch) / "bench.sqlite3")
        else:  # never the test database a test run may be using
            connection.settings_dict["TEST"]["NAME"] = f"bench_scale_{os.getpid()}"
        old = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        try:
            self.run(**opts)
        finally:
            if opts["keep"]:
                self.stdout.write(f"kept the database {connection.settings_dict['NAME']}")
            else:
                teardown_databases(old, verbosity=0)
                if scratch:
                    shutil.rmtree(scratch, ignore_errors=True)

    def line(self, label, value, target, ok):
        mark = self.style.SUCCESS("ok  ") if ok else self.style.ERROR("MISS")
        self.stdout.write(f"{mark} {label:<46} {value:>22}   target {target}")

    def run(self, *, articles, batch, sample, requests, load_users, load_seconds, workers, seed, fuzz, **_):
        rng = random.Random(seed)
        User = get_user_model()
        editor = User.objects.create_user("bench-editor", is_staff=True)
        editor.groups.add(Group.objects.get(name=EDITORS))
        checkers = [User(username=f"bench-checker-{i}", is_staff=True) for i in range(max(load_users, 1))]
        checkers = User.objects.bulk_create(checkers)
        Group.objects.get(name=FACT_CHECKERS).user_set.add(*checkers)
        book = rulebook(actor=editor)
        seeds = analysed_seeds(book)
        self.stdout.write(
            f"Scale benchmark on {connection.vendor} ({os.cpu_count()} cores): {articles:,} articles, "
            f"~{statistics.mean(len(s.analysis.claims) for s in seeds):.0f} claims each, with history"
        )

        # Ingest: the history-keeping write path against bare bulk_create of the same rows.
        timed = [perturbed(seeds, n, rng) for n in range(min(sample, articles))]
        t = time.perf_counter()
        bare_insert(timed, book, actor=editor)
        bare = len(timed) / (time.perf_counter() - t)
        t = time.perf_counter()
        for i in range(0, len(timed), batch):
            articles_import(items=timed[i : i + batch], book=book, actor=editor)
        stored = len(timed) / (time.perf_counter() - t)
        self.line("ingest, articles/s (bare bulk_create)", f"{stored:,.0f} ({bare:,.0f})", "", True)
        ratio = stored / bare
        self.line("ingest vs bare insert", f"{ratio:.2f}x", f">= {TARGETS['ingest_ratio']}x", ratio >= 0.5)

        # Fill the newsroom.
        t, made = time.perf_counter(), len(timed)
        while made < articles:
            items = [perturbed(seeds, n, rng) for n in range(made, min(made + batch, articles))]
            articles_import(items=items, book=book, actor=editor)
            made += len(items)
            if made % (batch * 20) == 0:
                self.stderr.write(f"  {made:,} articles, {time.perf_counter() - t:,.0f} s")
        claims_total = Claim.objects.count()
        self.stdout.write(
            f"     stored {made:,} articles, {claims_total:,} claims in {time.perf_counter() - t:,.0f} s"
        )

        # Work in progress: each fact-checker has a queue.
        queue = list(Claim.objects.filter(checkworthy=True).order_by("?")[: 20 * len(checkers)])
        for i, claim in enumerate(queue):
            claim.assignee = checkers[i % len(checkers)]
            claim.assigned_by, claim.status, claim.priority = editor, ClaimStatus.ASSIGNED, 1 + i % 4
        bulk_update_with_history(
            queue,
            Claim,
            ["assignee", "assigned_by", "status", "priority"],
            default_user=editor,
            default_change_reason="assigned for the benchmark",
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        # Page latency, in process.
        article_ids = Article.objects.aggregate(low=Min("pk"), high=Max("pk"))
        claim_ids = Claim.objects.aggregate(low=Min("pk"), high=Max("pk"))

        def some(ids):
            return rng.randint(ids["low"], ids["high"])

        def search(words):
            return urlencode({"q": rng.choice(words)})

        # name: (who, the next URL, whether the dashboard's one-minute cache is emptied first)
        pages = {
            "claims changelist": (editor, lambda: "/admin/reviews/claim/", False),
            "My queue": (checkers[0], lambda: "/admin/reviews/claim/?work=mine", False),
            "claim page": (checkers[0], lambda: f"/admin/reviews/claim/{some(claim_ids)}/change/", False),
            "articles changelist": (editor, lambda: "/admin/reviews/article/", False),
            "claim search": (editor, lambda: f"/admin/reviews/claim/?{search(CLAIM_SEARCHES)}", False),
            "article search": (editor, lambda: f"/admin/reviews/article/?{search(ARTICLE_SEARCHES)}", False),
            "flags changelist": (editor, lambda: "/admin/reviews/flag/", False),
            "dashboard, computed afresh": (editor, lambda: "/admin/", True),
            "article export (HTML)": (
                editor,
                lambda: f"/reviews/articles/{some(article_ids)}/export/html/",
                False,
            ),
        }
        for name, (user, url, afresh) in pages.items():
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
            for _ in range(5):
                client.get(url())
            samples = []
            for _ in range(requests):
                target = url()
                if afresh:
                    cache.clear()
                t = time.perf_counter()
                response = client.get(target)
                samples.append((time.perf_counter() - t) * 1000)
                if response.status_code not in (200, 302):
                    raise CommandError(f"{target}: HTTP {response.status_code}")
            p50, p95 = percentiles(samples)
            ok = p50 < TARGETS["p50_ms"] and p95 < TARGETS["p95_ms"]
            self.line(f"{name} p50 / p95", f"{p50:.0f} / {p95:.0f} ms", "< 150 / < 400 ms", ok)

        if load_seconds:
            claims = [some(claim_ids) for _ in range(20)]
            self.load(checkers, claims, load_users, load_seconds, workers)
        if fuzz:
            self.fuzz(fuzz)

    def fuzz(self, cases: int):
        """The property-based test of ingest → analyze → export, with ``cases`` random inputs."""
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "tests/test_fuzz.py",
                "--hypothesis-show-statistics",
            ],
            cwd=settings.BASE_DIR,
            env={**os.environ, "FUZZ_EXAMPLES": str(cases), **self.own_database("bench_fuzz")},
            capture_output=True,
            text=True,
        )
        found = re.search(r"(\d+) passing, (\d+) failing", result.stdout)
        passing, failing = (int(found.group(1)), int(found.group(2))) if found else (0, -1)
        ok = result.returncode == 0 and failing == 0 and passing >= cases
        self.line(
            "fuzz: ingest → analyze → export",
            f"{passing:,} cases, {max(failing, 0)} failed",
            f">= {cases:,}, 0",
            ok,
        )
        if not ok:
            self.stderr.write(result.stdout[-3000:])

    @staticmethod
    def own_database(name: str) -> dict:
        """For a test run started from here: a PostgreSQL database of its own (its test database
        is then ``test_<name>_<pid>``, never one another run is using)."""
        if connection.vendor != "postgresql":
            return {}
        return {"DATABASE_URL": database_url(connection.settings_dict, f"{name}_{os.getpid()}")}

    @staticmethod
    def wait_until_serving(port: int, seconds: float = 120) -> None:
        """Until the server answers its sign-in page (a server still booting refuses connections)."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/admin/login/", headers={"X-Forwarded-Proto": "https"})
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise CommandError(f"the server on port {port} did not start")
            time.sleep(0.25)

    def load(self, checkers, claims, users, seconds, workers):
        """50 logged-in users for 60 s against gunicorn over loopback; every answer must be a 200."""
        key = secrets.token_urlsafe(50)
        cookies = []
        with override_settings(SECRET_KEY=key):
            for user in checkers[:users]:
                session = SessionStore()
                session["_auth_user_id"] = str(user.pk)
                session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
                session["_auth_user_hash"] = user.get_session_auth_hash()
                session.create()
                cookies.append(session.session_key)
        paths = ["/admin/reviews/claim/?work=mine", "/admin/reviews/claim/", "/admin/"]
        paths += [f"/admin/reviews/claim/{pk}/change/" for pk in claims]
        db = connection.settings_dict
        url = f"sqlite:///{db['NAME']}" if connection.vendor == "sqlite" else database_url(db, db["NAME"])
        port = 18000 + secrets.randbelow(1000)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "0",
            "SECRET_KEY": key,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DB_CONN_MAX_AGE": "60",
        }
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "load.lua"
            script.write_text(
                LOAD_SCRIPT
                % {
                    "paths": ", ".join(json.dumps(p) for p in paths),
                    "cookies": ", ".join(json.dumps(c) for c in cookies),
                }
            )
            # Production static files: hashed names from a manifest, as `make serve` builds them.
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=settings.BASE_DIR,
                env=env,
                check=True,
            )
            server = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "gunicorn"),
                    "newsroom.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(workers),
                    "--log-level",
                    "warning",
                ],
                cwd=settings.BASE_DIR,
                env=env,
            )
            try:
                self.wait_until_serving(port)
                result = subprocess.run(
                    [
                        "wrk",
                        "-t2",
                        f"-c{users}",
                        f"-d{seconds}s",
                        "--timeout",
                        "10s",
                        "-s",
                        str(script),
                        f"http://127.0.0.1:{port}",
                    ],
                    capture_output=True,
                    text=True,
                    timeout=seconds + 60,
                )
            finally:
                server.terminate()
                server.wait(timeout=30)
        found = re.search(r"WRKJSON (\{.*\})", result.stdout)
        if found and any(
            json.loads(found.group(1))[k] for k in ("connect", "read", "write", "status", "timeout")
        ):
            self.stderr.write(f"load errors: {found.group(1)}")
        if not found:
            raise CommandError(f"wrk gave no figures: {result.stdout}\n{result.stderr}")
        figures = json.loads(found.group(1))
        errors = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
        self.line(
            f"load: {users} users, {seconds} s, {workers} gunicorn workers",
            f"{figures['requests'] / figures['seconds']:,.0f} req/s",
            "",
            True,
        )
        self.line("load: errors", f"{errors} of {figures['requests']:,}", "0", errors == 0)
        self.line("load: p50 / p95", f"{figures['p50']:.0f} / {figures['p95']:.0f} ms", "(reported)", True)
