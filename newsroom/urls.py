from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Newsroom Review"
admin.site.site_title = "Newsroom Review"
admin.site.index_title = "Editorial review"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("reviews/", include("reviews.urls")),
]
