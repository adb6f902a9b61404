"""The newsroom's roles, as Django groups, and what each may do."""

EDITORS = "Editors"
FACT_CHECKERS = "Fact-checkers"
LEGAL_REVIEWERS = "Legal reviewers"

# Codenames per group; a post_migrate handler keeps the groups to this table.
GROUP_PERMISSIONS = {
    EDITORS: [
        "view_outlet",
        "add_outlet",
        "change_outlet",
        "view_article",
        "add_article",
        "change_article",
        "publish_reviews",
        "view_articlerevision",
        "view_claim",
        "change_claim",
        "assign_claim",
        "view_verdict",
        "approve_verdict",
        "view_evidence",
        "add_evidence",
        "change_evidence",
        "view_rating",
        "view_flagrule",
        "add_flagrule",
        "change_flagrule",
        "view_flag",
        "change_flag",
        "view_partysource",
        "add_partysource",
        "change_partysource",
        "view_claimmatch",
        "change_claimmatch",
        "view_claimnote",
        "add_claimnote",
        # A CMS's webhooks: registered by editors, deliveries logged and replayable
        "view_webhook",
        "add_webhook",
        "change_webhook",
        "delete_webhook",
        "view_webhookdelivery",
        "view_feed",
        "add_feed",
        "change_feed",
        "view_feedentry",
        "view_job",
        "change_job",  # run a failed job again
    ],
    FACT_CHECKERS: [
        "view_outlet",
        "view_article",
        "view_articlerevision",
        "view_claim",
        "change_claim",
        "view_verdict",
        "add_verdict",
        "change_verdict",
        "view_evidence",
        "add_evidence",
        "change_evidence",
        "view_rating",
        "view_flagrule",
        "view_flag",
        "view_partysource",
        "view_claimmatch",
        "change_claimmatch",
        "view_claimnote",
        "add_claimnote",
        "view_feed",
        "view_feedentry",
    ],
    LEGAL_REVIEWERS: [
        "view_outlet",
        "view_article",
        "view_articlerevision",
        "view_claim",
        "view_verdict",
        "view_evidence",
        "view_rating",
        "view_flagrule",
        "change_flagrule",  # legal rules only, and only who resolves them, on/off, severity, guidance
        "view_flag",
        "change_flag",
        "resolve_legal_flag",
        "view_partysource",
        "view_claimmatch",
        "view_claimnote",
        "add_claimnote",
        "view_feed",
        "view_feedentry",
    ],
}


def sync_groups() -> None:
    """Create the groups and give each exactly its permissions (idempotent; run after every
    migrate by ``reviews.apps``)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        # "codename" is one of this app's; "app_label.codename" another app's.
        wanted = {tuple(c.split(".", 1)) if "." in c else ("reviews", c) for c in codenames}
        found = Permission.objects.filter(
            content_type__app_label__in={app for app, _ in wanted}, codename__in={c for _, c in wanted}
        ).select_related("content_type")
        perms = [p for p in found if (p.content_type.app_label, p.codename) in wanted]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in perms}
        if missing:
            raise RuntimeError(f"permissions missing for {name}: {sorted('.'.join(m) for m in missing)}")
        group.permissions.set(perms)


def has_role(user, group_name: str) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(g.name == group_name for g in user.groups.all())
