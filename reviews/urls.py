from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("articles/<int:pk>/export/<str:fmt>/", views.article_export, name="article_export"),
]
