"""Composite reads for the admin, exports and dashboards."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from statistics import median

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from . import exporters as ex
from .models import (
    OPEN_STATUSES,
    Article,
    Claim,
    ClaimMatch,
    ClaimNote,
    ClaimStatus,
    Evidence,
    Flag,
    FlagStatus,
    MatchStatus,
    Rating,
    Verdict,
    VerdictStatus,
)
from .roles import FACT_CHECKERS
from .textproc.shorten import shorten
from .textproc.similarity import LITTLE_IN_COMMON


@dataclass(frozen=True)
class BodySegment:
    text: str
    claim: Claim | None = None
    number: int | None = None


TEXT_PAGE = 200  # claims per page of an article's text in the admin


def article_body_segments(article: Article, *, page: int = 1, per_page: int = TEXT_PAGE) -> list[BodySegment]:
    """Return one page of the current revision's body cut into plain text and numbered claims.

    Page ``n`` holds claims ``(n-1)*per_page+1 … n*per_page`` and the text around them, from
    the first one's start (the body's start on page 1) to the next page's first claim (the
    body's end on the last page): the pages laid end to end cover the body exactly, and a
    page's size does not grow with the article. One query for the claims.
    """
    revision = article.current_revision
    if revision is None or page < 1:
        return []
    offset = (page - 1) * per_page
    claims = list(
        Claim.objects.filter(revision=revision).order_by("start", "pk")[offset : offset + per_page + 1]
    )
    if not claims and page > 1:
        return []
    end = claims[per_page].start if len(claims) > per_page else len(revision.body)
    cursor = 0 if page == 1 else claims[0].start
    segments = []
    for number, claim in enumerate(claims[:per_page], start=offset + 1):
        if claim.start < cursor:
            continue
        if claim.start > cursor:
            segments.append(BodySegment(revision.body[cursor : claim.start]))
        segments.append(BodySegment(revision.body[claim.start : claim.end], claim=claim, number=number))
        cursor = claim.end
    if cursor < end:
        segments.append(BodySegment(revision.body[cursor:end]))
    return segments


def article_title_derived(article: Article) -> bool:
    """Whether the title is still the one taken from the first sentence (the text had no headline).

    True when the first version's text had no headline and nobody has changed the title since.
    """
    metadata = article.revisions.filter(number=1).values_list("metadata", flat=True).first()
    if metadata is None or (metadata or {}).get("title"):
        return False
    first = article.history.order_by("history_date", "history_id").values_list("title", flat=True).first()
    return first == article.title


def article_text_page(claim: Claim, *, per_page: int = TEXT_PAGE) -> int:
    """The page of its article's text (``article_body_segments``) that shows ``claim``: 1 for
    a claim no longer in the current revision. One query."""
    if claim.revision_id != claim.article.current_revision_id:
        return 1
    before = (
        Claim.objects.filter(revision_id=claim.revision_id)
        .filter(Q(start__lt=claim.start) | Q(start=claim.start, pk__lt=claim.pk))
        .count()
    )
    return before // per_page + 1


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _name(user) -> str:
    """A person's full name, when they gave one ('' for a username alone)."""
    return user.get_full_name().strip() if user else ""


def publisher() -> ex.Publisher:
    """The organisation that publishes the fact-checks, from settings."""
    return ex.Publisher(
        name=settings.PUBLISHER_NAME,
        url=settings.PUBLISHER_URL,
        logo=settings.PUBLISHER_LOGO,
        same_as=tuple(settings.PUBLISHER_SAME_AS),
    )


def article_export_doc(article: Article, *, exported_by=None) -> ex.ExportDoc:
    """Snapshot an article for export, in a fixed number of queries whatever its size.

    The current verdict of each claim (submitted or approved) comes with its evidence and
    its timeline from history; flags come with their rule and resolution; claims with their
    discussion notes. ``exported_by`` is the person exporting (named in the files).
    """
    article = Article.objects.select_related("outlet", "current_revision").get(pk=article.pk)
    revision = article.current_revision
    claims = list(Claim.objects.filter(revision=revision).order_by("start"))
    # The current verdict of each claim; for a stale claim, the verdict its edit superseded.
    stale = [c.id for c in claims if c.status == ClaimStatus.STALE]
    verdicts = {
        v.claim_id: v
        for v in Verdict.objects.filter(
            Q(claim__in=claims, status__in=[VerdictStatus.SUBMITTED, VerdictStatus.APPROVED])
            | Q(claim__in=stale, status=VerdictStatus.SUPERSEDED)
        )
        .select_related("rating", "author", "approved_by")
        .prefetch_related("evidence")
        .order_by("submitted_at", "pk")  # a later verdict of a claim wins
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
    notes: dict[int, list[ex.Note]] = {}
    for n in ClaimNote.objects.filter(claim__in=claims).select_related("author").order_by("created_at", "pk"):
        notes.setdefault(n.claim_id, []).append(
            ex.Note(
                id=n.pk,
                author=_name(n.author) or n.author.get_username(),
                when=_iso(n.created_at),
                text=n.text,
                parent_id=n.parent_id,
            )
        )
    ratings = list(Rating.objects.order_by("scale", "order"))
    values = [r.value for r in ratings if r.value is not None]
    worst, best = (min(values), max(values)) if values else (1, 5)
    numbers = {c.id: n for n, c in enumerate(claims, start=1)}

    def verdict(claim: Claim) -> ex.Verdict | None:
        v = verdicts.get(claim.id)
        if v is None:
            return None
        return ex.Verdict(
            rating=v.rating.label,
            rating_value=v.rating.value,
            colour=v.rating.colour,
            worst=worst,
            best=best,
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
                    description=e.description,
                )
                for e in v.evidence.all()
            ),
            timeline=tuple(timeline.get(claim.id, ())),
            claim_reviewed=v.claim_reviewed,
            media_rating=v.media_rating,
            media_rating_label=v.get_media_rating_display() if v.media_rating else "",
            author_name=_name(v.author),
            approver_name=_name(v.approved_by),
        )

    def media(claim: Claim) -> ex.Media | None:
        if not (claim.media_kind and claim.media_url):
            return None
        return ex.Media(
            kind=claim.media_kind,
            url=claim.media_url,
            archive_url=claim.media_archive_url,
            description=claim.media_description,
        )

    flags = (
        Flag.objects.filter(revision=revision)
        .select_related("rule", "resolved_by")
        .order_by("field", "start", "pk")
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
                claimant=c.claimant,
                claimant_kind=c.claimant_kind,
                claimant_url=c.claimant_url,
                appearances=tuple(c.appearances or ()),
                first_appeared=_iso(c.first_appeared),
                media=media(c),
                notes=tuple(notes.get(c.id, ())),
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
                resolver_role=f.resolver_role,
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
                resolved_at=_iso(f.resolved_at),
                resolver_name=_name(f.resolved_by),
                number=n,
                confidence=f.confidence_label,
            )
            for n, f in enumerate(flags, start=1)
        ),
        scale=tuple(ex.RatingEntry(label=r.label, value=r.value, colour=r.colour) for r in ratings),
        publisher=publisher(),
        exported_by=(_name(exported_by) or exported_by.get_username()) if exported_by else "",
    )


@dataclass(frozen=True)
class Dashboard:
    by_state: list[tuple[str, int]]  # (status, claims), every status in workflow order
    overdue: int
    load: list[tuple[int, str, int, int]]  # (user id, fact-checker, open claims, of which overdue)
    median_hours_to_approval: float | None  # over approvals in the window
    approvals_in_window: int
    window_days: int
    by_rating: list[tuple[str, str, int]]  # (label, colour, current verdicts)
    my_queue: int
    awaiting_approval: int
    open_legal_flags: int
    computed_at: datetime | None = None  # when the newsroom-wide figures were counted


DASHBOARD_SECONDS = 60  # how stale the newsroom-wide figures may be
COUNT_CAP = 10_000  # a dashboard count beyond this reads "10,000+"


def count_shown(count: int, cap: int | None = None) -> str:
    """A capped count as people read it: "10,000+" beyond the cap."""
    cap = COUNT_CAP if cap is None else cap
    return f"{cap:,}+" if count > cap else f"{count:,}"


def capped(queryset) -> int:
    """The number of rows, counted no further than ``COUNT_CAP + 1`` (in no order: any rows will do)."""
    return queryset.order_by()[: COUNT_CAP + 1].count()


def claims_by_state() -> dict[str, int]:
    """Claims per workflow state, each count capped, in one query (one bounded index read per state)."""
    table = Claim._meta.db_table
    part = f"SELECT %s, (SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE status = %s LIMIT %s) AS capped)"
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join([part] * len(ClaimStatus.values)),
            [v for status in ClaimStatus.values for v in (status, status, COUNT_CAP + 1)],
        )
        return dict(cursor.fetchall())


def dashboard(user, *, today=None, window_days: int = 90) -> Dashboard:
    """The newsroom at a glance. The newsroom-wide figures are computed at most once a minute
    per server process, and each count stops at ``COUNT_CAP`` (shown as "10,000+"): a count
    reads at most that many index entries, however many claims the archive holds. The
    person's own queue is always fresh."""
    today = today or timezone.localdate()
    shared = cache.get_or_set(
        f"dashboard:{today.isoformat()}:{window_days}",
        lambda: _newsroom_figures(today, window_days),
        DASHBOARD_SECONDS,
    )
    mine = Claim.objects.for_checker(user).count() if user.has_perm("reviews.add_verdict") else 0
    return replace(shared, my_queue=mine)


def _newsroom_figures(today, window_days: int) -> Dashboard:
    counts = claims_by_state()
    open_q = Q(claims__status__in=OPEN_STATUSES)
    load = (
        get_user_model()
        .objects.filter(groups__name=FACT_CHECKERS, is_active=True)
        .annotate(
            n_open=Count("claims", filter=open_q),
            n_overdue=Count("claims", filter=open_q & Q(claims__due__lt=today)),
        )
        .order_by("-n_open", "username")
        .values_list("pk", "username", "n_open", "n_overdue")
    )
    since = timezone.now() - timedelta(days=window_days)
    spans = [
        (approved - assigned).total_seconds() / 3600
        for approved, assigned in Verdict.objects.filter(
            status=VerdictStatus.APPROVED, approved_at__gte=since, claim__assigned_at__isnull=False
        ).values_list("approved_at", "claim__assigned_at")
    ]
    ratings = (
        Rating.objects.annotate(
            n=Count(
                "verdicts", filter=Q(verdicts__status__in=[VerdictStatus.SUBMITTED, VerdictStatus.APPROVED])
            )
        )
        .order_by("scale", "order")
        .values_list("label", "colour", "n")
    )
    return Dashboard(
        by_state=[(status, counts.get(status, 0)) for status in ClaimStatus.values],
        overdue=capped(Claim.objects.overdue(today)),
        load=list(load),
        median_hours_to_approval=round(median(spans), 1) if spans else None,
        approvals_in_window=len(spans),
        window_days=window_days,
        by_rating=list(ratings),
        my_queue=0,
        awaiting_approval=counts.get(ClaimStatus.SUBMITTED, 0),
        open_legal_flags=capped(Flag.objects.filter(status=FlagStatus.OPEN, resolver_role="legal")),
        computed_at=timezone.now(),
    )


CONTEXT_SENTENCES = 2
CONTEXT_FALLBACK_CHARS = 300


@dataclass(frozen=True)
class ClaimPage:
    claim: Claim
    before: str  # the sentences before the claim, as they stand in the article
    after: str
    flags: list[Flag]
    verdicts: list[Verdict]  # newest first; the current one (submitted or approved) among them
    history: list  # the claim's history rows, newest first
    more_history: bool
    similar: list  # (match, the other claim, its current verdict or None): likely the same first


def claim_page(pk: int, *, history_rows: int = 25) -> ClaimPage:
    """A claim with everything a fact-checker needs beside it, in a fixed number of queries."""
    claim = Claim.objects.select_related("article", "revision", "assignee", "assigned_by").get(pk=pk)
    body, i = claim.revision.body, claim.index
    spans = {
        index: (start, end)
        for index, start, end in Claim.objects.filter(
            revision_id=claim.revision_id, index__range=(max(i - CONTEXT_SENTENCES, 0), i + CONTEXT_SENTENCES)
        ).values_list("index", "start", "end")
    }
    first = min(spans)
    last = max(spans)
    begin = spans[first][0] if first < i else max(claim.start - CONTEXT_FALLBACK_CHARS, 0)
    finish = spans[last][1] if last > i else min(claim.end + CONTEXT_FALLBACK_CHARS, len(body))
    history = list(
        claim.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : history_rows + 1
        ]
    )
    return ClaimPage(
        claim=claim,
        before=body[begin : claim.start],
        after=body[claim.end : finish],
        flags=list(  # the flags of the text the claim now stands in (earlier revisions' are closed)
            Flag.objects.filter(claim=claim, revision_id=claim.revision_id)
            .select_related("rule", "resolved_by")
            .order_by("start")
        ),
        verdicts=list(
            Verdict.objects.filter(claim=claim)
            .select_related("rating", "author", "approved_by", "returned_by")
            .prefetch_related("evidence")
            .order_by("-submitted_at", "-pk")
        ),
        history=history[:history_rows],
        more_history=len(history) > history_rows,
        similar=similar_claims(claim),
    )


PARAGRAPH_SHOWN_CHARS = 700  # either side of a passage in a very long paragraph
PARAGRAPH_SHORT_CHARS = 200  # a paragraph with less than this beside its passage shows its neighbours


def _paragraph_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _paragraph_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def paragraph_around(
    text: str, start: int, end: int, *, limit: int = PARAGRAPH_SHOWN_CHARS, short: int = PARAGRAPH_SHORT_CHARS
) -> tuple[str, str]:
    """The rest of the paragraph (a line of the stored text) before and after ``text[start:end]``;
    with the paragraphs either side when it is little more than the passage (news paragraphs
    are often one sentence), cut at a word with "…" beyond ``limit`` characters."""
    begin, finish = _paragraph_start(text, start), _paragraph_end(text, end)
    if (start - begin) + (finish - end) < short:
        above = text[:begin].rstrip("\n")
        begin = _paragraph_start(text, len(above)) if above else begin
        below = len(text) - len(text[finish:].lstrip("\n"))
        finish = _paragraph_end(text, below) if below < len(text) else finish
    before, after = text[begin:start], text[end:finish]
    if len(before) > limit:
        before = "…" + before[-limit:].split(" ", 1)[-1]
    if len(after) > limit:
        after = after[:limit].rsplit(" ", 1)[0] + "…"
    return before, after


@dataclass(frozen=True)
class FlagPage:
    flag: Flag
    before: str  # the passage's paragraph before it, as it stands in the flagged text
    after: str


def flag_page(pk: int) -> FlagPage:
    """A flag with the paragraph its passage stands in, its rule, claim and decision (one query)."""
    flag = Flag.objects.select_related("rule", "article", "revision", "claim", "resolved_by").get(pk=pk)
    if flag.field == "title":
        text = (flag.revision.metadata or {}).get("title") or flag.article.title
    else:
        text = flag.revision.body
    if text[flag.start : flag.end] != flag.text:  # a headline edited since: the passage on its own
        return FlagPage(flag=flag, before="", after="")
    before, after = paragraph_around(text, flag.start, flag.end)
    return FlagPage(flag=flag, before=before, after=after)


def similar_claims(claim: Claim) -> list:
    """Matches of a claim in either direction, each with the other claim and its verdict:
    the likely the same first, then the suggested, the best scored first in each. A proposal
    that shared nothing nameable (made before such pairs stopped being proposed) is left out."""
    matches = list(
        ClaimMatch.objects.filter(Q(claim=claim) | Q(other=claim))
        .exclude(status=MatchStatus.PROPOSED, explanation=LITTLE_IN_COMMON)
        .select_related("claim__article", "other__article", "decided_by")
        .order_by("tier", "-score", "pk")  # "likely" sorts before "suggested"
    )
    others = {m.pk: (m.other if m.claim_id == claim.pk else m.claim) for m in matches}
    verdicts = {
        v.claim_id: v
        for v in Verdict.objects.filter(
            claim__in=[o.pk for o in others.values()],
            status__in=[VerdictStatus.SUBMITTED, VerdictStatus.APPROVED],
        ).select_related("rating", "author", "approved_by")
    }
    return [(m, others[m.pk], verdicts.get(others[m.pk].pk)) for m in matches]


def reusable_evidence(claim: Claim, user, *, limit: int = 30):
    """Sources a fact-checker is likely to cite again: used on this article, or recorded by them."""
    ids = list(
        Evidence.objects.filter(Q(verdicts__claim__article_id=claim.article_id) | Q(created_by=user))
        .order_by("-created_at")
        .values_list("pk", flat=True)
        .distinct()[:limit]
    )
    return Evidence.objects.filter(pk__in=ids).order_by("-created_at")


@dataclass(frozen=True)
class Action:
    when: datetime
    what: str  # "Created", "Changed", "Deleted"
    kind: str  # the record's kind, e.g. "claim"
    label: str
    why: str
    url: str


RECENT_KINDS = (  # (model, the field that names a record) for "your recent actions"
    (Claim, "text"),
    (Verdict, "summary"),
    (Flag, "text"),
    (Article, "title"),
)


def recent_actions(user, *, limit: int = 10) -> list[Action]:
    """What ``user`` last did, newest first, read from the history every write leaves (one
    bounded query per kind of record)."""
    found = []
    for model, name in RECENT_KINDS:
        opts = model._meta
        rows = (
            model.history.filter(history_user=user)
            .order_by("-history_date")
            .values("id", name, "history_date", "history_type", "history_change_reason")[:limit]
        )
        for row in rows:
            label = shorten(row[name], 90)
            url = (
                ""
                if row["history_type"] == "-"
                else reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row["id"]])
            )
            what = {"+": "Created", "~": "Changed", "-": "Deleted"}[row["history_type"]]
            found.append(
                Action(
                    row["history_date"],
                    what,
                    opts.verbose_name,
                    label,
                    row["history_change_reason"] or "",
                    url,
                )
            )
    return sorted(found, key=lambda a: a.when, reverse=True)[:limit]


QUEUE_ORDER = (F("due").asc(nulls_last=True), "-priority", "pk")  # what is due first, then what matters most
NEIGHBOURS_SCAN = 1_000  # a queue is read this far to find a claim's neighbours


@dataclass(frozen=True)
class Neighbours:
    """Where the previous and next claim are, for working through a list without going back to it."""

    within: str  # "your queue" or "this article"
    previous: int | None
    next: int | None
    position: int  # 1-based
    total: int


def claim_neighbours(claim: Claim, user) -> Neighbours:
    """The claims before and after ``claim`` in ``user``'s queue when it is in it, else among
    the check-worthy claims of its article (one or two bounded queries)."""
    queue = list(
        Claim.objects.for_checker(user).order_by(*QUEUE_ORDER).values_list("pk", flat=True)[:NEIGHBOURS_SCAN]
    )
    within = "your queue"
    if claim.pk not in queue:
        within = "this article"
        queue = list(
            Claim.objects.filter(revision_id=claim.revision_id, checkworthy=True)
            .exclude(status=ClaimStatus.WITHDRAWN)
            .order_by("index")
            .values_list("pk", flat=True)[:NEIGHBOURS_SCAN]
        )
    if claim.pk not in queue:
        return Neighbours(within, None, None, 0, len(queue))
    at = queue.index(claim.pk)
    return Neighbours(
        within,
        queue[at - 1] if at > 0 else None,
        queue[at + 1] if at + 1 < len(queue) else None,
        at + 1,
        len(queue),
    )


def claim_discussion(claim: Claim) -> list[tuple[ClaimNote, list[ClaimNote]]]:
    """The claim's notes as threads: each top-level note with its replies, oldest first."""
    notes = list(ClaimNote.objects.filter(claim=claim).select_related("author"))
    replies: dict[int, list[ClaimNote]] = {}
    for note in notes:
        if note.parent_id:
            replies.setdefault(note.parent_id, []).append(note)
    roots = [n for n in notes if n.parent_id is None]

    def thread(note):  # replies to replies join the thread they belong to
        out = []
        for reply in replies.get(note.pk, []):
            out += [reply, *thread(reply)]
        return out

    return [(root, thread(root)) for root in roots]
