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
        "view_flag",
        "change_flag",
        "resolve_legal_flag",
    ],
}


def has_role(user, group_name: str) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(g.name == group_name for g in user.groups.all())
