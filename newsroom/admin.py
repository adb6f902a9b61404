"""The admin site: Django's, with the newsroom dashboard on its index page and an audit trail."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path


class BoundedLookups:
    """Crafted values in an admin URL are refused the way Django refuses a bad lookup.

    Django turns a ValueError in a list's query into its "invalid lookup" answer but lets
    OverflowError (a date-hierarchy year past 9999) through as a server error; the history
    pages look records up by any string. Mixed into every admin registered on the site.
    """

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc

    def _is_key(self, value) -> bool:
        try:
            key = self.opts.pk.to_python(unquote(value))
        except ValidationError:
            return False
        return not isinstance(key, int) or abs(key) < 2**63

    def history_view(self, request, object_id, extra_context=None):
        if not self._is_key(object_id):  # '²' or a number past any column: no such record
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not (self._is_key(object_id) and str(version_id).isascii() and str(version_id).isdigit()):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


PERSON = "_person"


class PeopleByName:
    """A person in a read-only field is named, not linked.

    Django links every read-only foreign key to the related record's admin page without asking
    whether the reader may open it, and the people admin is for superusers: for everyone else
    "Created by: editor" or "Resolved by: legal" led to a refusal. Each read-only field holding a
    user is shown as ``<field>_person``: the person's username, with the field's label.
    Mixed into every admin registered on the site.
    """

    def _people(self) -> set[str]:
        User = get_user_model()
        return {f.name for f in self.model._meta.concrete_fields if f.many_to_one and f.related_model is User}

    def _named(self, names, readonly) -> tuple:
        people = self._people()
        return tuple(
            self._named(name, readonly)
            if isinstance(name, (list, tuple))
            else f"{name}{PERSON}"
            if name in people and (readonly is None or name in readonly)
            else name
            for name in names
        )

    def get_readonly_fields(self, request, obj=None):
        return self._named(super().get_readonly_fields(request, obj), None)

    def get_fieldsets(self, request, obj=None):
        # Everything is read-only on the page of someone who may only view it.
        may_change = obj is None or self.has_change_permission(request, obj)
        readonly = set(super().get_readonly_fields(request, obj)) if may_change else None
        return [
            (name, {**options, "fields": self._named(options["fields"], readonly)})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def __getattr__(self, name):
        field = name.removesuffix(PERSON)
        if field == name or field not in self._people():
            raise AttributeError(name)
        label = self.model._meta.get_field(field).verbose_name

        @admin.display(description=label[:1].upper() + label[1:])
        def person(obj):
            user = getattr(obj, field)
            return user.get_username() if user is not None else "-"

        return person


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Newsroom Review"
    site_title = "Newsroom Review"
    index_title = "Editorial review"
    site_url = None  # no public home page: "/" is this dashboard, and each article has its own public page

    def index(self, request, extra_context=None):
        from reviews.admin.dashboard import dashboard_context

        return super().index(request, {**dashboard_context(request), **(extra_context or {})})

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, BoundedLookups):
            admin_class = type(admin_class.__name__, (BoundedLookups, PeopleByName, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)

    def get_urls(self):
        return [path("audit/", self.admin_view(self.audit_view), name="audit"), *super().get_urls()]

    def audit_view(self, request):
        from reviews.admin.audit import audit_page, may_audit

        if not may_audit(request.user):
            raise PermissionDenied
        return audit_page(self, request)


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin.NewsroomAdminSite"
