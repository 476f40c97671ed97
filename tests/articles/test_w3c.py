import copy
import json
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from articles.models import Annotation, Source
from articles.w3c.export import annotations_export
from articles.w3c.reading import annotations_import, annotations_target_article
from articles.w3c.vocabulary import ANNO_CONTEXT, MARKUP, SOURCEWISE_NS
from tests.factories import (
    ARTICLE_BODY,
    AnnotationFactory,
    ArticleFactory,
    SourceFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


def annotate(article, quote, *, speaker=None, source_words=None, **fields):
    """Annotate the first occurrence of quote; source_words are located the same way."""
    if source_words is not None:
        source_start = article.body.index(source_words)
        fields.update(
            source_start=source_start,
            source_end=source_start + len(source_words),
            source_exact=source_words,
        )
    return AnnotationFactory(article=article, quote=quote, speaker=speaker, **fields)


@pytest.fixture
def article():
    article = ArticleFactory(title="Bridge to reopen, mayor says", slug="bridge-to-reopen")
    mayor = SourceFactory(article=article, name="The mayor", description="Mayor", kind="person")
    critics = SourceFactory(article=article, name="Critics", description="", kind="vague")
    annotate(
        article,
        "the bridge would reopen in May",
        speaker=mayor,
        cue="said",
        sourcing="named_person",
        source_words="The mayor",
        explanation="The mayor says this; the reporter does not vouch for it.",
    )
    annotate(
        article,
        "the repairs were rushed",
        speaker=critics,
        kind="opinion",
        cue="argue",
        sourcing="vague",
        source_words="Critics",
        explanation="Nobody is named: who are these critics?",
    )
    annotate(
        article,
        "The bridge closed in 2023.",
        kind="fact",
        cue="",
        sourcing="none",
        explanation="",
    )
    return article


def snapshot(article):
    """Return everything an annotation says, in a form that compares across imports."""
    return sorted(
        (
            a.start,
            a.end,
            a.exact,
            a.prefix,
            a.suffix,
            a.kind,
            a.sourcing,
            a.cue,
            a.speaker.name if a.speaker else None,
            a.speaker.description if a.speaker else None,
            a.speaker.kind if a.speaker else None,
            a.source_start,
            a.source_end,
            a.source_exact,
            a.explanation,
            a.anchor_status,
        )
        for a in Annotation.objects.filter(article=article).select_related("speaker")
    )


def items_of(document):
    return document["first"]["items"]


# Export ---------------------------------------------------------------------------------


def test_export_is_a_w3c_annotation_collection_with_our_terms_in_a_second_context(article):
    document = annotations_export(article=article)

    assert document["@context"][0] == ANNO_CONTEXT
    assert document["@context"][1]["sourcewise"] == SOURCEWISE_NS
    assert document["type"] == "AnnotationCollection"
    assert document["id"] == "urn:sourcewise:article:bridge-to-reopen:annotations"
    assert document["label"] == "Bridge to reopen, mayor says"
    assert document["total"] == 3
    assert document["first"]["type"] == "AnnotationPage"
    assert document["first"]["startIndex"] == 0
    assert [item["type"] for item in items_of(document)] == ["Annotation"] * 3


def test_exported_annotation_targets_its_span_with_quote_and_position_selectors(article):
    annotation = Annotation.objects.get(exact="the bridge would reopen in May")

    item = items_of(annotations_export(article=article))[0]

    assert item["id"] == f"urn:uuid:{annotation.uid}"
    assert item["target"]["source"] == {
        "id": "urn:sourcewise:article:bridge-to-reopen",
        "type": "Text",
        "format": "text/plain",
        "language": "en",
    }
    quote, position = item["target"]["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "the bridge would reopen in May",
        "prefix": ARTICLE_BODY[: annotation.start],
        "suffix": annotation.suffix,
    }
    assert position == {
        "type": "TextPositionSelector",
        "start": annotation.start,
        "end": annotation.end,
    }
    assert ARTICLE_BODY[position["start"] : position["end"]] == quote["exact"]


def test_exported_annotation_carries_explanation_kind_and_our_markup(article):
    item = items_of(annotations_export(article=article))[0]

    assert item["motivation"] == "describing"
    assert item["creator"] == {
        "type": "Person",
        "name": article.owner.get_full_name(),
        "nickname": article.owner.username,
    }
    assert item["created"].endswith("Z")
    assert item["modified"].endswith("Z")
    assert item["body"] == [
        {
            "type": "TextualBody",
            "purpose": "describing",
            "value": "The mayor says this; the reporter does not vouch for it.",
            "format": "text/plain",
            "language": "en",
        },
        {"type": "TextualBody", "purpose": "classifying", "value": "claim"},
    ]
    assert item[MARKUP] == {
        "kind": "claim",
        "sourcing": "named_person",
        "cue": "said",
        "speaker": {"name": "The mayor", "description": "Mayor", "kind": "person"},
        "sourceWords": {
            "type": "SpecificResource",
            "source": "urn:sourcewise:article:bridge-to-reopen",
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": "The mayor",
                    "prefix": "",
                    "suffix": ARTICLE_BODY[9:41],
                },
                {"type": "TextPositionSelector", "start": 0, "end": 9},
            ],
        },
        "anchorStatus": "exact",
        "anchorScore": 1.0,
    }


def test_statement_in_the_outlets_own_voice_exports_without_speaker_or_explanation(article):
    item = items_of(annotations_export(article=article))[-1]

    assert item["motivation"] == "classifying"
    assert item["body"] == [{"type": "TextualBody", "purpose": "classifying", "value": "fact"}]
    assert item[MARKUP]["speaker"] is None
    assert item[MARKUP]["sourceWords"] is None


def test_export_targets_the_source_url_when_the_article_has_one():
    article = ArticleFactory(source_url="https://news.example/bridge")
    annotate(article, "The bridge closed in 2023.", kind="fact", sourcing="none")

    document = annotations_export(article=article)

    assert items_of(document)[0]["target"]["source"]["id"] == "https://news.example/bridge"
    assert document["sourcewise:article"] == f"urn:sourcewise:article:{article.slug}"


def test_export_orders_by_start_then_end_then_creation():
    article = ArticleFactory()
    later = annotate(article, "The bridge closed in 2023.", kind="fact", sourcing="none")
    longer = annotate(article, "the bridge would reopen in May", sourcing="none")
    shorter = annotate(article, "the bridge would reopen", sourcing="none")
    same_span = annotate(article, "the bridge would reopen", kind="opinion", sourcing="none")

    ids = [item["id"] for item in items_of(annotations_export(article=article))]

    expected = [shorter, same_span, longer, later]
    assert ids == [f"urn:uuid:{a.uid}" for a in expected]


def test_export_of_an_article_without_annotations_is_an_empty_collection():
    document = annotations_export(article=ArticleFactory())

    assert document["total"] == 0
    assert items_of(document) == []


@pytest.mark.parametrize("count", [2, 20])
def test_export_takes_one_query_whatever_the_number_of_annotations(
    count, django_assert_num_queries
):
    article = ArticleFactory()
    speakers = [SourceFactory(article=article) for _ in range(count)]
    for speaker in speakers:
        annotate(article, "the bridge would reopen in May", speaker=speaker)

    with django_assert_num_queries(1):
        document = annotations_export(article=article)

    assert len(items_of(document)) == count
    assert {item[MARKUP]["speaker"]["name"] for item in items_of(document)} == {
        speaker.name for speaker in speakers
    }


# Import ---------------------------------------------------------------------------------


def test_round_trip_gives_back_the_same_annotations(article):
    before = snapshot(article)
    document = annotations_export(article=article)
    Annotation.objects.filter(article=article).delete()

    created = annotations_import(article=article, data=document)

    assert created.annotations == 3
    assert snapshot(article) == before


def test_round_trip_recreates_missing_sources_with_their_description_and_kind(article):
    before = snapshot(article)
    document = annotations_export(article=article)
    Annotation.objects.filter(article=article).delete()
    Source.objects.filter(article=article).delete()

    annotations_import(article=article, data=document)

    assert snapshot(article) == before
    assert sorted(article.sources.values_list("name", "description", "kind")) == [
        ("Critics", "", "vague"),
        ("The mayor", "Mayor", "person"),
    ]


def test_import_keeps_an_existing_source_as_the_article_describes_it(article):
    document = annotations_export(article=article)
    Annotation.objects.filter(article=article).delete()
    Source.objects.filter(article=article, name="The mayor").update(description="Town mayor")

    annotations_import(article=article, data=document)

    assert Source.objects.get(article=article, name="The mayor").description == "Town mayor"
    assert Source.objects.filter(article=article).count() == 2


def test_importing_the_same_file_twice_adds_nothing(article):
    document = annotations_export(article=article)
    before = snapshot(article)

    assert annotations_import(article=article, data=document).annotations == 0
    assert annotations_import(article=article, data=document).annotations == 0
    assert snapshot(article) == before


def test_import_adds_only_the_items_the_article_lacks(article):
    document = annotations_export(article=article)
    Annotation.objects.get(article=article, kind="opinion").delete()

    assert annotations_import(article=article, data=document).annotations == 1
    assert Annotation.objects.filter(article=article).count() == 3


def test_same_span_with_another_kind_is_not_a_duplicate(article):
    document = annotations_export(article=article)
    items_of(document)[0][MARKUP]["kind"] = "opinion"
    items_of(document)[0]["body"][1]["value"] = "opinion"
    # With its id it would be the same annotation, already here; without, another one.
    del items_of(document)[0]["id"]

    assert annotations_import(article=article, data=document).annotations == 1
    assert Annotation.objects.filter(article=article).count() == 4


def test_replace_deletes_the_existing_annotations_first(article):
    document = annotations_export(article=article)
    before = snapshot(article)
    annotate(article, "Critics argue", kind="fact", sourcing="none")

    created = annotations_import(article=article, data=document, replace=True)

    assert created.annotations == 3
    assert snapshot(article) == before


def test_import_records_the_given_author(article):
    document = annotations_export(article=article)
    Annotation.objects.filter(article=article).delete()
    teacher = TeacherFactory()

    annotations_import(article=article, data=document, author=teacher)

    assert set(Annotation.objects.filter(article=article).values_list("author", flat=True)) == {
        teacher.pk
    }


def test_import_into_an_edited_body_moves_quote_and_source_words_with_the_text(article):
    document = annotations_export(article=article)
    edited = ArticleFactory(body="UPDATED: " + ARTICLE_BODY)

    annotations_import(article=edited, data=document, retarget=True)

    moved = Annotation.objects.get(article=edited, exact="the bridge would reopen in May")
    assert moved.anchor_status == Annotation.Anchor.MOVED
    assert moved.start == ARTICLE_BODY.index("the bridge would reopen in May") + 9
    assert (moved.source_start, moved.source_end) == (9, 18)
    assert edited.body[moved.source_start : moved.source_end] == "The mayor"
    assert moved.prefix == edited.body[max(0, moved.start - 32) : moved.start]


def test_import_into_a_body_with_a_reworded_quote_marks_it_fuzzy(article):
    document = annotations_export(article=article)
    edited = ArticleFactory(body=ARTICLE_BODY.replace("would reopen", "would re-open"))

    annotations_import(article=edited, data=document, retarget=True)

    fuzzy = Annotation.objects.get(article=edited, kind="claim")
    assert fuzzy.anchor_status == Annotation.Anchor.FUZZY
    assert 0 < fuzzy.anchor_score < 1
    assert fuzzy.exact == "the bridge would re-open in May"


def test_item_with_only_a_quote_is_placed_where_the_quote_is(article):
    document = annotations_export(article=article)
    item = items_of(document)[2]
    item["target"]["selector"] = [{"type": "TextQuoteSelector", "exact": "The bridge closed"}]
    Annotation.objects.filter(article=article).delete()

    annotations_import(article=article, data=document)

    placed = Annotation.objects.get(article=article, kind="fact")
    assert placed.start == ARTICLE_BODY.index("The bridge closed")
    assert placed.exact == "The bridge closed"
    assert placed.anchor_status == Annotation.Anchor.EXACT


def test_item_with_only_a_position_quotes_the_body_there(article):
    document = annotations_export(article=article)
    items_of(document)[2]["target"]["selector"] = {
        "type": "TextPositionSelector",
        "start": 4,
        "end": 9,
    }
    Annotation.objects.filter(article=article).delete()

    annotations_import(article=article, data=document)

    assert Annotation.objects.get(article=article, kind="fact").exact == "mayor"


def test_quote_repeated_in_the_body_is_told_apart_by_its_context():
    body = "He said no. Then she said no. Then they said no."
    source = ArticleFactory(body=body)
    second = body.index("said no", body.index("she"))
    AnnotationFactory(article=source, speaker=None, sourcing="none", quote="said no")
    Annotation.objects.filter(article=source).update(
        start=second, end=second + 7, prefix=body[max(0, second - 32) : second], suffix=". Then"
    )
    document = annotations_export(article=source)
    target = ArticleFactory(body="Breaking. " + body)

    annotations_import(article=target, data=document, retarget=True)

    assert Annotation.objects.get(article=target).start == second + len("Breaking. ")


def test_annotation_already_orphaned_when_exported_comes_back_orphaned():
    article = ArticleFactory()
    annotate(article, "The bridge closed in 2023.", kind="fact", sourcing="none")
    gone = "Words that are nowhere in this article at all."
    Annotation.objects.filter(article=article).update(
        exact=gone, end=F("start") + len(gone), anchor_status="orphaned", anchor_score=0
    )
    document = annotations_export(article=article)
    Annotation.objects.filter(article=article).delete()

    assert annotations_import(article=article, data=document).annotations == 1

    orphan = Annotation.objects.get(article=article)
    assert orphan.anchor_status == Annotation.Anchor.ORPHANED
    assert orphan.exact == gone
    assert not orphan.is_usable


def test_target_article_is_found_by_its_urn_or_its_source_url(article):
    with_url = ArticleFactory(source_url="https://news.example/bridge")
    annotate(with_url, "The bridge closed in 2023.", kind="fact", sourcing="none")
    by_url = annotations_export(article=with_url)
    del by_url["sourcewise:article"]

    assert annotations_target_article(data=annotations_export(article=article)) == article
    assert annotations_target_article(data=by_url) == with_url


def test_target_article_that_is_not_here_is_reported(article):
    document = annotations_export(article=article)
    article.slug = "renamed"
    article.save()

    with pytest.raises(ValidationError) as error:
        annotations_target_article(data=document)

    assert "urn:sourcewise:article:bridge-to-reopen" in error.value.messages[0]


# Invalid documents ----------------------------------------------------------------------


def break_second_item(document, change):
    change(items_of(document)[1])
    return document


def source_words_replace(item, words):
    """Change the words naming the source, in the first exports' shape or the SpecificResource."""
    source_words = item[MARKUP]["sourceWords"]
    quotes = [s for s in source_words.get("selector", []) if s["type"] == "TextQuoteSelector"]
    for quote in quotes or [source_words]:
        quote["exact"] = words


INVALID = {
    "not an annotation, page or collection": (
        lambda d: {**d, "type": "Dataset"},
        "type must be “AnnotationCollection”",
    ),
    "items not a list": (
        lambda d: {**d, "first": {**d["first"], "items": {"0": items_of(d)[0]}}},
        "Item 1: its type must be “Annotation”",
    ),
    "item not an object": (
        lambda d: {**d, "first": {**d["first"], "items": [items_of(d)[0], "oops"]}},
        "Item 2: it must be an object.",
    ),
    "item without a type": (
        lambda d: break_second_item(d, lambda i: i.pop("type")),
        "Item 2: its type must be “Annotation”",
    ),
    "offset as text": (
        lambda d: break_second_item(d, lambda i: i["target"]["selector"][1].update(start="twelve")),
        "Item 2: its TextPositionSelector needs whole-number offsets",
    ),
    "no selectors": (
        lambda d: break_second_item(d, lambda i: i["target"].update(selector=[])),
        "Item 2: its target needs a TextQuoteSelector or a TextPositionSelector",
    ),
    "unknown kind": (
        lambda d: break_second_item(d, lambda i: i[MARKUP].update(kind="rumour")),
        "Item 2: the kind “rumour” is not one of: claim, fact, opinion.",
    ),
    "unknown sourcing": (
        lambda d: break_second_item(d, lambda i: i[MARKUP].update(sourcing="a friend")),
        "Item 2: the sourcing “a friend” is not one of",
    ),
    "unknown speaker kind": (
        lambda d: break_second_item(d, lambda i: i[MARKUP]["speaker"].update(kind="oracle")),
        "Item 2: the speaker's kind “oracle” is not one of",
    ),
    "markup not an object": (
        lambda d: break_second_item(d, lambda i: i.update({MARKUP: "opinion"})),
        "Item 2: it has no “sourcewise:markup” object",
    ),
    "kind and classifying body disagree": (
        lambda d: break_second_item(d, lambda i: i["body"][1].update(value="fact")),
        "Item 2: its classifying body says “fact” but its markup says “opinion”.",
    ),
    "quote not in body": (
        lambda d: break_second_item(
            d, lambda i: i["target"]["selector"][0].update(exact="the mayor resigned in shame")
        ),
        "Item 2: the quoted text “the mayor resigned in shame” is not in the article.",
    ),
    "offsets out of range": (
        lambda d: break_second_item(
            d,
            lambda i: i["target"].update(
                selector={"type": "TextPositionSelector", "start": 500, "end": 520}
            ),
        ),
        f"Item 2: its offsets 500 to 520 are outside the article, which is {len(ARTICLE_BODY)} "
        "characters long.",
    ),
    "source words not in body": (
        lambda d: break_second_item(d, lambda i: source_words_replace(i, "Sceptics")),
        "Item 2: the words naming the source, “Sceptics”, are not in the article",
    ),
    "speaker described two ways": (
        lambda d: break_second_item(
            d, lambda i: i[MARKUP].update(speaker={"name": "The mayor", "description": "Ex-mayor"})
        ),
        "Item 2: the speaker “The mayor” is described differently in item 1",
    ),
    "speaker name too long for the model": (
        lambda d: break_second_item(d, lambda i: i[MARKUP]["speaker"].update(name="C" * 201)),
        "Item 2: speaker name: Ensure this value has at most 200 characters",
    ),
    "cue too long for the model": (
        lambda d: break_second_item(d, lambda i: i[MARKUP].update(cue="said " * 30)),
        "Item 2: cue words: Ensure this value has at most 100 characters",
    ),
}


@pytest.mark.parametrize("case", INVALID.keys())
def test_invalid_document_is_refused_with_the_item_and_problem_and_saves_nothing(article, case):
    change, message = INVALID[case]
    document = change(copy.deepcopy(annotations_export(article=article)))
    # The article emptied: any half-done import would leave rows behind.
    Annotation.objects.filter(article=article).delete()
    Source.objects.filter(article=article).delete()
    target = article

    with pytest.raises(ValidationError) as error:
        annotations_import(article=target, data=document)

    assert any(message in text for text in error.value.messages), error.value.messages
    assert not Annotation.objects.filter(article=target).exists()
    assert not Source.objects.filter(article=target).exists()


def test_every_bad_item_is_reported_at_once(article):
    document = annotations_export(article=article)
    items_of(document)[0][MARKUP]["kind"] = "rumour"
    items_of(document)[2][MARKUP]["sourcing"] = "gossip"

    with pytest.raises(ValidationError) as error:
        annotations_import(article=ArticleFactory(body=article.body), data=document, retarget=True)

    assert [text[:7] for text in error.value.messages] == ["Item 1:", "Item 3:"]


def test_invalid_document_with_replace_keeps_the_existing_annotations(article):
    before = snapshot(article)
    document = annotations_export(article=article)
    items_of(document)[2][MARKUP]["cue"] = "x" * 101

    with pytest.raises(ValidationError):
        annotations_import(article=article, data=document, replace=True)

    assert snapshot(article) == before


# Commands -------------------------------------------------------------------------------


def test_export_command_prints_the_collection_as_json(article):
    out = StringIO()

    # Frozen, so both exports say they were generated at the same second.
    with time_machine.travel(timezone.now(), tick=False):
        call_command("export_annotations", "bridge-to-reopen", stdout=out)
        assert json.loads(out.getvalue()) == annotations_export(article=article)
    assert out.getvalue().startswith('{\n  "@context"')


def test_export_command_with_indent_zero_prints_one_line(article):
    out = StringIO()

    call_command("export_annotations", "bridge-to-reopen", "--indent", "0", stdout=out)

    assert out.getvalue().count("\n") == 1


def test_export_command_refuses_an_unknown_slug():
    with pytest.raises(CommandError, match="No article has the slug “nope”"):
        call_command("export_annotations", "nope", stdout=StringIO())


def test_commands_round_trip_through_a_file(article, tmp_path):
    path = tmp_path / "bridge.jsonld"
    before = snapshot(article)
    call_command("export_annotations", "bridge-to-reopen", "--output", str(path))
    Annotation.objects.filter(article=article).delete()
    out = StringIO()

    call_command("import_annotations", str(path), stdout=out)

    assert snapshot(article) == before
    assert "Imported 3 annotation(s) into “Bridge to reopen, mayor says”." in out.getvalue()


def test_import_command_reports_items_already_there(article, tmp_path):
    path = tmp_path / "bridge.jsonld"
    call_command("export_annotations", "bridge-to-reopen", "--output", str(path))
    out = StringIO()

    call_command("import_annotations", str(path), stdout=out)

    assert "Imported 0 annotation(s)" in out.getvalue()
    assert "skipped 3 already there." in out.getvalue()


def test_import_command_writes_into_the_article_named_with_replace_and_author(article, tmp_path):
    path = tmp_path / "bridge.jsonld"
    path.write_text(json.dumps(annotations_export(article=article)), encoding="utf-8")
    copy_of = ArticleFactory(body=article.body, slug="bridge-copy")
    annotate(copy_of, "Critics argue", kind="fact", sourcing="none")
    teacher = TeacherFactory(username="ms-ode")

    call_command(
        "import_annotations",
        str(path),
        "--article",
        "bridge-copy",
        "--replace",
        "--author",
        "ms-ode",
        stdout=StringIO(),
    )

    assert snapshot(copy_of) == snapshot(article)
    assert {a.author for a in Annotation.objects.filter(article=copy_of)} == {teacher}


def test_import_command_finds_the_article_by_its_source_url(tmp_path):
    article = ArticleFactory(source_url="https://news.example/bridge")
    annotate(article, "The bridge closed in 2023.", kind="fact", sourcing="none")
    document = annotations_export(article=article)
    del document["sourcewise:article"]
    Annotation.objects.filter(article=article).delete()
    path = tmp_path / "bridge.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")

    call_command("import_annotations", str(path), stdout=StringIO())

    assert Annotation.objects.filter(article=article).count() == 1


@pytest.mark.parametrize(
    ("content", "arguments", "message"),
    [
        (None, [], "There is no file"),
        ("{not json", [], "is not valid JSON: Expecting property name"),
        ("[1, 2]", [], "must hold a JSON object"),
        (b"\xff\xfe{}", [], "is not UTF-8 text"),
        ("{}", ["--article", "nope"], "No article has the slug “nope”"),
        ('{"type": "AnnotationCollection"}', [], "Name the article with --article SLUG"),
        ('{"type": "AnnotationCollection"}', ["--author", "nobody"], "No user has the username"),
    ],
)
def test_import_command_refuses_what_it_cannot_read_with_a_clear_message(
    tmp_path, content, arguments, message
):
    path = tmp_path / "in.jsonld"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        call_command("import_annotations", str(path), *arguments, stdout=StringIO())


def test_import_command_lists_invalid_items_and_saves_nothing(article, tmp_path):
    document = annotations_export(article=article)
    items_of(document)[1][MARKUP]["kind"] = "rumour"
    path = tmp_path / "bad.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    target = ArticleFactory(body=article.body, slug="empty-copy")

    with pytest.raises(CommandError) as error:
        call_command("import_annotations", str(path), "--article", "empty-copy")

    assert "Nothing was imported" in str(error.value)
    assert "Item 2: the kind “rumour” is not one of" in str(error.value)
    assert not Annotation.objects.filter(article=target).exists()
    assert not Source.objects.filter(article=target).exists()


def test_import_command_exits_non_zero_with_the_message_on_stderr(run_manage, tmp_path):
    path = tmp_path / "broken.jsonld"
    path.write_text("{oops", encoding="utf-8")

    result = run_manage("import_annotations", str(path), env={"DEBUG": "1"})

    assert result.returncode == 1
    assert "is not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr


# Text beyond ASCII ----------------------------------------------------------------------

APOSTROPHE = "\u2019"  # typographic, as news copy has it
UNICODE_BODY = (
    "Putin 🇷🇺 said: “There were no contacts back then — and there are none now.” 👩‍🏫\n\n"
    f"Critics call it “nonsense” — Ærø{APOSTROPHE}s mayor, José Müller, agrees. 🤷🏽‍♀️ Done."
)


def test_curly_quotes_dashes_and_emoji_survive_a_round_trip_through_a_file(tmp_path):
    article = ArticleFactory(body=UNICODE_BODY, slug="unicode", title="“Kein Kontakt” — 🇷🇺")
    putin = SourceFactory(article=article, name="Путин", description="Президент — Russia")
    mayor = SourceFactory(
        article=article, name="José Müller", description=f"Ærø{APOSTROPHE}s mayor"
    )
    annotate(
        article,
        "There were no contacts back then — and there are none now.",
        speaker=putin,
        cue="said",
        source_words="Putin",
        explanation="Seine Behauptung — nicht die des Reporters. 🧐",
    )
    annotate(
        article,
        f"“nonsense” — Ærø{APOSTROPHE}s mayor",
        speaker=mayor,
        kind="opinion",
        sourcing="named_person",
        cue="agrees",
        source_words="José Müller",
    )
    annotate(article, "🤷🏽‍♀️ Done.", kind="fact", sourcing="none", cue="")
    before = snapshot(article)
    path = tmp_path / "unicode.jsonld"
    call_command("export_annotations", "unicode", "--output", str(path))
    Annotation.objects.filter(article=article).delete()
    Source.objects.filter(article=article).delete()

    call_command("import_annotations", str(path), stdout=StringIO())

    raw = path.read_bytes().decode("utf-8")
    assert f"“nonsense” — Ærø{APOSTROPHE}s mayor" in raw
    assert "🤷🏽‍♀️" in raw
    assert "\\u" not in raw
    assert snapshot(article) == before
    shrug = Annotation.objects.get(article=article, kind="fact")
    # Offsets count code points, as the W3C TextPositionSelector does.
    assert shrug.start == UNICODE_BODY.index("🤷🏽‍♀️")
    assert shrug.end - shrug.start == len("🤷🏽‍♀️ Done.")
