from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("<int:pk>/review/", views.article_review, name="review"),
    path("<int:pk>/review/drop/", views.article_paragraph_drop, name="paragraph_drop"),
    path("<int:pk>/review/restore/", views.article_paragraph_restore, name="paragraph_restore"),
    path("<int:pk>/annotations/import/", views.annotations_import_page, name="annotations_import"),
    path("<int:pk>/proposals/", views.article_proposals_suggest, name="proposals"),
    path("annotations/<uuid:uid>/", views.annotation_detail, name="annotation"),
    path("<slug:slug>/", views.article_detail, name="detail"),
    path("<slug:slug>/text/", views.article_text, name="text"),
    path("<slug:slug>/annotations/", views.article_annotations_collection, name="annotations"),
    path("<slug:slug>/annotations.jsonld", views.annotations_file, name="annotations_file"),
]
