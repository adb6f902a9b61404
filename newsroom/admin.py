"""The admin site: Django's, with the newsroom dashboard on its index page and an audit trail."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.urls import path


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Newsroom Review"
    site_title = "Newsroom Review"
    index_title = "Editorial review"

    def index(self, request, extra_context=None):
        from reviews.admin.dashboard import dashboard_context

        return super().index(request, {**dashboard_context(request), **(extra_context or {})})

    def get_urls(self):
        return [path("audit/", self.admin_view(self.audit_view), name="audit"), *super().get_urls()]

    def audit_view(self, request):
        from reviews.admin.audit import audit_page, may_audit

        if not may_audit(request.user):
            raise PermissionDenied
        return audit_page(self, request)


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin.NewsroomAdminSite"
