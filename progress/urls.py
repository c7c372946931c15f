from __future__ import annotations

from django.urls import path

from progress import views

urlpatterns = [
    path("progress/", views.dashboard, name="progress"),
    path("progress/review/", views.review_start, name="review_start"),
]
