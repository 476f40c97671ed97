from django.urls import path

from quiz import views

app_name = "quiz"

urlpatterns = [
    path("classes/", views.my_classes, name="my_classes"),
    path("teach/", views.teach_dashboard, name="teach_dashboard"),
]
