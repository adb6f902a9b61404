"""The admin site: Django's, with the newsroom dashboard on its index page."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Newsroom Review"
    site_title = "Newsroom Review"
    index_title = "Editorial review"

    def index(self, request, extra_context=None):
        from reviews.admin.dashboard import dashboard_context

        return super().index(request, {**dashboard_context(request), **(extra_context or {})})


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin.NewsroomAdminSite"
