from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = _("Quizzes and classes")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from config.middleware import session_mark_touched
        from quiz.views.zones import time_zone_at_login

        user_logged_in.connect(session_mark_touched, dispatch_uid="session_mark_touched")
        user_logged_in.connect(time_zone_at_login, dispatch_uid="time_zone_at_login")
