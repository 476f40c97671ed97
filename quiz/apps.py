from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = _("Quizzes and classes")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from config.auth import user_changed
        from config.middleware import session_mark_touched

        user_logged_in.connect(session_mark_touched, dispatch_uid="session_mark_touched")
        # A user kept in a session is trusted only until any user changes (config.auth).
        user = get_user_model()
        post_save.connect(user_changed, sender=user, dispatch_uid="user_changed_saved")
        post_delete.connect(user_changed, sender=user, dispatch_uid="user_changed_deleted")
