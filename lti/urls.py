from django.urls import path

from lti import views

app_name = "lti"

urlpatterns = [
    path("jwks.json", views.jwks, name="jwks"),
    path("login/<uuid:registration_uuid>/", views.login, name="login"),
    path("launch/", views.launch, name="launch"),
    path("place/", views.place, name="place"),
    path("configuration/", views.configuration, name="configuration"),
    path("classes/<int:pk>/", views.course, name="course"),
    path("classes/<int:pk>/roster/sync/", views.roster_sync, name="roster_sync"),
]
