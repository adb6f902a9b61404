from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views
from .problems import not_found

app_name = "api"
urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("articles/", views.ArticleSubmitView.as_view(), name="article-submit"),
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("articles/<int:pk>/versions/", views.ArticleVersionView.as_view(), name="article-versions"),
    path("articles/<int:pk>/export/<str:fmt>/", views.ArticleExportView.as_view(), name="article-export"),
    path("claims/", views.ClaimListView.as_view(), name="claim-list"),
    path("claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("claims/<int:pk>/assign/", views.ClaimAssignView.as_view(), name="claim-assign"),
    path("claims/<int:pk>/start/", views.ClaimStartView.as_view(), name="claim-start"),
    path("claims/<int:pk>/verdict/", views.VerdictSubmitView.as_view(), name="verdict-submit"),
    path("claims/<int:pk>/approve/", views.VerdictApproveView.as_view(), name="verdict-approve"),
    path("claims/<int:pk>/return/", views.VerdictReturnView.as_view(), name="verdict-return"),
    path("claims/<int:pk>/describe/", views.ClaimDescribeView.as_view(), name="claim-describe"),
    path("flags/<int:pk>/resolve/", views.FlagResolveView.as_view(), name="flag-resolve"),
    path("ratings/", views.RatingListView.as_view(), name="rating-list"),
    re_path(r"^[\s\S]*$", not_found),
]
