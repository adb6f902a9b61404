"""Every link a page shows a person opens for that person: no link to a page they may not see,
no button for a step their role may not take."""

import re

import pytest
from django.urls import reverse

from reviews.jobs import job_create, job_finish
from reviews.models import Evidence, Flag, FlagStatus, JobKind, Verdict
from tests.exporters.conftest import verdict_world  # noqa: F401 (approved verdicts, a resolved flag)

LINK = re.compile(r'href="(/admin/[^"#?]*)[^"]*"')


def admin_links(html: str) -> set[str]:
    content = html.split('id="content"', 1)[-1]  # the page, not the header's links
    return set(LINK.findall(content)) - {reverse("admin:logout")}


@pytest.fixture
def pages(request, editor):
    article = request.getfixturevalue("verdict_world")
    flag = Flag.objects.filter(article=article).exclude(status=FlagStatus.OPEN).first()
    verdict = Verdict.objects.filter(claim__article=article, status="approved").first()
    job = job_create(kind=JobKind.MATCH, actor=editor, article=article)
    job_finish(job, {})
    return [
        reverse("admin:index"),
        reverse("admin:reviews_article_change", args=[article.pk]),
        reverse("admin:reviews_articlerevision_change", args=[article.current_revision_id]),
        reverse("admin:reviews_claim_change", args=[verdict.claim_id]),
        reverse("admin:reviews_flag_change", args=[flag.pk]),
        reverse("admin:reviews_verdict_change", args=[verdict.pk]),
        reverse("admin:reviews_evidence_change", args=[Evidence.objects.first().pk]),
        reverse("admin:reviews_job_change", args=[job.pk]),
    ]


@pytest.mark.parametrize("role", ["editor", "alice", "lawyer"])
def test_no_page_links_to_a_page_its_reader_may_not_open(client, request, pages, role):
    person = request.getfixturevalue(role)
    client.force_login(person)
    refused = []
    for page in pages:
        response = client.get(page)
        if response.status_code == 403:
            continue  # the page itself is not theirs (jobs for a fact-checker): no links to judge
        assert response.status_code == 200, (page, response.status_code)
        for link in sorted(admin_links(response.content.decode())):
            status = client.get(link).status_code
            if status not in (200, 302):
                refused.append((page, link, status))
    assert refused == [], "\n".join(map(str, refused))
