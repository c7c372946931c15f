from __future__ import annotations

from django.urls import path

from interviews.views import appeals, attempts, audit, practice

urlpatterns = [
    path("practice/", practice.practice_new, name="practice_new"),
    path("practice/question/<slug:slug>/", practice.practice_question, name="practice_question"),
    path("attempts/", attempts.attempt_list, name="attempt_list"),
    path("attempts/<int:pk>/", attempts.attempt_detail, name="attempt_detail"),
    path("attempts/<int:pk>/answers/<int:position>/save/", attempts.answer_save, name="answer_save"),
    path("attempts/<int:pk>/answers/<int:position>/submit/", attempts.answer_submit, name="answer_submit"),
    path("attempts/<int:pk>/answers/<int:position>/preview/", attempts.answer_preview, name="answer_preview"),
    path("attempts/<int:pk>/finish/", attempts.attempt_finish, name="attempt_finish"),
    path("attempts/<int:pk>/repeat/", practice.attempt_repeat, name="attempt_repeat"),
    path("attempts/<int:pk>/answers/<int:position>/retry/", practice.answer_retry, name="answer_retry"),
    path(
        "attempts/<int:pk>/answers/<int:position>/feedback/", attempts.answer_feedback, name="answer_feedback"
    ),
    path("attempts/<int:pk>/results/", attempts.attempt_results, name="attempt_results"),
    path("attempts/<int:pk>/answers/<int:position>/appeal/", appeals.answer_appeal, name="answer_appeal"),
    path("grades/<int:pk>/why/", audit.grade_why, name="grade_why"),
]
