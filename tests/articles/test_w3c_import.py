"""Importing the world's W3C annotations: the specification's examples, a Hypothesis export,
other tools' annotations as proposals, and everything that must be refused with a message."""

import copy
import json
import uuid
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.demo_content import article_text_parts, demo_articles_ensure
from articles.demo_content.putin import ARTICLE as PUTIN_ARTICLE
from articles.importing import MAX_IMPORT_BYTES
from articles.models import Annotation, AnnotationProposal, Article, Source
from articles.w3c.export import annotations_export
from articles.w3c.reading import (
    ImportResult,
    annotations_file_read,
    annotations_import,
    annotations_target_article,
)
from articles.w3c.vocabulary import ANNO_CONTEXT, JSONLD_CONTEXT, MARKUP, SOURCEWISE_NS
from tests.articles.test_w3c import annotate
from tests.articles.test_w3c import snapshot as w3c_snapshot
from tests.factories import (
    ARTICLE_BODY,
    AnnotationFactory,
    ArticleFactory,
    SourceFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

URN = "urn:sourcewise:article:bridge-to-reopen"


@pytest.fixture
def article():
    return ArticleFactory(slug="bridge-to-reopen", title="Bridge to reopen, mayor says")


def at(quote: str) -> tuple[int, int]:
    start = ARTICLE_BODY.index(quote)
    return start, start + len(quote)


def proposals(article):
    return list(
        AnnotationProposal.objects.filter(article=article)
        .order_by("start")
        .values_list("exact", "explanation", "origin", "origin_label", "external_id")
    )


def refusal(article, data, **options) -> list[str]:
    """Import data expecting a refusal; return its messages, having checked nothing was saved."""
    counts = (
        Annotation.objects.count(),
        AnnotationProposal.objects.count(),
        Source.objects.count(),
    )
    with pytest.raises(ValidationError) as error:
        annotations_import(article=article, data=data, **options)
    assert (
        Annotation.objects.count(),
        AnnotationProposal.objects.count(),
        Source.objects.count(),
    ) == counts
    return error.value.messages


# The W3C Web Annotation Data Model's examples that target text -------------------------
# As the specification gives them (https://www.w3.org/TR/annotation-model/, numbered as there),
# with the source, quoted text and positions changed to the test article's, and a quote added
# where an example about bodies targets a whole page.


def spec(number, *, selector=None, target=None, **fields):
    """An annotation written as the specification's examples write it, on the test article."""
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": f"http://example.org/anno{number}",
        "type": "Annotation",
        **fields,
        "target": target if target is not None else {"source": URN, "selector": selector},
    }


def quote(exact, **context):
    return {"type": "TextQuoteSelector", "exact": exact, **context}


def position(start, end, **refinement):
    return {"type": "TextPositionSelector", "start": start, "end": end, **refinement}


def spec_quote_selector():
    """Example 23, Text Quote Selector."""
    selector = quote("repairs", prefix="Critics argue the ", suffix=" were rushed")
    return spec(23, body="http://example.org/comment1", selector=selector)


def spec_position_selector():
    """Example 24, Text Position Selector."""
    selector = position(*at("the bridge would reopen in May"))
    return spec(24, body="http://example.org/review1", selector=selector)


def spec_range_selector():
    """Example 28, Range Selector, with text positions for its ends instead of XPaths."""
    start, end = at("Critics argue")[0], at("according to")[0]
    selector = {
        "type": "RangeSelector",
        "startSelector": position(start, start),
        "endSelector": position(end, end),
    }
    return spec(28, body="http://example.org/comment1", selector=selector)


def spec_range_of_xpaths():
    """Example 28, Range Selector, as given: two XPaths, which plain text does not have."""
    selector = {
        "type": "RangeSelector",
        "startSelector": {"type": "XPathSelector", "value": "//table[1]/tr[1]/td[2]"},
        "endSelector": {"type": "XPathSelector", "value": "//table[1]/tr[1]/td[4]"},
    }
    return spec(28, body="http://example.org/comment1", selector=selector)


def spec_refined_by():
    """Example 29, Refinement of Selection: a FragmentSelector refined by a quote."""
    refinement = quote("seen by the Gazette", prefix="according to a report ", suffix=".")
    selector = {"type": "FragmentSelector", "value": "para5", "refinedBy": refinement}
    return spec(29, body="http://example.org/comment1", selector=selector)


def spec_position_refined_by_quote():
    """In Example 29's shape: a paragraph's positions refined by a quote inside it."""
    paragraph = at(
        "Critics argue the repairs were rushed, according to a report seen by the Gazette."
    )
    selector = position(*paragraph, refinedBy=quote("a report"))
    return spec(
        "29b", bodyValue="Who wrote the report?", motivation="questioning", selector=selector
    )


def spec_body_value():
    """Example 6, String Body, on a span of the article."""
    return spec(6, bodyValue="Comment text", selector=quote("The bridge closed in 2023."))


def spec_commenting_textual_body():
    """Example 5, Textual Body, on a span, with a motivation added; no purpose on the body."""
    body = {
        "type": "TextualBody",
        "value": "<p>j'adore !</p>",
        "format": "text/html",
        "language": "fr",
    }
    return spec(5, motivation="commenting", body=body, selector=quote("reopen in May"))


def spec_basic():
    """Example 1, Basic Annotation Model: a whole document, no span."""
    return spec(1, body="http://example.org/post1", target=URN)


def spec_multiple_targets():
    """Example 9, Multiple Bodies or Targets: two documents."""
    bodies = ["http://example.org/description1", {"type": "TextualBody", "value": "tag1"}]
    return spec(9, body=bodies, target=[URN, "http://example.org/image2"])


def spec_tagging():
    """Example 15, Motivation and Purpose: a tagging body and a describing one, on a span."""
    description = "A good description of the topic that bears further investigation"
    bodies = [
        {"type": "TextualBody", "value": "readme", "purpose": "tagging"},
        {"type": "TextualBody", "value": description, "purpose": "describing"},
    ]
    selector = quote("the bridge would reopen in May")
    return spec(15, motivation="bookmarking", body=bodies, selector=selector)


PROPOSED = {
    # example: (the span proposed, its draft explanation)
    "quote selector": (spec_quote_selector, "repairs", ""),
    "position selector": (spec_position_selector, "the bridge would reopen in May", ""),
    "range selector": (
        spec_range_selector,
        "Critics argue the repairs were rushed, ",
        "",
    ),
    "refined by a quote": (spec_refined_by, "seen by the Gazette", ""),
    "positions refined by a quote": (
        spec_position_refined_by_quote,
        "a report",
        "Who wrote the report?",
    ),
    "body value": (spec_body_value, "The bridge closed in 2023.", "Comment text"),
    "commenting body without purpose": (
        spec_commenting_textual_body,
        "reopen in May",
        "<p>j'adore !</p>",
    ),
    "tagging and describing": (
        spec_tagging,
        "the bridge would reopen in May",
        "A good description of the topic that bears further investigation\n\nTags: readme.",
    ),
}


@pytest.mark.parametrize("case", PROPOSED.keys())
def test_specification_example_on_a_span_becomes_a_proposal(article, case):
    example, span, explanation = PROPOSED[case]
    document = example()

    result = annotations_import(article=article, data=document)

    assert result == ImportResult(annotations=0, proposals=1, skipped=0)
    proposal = AnnotationProposal.objects.get(article=article)
    assert proposal.exact == span
    assert (proposal.start, proposal.end) == at(span)
    assert proposal.explanation == explanation
    assert proposal.origin == AnnotationProposal.Origin.IMPORT
    assert proposal.external_id == document["id"]
    assert proposal.origin_label == "example.org"
    assert proposal.status == AnnotationProposal.Status.PENDING


def test_a_tag_naming_one_of_our_kinds_prefills_the_proposals_kind(article):
    document = spec_tagging()
    document["body"][0]["value"] = "Claim"

    annotations_import(article=article, data=document)

    assert AnnotationProposal.objects.get(article=article).kind == "claim"


@pytest.mark.parametrize(
    ("example", "message"),
    [
        (
            spec_multiple_targets,
            "Item 1: it has targets in 2 different documents (“urn:sourcewise:article:"
            "bridge-to-reopen”, “http://example.org/image2”)",
        ),
        (
            spec_range_of_xpaths,
            "Item 1: none of its selectors (RangeSelector) points into the article's plain text",
        ),
    ],
)
def test_specification_example_that_cannot_be_placed_is_refused_naming_it(
    article, example, message
):
    messages = refusal(article, example())

    assert message in "\n".join(messages)
    assert "(id http://example.org/anno" in "\n".join(messages)


def test_annotation_of_the_whole_document_is_left_out_with_a_message(article):
    result = annotations_import(article=article, data=spec_basic())

    assert (result.annotations, result.proposals) == (0, 0)
    assert result.left_out == (
        "Item 1: it marks no text (a note on the whole page, or a reply), so it was left out. "
        "(id http://example.org/anno1)",
    )


def test_specification_examples_in_one_page_import_together(article):
    page = {
        "@context": ANNO_CONTEXT,
        "id": "http://example.org/page1",
        "type": "AnnotationPage",
        "items": [
            {key: value for key, value in example().items() if key != "@context"}
            for example in (spec_quote_selector, spec_body_value, spec_basic)
        ],
    }

    result = annotations_import(article=article, data=page)

    assert (result.proposals, len(result.left_out)) == (2, 1)


# Shapes the W3C context allows ------------------------------------------------------------


def test_keywords_prefixed_names_and_full_iris_read_as_the_plain_terms(article):
    document = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "@id": "http://example.org/anno40",
        "@type": "oa:Annotation",
        "http://www.w3.org/ns/oa#hasBody": {
            "@type": "http://www.w3.org/ns/oa#TextualBody",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#value": "Named, but is he right?",
        },
        "oa:hasTarget": {
            "oa:hasSource": {"@id": URN},
            "oa:hasSelector": {
                "@type": "oa:TextQuoteSelector",
                "oa:exact": "The mayor said",
            },
        },
    }

    annotations_import(article=article, data=document)

    assert proposals(article) == [
        (
            "The mayor said",
            "Named, but is he right?",
            "import",
            "example.org",
            "http://example.org/anno40",
        )
    ]


def test_document_without_a_context_is_read_as_w3c_json(article):
    document = spec_body_value()
    del document["@context"]

    assert annotations_import(article=article, data=document).proposals == 1


def test_remote_context_other_than_the_w3cs_is_refused_without_fetching_it(article):
    document = {**spec_body_value(), "@context": "https://tool.example/context.jsonld"}

    messages = refusal(article, document)

    assert "uses the JSON-LD context https://tool.example/context.jsonld" in "\n".join(messages)
    assert "fetches nothing from the web" in "\n".join(messages)


def test_target_as_a_one_element_array_of_our_article_is_read(article):
    document = spec_body_value()
    document["target"] = [document["target"]]

    assert annotations_import(article=article, data=document).proposals == 1


def test_target_as_an_object_with_an_id_names_the_document(article):
    document = spec_body_value()
    document["target"]["source"] = {"id": URN, "type": "Text", "format": "text/plain"}

    assert annotations_import(article=article, data=document).proposals == 1


def test_two_spans_of_the_article_in_one_annotation_are_refused(article):
    document = spec_body_value()
    second = {"source": URN, "selector": {"type": "TextQuoteSelector", "exact": "Critics"}}
    document["target"] = [document["target"], second]

    messages = refusal(article, document)

    assert "Item 1: it marks 2 separate spans" in "\n".join(messages)


def test_the_articles_page_in_this_app_is_the_same_document(article):
    document = spec_position_selector()
    document["target"]["source"] = "http://testserver/articles/bridge-to-reopen/"

    assert annotations_import(article=article, data=document).proposals == 1


# Nothing stored against the wrong text ----------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "urn:sourcewise:article:another-article",
        "https://elsewhere.example/story",
        "http://testserver/articles/another-article/",
    ],
)
def test_position_selector_from_another_document_is_refused_naming_it(article, source):
    document = spec_position_selector()
    document["target"]["source"] = source

    messages = refusal(article, document)

    assert (
        f"Item 1: it annotates “{source}”, not this article (“{URN}”); nothing is stored "
        "against another document's text. (id http://example.org/anno24)"
    ) == messages[0]


def test_our_own_export_of_another_article_is_refused_unless_retargeted(article):
    other = ArticleFactory(body=ARTICLE_BODY, slug="other")
    AnnotationFactory(article=other, quote="The bridge closed in 2023.", speaker=None)
    document = annotations_export(article=other)

    with pytest.raises(ValidationError, match="not this article"):
        annotations_import(article=article, data=document)
    assert annotations_import(article=article, data=document, retarget=True).annotations == 1


def test_retargeted_positions_without_a_quote_are_refused(article):
    document = spec_position_selector()
    document["target"]["source"] = "urn:sourcewise:article:another-article"

    messages = refusal(article, document, retarget=True)

    assert "it gives only positions, and they count in another copy" in "\n".join(messages)


def test_positions_counted_in_the_live_page_only_help_find_the_quote():
    article = ArticleFactory(body=ARTICLE_BODY, source_url="https://news.example/bridge")
    start, end = at("repairs")
    document = spec_quote_selector()
    document["target"]["source"] = "https://news.example/bridge/#comments"
    # The page had a headline and a menu before the text: its offsets are further on.
    document["target"]["selector"] = [
        document["target"]["selector"],
        {"type": "TextPositionSelector", "start": start + 120, "end": end + 120},
    ]

    annotations_import(article=article, data=document)

    assert AnnotationProposal.objects.get(article=article).start == start


def test_positions_alone_counted_in_the_live_page_are_refused():
    article = ArticleFactory(body=ARTICLE_BODY, source_url="https://news.example/bridge")
    document = spec_position_selector()
    document["target"]["source"] = "https://news.example/bridge"

    messages = refusal(article, document)

    assert "give a TextQuoteSelector" in "\n".join(messages)


def test_quote_that_is_not_in_the_article_is_refused_and_nothing_is_saved(article):
    page = {
        "type": "AnnotationPage",
        "items": [spec_body_value(), spec_quote_selector()],
    }
    page["items"][1]["target"]["selector"] = quote("the mayor resigned in shame")

    assert refusal(article, page) == [
        "Item 2: the quoted text “the mayor resigned in shame” is not in the article. "
        "(id http://example.org/anno23)"
    ]


def test_quote_found_only_reworded_is_refused_showing_the_nearest_text(article):
    document = spec_body_value()
    document["target"]["selector"] = quote("the bridge would re-open in May")

    messages = refusal(article, document)

    assert messages == [
        "Item 1: the quoted text “the bridge would re-open in May” is not in the article; the "
        "nearest is “the bridge would reopen in May”. (id http://example.org/anno6)"
    ]


# A Hypothesis export of the demo article ----------------------------------------------------

PAGE_URL = "https://news.example/putin-denies-trump-contacts"
# What the live page had before the article's text (headline, menu): Hypothesis counts it.
PAGE_OFFSET = 212


@pytest.fixture
def demo():
    body = article_text_parts(PUTIN_ARTICLE)[1]
    return ArticleFactory(
        slug=PUTIN_ARTICLE.slug, title=PUTIN_ARTICLE.title, body=body, source_url=PAGE_URL
    )


def hypothesis_annotation(body, ident, quote, *, text="", tags=(), user="alice"):
    """An annotation as Hypothesis's API gives it in W3C form (AnnotationJSONLDPresenter)."""
    start = body.index(quote)
    end = start + len(quote)
    bodies = [{"type": "TextualBody", "value": text, "format": "text/markdown"}]
    bodies += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in tags]
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": f"https://hypothes.is/a/{ident}",
        "created": "2024-10-28T09:15:02.114000+00:00",
        "modified": "2024-10-28T09:15:02.114000+00:00",
        "creator": f"acct:{user}@hypothes.is",
        "body": bodies,
        "target": [
            {
                "source": PAGE_URL,
                "selector": [
                    {
                        "type": "RangeSelector",
                        "startSelector": {
                            "type": "XPathSelector",
                            "value": "/main[1]/article[1]/p[4]",
                            "refinedBy": {"type": "TextPositionSelector", "start": 3, "end": 3},
                        },
                        "endSelector": {
                            "type": "XPathSelector",
                            "value": "/main[1]/article[1]/p[4]",
                            "refinedBy": {"type": "TextPositionSelector", "start": 9, "end": 9},
                        },
                    },
                    {
                        "type": "TextPositionSelector",
                        "start": start + PAGE_OFFSET,
                        "end": end + PAGE_OFFSET,
                    },
                    {
                        "type": "TextQuoteSelector",
                        "exact": quote,
                        "prefix": body[max(0, start - 32) : start],
                        "suffix": body[end : end + 32],
                    },
                ],
            }
        ],
    }


def hypothesis_reply(ident, text, user="bob"):
    """A reply or page note: Hypothesis gives its target without selectors."""
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": f"https://hypothes.is/a/{ident}",
        "created": "2024-10-28T10:00:00.000000+00:00",
        "modified": "2024-10-28T10:00:00.000000+00:00",
        "creator": f"acct:{user}@hypothes.is",
        "body": [{"type": "TextualBody", "value": text, "format": "text/markdown"}],
        "target": [{"source": PAGE_URL}],
    }


def hypothesis_export(body):
    items = [
        hypothesis_annotation(
            body,
            "hl-woodward",
            "a book by American journalist Bob Woodward hit the stands",
        ),
        hypothesis_annotation(
            body,
            "cm-nonsense",
            "it was utter nonsense",
            text="Whose words are these? Check **who** is speaking.",
            tags=("claim", "attribution"),
        ),
        hypothesis_annotation(
            body,
            "cm-contacts",
            "There were no contacts back then, and there are none now.",
            text="Putin's claim, not the reporter's.",
            user="carol",
        ),
        hypothesis_reply("rp-nonsense", "Agreed: the quote marks show it."),
        hypothesis_reply("pn-page", "Page note: compare with the Woodward book.", user="alice"),
    ]
    return {"type": "AnnotationPage", "items": items}


def test_hypothesis_export_of_the_demo_article_becomes_proposals(demo):
    result = annotations_import(article=demo, data=hypothesis_export(demo.body))

    assert (result.annotations, result.proposals, result.skipped) == (0, 3, 0)
    assert [note[:7] for note in result.left_out] == ["Item 4:", "Item 5:"]
    assert "https://hypothes.is/a/rp-nonsense" in result.left_out[0]
    assert proposals(demo) == [
        (
            "a book by American journalist Bob Woodward hit the stands",
            "",
            "import",
            "hypothes.is, acct:alice@hypothes.is",
            "https://hypothes.is/a/hl-woodward",
        ),
        (
            "it was utter nonsense",
            "Whose words are these? Check **who** is speaking.\n\nTags: claim, attribution.",
            "import",
            "hypothes.is, acct:alice@hypothes.is",
            "https://hypothes.is/a/cm-nonsense",
        ),
        (
            "There were no contacts back then, and there are none now.",
            "Putin's claim, not the reporter's.",
            "import",
            "hypothes.is, acct:carol@hypothes.is",
            "https://hypothes.is/a/cm-contacts",
        ),
    ]
    for proposal in AnnotationProposal.objects.filter(article=demo):
        assert demo.body[proposal.start : proposal.end] == proposal.exact


def test_reimporting_the_hypothesis_export_adds_nothing(demo):
    annotations_import(article=demo, data=hypothesis_export(demo.body))

    again = annotations_import(article=demo, data=hypothesis_export(demo.body))

    assert (again.annotations, again.proposals, again.skipped) == (0, 0, 3)
    assert AnnotationProposal.objects.filter(article=demo).count() == 3


def test_hypothesis_highlight_of_text_left_out_of_the_article_is_refused_naming_it(demo):
    page_text = demo.body + "\n\nREAD MORE: Putin ‘doesn’t remember’ Trump missile threats"
    export = hypothesis_export(demo.body)
    export["items"].append(
        hypothesis_annotation(page_text, "hl-readmore", "Putin ‘doesn’t remember’")
    )

    assert refusal(demo, export) == [
        "Item 6: the quoted text “Putin ‘doesn’t remember’” is not in the article. "
        "(id https://hypothes.is/a/hl-readmore)"
    ]


def test_hypothesis_annotation_of_another_page_is_refused_naming_it(demo):
    export = hypothesis_export(demo.body)
    export["items"][1]["target"][0]["source"] = "https://news.example/another-story"

    messages = refusal(demo, export)

    assert messages[0].startswith(
        "Item 2: it annotates “https://news.example/another-story”, not this article"
    )
    assert messages[0].endswith("(id https://hypothes.is/a/cm-nonsense)")


def test_hypothesis_export_finds_its_article_by_the_page_address(demo):
    assert annotations_target_article(data=hypothesis_export(demo.body)) == demo


def test_proposal_on_a_span_already_annotated_is_not_offered(demo):
    quote = "There were no contacts back then, and there are none now."
    AnnotationFactory(article=demo, quote=quote, speaker=None)

    result = annotations_import(article=demo, data=hypothesis_export(demo.body))

    assert (result.proposals, result.skipped) == (2, 1)


# Today's silent losses and crashes, now messages ---------------------------------------------


# What the teacher wrote on the test article: a claim with its speaker and source words, and a
# reported fact in the outlet's voice.
TEACHERS_MARKUP = [
    ("the bridge would reopen in May", "claim", "named_person", "said", "The mayor", "Named."),
    ("The bridge closed in 2023.", "fact", "none", "", None, ""),
]


@pytest.fixture
def annotated(article):
    mayor = SourceFactory(article=article, name="The mayor", description="Mayor", kind="person")
    for quote_, kind, sourcing, cue, words, explanation in TEACHERS_MARKUP:
        fields = {"kind": kind, "sourcing": sourcing, "cue": cue, "explanation": explanation}
        speaker = mayor if words else None
        annotate(article, quote_, speaker=speaker, source_words=words, **fields)
    return article


def snapshot(article):
    """Everything test_w3c's snapshot compares, and the annotations' global ids."""
    return (
        w3c_snapshot(article),
        sorted(Annotation.objects.filter(article=article).values_list("uid", flat=True)),
    )


def test_textual_body_without_purpose_keeps_its_text_as_the_explanation(annotated):
    document = annotations_export(article=annotated)
    Annotation.objects.filter(article=annotated).delete()
    item = document["first"]["items"][0]
    del item["body"][0]["purpose"]
    item["motivation"] = "commenting"

    annotations_import(article=annotated, data=document)

    assert Annotation.objects.get(article=annotated, kind="claim").explanation == "Named."


@pytest.mark.parametrize("where", ["explanation", "key"])
def test_lone_surrogate_is_refused_with_a_message(annotated, where):
    document = annotations_export(article=annotated)
    item = document["first"]["items"][0]
    if where == "explanation":
        item["body"][0]["value"] = "half a character: \ud800"
    else:
        item["\udfff"] = 1

    messages = refusal(annotated, document)

    assert "half of a character (a lone surrogate)" in "\n".join(messages)


def test_lone_surrogate_escaped_in_a_file_is_refused_with_a_message():
    with pytest.raises(ValidationError) as error:
        annotations_file_read(data=b'{"type": "Annotation", "bodyValue": "\\ud800"}')

    assert error.value.messages == [
        "The file cannot be read: it holds \\ud800, half of a character (a lone surrogate), "
        "which is not text."
    ]


def test_array_nested_200000_deep_is_refused_from_a_file():
    with pytest.raises(ValidationError) as error:
        annotations_file_read(data=b"[" * 200_000 + b"]" * 200_000)

    assert error.value.messages == [
        "The file cannot be read: it is nested more than 64 levels deep."
    ]


def test_array_nested_200000_deep_is_refused_from_a_document(article):
    deep: list = []
    for _ in range(200_000):
        deep = [deep]
    document = {**spec_body_value(), "body": deep}

    messages = refusal(article, document)

    assert "nested more than 64 levels deep" in "\n".join(messages)


def test_target_given_as_an_array_on_a_markup_item_is_read(annotated):
    before = snapshot(annotated)
    document = annotations_export(article=annotated)
    for item in document["first"]["items"]:
        item["target"] = [item["target"]]
    Annotation.objects.filter(article=annotated).delete()

    annotations_import(article=annotated, data=document)

    assert snapshot(annotated) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\xff\xfe{}", "The file is not UTF-8 text."),
        (
            b"{oops",
            "The file is not valid JSON: Expecting property name enclosed in double quotes "
            "at line 1, column 2.",
        ),
        (b"[1, 2]", "The file must hold a JSON object"),
        (b" " * (MAX_IMPORT_BYTES + 1), "the limit is 5 MB"),
    ],
)
def test_file_that_cannot_be_read_is_refused_with_a_message(data, message):
    with pytest.raises(ValidationError) as error:
        annotations_file_read(data=data)

    assert message in "\n".join(error.value.messages)


def test_file_with_a_byte_order_mark_is_read():
    assert annotations_file_read(data=b'\xef\xbb\xbf{"type": "Annotation"}') == {
        "type": "Annotation"
    }


# Round trips ------------------------------------------------------------------------------------


def test_round_trip_keeps_every_field_and_the_global_id(annotated):
    before = snapshot(annotated)
    document = json.loads(json.dumps(annotations_export(article=annotated)))
    Annotation.objects.filter(article=annotated).delete()
    Source.objects.filter(article=annotated).delete()

    result = annotations_import(article=annotated, data=document)

    assert result == ImportResult(annotations=2, proposals=0, skipped=0)
    assert snapshot(annotated) == before


def test_round_trip_into_another_article_with_the_same_body_gives_the_same_annotations(annotated):
    document = annotations_export(article=annotated)
    fresh = ArticleFactory(body=annotated.body, slug="fresh")

    annotations_import(article=fresh, data=document, retarget=True)

    assert w3c_snapshot(fresh) == w3c_snapshot(annotated)
    # The ids stay with the originals, which are still in this database.
    assert not set(snapshot(fresh)[1]) & set(snapshot(annotated)[1])


def test_reimporting_an_export_adds_nothing_even_after_the_teacher_edits(annotated):
    document = annotations_export(article=annotated)
    Annotation.objects.filter(article=annotated, kind="fact").update(kind="opinion")

    result = annotations_import(article=annotated, data=document)

    assert (result.annotations, result.skipped) == (0, 2)


def test_round_trip_reads_the_newer_export_shapes(annotated):
    """The export's later shapes: target.source as a Text resource with a state, sourceWords as
    a SpecificResource with its own selectors, the article as an IRI."""
    before = snapshot(annotated)
    document = annotations_export(article=annotated)
    document["sourcewise:article"] = {"id": URN}
    for item in document["first"]["items"]:
        item["target"]["source"] = {
            "id": URN,
            "type": "Text",
            "format": "text/plain",
            "language": "en",
        }
        item["target"]["state"] = {"type": "TimeState", "sourceDate": "2024-10-25T00:00:00Z"}
        words = item[MARKUP]["sourceWords"]
        if words is not None and "selector" not in words:
            item[MARKUP]["sourceWords"] = {
                "type": "SpecificResource",
                "source": URN,
                "selector": [
                    {"type": "TextQuoteSelector", "exact": words["exact"]},
                    {"type": "TextPositionSelector", "start": words["start"], "end": words["end"]},
                ],
            }
    Annotation.objects.filter(article=annotated).delete()

    annotations_import(article=annotated, data=document)

    assert snapshot(annotated) == before
    assert annotations_target_article(data=document) == annotated


def test_kinds_written_as_concept_iris_read_as_our_words(annotated):
    """A context may make "claim" stand for a concept of our vocabulary (JSON-LD 1.1 scoped
    @vocab): https://sourcewise.invalid/ns#statement-claim reads back as "claim"."""
    before = snapshot(annotated)
    document = annotations_export(article=annotated)

    def concept(term, scheme):
        scoped = {"@vocab": f"{SOURCEWISE_NS}{scheme}-"}
        return {"@id": f"sourcewise:{term}", "@type": "@vocab", "@context": scoped}

    ours = {**JSONLD_CONTEXT[1], "@version": 1.1}
    ours.update(kind=concept("kind", "statement"), sourcing=concept("sourcing", "sourcing"))
    document["@context"] = [ANNO_CONTEXT, ours]
    Annotation.objects.filter(article=annotated).delete()

    annotations_import(article=annotated, data=document)

    assert snapshot(annotated) == before


def test_an_http_id_with_a_canonical_urn_keeps_the_global_id(annotated):
    before = snapshot(annotated)
    document = annotations_export(article=annotated)
    for item in document["first"]["items"]:
        uid = item["id"].removeprefix("urn:uuid:")
        item["canonical"] = item["id"]
        item["id"] = f"http://testserver/articles/annotations/{uid}/"
    Annotation.objects.filter(article=annotated).delete()

    annotations_import(article=annotated, data=document)

    assert snapshot(annotated) == before


def test_positions_on_the_page_whose_state_caches_our_copy_count_in_our_text():
    article = ArticleFactory(body=ARTICLE_BODY, source_url="https://news.example/bridge")
    document = spec_position_selector()
    document["target"]["source"] = "https://news.example/bridge"
    document["target"]["state"] = {
        "type": "TimeState",
        "cached": f"http://testserver/articles/{article.slug}/",
    }

    annotations_import(article=article, data=document)

    assert AnnotationProposal.objects.get(article=article).exact == "the bridge would reopen in May"


def test_changing_one_documents_context_changes_no_later_import_or_export(annotated):
    before = snapshot(annotated)
    first = annotations_export(article=annotated)
    # What a caller (or PyLD) does to one document's @context stays in that document.
    first["@context"][1]["sourcewise:markup"] = {"H": 114}
    first["@context"][1]["kind"] = []
    second = annotations_export(article=annotated)
    assert second["@context"] == JSONLD_CONTEXT
    Annotation.objects.filter(article=annotated).delete()

    annotations_import(article=annotated, data=second)

    assert snapshot(annotated) == before


def test_export_with_our_context_inline_round_trips_with_full_iris(annotated):
    before = snapshot(annotated)
    document = copy.deepcopy(annotations_export(article=annotated))
    assert document["@context"] == JSONLD_CONTEXT
    Annotation.objects.filter(article=annotated).delete()

    annotations_import(article=annotated, data=document)

    assert snapshot(annotated) == before


def test_uid_already_used_by_another_article_is_replaced(annotated):
    document = annotations_export(article=annotated)
    taken = uuid.UUID(document["first"]["items"][0]["id"].removeprefix("urn:uuid:"))
    fresh = ArticleFactory(body=annotated.body, slug="fresh")

    annotations_import(article=fresh, data=document, retarget=True)

    assert not Annotation.objects.filter(article=fresh, uid=taken).exists()


# The command -------------------------------------------------------------------------------------


def test_import_command_reports_proposals_and_what_it_left_out(demo, tmp_path):
    path = tmp_path / "hypothesis.jsonld"
    path.write_text(json.dumps(hypothesis_export(demo.body)), encoding="utf-8")
    out = StringIO()

    call_command("import_annotations", str(path), stdout=out)

    assert (
        "Imported 0 annotation(s) into “Putin denies contacts with Trump”, and 3 proposal(s) "
        "for review." in out.getvalue()
    )
    assert "Item 4: it marks no text" in out.getvalue()


def test_import_command_refuses_a_deeply_nested_file(tmp_path):
    path = tmp_path / "deep.jsonld"
    path.write_bytes(b"[" * 200_000 + b"]" * 200_000)

    with pytest.raises(CommandError, match="nested more than 64 levels deep"):
        call_command("import_annotations", str(path), stdout=StringIO())


# Whatever comes in: a ValidationError or an import, never a crash ---------------------------------

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
KEYS = [
    "type",
    "id",
    "target",
    "source",
    "selector",
    "exact",
    "prefix",
    "start",
    "end",
    "refinedBy",
    "startSelector",
    "body",
    "bodyValue",
    "purpose",
    "motivation",
    "value",
    "creator",
    "generator",
    "@context",
    "@id",
    "@type",
    "canonical",
    MARKUP,
    "kind",
    "sourcing",
    "speaker",
    "sourceWords",
    "anchorStatus",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(
        [
            "Annotation",
            "TextQuoteSelector",
            "TextPositionSelector",
            "RangeSelector",
            "commenting",
            "tagging",
            URN,
            PAGE_URL,
            "\ud800",
            "http://www.w3.org/ns/anno.jsonld",
            "https://tool.example/c.jsonld",
        ]
    ),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


def fuzz_base(demo, base):
    """A valid item to break: a Hypothesis comment, or an annotation as our export writes it."""
    if base == "hypothesis":
        return hypothesis_annotation(
            demo.body, "fuzz", "it was utter nonsense", text="A note.", tags=("claim",)
        )
    annotation = AnnotationFactory(
        article=demo, quote="There were no contacts back then", speaker=None
    )
    document = annotations_export(article=demo)
    annotation.delete()
    return {"@context": document["@context"], **document["first"]["items"][0]}


@FUZZ
@given(
    base=st.sampled_from(["hypothesis", "ours"]),
    path=st.lists(st.sampled_from(KEYS) | st.integers(0, 2), max_size=4),
    value=json_values,
)
def test_any_change_to_an_annotation_is_imported_or_refused(demo, base, path, value):
    document = fuzz_base(demo, base)
    node = document
    for step in path[:-1]:
        child = node.get(step) if isinstance(node, dict) else None
        if isinstance(step, int) and isinstance(node, list) and step < len(node):
            child = node[step]
        if not isinstance(child, dict | list):
            break
        node = child
    key = path[-1] if path else "target"
    if isinstance(node, dict) and isinstance(key, str):
        node[key] = value
    elif isinstance(node, list):
        node.append(value)

    try:
        annotations_import(article=demo, data=document)
    except ValidationError as error:
        assert error.messages
        return
    for span in [*AnnotationProposal.objects.filter(article=demo), *demo.annotations.all()]:
        assert demo.body[span.start : span.end] == span.exact or span.anchor_status == "orphaned"


@FUZZ
@given(data=st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()))
def test_any_file_is_read_or_refused_with_a_message(data):
    try:
        document = annotations_file_read(data=data)
    except ValidationError as error:
        assert error.messages
        return
    assert isinstance(document, dict)


@pytest.fixture
def demo_loaded(db):
    return demo_articles_ensure(owner=TeacherFactory())


def test_the_demo_articles_export_round_trips_into_a_database_without_it(demo_loaded):
    """Export every demo article with annotations, empty the database of articles, sources,
    annotations and their authors, store each article's text again and import its file: the
    same annotations come back, with their global ids, and each with its source words."""
    articles = [article for article in Article.objects.all() if article.annotations.exists()]
    files = {
        article.slug: json.loads(json.dumps(annotations_export(article=article)))
        for article in articles
    }
    texts = {
        article.slug: (article.title, article.body, article.source_url) for article in articles
    }
    before = {article.slug: snapshot(article) for article in articles}
    assert sum(len(uids) for _, uids in before.values()) >= 100

    Annotation.objects.all().delete()
    Source.objects.all().delete()
    Article.objects.all().delete()
    get_user_model().objects.all().delete()

    for slug, (title, body, source_url) in texts.items():
        fresh = ArticleFactory(slug=slug, title=title, body=body, source_url=source_url)
        result = annotations_import(article=fresh, data=files[slug])
        assert (result.proposals, result.skipped) == (0, 0)
        assert snapshot(fresh) == before[slug], slug
