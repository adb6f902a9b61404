"""Composite reads for the admin, exports and dashboards."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Min
from django.utils import timezone

from . import exporters as ex
from .exporters.doc import cut
from .models import Article, Claim, Flag, Rating, Verdict, VerdictStatus


@dataclass(frozen=True)
class BodySegment:
    text: str
    claim: Claim | None = None
    number: int | None = None


def article_body_segments(article: Article) -> list[BodySegment]:
    """Return the current revision's body cut into plain text and numbered claims.

    One query for the claims; the pieces cover the body exactly, in order.
    """
    revision = article.current_revision
    if revision is None:
        return []
    claims = list(Claim.objects.filter(revision=revision).order_by("start"))
    numbers = {claim.pk: n for n, claim in enumerate(claims, start=1)}
    return [
        BodySegment(text) if claim is None else BodySegment(text, claim=claim, number=numbers[claim.pk])
        for text, claim in cut(revision.body, claims)
    ]


def _iso(value) -> str:
    return value.isoformat() if value else ""


def article_export_doc(article: Article) -> ex.ExportDoc:
    """Snapshot an article for export, in a fixed number of queries whatever its size.

    The current verdict of each claim (submitted or approved) comes with its evidence and
    its timeline from history; flags come with their rule and resolution.
    """
    article = Article.objects.select_related("outlet", "current_revision").get(pk=article.pk)
    revision = article.current_revision
    claims = list(Claim.objects.filter(revision=revision).order_by("start"))
    verdicts = {
        v.claim_id: v
        for v in Verdict.objects.filter(
            claim__in=claims, status__in=[VerdictStatus.SUBMITTED, VerdictStatus.APPROVED]
        )
        .select_related("rating", "author", "approved_by")
        .prefetch_related("evidence")
    }
    timeline: dict[int, list[ex.TimelineEntry]] = {}
    for h in (
        Verdict.history.filter(claim_id__in=[c.id for c in claims])
        .select_related("history_user", "rating")
        .order_by("history_date")
    ):
        timeline.setdefault(h.claim_id, []).append(
            ex.TimelineEntry(
                when=_iso(h.history_date),
                who=h.history_user.get_username() if h.history_user else "system",
                status=h.status,
                rating=h.rating.label if h.rating else "",
                note=h.history_change_reason or "",
            )
        )
    scale = Rating.objects.filter(value__isnull=False).aggregate(worst=Min("value"), best=Max("value"))
    numbers = {c.id: n for n, c in enumerate(claims, start=1)}

    def verdict(claim: Claim) -> ex.Verdict | None:
        v = verdicts.get(claim.id)
        if v is None:
            return None
        return ex.Verdict(
            rating=v.rating.label,
            rating_value=v.rating.value,
            colour=v.rating.colour,
            worst=scale["worst"] or 1,
            best=scale["best"] or 5,
            summary=v.summary,
            explanation=v.explanation,
            status=v.status,
            author=v.author.get_username(),
            approved_by=v.approved_by.get_username() if v.approved_by else "",
            submitted_at=_iso(v.submitted_at),
            approved_at=_iso(v.approved_at),
            evidence=tuple(
                ex.Evidence(
                    url=e.url,
                    title=e.title,
                    excerpt=e.excerpt,
                    stance=e.stance,
                    accessed=_iso(e.accessed),
                    archive_url=e.archive_url,
                    note=e.note,
                )
                for e in v.evidence.all()
            ),
            timeline=tuple(timeline.get(claim.id, ())),
        )

    flags = (
        Flag.objects.filter(revision=revision)
        .select_related("rule", "resolved_by")
        .order_by("field", "start")
    )
    return ex.ExportDoc(
        article_id=article.pk,
        slug=article.slug,
        title=article.title,
        url=article.url,
        outlet=article.outlet.name if article.outlet else "",
        byline=article.byline,
        published=_iso(article.published),
        revision_id=revision.pk,
        revision_number=revision.number,
        body=revision.body,
        exported_at=timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        site_url=settings.SITE_URL.rstrip("/"),
        claims=tuple(
            ex.Claim(
                id=c.id,
                number=numbers[c.id],
                start=c.start,
                end=c.end,
                text=c.text,
                kind=c.kind,
                status=c.status,
                checkworthy=c.checkworthy,
                score=c.score,
                verdict=verdict(c),
            )
            for c in claims
        ),
        flags=tuple(
            ex.Flag(
                id=f.id,
                rule=f.rule.code,
                title=f.rule.title,
                category=f.rule.category,
                severity=f.severity,
                resolver_role=f.rule.resolver_role,
                reference=f.rule.reference,
                guidance=f.rule.guidance,
                why=f.why,
                status=f.status,
                note=f.note,
                resolved_by=f.resolved_by.get_username() if f.resolved_by else "",
                field=f.field,
                start=f.start,
                end=f.end,
                text=f.text,
                claim_number=numbers.get(f.claim_id),
            )
            for f in flags
        ),
    )
