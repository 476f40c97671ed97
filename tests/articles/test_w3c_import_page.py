"""The teacher's page for bringing annotations in from a file: another tool's annotations
become proposals, our own export comes back whole, and a bad file changes nothing."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Annotation, AnnotationProposal
from articles.w3c.export import annotations_export
from tests.articles.test_w3c_import import PAGE_URL, demo, hypothesis_annotation  # noqa: F401
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


def upload(content: bytes | str, name: str = "annotations.jsonld") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/ld+json")


@pytest.fixture
def teacher(demo):  # noqa: F811
    teacher = demo.owner or TeacherFactory()
    demo.owner = teacher
    demo.save(update_fields=["owner"])
    teacher.user_permissions.add(*Permission.objects.filter(content_type__app_label="articles"))
    return teacher


def page(article):
    return reverse("articles:annotations_import", args=[article.pk])


def hypothesis_file(body) -> str:
    first = hypothesis_annotation(
        body, "h1", "Moscow", text="Is this the Kremlin speaking, or the reporter?"
    )
    second = hypothesis_annotation(body, "h2", body.split(".")[0], tags=["claim"])
    return json.dumps({"type": "AnnotationPage", "items": [first, second]})


def test_the_editor_links_to_the_import_page_and_it_shows_the_form(client, demo, teacher):  # noqa: F811
    client.force_login(teacher)
    editor = client.get(reverse("admin:articles_article_annotations", args=[demo.pk]))
    assert page(demo) in editor.content.decode()
    response = client.get(page(demo))
    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()


def test_another_tools_annotations_come_in_as_proposals_to_review(client, demo, teacher):  # noqa: F811
    client.force_login(teacher)
    response = client.post(page(demo), {"file": upload(hypothesis_file(demo.body))}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "admin:articles_article_annotations", args=[demo.pk]
    )
    assert "0 annotations added; 2 proposals to review." in response.content.decode()
    proposals = AnnotationProposal.objects.filter(article=demo).order_by("start")
    assert [p.status for p in proposals] == [AnnotationProposal.Status.PENDING] * 2
    assert "Is this the Kremlin speaking" in " ".join(p.explanation for p in proposals)
    assert not Annotation.objects.filter(article=demo).exists()

    again = client.post(page(demo), {"file": upload(hypothesis_file(demo.body))}, follow=True)
    assert "0 proposals to review; 2 already here." in again.content.decode()
    assert AnnotationProposal.objects.filter(article=demo).count() == 2


def test_our_own_export_comes_back_whole(client, demo, teacher):  # noqa: F811
    start = demo.body.index("Moscow")
    Annotation.objects.create(
        article=demo,
        start=start,
        end=start + len("Moscow"),
        exact="Moscow",
        kind=Annotation.Kind.CLAIM,
        sourcing=Annotation.Sourcing.NONE,
        explanation="The outlet's own words.",
    )
    exported = json.dumps(annotations_export(article=demo))
    uid = Annotation.objects.get(article=demo).uid
    Annotation.objects.filter(article=demo).delete()

    client.force_login(teacher)
    response = client.post(page(demo), {"file": upload(exported)})
    assert response.status_code == 302
    restored = Annotation.objects.get(article=demo)
    assert (restored.exact, restored.kind, restored.explanation, restored.uid) == (
        "Moscow",
        Annotation.Kind.CLAIM,
        "The outlet's own words.",
        uid,
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "The file is not valid JSON"),
        (b"\xff\xfe\x00", "The file is not UTF-8 text"),
        (b"", "file is empty"),
    ],
)
def test_a_file_that_cannot_be_read_says_why_and_changes_nothing(
    client,
    demo,  # noqa: F811
    teacher,
    content,
    message,
):
    client.force_login(teacher)
    response = client.post(page(demo), {"file": upload(content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AnnotationProposal.objects.exists() and not Annotation.objects.exists()


def test_annotations_of_another_document_are_refused_naming_the_item(client, demo, teacher):  # noqa: F811
    item = hypothesis_annotation(demo.body, "h9", "Moscow", text="Elsewhere")
    item["target"][0]["source"] = "https://elsewhere.example/another-story"
    client.force_login(teacher)
    response = client.post(page(demo), {"file": upload(json.dumps(item))})
    assert response.status_code == 400
    text = response.content.decode()
    assert "https://hypothes.is/a/h9" in text or "Item 1" in text or "item 1" in text
    assert not AnnotationProposal.objects.exists()


def test_another_teachers_article_is_not_found(client, demo, teacher):  # noqa: F811
    other = TeacherFactory()
    other.user_permissions.add(*Permission.objects.filter(content_type__app_label="articles"))
    client.force_login(other)
    assert client.get(page(demo)).status_code == 404
    response = client.post(page(demo), {"file": upload(hypothesis_file(demo.body))})
    assert response.status_code == 404
    assert not AnnotationProposal.objects.exists()
