from django.urls import path

from quiz.views import authoring, generation, practice, sharing, student, studies, teach, zones


def stage_routes(prefix: str, name: str, start, question, answer, *, done=None) -> list:
    """The routes of a set of questions on the stage (see `quiz.views.stage.routed_links`):
    `name` its first unanswered question, `name_question` one question, `name_answer` where
    an answer is posted and, with `done`, `name_done` its end."""
    routes = [
        path(prefix, start, name=name),
        path(f"{prefix}questions/<int:question_id>/", question, name=f"{name}_question"),
        path(f"{prefix}questions/<int:question_id>/answer/", answer, name=f"{name}_answer"),
    ]
    if done is not None:
        routes.append(path(f"{prefix}done/", done, name=f"{name}_done"))
    return routes


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
    # Students: booster practice after an assignment closed
    *stage_routes(
        "practice/<int:pk>/",
        "practice",
        practice.practice_start,
        practice.practice_question,
        practice.practice_answer,
        done=practice.practice_done,
    ),
    # Students: a study's tests (pre, post, retention)
    *stage_routes(
        "tests/<int:pk>/",
        "test",
        studies.test_start,
        studies.test_question,
        studies.test_answer,
        done=studies.test_done,
    ),
    # Teachers
    path("teach/", teach.dashboard, name="teach_dashboard"),
    path("teach/time-zone/", zones.time_zone_settings, name="teach_time_zone"),
    path("teach/classes/new/", teach.classroom_create, name="teach_classroom_create"),
    path("teach/classes/<int:pk>/", teach.classroom_detail, name="teach_classroom"),
    path("teach/classes/<int:pk>/edit/", teach.classroom_update, name="teach_classroom_update"),
    path("teach/classes/<int:pk>/join-code/", teach.join_code, name="teach_join_code"),
    path("teach/classes/<int:pk>/roster/", teach.roster, name="teach_roster"),
    path("teach/classes/<int:pk>/roster/import/", teach.roster_import, name="teach_roster_import"),
    path("teach/classes/<int:pk>/roster/add/", teach.student_add, name="teach_student_add"),
    path(
        "teach/classes/<int:pk>/students/<int:student_pk>/",
        teach.student_detail,
        name="teach_student",
    ),
    path(
        "teach/assignments/<int:pk>/students/<int:student_pk>/extension/",
        teach.extension_grant,
        name="teach_extension",
    ),
    path(
        "teach/assignments/<int:pk>/students/<int:student_pk>/extension/remove/",
        teach.extension_remove,
        name="teach_extension_remove",
    ),
    path(
        "teach/classes/<int:pk>/students/<int:student_pk>/remove/",
        teach.student_remove,
        name="teach_student_remove",
    ),
    path(
        "teach/classes/<int:pk>/students/<int:student_pk>/password/",
        teach.student_password_reset,
        name="teach_student_password",
    ),
    path("teach/classes/<int:pk>/gradebook/", teach.gradebook, name="teach_gradebook"),
    path("teach/classes/<int:pk>/gradebook.csv", teach.gradebook_csv, name="teach_gradebook_csv"),
    path("teach/classes/<int:pk>/skills/", teach.mastery, name="teach_mastery"),
    path("teach/classes/<int:pk>/practice/", teach.practice, name="teach_practice"),
    path("teach/classes/<int:pk>/practice.csv", teach.practice_csv, name="teach_practice_csv"),
    path("teach/classes/<int:pk>/studies/", studies.study_list, name="teach_studies"),
    path("teach/studies/<int:pk>/", studies.study_detail, name="teach_study"),
    path("teach/studies/<int:pk>/tests/", studies.study_phase_open, name="teach_study_phase"),
    path(
        "teach/studies/<int:pk>/practice/", studies.study_practice_add, name="teach_study_practice"
    ),
    path("teach/studies/<int:pk>/report.csv", studies.study_report_csv, name="teach_study_csv"),
    path("teach/studies/<int:pk>/data.csv", studies.study_export_csv, name="teach_study_data"),
    path(
        "teach/studies/<int:pk>/codebook.json", studies.study_codebook, name="teach_study_codebook"
    ),
    path(
        "teach/classes/<int:pk>/assignments/new/",
        teach.assignment_create,
        name="teach_assignment_create",
    ),
    path("teach/assignments/<int:pk>/", teach.assignment_detail, name="teach_assignment"),
    path("teach/assignments/<int:pk>/made/", authoring.assignment_made, name="assignment_made"),
    path(
        "teach/assignments/<int:pk>/edit/", teach.assignment_update, name="teach_assignment_update"
    ),
    path(
        "teach/assignments/<int:pk>/close/", teach.assignment_close, name="teach_assignment_close"
    ),
    path(
        "teach/assignments/<int:pk>/reopen/",
        teach.assignment_reopen,
        name="teach_assignment_reopen",
    ),
    path("teach/assignments/<int:pk>/questions/", teach.item_analysis, name="teach_items"),
    path("teach/assignments/<int:pk>/progress/", teach.live_progress, name="teach_progress"),
    path("teach/attempts/<int:pk>/", teach.attempt_detail, name="teach_attempt"),
    # Authoring (linked from the quiz's and the question's admin pages)
    path("teach/quizzes/<int:pk>/builder/", authoring.builder, name="builder"),
    path("teach/quizzes/<int:pk>/builder/add/", authoring.builder_add, name="builder_add"),
    path(
        "teach/quizzes/<int:pk>/builder/<int:item_id>/move/",
        authoring.builder_move,
        name="builder_move",
    ),
    path(
        "teach/quizzes/<int:pk>/builder/<int:item_id>/remove/",
        authoring.builder_remove,
        name="builder_remove",
    ),
    path("teach/quizzes/<int:pk>/duplicate/", authoring.quiz_duplicate, name="quiz_duplicate"),
    path("teach/quizzes/<int:pk>/share/", sharing.share, {"kind": "quiz"}, name="quiz_share"),
    path(
        "teach/articles/<int:pk>/share/", sharing.share, {"kind": "article"}, name="article_share"
    ),
    path("teach/sharing/", sharing.sharing, name="teach_sharing"),
    *stage_routes(
        "teach/quizzes/<int:pk>/preview/",
        "preview",
        authoring.preview,
        authoring.preview_question,
        authoring.preview_answer,
    ),
    path("teach/quizzes/<int:pk>/preview/finish/", authoring.preview_finish, name="preview_finish"),
    path(
        "teach/quizzes/<int:pk>/preview/restart/",
        authoring.preview_restart,
        name="preview_restart",
    ),
    path("teach/questions/<int:pk>/regrade/", authoring.question_regrade, name="regrade"),
    # Questions and a quiz from an article's annotations (the buttons on its admin page)
    path(
        "teach/articles/<int:pk>/generate/",
        generation.article_questions_generate,
        name="article_generate",
    ),
    path(
        "teach/articles/<int:pk>/quiz/",
        generation.article_quiz_create,
        name="article_quiz_create",
    ),
    # A student's data: to download, and to delete
    path("account/data/", student.my_data, name="my_data"),
    path("account/data.json", student.my_data_export, name="my_data_export"),
    path(
        "teach/students/<int:student_pk>/data.json",
        teach.student_data_export,
        name="teach_student_data",
    ),
    path(
        "teach/classes/<int:pk>/students/<int:student_pk>/delete/",
        teach.student_delete,
        name="teach_student_delete",
    ),
]
