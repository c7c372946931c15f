from __future__ import annotations

from django.urls import path

from hiring.views import builder, invites, results, review

urlpatterns = [
    path("hiring/", builder.session_list, name="hiring_sessions"),
    path("hiring/sessions/new/", builder.session_new, name="hiring_session_new"),
    path("hiring/sessions/<int:pk>/", builder.session_builder, name="hiring_builder"),
    path("hiring/sessions/<int:pk>/search/", builder.question_search_view, name="hiring_search"),
    path("hiring/sessions/<int:pk>/items/add/", builder.item_add, name="hiring_item_add"),
    path("hiring/sessions/<int:pk>/items/random/", builder.item_add_random, name="hiring_item_random"),
    path(
        "hiring/sessions/<int:pk>/items/<int:item_pk>/remove/", builder.item_remove, name="hiring_item_remove"
    ),
    path("hiring/sessions/<int:pk>/items/<int:item_pk>/move/", builder.item_move, name="hiring_item_move"),
    path("hiring/sessions/<int:pk>/items/<int:item_pk>/time/", builder.item_time, name="hiring_item_time"),
    path("hiring/sessions/<int:pk>/settings/", builder.session_settings, name="hiring_settings"),
    path("hiring/sessions/<int:pk>/duplicate/", builder.session_duplicate, name="hiring_duplicate"),
    path("hiring/sessions/<int:pk>/invite/", builder.invite_regenerate, name="hiring_invite_regenerate"),
    path("hiring/sessions/<int:pk>/questions/new/", builder.custom_question_new, name="hiring_question_new"),
    path("hiring/sessions/<int:pk>/results/", results.results, name="hiring_results"),
    path("hiring/sessions/<int:pk>/results.csv", results.results_export, name="hiring_results_csv"),
    path("hiring/attempts/<int:pk>/", results.candidate_report, name="hiring_report"),
    path("hiring/review/", review.queue, name="hiring_queue"),
    path("hiring/answers/<int:pk>/review/", review.answer_review, name="hiring_answer_review"),
    path("hiring/answers/<int:pk>/regrade/", review.answer_regrade_view, name="hiring_answer_regrade"),
    path("invite/<str:token>/", invites.invite, name="invite"),
    path("invite/<str:token>/start/", invites.invite_start, name="invite_start"),
]
