from __future__ import annotations

from django.urls import path

from interviews import views

urlpatterns = [
    path("practice/", views.practice_new, name="practice_new"),
    path("attempts/", views.attempt_list, name="attempt_list"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt_detail"),
    path("attempts/<int:pk>/answers/<int:position>/save/", views.answer_save, name="answer_save"),
    path("attempts/<int:pk>/answers/<int:position>/submit/", views.answer_submit, name="answer_submit"),
    path("attempts/<int:pk>/answers/<int:position>/preview/", views.answer_preview, name="answer_preview"),
    path("attempts/<int:pk>/finish/", views.attempt_finish, name="attempt_finish"),
    path("attempts/<int:pk>/results/", views.attempt_results, name="attempt_results"),
]
