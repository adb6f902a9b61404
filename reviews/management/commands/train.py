from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reviews.modelstore import ModelStore, ModelStoreError


class Command(BaseCommand):
    help = (
        "Retrain check-worthiness, the flag scorer and the claim-match model from ClaimBuster, the "
        "annotated news corpus and the newsroom's own decisions; print the new models' "
        "cross-validated figures, then switch them on (the old version is kept: --rollback). "
        "Needs scikit-learn (dev requirements)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        default = Path(settings.BASE_DIR).parent / "shared"
        parser.add_argument("--shared", type=Path, default=default, help=f"default: {default}")
        parser.add_argument("--seeds", type=Path, default=Path(settings.BASE_DIR) / "seeds")
        parser.add_argument("--dry-run", action="store_true", help="train and measure, do not switch on")
        parser.add_argument("--rollback", action="store_true", help="switch back to the previous version")
        parser.add_argument("--list", dest="list_versions", action="store_true", help="list the versions")
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="when the new match model reads other index terms than stored claims have, re-index "
            "them (a job: run by the workers when a broker is configured)",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="train in a worker (a job shown in the admin) instead of here; needs a broker",
        )

    def handle(
        self, *args, shared, seeds, dry_run, rollback, list_versions, queue=False, reindex=False, **options
    ):
        if queue:
            from reviews import jobs
            from reviews.models import JobKind

            if jobs.runs_inline():
                raise CommandError("--queue needs a broker (CELERY_BROKER_URL); without one, train here")
            args = ["--shared", str(shared), "--seeds", str(seeds), *(["--dry-run"] if dry_run else [])]
            args += ["--reindex"] if reindex else []
            job = jobs.job_enqueue(jobs.job_create(kind=JobKind.TRAIN, params={"args": args}))
            self.stdout.write(f"training queued as job {job.pk}: its output is kept on the job's admin page")
            return
        store = ModelStore(Path(settings.MODEL_DIR))
        if list_versions:
            active = store.active()
            for version in store.versions():
                m = store.metrics(version)
                mark = "*" if version == active else " "
                self.stdout.write(
                    f"{mark} {version}  check-worthy macro-F1 {m['checkworthy_macro_f1']:.3f}  "
                    f"flags R {m['flag_recall']:.3f} P {m['flag_precision']:.3f}  "
                    f"matching P {m.get('match_precision', 0):.3f} R {m.get('match_recall', 0):.3f}  "
                    f"newsroom: {m['newsroom_sentences']} sentences, {m['newsroom_flags']} flags, "
                    f"{m.get('newsroom_matches', 0)} matches"
                )
            if active is None:
                self.stdout.write("* shipped models (no trained version active)")
            return
        if rollback:
            try:
                version = store.rollback()
            except ModelStoreError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"Rolled back: now using {version or 'the shipped models'}.")
            self.index_advice(reindex)
            return
        try:
            import sklearn  # noqa: F401
        except ImportError:
            raise CommandError("scikit-learn is not installed: install requirements-dev.txt") from None
        if not (shared / "gold" / "news").is_dir() or not (shared / "benchmarks").is_dir():
            raise CommandError(f"{shared}: training data not found (use --shared)")

        from reviews import learning

        data = learning.load_training_data(shared, seeds)
        decisions = learning.newsroom_decisions()
        self.stdout.write(
            f"Training data: ClaimBuster, {len(data.pages)} corpus pages, {len(data.seeds)} seeds, "
            f"newsroom: {len(decisions.sentences)} check-worthiness corrections, "
            f"{len(decisions.flags)} resolved flags, {len(decisions.matches)} decided claim matches"
        )
        self.stdout.write("Cross-validation on the corpus (5 folds by article, same-event pages together):")
        metrics = learning.cross_validated(data, decisions, lambda line: self.stdout.write(f"  {line}"))
        version = learning.train_version(store, data, decisions, metrics)
        previous = store.active()
        if dry_run:
            self.stdout.write(f"Stored {version}; not switched on (--dry-run).")
            return
        store.activate(version)
        self.stdout.write(
            f"Switched on {version}; {previous or 'the shipped models'} kept for rollback "
            "(manage.py train --rollback). Running web processes pick it up when restarted. "
            "Open flags keep the confidence of the scorer that raised them: manage.py reflag gives "
            "them the new one."
        )
        self.index_advice(reindex)

    def index_advice(self, reindex: bool) -> None:
        """Say whether stored claims must be re-indexed for the match model now active (or do it)."""
        from reviews import jobs
        from reviews.models import JobKind
        from reviews.services.match_index import stale_claims
        from reviews.textproc import matchmodel
        from reviews.textproc.similarity import INDEX_VERSION

        reads = matchmodel.active().index_terms
        if reads != INDEX_VERSION:
            self.stdout.write(
                f"The active match model was trained on index terms {reads}, but claims are indexed with "
                f"{INDEX_VERSION}: train a new model (manage.py train) to match on them."
            )
            return
        stale = stale_claims(INDEX_VERSION).count()
        if not stale:
            return
        what = f"{stale} stored claims are indexed with older index terms than the model reads ({reads})"
        if not reindex:
            self.stdout.write(
                f"{what}: re-index them with manage.py reindex_claims (a job; until then they are "
                "found by their old index rows)."
            )
            return
        job = jobs.job_enqueue(jobs.job_create(kind=JobKind.REINDEX, params={"batch": 500}))
        if jobs.runs_inline():
            job.refresh_from_db()
            self.stdout.write(f"{what}: re-indexed ({job.get_state_display().lower()}, job {job.pk}).")
        else:
            self.stdout.write(f"{what}: re-indexing queued as job {job.pk}.")
