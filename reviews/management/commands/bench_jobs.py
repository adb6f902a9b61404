"""Throughput of the job queue: 200 articles ingested and matched by 1, then 2, Celery workers.

Runs on PostgreSQL (a scratch database, dropped afterwards) and a real Redis; each worker is a
`celery -A newsroom worker -c 1` process, as `make worker` starts them.
"""

import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import setup_databases, teardown_databases

from reviews import jobs
from reviews.management.commands.bench_scale import database_url
from reviews.models import Article, Job, JobKind, JobState
from reviews.roles import EDITORS

TOWNS = [
    "Arden",
    "Belmont",
    "Carver",
    "Dunmore",
    "Elton",
    "Fairview",
    "Glenwood",
    "Harlow",
    "Ivydale",
    "Jasper",
]


def synthetic_story(n: int) -> tuple[str, list[str]]:
    """A short, distinct news story (title, paragraphs) numbered ``n``."""
    town = f"{TOWNS[n % len(TOWNS)]} {n}"
    title = f"Flooding forces {n + 40} families from homes in {town}"
    return title, [
        f"Officials in {town} said on Monday that {n + 40} families were moved to shelters after the river "
        f"rose {n % 7 + 2} metres overnight.",
        f"The regional emergency service reported that {n * 3 + 11} homes had no power by noon, "
        f"and that repairs would take at least {n % 5 + 2} days.",
        f"\u201cWe have never seen the water this high,\u201d said mayor Ana Kovac{n}, who asked residents "
        f"to stay away from the bridge on Route {n + 100}.",
        f"Forecasters expect another {n % 9 + 10} millimetres of rain before Thursday.",
    ]


def synthetic_text(n: int) -> bytes:
    title, paragraphs = synthetic_story(n)
    return "\n\n".join([title, *paragraphs]).encode()


class Worker:
    """One `celery worker -c 1` process on ``queue``, its log in ``log``."""

    def __init__(self, name: str, queue: str, log: Path, env: dict):
        self.log = log
        command = [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "-Q", queue, "-c", "1"]
        command += ["-P", "prefork", "-n", f"{name}@%h", "--without-gossip", "--without-mingle"]
        command += ["--without-heartbeat", "-l", "INFO"]
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
            )

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if b" ready." in self.log.read_bytes():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready: {self.log.read_text(errors='replace')[-3000:]}")

    def pool_children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def kill_child(self) -> int:
        """SIGKILL the process running the current task (the worker starts another)."""
        (child,) = self.pool_children()
        os.kill(child, signal.SIGKILL)
        return child

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) used so far by these processes (Linux /proc; 0 elsewhere)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def machine_busy() -> tuple[int, int]:
    """(busy, all) clock ticks of every core since boot (Linux /proc/stat; zeros elsewhere)."""
    try:
        ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0, 0
    idle = ticks[3] + ticks[4]  # idle and waiting for I/O
    return sum(ticks) - idle, sum(ticks)


class LockWaits(threading.Thread):
    """Samples, ten times a second, whether a connection to this database waits on a lock."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples = self.waiting = 0
        self.stop = threading.Event()
        db = connection.settings_dict
        self.url, self.name = database_url(db, db["NAME"]), db["NAME"]

    def run(self):
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.wait(0.1):
                (n,) = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                    [self.name],
                ).fetchone()
                self.samples, self.waiting = self.samples + 1, self.waiting + bool(n)

    def share(self) -> float:
        self.stop.set()
        self.join(5)
        return self.waiting / self.samples if self.samples else 0.0


def worker_env(queue: str, broker: str, **extra) -> dict:
    """The environment of a worker on this database (as the settings name it) and queue."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": database_url(db, db["NAME"]),
        "CELERY_BROKER_URL": broker,
        "CELERY_QUEUE": queue,
        **extra,
    }


class Command(BaseCommand):
    help = "Articles per second through the job queue (ingest + claim matching) with 1 and 2 workers."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=200)
        parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
        parser.add_argument(
            "--broker", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
        )

    def handle(self, *args, articles, workers, broker, **opts):
        if connection.vendor != "postgresql":
            raise CommandError("bench_jobs needs PostgreSQL (workers share the database): set DATABASE_URL")
        from newsroom.celery import app, use_broker

        queue = f"bench-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        use_broker(broker, queue=queue)
        settings.CELERY_TASK_ALWAYS_EAGER = False
        connection.settings_dict["TEST"]["NAME"] = f"bench_jobs_{os.getpid()}"
        old = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        try:
            self.stdout.write(
                f"Job queue on PostgreSQL and Redis ({os.cpu_count()} cores): {articles} articles, "
                "each ingested then matched by its own job"
            )
            rates = {}
            for n in workers:
                rates[n] = self.run(n, articles, queue, broker)
            if 1 in rates and len(rates) > 1:
                best = max(k for k in rates if k > 1)
                self.stdout.write(f"     speed-up with {best} workers: {rates[best] / rates[1]:.2f}x")
        finally:
            app.close()
            teardown_databases(old, verbosity=0)

    def run(self, count: int, articles: int, queue: str, broker: str) -> float:
        call_command("flush", interactive=False, verbosity=0)
        editor = get_user_model().objects.create_user("bench-editor", is_staff=True)
        editor.groups.add(Group.objects.get(name=EDITORS))
        texts = [synthetic_text(n) for n in range(articles)]
        env = worker_env(queue, broker)
        log_dir = Path(settings.BASE_DIR) / "var" / "bench-jobs"
        log_dir.mkdir(parents=True, exist_ok=True)
        started = [Worker(f"bench{i}", queue, log_dir / f"worker{i}.log", env) for i in range(count)]
        try:
            for worker in started:
                worker.wait_ready()
            pids = [p for w in started for p in (w.process.pid, *w.pool_children())]
            used, (busy, ticks), waits = cpu_seconds(pids), machine_busy(), LockWaits()
            waits.start()
            t = time.perf_counter()
            queued = [
                jobs.ingest_later(data=text, name=f"bench-{n}.txt", actor=editor)
                for n, text in enumerate(texts)
            ]
            done = jobs.jobs_wait(queued, timeout=3600)
            jobs.jobs_wait(list(Job.objects.filter(kind=JobKind.MATCH)), timeout=3600)
            elapsed = time.perf_counter() - t
            waited = waits.share()
            used = cpu_seconds(pids) - used
            busy, ticks = (now - before for now, before in zip(machine_busy(), (busy, ticks), strict=True))
        finally:
            for worker in started:
                worker.stop()
        failed = sum(1 for j in done if j.state != JobState.DONE)
        matched = Job.objects.filter(kind=JobKind.MATCH, state=JobState.DONE).count()
        stored = Article.objects.count()
        rate = articles / elapsed
        mark = self.style.SUCCESS("ok  ") if (stored, matched, failed) == (articles, articles, 0) else "MISS"
        self.stdout.write(
            f"{mark} {count} worker{'s' if count > 1 else ' '}: {rate:6.1f} articles/s "
            f"({elapsed:.1f} s; {stored} stored, {matched} matched, {failed} failed)"
        )
        took = {
            kind: statistics.median(
                (j.finished_at - j.started_at).total_seconds() * 1000
                for j in Job.objects.filter(kind=kind, state=JobState.DONE).only("started_at", "finished_at")
            )
            for kind in (JobKind.INGEST, JobKind.MATCH)
        }
        self.stdout.write(
            f"     a job took (median, from its start to its end) {took[JobKind.INGEST]:.0f} ms to ingest, "
            f"{took[JobKind.MATCH]:.0f} ms to match"
        )
        if ticks:
            # What the workers got of the machine: on shared cores, other work takes the rest.
            cores = os.cpu_count() or 1
            self.stdout.write(
                f"     the workers used {used / elapsed:.2f} of {cores} cores, the machine was "
                f"{busy / ticks:.0%} busy; a connection waited on a lock in {waited:.0%} of the samples"
            )
        return rate
