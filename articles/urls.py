from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("<int:pk>/review/", views.article_review, name="review"),
    path("<int:pk>/review/drop/", views.article_paragraph_drop, name="paragraph_drop"),
    path("<int:pk>/review/restore/", views.article_paragraph_restore, name="paragraph_restore"),
    path("<slug:slug>/", views.article_detail, name="detail"),
]
