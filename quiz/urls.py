from django.urls import path

from quiz import views

app_name = "quiz"

urlpatterns = [
    path("join/", views.join, name="join"),
    path("classes/", views.my_classes, name="my_classes"),
    path("classes/<int:pk>/", views.classroom_detail, name="classroom"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/start/", views.attempt_start, name="attempt_start"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt"),
    path(
        "attempts/<int:pk>/questions/<int:question_id>/",
        views.question_detail,
        name="question",
    ),
    path(
        "attempts/<int:pk>/questions/<int:question_id>/answer/",
        views.answer,
        name="answer",
    ),
    path("attempts/<int:pk>/finish/", views.attempt_finish, name="finish"),
    path("attempts/<int:pk>/results/", views.attempt_results, name="results"),
    path("teach/", views.teach_dashboard, name="teach_dashboard"),
]
