"""A command that hands its work to a job: wait for it with a progress bar, or leave it queued."""

import sys

from django.core.management.base import CommandError
from tqdm import tqdm

from reviews import jobs
from reviews.models import Job, JobState


def job_wait(job: Job, *, what: str, unit: str, no_wait: bool, stdout, again: str = "") -> Job | None:
    """The finished ``job`` (CommandError if it failed), or None when it was left queued for the
    workers (``no_wait`` with a broker). ``what`` names the work in messages ("reflag"); ``again``
    is added to a failure's message (e.g. "run it again to go on")."""
    if no_wait and not jobs.runs_inline():
        stdout.write(f"{what} queued as job {job.pk}")
        return None
    bar = tqdm(unit=unit, disable=None, file=sys.stderr, leave=False)

    def progress(done, total):
        bar.total = total
        bar.update(done - bar.n)

    try:
        job = jobs.job_follow(job, on_progress=progress)
    finally:
        bar.close()
    if job.state != JobState.DONE:
        raise CommandError(f"{what} failed{f' ({again})' if again else ''}: {job.error}")
    return job
