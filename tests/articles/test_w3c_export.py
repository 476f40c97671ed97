"""The W3C export served by the app: addresses, content negotiation, who may see it."""

import json
import tomllib
from datetime import UTC
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Annotation
from articles.w3c.export import annotation_export, annotations_export
from articles.w3c.vocabulary import JSONLD_CONTEXT, MARKUP
from tests.conftest import PROJECT_DIR
from tests.factories import AnnotationFactory, ArticleFactory, SourceFactory, TeacherFactory

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
JSONLD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def annotation():
    article = ArticleFactory(status="draft", slug="bridge")
    return AnnotationFactory(article=article, source_start=4, source_end=9, source_exact="mayor")


def collection_url(article):
    return reverse("articles:annotations", kwargs={"slug": article.slug})


def annotation_url(annotation):
    return reverse("articles:annotation", kwargs={"uid": annotation.uid})


def file_url(article):
    return reverse("articles:annotations_file", kwargs={"slug": article.slug})


# The documents ------------------------------------------------------------------------


def test_single_annotation_export_has_its_own_context_and_the_collections_item(annotation):
    document = annotation_export(annotation=annotation, base_url=SITE)
    item = annotations_export(article=annotation.article, base_url=SITE)["first"]["items"][0]

    assert document["@context"] == JSONLD_CONTEXT
    assert {key: value for key, value in document.items() if key != "@context"} == {
        **item,
        "generated": document["generated"],
    }


def test_with_a_base_url_ids_are_the_addresses_the_site_serves(annotation):
    document = annotations_export(article=annotation.article, base_url=SITE)
    item = document["first"]["items"][0]

    assert document["id"] == f"{SITE}/articles/bridge/annotations/"
    assert document["first"]["id"] == f"{SITE}/articles/bridge/annotations/#page-1"
    assert document["last"] == document["first"]["id"]
    assert item["id"] == f"{SITE}/articles/annotations/{annotation.uid}/"
    assert item["canonical"] == f"urn:uuid:{annotation.uid}"


def test_without_a_base_url_ids_are_urns_and_nothing_claims_an_address(annotation):
    document = annotations_export(article=annotation.article)
    item = document["first"]["items"][0]

    assert document["id"] == "urn:sourcewise:article:bridge:annotations"
    assert item["id"] == f"urn:uuid:{annotation.uid}"
    assert "canonical" not in item
    assert "id" not in item["creator"]
    assert "id" not in item["generator"]


def test_generator_names_the_software_with_the_version_pyproject_declares(annotation):
    with (PROJECT_DIR / "pyproject.toml").open("rb") as file:
        version = tomllib.load(file)["project"]["version"]

    item = annotation_export(annotation=annotation, base_url=SITE)

    assert item["generator"] == {
        "type": "Software",
        "name": "Sourcewise",
        "nickname": "sourcewise",
        "id": f"{SITE}/",
        "homepage": f"{SITE}/",
        "version": version,
    }
    assert item["generated"].endswith("Z")


def test_creator_id_is_stable_opaque_and_differs_between_teachers(annotation):
    teacher = annotation.author
    other = AnnotationFactory(article=annotation.article, author=TeacherFactory())

    first = annotation_export(annotation=annotation, base_url=SITE)["creator"]
    again = annotation_export(annotation=annotation, base_url=SITE)["creator"]
    teacher.username = "renamed"
    teacher.save()
    renamed = annotation_export(annotation=annotation, base_url=SITE)["creator"]

    assert first["id"] == again["id"] == renamed["id"]
    assert first["id"].startswith("urn:uuid:")
    assert first["name"] == teacher.get_full_name()
    assert renamed["nickname"] == "renamed"
    assert annotation_export(annotation=other, base_url=SITE)["creator"]["id"] != first["id"]


def test_target_describes_the_article_as_plain_text_in_its_language(annotation):
    target = annotation_export(annotation=annotation, base_url=SITE)["target"]

    assert target["type"] == "SpecificResource"
    assert target["source"] == {
        "id": "urn:sourcewise:article:bridge",
        "type": "Text",
        "format": "text/plain",
        "language": "en",
    }
    assert "state" not in target


def test_article_from_the_web_is_targeted_as_the_copy_the_app_stored():
    article = ArticleFactory(slug="bridge", source_url="https://news.example/bridge")
    annotation = AnnotationFactory(article=article)

    target = annotation_export(annotation=annotation, base_url=SITE)["target"]

    assert target["source"]["id"] == "https://news.example/bridge"
    assert target["state"] == {
        "type": "TimeState",
        "cached": f"{SITE}/articles/bridge/text/",
        "sourceDate": article.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def test_source_words_are_a_specific_resource_with_quote_and_position(annotation):
    words = annotation_export(annotation=annotation)[MARKUP]["sourceWords"]

    assert words == {
        "type": "SpecificResource",
        "source": "urn:sourcewise:article:bridge",
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": "mayor",
                "prefix": "The ",
                "suffix": annotation.article.body[9:41],
            },
            {"type": "TextPositionSelector", "start": 4, "end": 9},
        ],
    }


def test_export_command_with_a_base_url_names_http_addresses(annotation):
    out = StringIO()

    call_command(
        "export_annotations", "bridge", "--base-url", "https://school.example/", stdout=out
    )

    document = json.loads(out.getvalue())
    assert document["id"] == "https://school.example/articles/bridge/annotations/"


@pytest.mark.parametrize("value", ["school.example", "ftp://school.example", "https://a/b"])
def test_export_command_refuses_a_base_url_that_is_not_a_site_address(annotation, value):
    with pytest.raises(CommandError, match="site's address"):
        call_command("export_annotations", "bridge", "--base-url", value, stdout=StringIO())


# The addresses: content negotiation -----------------------------------------------------


@pytest.mark.parametrize("accept", [JSONLD, "application/ld+json", "*/*", None])
def test_owner_gets_the_collection_as_json_ld(client, annotation, accept):
    client.force_login(annotation.article.owner)
    headers = {"Accept": accept} if accept else {}

    response = client.get(collection_url(annotation.article), headers=headers)

    assert response.status_code == 200
    assert response["Content-Type"] == JSONLD
    assert "Accept" in response["Vary"].split(", ")
    document = response.json()
    assert document["id"] == f"{SITE}{collection_url(annotation.article)}"
    assert document["first"]["items"][0]["id"] == f"{SITE}{annotation_url(annotation)}"


def test_asking_for_plain_json_gets_the_same_document_as_json(client, annotation):
    client.force_login(annotation.article.owner)

    response = client.get(
        collection_url(annotation.article), headers={"Accept": "application/json"}
    )

    assert response["Content-Type"] == "application/json"
    assert response.json()["type"] == "AnnotationCollection"


def test_owner_gets_one_annotation_at_its_id(client, annotation):
    client.force_login(annotation.article.owner)

    response = client.get(annotation_url(annotation), headers={"Accept": "application/ld+json"})

    assert response.status_code == 200
    assert response["Content-Type"] == JSONLD
    document = response.json()
    assert document["@context"] == JSONLD_CONTEXT
    assert document["id"] == f"{SITE}{annotation_url(annotation)}"


def test_a_browser_is_sent_to_the_editor(client, annotation):
    article = annotation.article
    client.force_login(article.owner)

    collection = client.get(collection_url(article), headers={"Accept": BROWSER_ACCEPT})
    single = client.get(annotation_url(annotation), headers={"Accept": BROWSER_ACCEPT})

    assert collection.status_code == single.status_code == 302
    assert collection["Location"] == reverse(
        "admin:articles_article_annotations", args=[article.pk]
    )
    assert single["Location"] == reverse(
        "admin:articles_article_annotation", args=[article.pk, annotation.pk]
    )
    assert "Accept" in collection["Vary"].split(", ")


def test_a_type_the_address_cannot_serve_is_not_acceptable(client, annotation):
    client.force_login(annotation.article.owner)

    response = client.get(annotation_url(annotation), headers={"Accept": "image/png"})

    assert response.status_code == 406
    assert "Accept" in response["Vary"].split(", ")


def test_download_link_saves_the_collection_whatever_the_browser_accepts(client, annotation):
    article = annotation.article
    client.force_login(article.owner)

    response = client.get(file_url(article), headers={"Accept": BROWSER_ACCEPT})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bridge-annotations.jsonld"'
    assert response.json()["total"] == 1


def test_annotation_editor_links_to_the_download(client, annotation):
    article = annotation.article
    client.force_login(article.owner)

    response = client.get(reverse("admin:articles_article_annotations", args=[article.pk]))

    assert f'href="{file_url(article)}" id="download-annotations"' in response.content.decode()


# The addresses: who may see them ---------------------------------------------------------


@pytest.mark.parametrize("who", ["other_teacher", "student"])
def test_anyone_but_the_owner_finds_nothing_at_the_addresses(client, annotation, who, request):
    client.force_login(request.getfixturevalue(who))

    for url in [
        collection_url(annotation.article),
        annotation_url(annotation),
        file_url(annotation.article),
    ]:
        assert client.get(url, headers={"Accept": "application/ld+json"}).status_code == 404


def test_another_teachers_annotation_answers_like_one_that_does_not_exist(
    client, annotation, other_teacher
):
    client.force_login(other_teacher)
    Annotation.objects.filter(pk=annotation.pk).delete()

    assert client.get(annotation_url(annotation)).status_code == 404


def test_superuser_may_read_any_teachers_annotations(client, annotation, superuser):
    client.force_login(superuser)

    assert client.get(collection_url(annotation.article)).status_code == 200


def test_anonymous_visitor_is_sent_to_log_in(client, annotation):
    for url in [collection_url(annotation.article), annotation_url(annotation)]:
        response = client.get(url, headers={"Accept": "application/ld+json"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("count", [2, 20])
def test_collection_query_count_does_not_grow_with_annotations(
    client, django_assert_num_queries, count
):
    article = ArticleFactory()
    for _ in range(count):
        AnnotationFactory(article=article, speaker=SourceFactory(article=article))
    client.force_login(article.owner)

    # session, user, article, teacher group check, annotations (speakers and authors joined)
    with django_assert_num_queries(5):
        response = client.get(collection_url(article))

    assert response.json()["total"] == count


def test_one_annotation_is_served_in_four_queries(client, annotation, django_assert_num_queries):
    client.force_login(annotation.article.owner)

    # session, user, annotation (article, speaker and author joined), teacher group check
    with django_assert_num_queries(4):
        response = client.get(annotation_url(annotation))

    assert response.status_code == 200


# The stored text and the vocabulary ------------------------------------------------------


def test_stored_text_is_served_as_plain_text_to_the_owner(client, annotation):
    article = annotation.article
    client.force_login(article.owner)

    response = client.get(reverse("articles:text", kwargs={"slug": article.slug}))

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == article.body
    body = response.content.decode()
    assert body[annotation.start : annotation.end] == annotation.exact


def test_vocabulary_is_public_and_its_context_is_the_one_exports_carry(client):
    response = client.get(reverse("vocabulary"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    document = response.json()
    assert document["@context"] == JSONLD_CONTEXT[1]
    concepts = {node["@id"]: node for node in document["@graph"]}
    claim = concepts["https://sourcewise.invalid/ns#statement-claim"]
    assert claim["skos:prefLabel"] == {"@value": "Claim", "@language": "en"}
    assert claim["skos:notation"] == "claim"
    assert "https://sourcewise.invalid/ns#sourcing-vague" in concepts
    assert "https://sourcewise.invalid/ns#speaker-vague" in concepts
