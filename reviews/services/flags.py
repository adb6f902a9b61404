"""Flag services: raise flags on a revision, resolve them, re-run the rules, change a rule.

The rules a newsroom runs (its enabled built-in rules, its watch terms, its party sources)
are read once into a ``RuleBook`` before any write; every path that raises flags (a new
article, a new version, a bulk import, a reflag) evaluates that book and stores its hits
through ``flag_rows``.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .. import rules
from ..models import Article, ArticleRevision, Claim, Flag, FlagRule, FlagStatus, PartySource, ResolverRole
from ..roles import EDITORS, has_role
from ..textproc import Analysis, Checkables, ClaimCandidate, Metadata
from .history import delete_with_history, save_with_history
from .webhooks import flag_resolved_emitted, flags_raised_emitted

_WS = re.compile(r"\s+")


class FlagError(Exception):
    """A flag action that is not allowed; the message says why."""


def _passage_key(rule_id: int, text: str) -> tuple[int, str]:
    return rule_id, _WS.sub(" ", text).strip().lower()


def flagrules_sync(*, actor=None) -> dict[str, FlagRule]:
    """Make sure every built-in rule has its row (never overwriting a newsroom's edits)."""
    existing = {r.code: r for r in FlagRule.objects.all()}
    for rule in (*rules.RULES, *rules.CROSS_ARTICLE_RULES):
        if rule.code not in existing:
            row = FlagRule(
                code=rule.code,
                title=rule.title,
                category=rule.category,
                severity=rule.severity,
                reference=rule.reference,
                guidance=rule.guidance,
                resolver_role=rule.resolver_role,
                builtin=True,
            )
            try:
                with transaction.atomic():
                    save_with_history(row, actor=actor, reason=f"rule library {rules.RULES_VERSION}")
            except IntegrityError:
                # A parallel ingest stored it first (the unique code waited for its commit).
                row = FlagRule.objects.get(code=rule.code)
            existing[rule.code] = row
    return existing


def knowledge() -> rules.Knowledge:
    """The shipped party list merged with the newsroom's party sources."""
    grouped: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: {"alias": [], "body": []})
    for row in PartySource.objects.all():
        grouped[(row.conflict, row.party)][row.kind].append(row.term)
    extra = [
        rules.Party(conflict=c, name=p, aliases=tuple(t["alias"]), bodies=tuple(t["body"]))
        for (c, p), t in grouped.items()
    ]
    return rules.merged_knowledge(extra)


def revision_analysis(revision: ArticleRevision) -> Analysis:
    """Rebuild the pipeline's view of a stored revision from its claims (one query)."""
    claims = [
        ClaimCandidate(
            index=c.index,
            start=c.start,
            end=c.end,
            text=c.text,
            kind=c.kind,
            checkworthy=c.checkworthy,
            score=c.score,
            checkables=Checkables.from_dict(c.checkables),
        )
        for c in Claim.objects.filter(revision=revision).order_by("index")
    ]
    meta = revision.metadata or {}
    return Analysis(
        metadata=Metadata(**{k: meta.get(k, "") for k in Metadata.__slots__}) if meta else Metadata(),
        body=revision.body,
        removed=(),
        claims=tuple(claims),
        pipeline_version=revision.pipeline_version,
    )


@dataclass(frozen=True)
class RuleBook:
    """The newsroom's rules as they stand, read once: evaluate them with ``hits``."""

    rows: dict[str, FlagRule]  # every rule's row, by code
    enabled: frozenset[str]  # the built-in rules switched on
    watch: tuple[rules.WatchTermRule, ...]  # the newsroom's own term lists, switched on
    known: rules.Knowledge

    def hits(self, analysis: Analysis) -> list[rules.Hit]:
        return rules.run_rules(analysis, knowledge=self.known, enabled=self.enabled, watch_terms=self.watch)


def rulebook(*, actor=None) -> RuleBook:
    """Read the newsroom's rules (creating a missing built-in rule's row)."""
    rows = flagrules_sync(actor=actor)
    return RuleBook(
        rows=rows,
        enabled=frozenset(code for code, row in rows.items() if row.builtin and row.enabled),
        watch=tuple(
            rules.WatchTermRule(code=row.code, patterns=rules.compile_terms(row.terms))
            for row in rows.values()
            if not row.builtin and row.enabled and row.terms.strip()
        ),
        known=knowledge(),
    )


def flag_rows(hits: Iterable[rules.Hit], book: RuleBook, **fields) -> list[tuple[int | None, Flag]]:
    """Unsaved flags for ``hits`` (with ``fields`` such as article and revision), each with the
    index of the claim it is on: the one definition every path that raises flags uses."""
    out = []
    for hit in hits:
        row = book.rows.get(hit.rule)
        if row is None or not row.enabled:
            continue
        flag = Flag(
            rule=row,
            field=hit.field,
            start=hit.start,
            end=hit.end,
            text=hit.text,
            why=hit.why,
            confidence=hit.confidence,
            severity=row.severity,
            resolver_role=row.resolver_role,
            rules_version=rules.RULES_VERSION,
            **fields,
        )
        out.append((hit.claim, flag))
    return out


def revision_flags_close(*, article: Article, actor, reason: str) -> int:
    """Close the open flags of an article's earlier revisions: their text is no longer the one
    to publish, and its flags are raised (and decided) again on the current revision."""
    stale = list(
        Flag.objects.filter(article=article, status=FlagStatus.OPEN).exclude(
            revision_id=article.current_revision_id
        )
    )
    now = timezone.now()
    for flag in stale:
        flag.status, flag.resolved_by, flag.resolved_at = FlagStatus.SUPERSEDED, actor, now
        flag.note = reason
    if stale:
        bulk_update_with_history(
            stale,
            Flag,
            ["status", "resolved_by", "resolved_at", "note"],
            default_user=actor,
            default_change_reason=reason,
        )
    return len(stale)


def revision_flag(
    *, revision: ArticleRevision, hits: Iterable[rules.Hit], book: RuleBook, actor, reason: str
) -> list[Flag]:
    """Store ``hits`` (``book``'s on the revision's text) as the revision's flags; a passage
    decided before keeps its decision.

    A flag raised again on the same passage (same rule, same words) as a flag confirmed or
    dismissed on an earlier revision carries that decision, with who made it and when. Flags
    already on the revision for the same rule and span are left as they are.
    """
    article = revision.article
    claim_ids = dict(Claim.objects.filter(revision=revision).values_list("index", "id"))
    existing = {
        (f.rule_id, f.field, f.start, f.end)
        for f in Flag.objects.filter(revision=revision).only("rule_id", "field", "start", "end")
    }
    decided = {  # the latest decision on each passage
        _passage_key(f.rule_id, f.text): f
        for f in Flag.objects.filter(article=article, status__in=[FlagStatus.CONFIRMED, FlagStatus.DISMISSED])
        .exclude(revision=revision)
        .select_related("resolved_by", "revision")
        .order_by("resolved_at", "pk")
    }
    new = []
    for claim_index, flag in flag_rows(hits, book, article=article, revision=revision):
        key = (flag.rule_id, flag.field, flag.start, flag.end)
        if key in existing:
            continue
        existing.add(key)
        flag.claim_id = claim_ids.get(claim_index)
        earlier = decided.get(_passage_key(flag.rule_id, flag.text))
        if earlier is not None:
            flag.status = earlier.status
            flag.resolved_by = earlier.resolved_by
            flag.resolved_at = earlier.resolved_at
            flag.note = (
                f"{earlier.get_status_display()} for the same passage in revision {earlier.revision.number}: "
                f"{earlier.note}"
            )
        new.append(flag)
    created = bulk_create_with_history(new, Flag, default_user=actor, default_change_reason=reason)
    flags_raised_emitted(created)
    return created


def flagrule_change_refusal(before: FlagRule | None, after: FlagRule, user) -> str | None:
    """Why ``user`` may not make this change to a rule, or None when they may.

    Switching off a legal rule, or handing its flags to editors, would take a legal sign-off
    away: only a legal reviewer may do either. (Flags already raised keep their resolver.)
    """
    if before is None or before.resolver_role != ResolverRole.LEGAL:
        return None
    if user.has_perm("reviews.resolve_legal_flag"):
        return None
    if after.resolver_role != before.resolver_role:
        return "only a legal reviewer may change who resolves a legal rule's flags"
    if after.enabled != before.enabled:
        return "only a legal reviewer may switch a legal rule on or off"
    return None


@transaction.atomic
def flagrule_save(*, rule: FlagRule, actor, reason: str) -> FlagRule:
    """Create or change a rule's newsroom settings, with the legal sign-off guard."""
    before = FlagRule.objects.select_for_update().filter(pk=rule.pk).first() if rule.pk else None
    refusal = flagrule_change_refusal(before, rule, actor)
    if refusal:
        raise FlagError(refusal)
    save_with_history(rule, actor=actor, reason=reason)
    return rule


def resolvable(user, flags: Iterable[Flag]) -> set[int]:
    """The ids of the open ``flags`` that ``user`` may confirm or dismiss: a legal rule's by a
    legal reviewer, any other by an editor (the user's roles read once)."""
    if not user.has_perm("reviews.change_flag"):
        return set()
    legal, editor = user.has_perm("reviews.resolve_legal_flag"), has_role(user, EDITORS)
    return {
        f.pk
        for f in flags
        if f.status == FlagStatus.OPEN and (legal if f.resolver_role == ResolverRole.LEGAL else editor)
    }


def can_resolve(user, flag: Flag) -> bool:
    """Whether ``user`` may decide ``flag`` by its resolver (whatever its status)."""
    if flag.resolver_role == ResolverRole.LEGAL:
        return user.has_perm("reviews.resolve_legal_flag")
    return has_role(user, EDITORS)


def resolver_roles(user) -> set[str]:
    """The resolver roles whose flags ``user`` may confirm or dismiss (none for a fact-checker)."""
    if not user.has_perm("reviews.change_flag"):
        return set()
    roles = {ResolverRole.LEGAL} if user.has_perm("reviews.resolve_legal_flag") else set()
    return roles | ({ResolverRole.EDITOR} if has_role(user, EDITORS) else set())


# How a page names a resolver's flags and the person who resolves them.
RESOLVER_WORDS = {
    ResolverRole.LEGAL: ("legal", "a legal reviewer"),
    ResolverRole.EDITOR: ("editorial", "an editor"),
}


@transaction.atomic
def flag_resolve(*, flag: Flag, actor, status: str, note: str) -> Flag:
    """Confirm or dismiss a flag, with a note; legal flags only by legal reviewers."""
    flag = Flag.objects.select_for_update(of=("self",)).select_related("rule", "article").get(pk=flag.pk)
    if status not in (FlagStatus.CONFIRMED, FlagStatus.DISMISSED):
        raise FlagError(f"a flag is resolved as confirmed or dismissed, not {status!r}")
    if not note.strip():
        raise FlagError("say why: a note is required to confirm or dismiss a flag")
    if not can_resolve(actor, flag):
        kind, who = RESOLVER_WORDS[flag.resolver_role]
        raise FlagError(f"{kind} flags ({flag.rule.title}) are resolved by {who}")
    if flag.status != FlagStatus.OPEN:
        raise FlagError(f"this flag is already {flag.get_status_display().lower()} by {flag.resolved_by}")
    flag.status = status
    flag.note = note.strip()
    flag.resolved_by = actor
    flag.resolved_at = timezone.now()
    save_with_history(flag, actor=actor, reason=f"{status}: {flag.note}"[:500])
    flag_resolved_emitted(flag)
    return flag


@transaction.atomic
def article_reflag(*, article: Article, actor) -> tuple[int, int]:
    """Run the rules again on an article's current revision.

    Returns (flags added, open flags withdrawn because no rule raises them now).
    Confirmed and dismissed flags are kept.
    """
    revision = article.current_revision
    if revision is None:
        return 0, 0
    analysis = revision_analysis(revision)
    book = rulebook(actor=actor)
    hits = book.hits(analysis)
    raised = {(book.rows[h.rule].id, h.field, h.start, h.end): h for h in hits if h.rule in book.rows}
    withdrawn = 0
    # Locked: a person deciding a flag meanwhile (flag_resolve locks it too) waits, and the
    # flag is read again as decided, so a reflag never reopens a decision or undoes it.
    for flag in Flag.objects.select_for_update().filter(revision=revision, status=FlagStatus.OPEN):
        hit = raised.get((flag.rule_id, flag.field, flag.start, flag.end))
        if hit is None:
            delete_with_history(flag, actor=actor, reason=f"no longer raised by rules {rules.RULES_VERSION}")
            withdrawn += 1
        elif hit.confidence != flag.confidence:
            # Still raised: an open flag takes the current scorer's confidence (a decided one
            # keeps what it had when the person decided).
            flag.confidence = hit.confidence
            save_with_history(flag, actor=actor, reason="confidence from the current flag scorer")
    withdrawn += revision_flags_close(
        article=article, actor=actor, reason=f"closed: revision {revision.number} is the current text"
    )
    added = revision_flag(
        revision=revision,
        hits=hits,
        book=book,
        actor=actor,
        reason=f"reflag with rules {rules.RULES_VERSION}",
    )
    return len(added), withdrawn
