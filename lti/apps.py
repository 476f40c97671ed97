from django.apps import AppConfig


class LtiConfig(AppConfig):
    """Sourcewise inside a school's learning platform (LTI 1.3 with LTI Advantage)."""

    name = "lti"
    verbose_name = "Learning platforms (LTI)"

    def ready(self) -> None:
        from lti import receivers  # noqa: F401  (connects the score receivers)
