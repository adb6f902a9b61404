"""The newsroom's roles, as Django groups, and what each may do."""

EDITORS = "Editors"
FACT_CHECKERS = "Fact-checkers"
LEGAL_REVIEWERS = "Legal reviewers"

# Codenames per group; the data migration creates the groups from this table.
GROUP_PERMISSIONS = {
    EDITORS: [
        "view_outlet",
        "add_outlet",
        "change_outlet",
        "view_article",
        "add_article",
        "change_article",
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
    ],
}


def sync_groups(apps, *, require_all: bool = True) -> None:
    """Create the groups and give each exactly its permissions (idempotent).

    ``apps`` is a migration's historical registry or ``django.apps.apps``. An early
    migration passes ``require_all=False``: models added later have no permissions yet.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # create_permissions skips an app without a models module, as a migration's
        # registry has; lend it one, and give back whatever was there.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = list(Permission.objects.filter(content_type__app_label="reviews", codename__in=codenames))
        missing = set(codenames) - {p.codename for p in perms}
        if missing and require_all:
            raise RuntimeError(f"permissions missing for {name}: {sorted(missing)}")
        group.permissions.set(perms)


def has_role(user, group_name: str) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(g.name == group_name for g in user.groups.all())
