from django.urls import path

from quiz.views import student, teach

app_name = "quiz"

urlpatterns = [
    # Students
    path("join/", student.join, name="join"),
    path("classes/", student.my_classes, name="my_classes"),
    path("classes/<int:pk>/", student.classroom_detail, name="classroom"),
    path("assignments/<int:pk>/", student.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/start/", student.attempt_start, name="attempt_start"),
    path("attempts/<int:pk>/", student.attempt_detail, name="attempt"),
    path(
        "attempts/<int:pk>/questions/<int:question_id>/",
        student.question_detail,
        name="question",
    ),
    path(
        "attempts/<int:pk>/questions/<int:question_id>/answer/",
        student.answer,
        name="answer",
    ),
    path("attempts/<int:pk>/finish/", student.attempt_finish, name="finish"),
    path("attempts/<int:pk>/results/", student.attempt_results, name="results"),
    # Teachers
    path("teach/", teach.dashboard, name="teach_dashboard"),
]
