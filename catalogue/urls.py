from django.urls import path

from catalogue import views

urlpatterns = [
    path("", views.home, name="home"),
    path("questions/", views.catalogue, name="catalogue"),
    path("questions/<slug:slug>/", views.question_detail, name="question_detail"),
]
