"""The export checked against the W3C Web Annotation Working Group's own conformance tests.

The test definitions and JSON schemas (w3c/web-annotation-tests) and the anno.jsonld context
are read from ../shared/w3c-annotation-tests/ beside the repository, never copied into it (see
its ABOUT.md). They are run as the W3C's runner runs them: each assertion file is a JSON Schema
(draft-04) checked with formats, its $refs resolved to the local definitions/; an assertion
whose document does not validate is a failure of its assertionType (MUST, SHOULD or MAY).

Every exported annotation of the demo articles is checked on its own (the single export) and
every demo collection as a whole, as the app serves them (with a base URL) and as the command
prints them without one (MUSTs only: a URN export has no address to name its creator by).
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from jsonschema import Draft4Validator
from pyld import jsonld
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from articles.demo_content import demo_articles_ensure
from articles.models import Annotation
from articles.w3c.export import annotation_export, annotations_export
from articles.w3c.vocabulary import ANNO_CONTEXT, JSONLD_CONTEXT, vocabulary_document
from tests.conftest import PROJECT_DIR

W3C_TESTS = PROJECT_DIR.parent / "shared" / "w3c-annotation-tests"
SITE = "http://testserver"

# The .test files group the assertions for each kind of document. An Annotation Page is
# checked inside its collection, which the page tests accept ("or an Annotation Collection
# with an embedded Page"). Assertion files in the same folders that no .test lists (one SHOULD,
# six MAYs) are run as well.
ANNOTATION_TESTS = [
    "annotations/annotationMusts.test",
    "annotations/annotationOptionals.test",
    "annotations/annotationsAgentOptionals.test",
]
COLLECTION_TESTS = [
    "collections/collectionMusts.test",
    "collections/collectionOptionals.test",
    "collections/pages/pageMusts.test",
    "collections/pages/pageOptionals.test",
]

# SHOULD assertions about features our annotations do not have, and why. Each is checked to
# fail still, so an entry goes when the feature comes.
NOT_APPLICABLE = {
    "3.3.1-bodyCreated.json": "a body is written with its annotation: the annotation's created",
    "3.3.1-bodySingleCreator.json": "a body is written by its annotation's creator",
    "3.3.2-bodyCreatorAgentIdImplemented.json": "bodies have no creator of their own",
    "3.3.2-bodyCreatorAgentNicknameImplemented.json": "bodies have no creator of their own",
    "3.3.2-bodyCreatorAgentSingleNameImplemented.json": "bodies have no creator of their own",
    "3.3.2-bodyCreatorAgentTypeImplemented.json": "bodies have no creator of their own",
    "3.3.2-targCreatorAgentIdImplemented.json": "targets have no creator: the article's author "
    "is its outlet and byline, not an Agent we can identify",
    "3.3.2-targCreatorAgentNicknameImplemented.json": "targets have no creator",
    "3.3.2-targCreatorAgentSingleNameImplemented.json": "targets have no creator",
    "3.3.2-targCreatorAgentTypeImplemented.json": "targets have no creator",
    "4.2.1-conformsTo.json": "conformsTo belongs to a FragmentSelector; we select text with "
    "quote and position selectors",
}


@dataclass(frozen=True)
class Assertion:
    name: str
    level: str  # must, should or may
    validator: Draft4Validator


def _w3c_json(relative: str) -> dict[str, Any]:
    return json.loads((W3C_TESTS / relative).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def w3c_tests() -> Path:
    if not (W3C_TESTS / "definitions").is_dir():
        pytest.skip(
            f"The W3C Web Annotation tests are not at {W3C_TESTS} (see the conformance test's "
            "docstring): clone w3c/web-annotation-tests there to run them."
        )
    return W3C_TESTS


@pytest.fixture(scope="module")
def assertions(w3c_tests) -> dict[str, list[Assertion]]:
    """Return the assertions for annotations and for collections, as the W3C runner reads them."""
    registry = Registry().with_resources(
        (
            path.name,
            Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT4),
        )
        for path in (w3c_tests / "definitions").glob("*.json")
    )

    def load(test_files: list[str]) -> list[Assertion]:
        listed = [name for test in test_files for name in _w3c_json(test)["assertions"]]
        folder = test_files[0].split("/")[0]
        unlisted = [
            str(path.relative_to(w3c_tests))
            for path in sorted((w3c_tests / folder).rglob("*.json"))
            if str(path.relative_to(w3c_tests)) not in listed
        ]
        loaded = []
        for relative in dict.fromkeys(listed + unlisted):
            schema = _w3c_json(relative)
            assert schema["expectedResult"] == "valid", relative
            validator = Draft4Validator(
                schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
            )
            loaded.append(Assertion(Path(relative).name, schema["assertionType"], validator))
        return loaded

    return {"annotation": load(ANNOTATION_TESTS), "collection": load(COLLECTION_TESTS)}


@pytest.fixture
def demo(db, teacher) -> list:
    articles = demo_articles_ensure(owner=teacher)
    assert Annotation.objects.filter(article__in=articles).exists()
    return articles


def _single_exports(articles, *, base_url: str | None) -> Iterator[dict[str, Any]]:
    annotations = Annotation.objects.filter(article__in=articles).select_related(
        "article", "speaker", "author"
    )
    for annotation in annotations:
        yield annotation_export(annotation=annotation, base_url=base_url)


def _documents(articles, *, base_url: str | None) -> dict[str, list[dict[str, Any]]]:
    return {
        "annotation": list(_single_exports(articles, base_url=base_url)),
        "collection": [annotations_export(article=a, base_url=base_url) for a in articles],
    }


def _failures(assertions, documents, level: str) -> dict[str, set[str]]:
    """Return, by assertion, the ids of the documents that fail it."""
    failures: dict[str, set[str]] = {}
    for kind, checks in assertions.items():
        for check in checks:
            if check.level != level:
                continue
            for document in documents[kind]:
                if not check.validator.is_valid(document):
                    failures.setdefault(check.name, set()).add(document["id"])
    return failures


def test_the_assertions_catch_what_the_model_forbids(assertions, demo):
    """Guard the check itself: a broken export must fail the W3C's MUSTs here."""
    document = next(_single_exports(demo, base_url=SITE))
    del document["target"]
    document["created"] = "yesterday"
    broken_page = annotations_export(article=demo[0], base_url=SITE)
    broken_page["first"]["startIndex"] = -1

    failures = _failures(
        assertions, {"annotation": [document], "collection": [broken_page]}, "must"
    )

    assert {
        "3.1-targetKeyFound.json",
        "3.3.1-annotationCreatedValidated.json",
        "5.2-pageStartIndexValidated.json",
    } <= set(failures)


def test_every_demo_annotation_and_collection_meets_every_must(assertions, demo):
    for base_url in [SITE, None]:
        documents = _documents(demo, base_url=base_url)
        assert len(documents["annotation"]) >= 40
        assert len(documents["collection"]) == len(demo)

        assert _failures(assertions, documents, "must") == {}


def test_every_should_that_applies_to_our_annotations_is_met(assertions, demo):
    documents = _documents(demo, base_url=SITE)

    failures = _failures(assertions, documents, "should")

    assert {name: ids for name, ids in failures.items() if name not in NOT_APPLICABLE} == {}
    every_should = {c.name for checks in assertions.values() for c in checks if c.level == "should"}
    assert set(NOT_APPLICABLE) <= every_should, "a listed SHOULD is no longer in the W3C tests"
    still_failing = {name for name in NOT_APPLICABLE if name in failures}
    assert still_failing == set(NOT_APPLICABLE), "a SHOULD listed as not applicable now passes"


# JSON-LD: nothing is lost in expansion ------------------------------------------------------


def _document_loader(client):
    """Serve the W3C context from the local copy and ours from the app: no network."""
    anno = json.loads((W3C_TESTS / "anno.jsonld").read_text(encoding="utf-8"))
    ours = f"{SITE}{reverse('vocabulary')}"

    def load(url: str, options=None) -> dict[str, Any]:
        if url in (ANNO_CONTEXT, ANNO_CONTEXT.replace("http:", "https:")):
            document = anno
        elif url == ours:
            document = client.get(reverse("vocabulary")).json()
        else:
            raise AssertionError(f"the expansion asked the network for {url}")
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load


def _leaves(node: Any) -> int:
    """Count the values in a compact document: every string, number and boolean but @context."""
    if isinstance(node, dict):
        return sum(_leaves(value) for key, value in node.items() if key != "@context")
    if isinstance(node, list):
        return sum(_leaves(value) for value in node)
    return 0 if node is None else 1


def _expanded_leaves(node: Any) -> int:
    """Count the values an expanded document kept: @value, @id and a node's @type entries."""
    if isinstance(node, list):
        return sum(_expanded_leaves(value) for value in node)
    if not isinstance(node, dict):
        return 0
    if "@value" in node:
        return 1
    count = ("@id" in node) + len(node.get("@type", []))
    for key, value in node.items():
        if key in ("@id", "@type"):
            continue
        if key == "@list":  # an ordered container (a page's items): its values count
            count += _expanded_leaves(value)
            continue
        assert key.startswith(("http://", "https://", "urn:")), f"{key} is not an IRI"
        count += _expanded_leaves(value)
    return count


def test_expanding_every_export_keeps_every_value_under_an_iri(client, w3c_tests, demo):
    options = {"documentLoader": _document_loader(client)}
    documents = _documents(demo, base_url=SITE)

    for document in documents["annotation"] + documents["collection"]:
        expanded = jsonld.expand(document, options)

        assert _expanded_leaves(expanded) == _leaves(document), document["id"]


def test_the_published_context_expands_an_export_as_its_inline_copy_does(client, w3c_tests, demo):
    options = {"documentLoader": _document_loader(client)}
    document = annotations_export(article=demo[0], base_url=SITE)
    published = {**document, "@context": [ANNO_CONTEXT, f"{SITE}{reverse('vocabulary')}"]}

    assert jsonld.expand(published, options) == jsonld.expand(document, options)


def test_kinds_and_sourcing_expand_to_the_concepts_the_vocabulary_labels(client, w3c_tests, demo):
    options = {"documentLoader": _document_loader(client)}
    concepts = {node["@id"] for node in vocabulary_document()["@graph"]}
    ns = JSONLD_CONTEXT[1]["sourcewise"]
    used: set[str] = set()

    for document in _single_exports(demo, base_url=SITE):
        (expanded,) = jsonld.expand(document, options)
        (markup,) = expanded[f"{ns}markup"]
        used |= {value["@id"] for value in markup[f"{ns}kind"] + markup[f"{ns}sourcing"]}
        for speaker in markup.get(f"{ns}speaker", []):
            used |= {value["@id"] for value in speaker[f"{ns}speakerKind"]}

    assert used <= concepts
    assert f"{ns}statement-claim" in used
    assert f"{ns}sourcing-vague" in used
