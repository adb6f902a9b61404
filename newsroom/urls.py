from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from reviews import views

# The identifiers exports emit (SITE_URL/articles/…), written without a trailing slash as emitted.
public = [
    path("articles/<int:pk>", views.public_article_page, name="article"),
    path("articles/<int:pk>/claims/<int:claim_pk>", views.public_claim_page, name="claim"),
    path("articles/<int:pk>/revisions/<int:number>", views.revision_iri, name="revision"),
    path("articles/<int:pk>/flags/<int:flag_pk>", views.flag_iri, name="flag"),
    path("articles/<int:pk>/annotations", views.annotations_iri, name="annotations"),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("reviews/", include("reviews.urls")),
    path("api/", include("reviews.api.urls")),
    path("", include((public, "public"))),
]
