from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import LoginForm
from articles import views as article_views
from config import views
from quiz.views import student as quiz_views

admin.site.site_header = "Sourcewise"
admin.site.site_title = "Sourcewise admin"
admin.site.index_title = "Authoring"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    # No self-service password reset: students have no email address here, and a page saying
    # "sent" when nothing can be sent helps nobody. Teachers set a student's new password from
    # the class roster; an administrator sets a teacher's in the admin.
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(views.admin_view_on_site),
        name="admin_view_on_site",
    ),
    path("admin/", admin.site.urls),
    path("articles/", include("articles.urls")),
    path("lti/", include("lti.urls")),
    # Our JSON-LD vocabulary, public: anyone reading an export may look its words up.
    path("ns/sourcewise.jsonld", article_views.vocabulary, name="vocabulary"),
    path("", quiz_views.home, name="home"),
    path("", include("quiz.urls")),
]

if settings.BENCH_BASELINE:
    urlpatterns.append(path("bench/baseline", views.bench_baseline, name="bench_baseline"))

handler500 = "config.views.server_error"
