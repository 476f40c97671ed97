"""Ids from requests: whatever number-like text a client sends where an id belongs, the answer
is a clear 4xx or the page with a message, never a 500, and nothing is stored.

`str.isdigit()` is true for "²", `int()` reads "٣" as 3 and refuses more than 4,300 digits;
`config.ids.id_parse` reads ASCII digits in the range of a bigint primary key and nothing else.
Every view that reads an id (or a number standing for one) from GET or POST is a door below.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.models import Annotation, Article
from config.ids import ID_MAX, IdModelChoiceField, id_parse, number_parse
from quiz.models import QuizQuestion, Response
from quiz.views.authoring import PREVIEW_SESSION_KEY
from tests.factories import (
    ArticleFactory,
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    QuestionFactory,
    QuizFactory,
    SourceFactory,
    StudentFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
# What htmx sends with an answer: the answer form targets the question card.
ANSWER = {"HX-Request": "true", "HX-Target": "question-card"}
STATEMENT = "the bridge would reopen in May"

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

UNICODE_DIGITS = st.characters(categories=["Nd", "No"], exclude_characters="0123456789")
not_an_id = st.one_of(
    st.sampled_from(
        [
            "²",
            "¹²",
            "٣",
            "𝟘",
            "𝟙",
            "١٢",
            "-1",
            "+1",
            "0",
            " 1",
            "1 ",
            "1\n",
            "1.0",
            "1e3",
            "0x1",
            "1_000",
            "9" * 5000,
            str(2**63),
            str(2**64),
        ]
    ),
    st.text(alphabet=UNICODE_DIGITS, min_size=1, max_size=30),
    st.integers(min_value=2**63, max_value=10**40).map(str),
    # Too many digits for any key; over 4,300 of them int() refuses to read at all.
    st.text(alphabet="0123456789", min_size=20, max_size=5000),
    st.integers(max_value=0).map(str),
    st.from_regex(r"[+\- ]+[0-9]{1,25}[ ]*", fullmatch=True),
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        ("0007", 7),
        (str(ID_MAX), ID_MAX),
        (str(ID_MAX + 1), None),
        ("0", None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("²", None),
        ("٣", None),
        ("𝟘", None),
        ("9" * 5000, None),
        ("", None),
        (None, None),
    ],
)
def test_id_parse_reads_ascii_digits_in_the_range_of_a_bigint_key(value, expected):
    assert id_parse(value) == expected


def test_number_parse_takes_zero_and_its_own_bounds():
    assert number_parse("0") == 0
    assert number_parse("5", maximum=4) is None
    assert number_parse("٣") is None


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
MATHEMATICAL = str.maketrans("0123456789", "𝟘𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠𝟡")


@pytest.mark.parametrize(
    "spell",
    [
        pytest.param(lambda pk: pk.translate(ARABIC_INDIC), id="arabic-indic"),
        pytest.param(lambda pk: pk.translate(MATHEMATICAL), id="mathematical"),
        pytest.param(lambda pk: f" {pk}", id="space"),
        pytest.param(lambda pk: f"+{pk}", id="sign"),
        pytest.param(lambda pk: "0" * 5000 + pk, id="5000-digits"),
    ],
)
def test_id_choice_field_refuses_an_id_int_would_read_but_a_browser_never_sends(spell):
    article = ArticleFactory()
    field = IdModelChoiceField(queryset=Article.objects.all())

    assert field.clean(str(article.pk)) == article
    with pytest.raises(ValidationError):
        field.clean(spell(str(article.pk)))


@pytest.fixture
def world():
    """A teacher's class with a student's attempt, a quiz to build and an article to annotate."""
    teacher, student = TeacherFactory(), StudentFactory()
    article = ArticleFactory(owner=teacher)
    SourceFactory(article=article)
    quiz = QuizFactory(owner=teacher, questions=2)
    spare = QuestionFactory(article=article, owner=teacher)
    classroom = ClassroomFactory(teachers=[teacher], students=[student])
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz)
    attempt = AttemptFactory(assignment=assignment, student=student)
    question = quiz.questions.order_by("quiz_items__position").first()
    return {
        "teacher": teacher,
        "student": student,
        "article": article,
        "quiz": quiz,
        "spare": spare,
        "classroom": classroom,
        "attempt": attempt,
        "question": question,
    }


def answer_choice(client, world, bad, htmx):
    client.force_login(world["student"])
    url = reverse("quiz:answer", args=[world["attempt"].pk, world["question"].pk])
    return client.post(url, {"choice": bad}, headers=ANSWER if htmx else {})


def answer_span(client, world, bad, htmx):
    client.force_login(world["student"])
    url = reverse("quiz:answer", args=[world["attempt"].pk, world["question"].pk])
    return client.post(url, {"start": bad, "end": "12"}, headers=ANSWER if htmx else {})


def preview_choice(client, world, bad, htmx):
    client.force_login(world["teacher"])
    url = reverse("quiz:preview_answer", args=[world["quiz"].pk, world["question"].pk])
    return client.post(url, {"choice": bad}, headers=ANSWER if htmx else {})


def preview_span(client, world, bad, htmx):
    client.force_login(world["teacher"])
    url = reverse("quiz:preview_answer", args=[world["quiz"].pk, world["question"].pk])
    return client.post(url, {"start": "0", "end": bad}, headers=ANSWER if htmx else {})


def builder_add(client, world, bad, htmx):
    client.force_login(world["teacher"])
    url = reverse("quiz:builder_add", args=[world["quiz"].pk])
    data = {"question": [bad], "builder-article": bad}
    return client.post(url, data, headers=HTMX if htmx else {})


def builder_filter(client, world, bad, htmx):
    client.force_login(world["teacher"])
    url = reverse("quiz:builder", args=[world["quiz"].pk])
    return client.get(url, {"builder-article": bad}, headers=HTMX if htmx else {})


def gradebook_sort(client, world, bad, htmx):
    client.force_login(world["teacher"])
    url = reverse("quiz:teach_gradebook", args=[world["classroom"].pk])
    return client.get(url, {"sort": f"-a{bad}", "page": bad}, headers=HTMX if htmx else {})


def gradebook_sort_ascending(client, world, bad, htmx):
    client.force_login(world["teacher"])
    url = reverse("quiz:teach_gradebook", args=[world["classroom"].pk])
    return client.get(url, {"sort": f"a{bad}"}, headers=HTMX if htmx else {})


def annotation_add(client, world, bad, htmx):
    client.force_login(world["teacher"])
    return client.get(reverse("admin:articles_annotation_add"), {"article": bad})


def annotation_panel_speaker(client, world, bad, htmx):
    """An otherwise valid annotation whose speaker is not an id."""
    client.force_login(world["teacher"])
    article = world["article"]
    start = article.body.index(STATEMENT)
    fields = {
        "start": str(start),
        "end": str(start + len(STATEMENT)),
        "quote": STATEMENT,
        "kind": "claim",
        "speaker": bad,
        "new_source_name": "",
        "new_source_description": "",
        "new_source_kind": "person",
        "cue": "said",
        "sourcing": "named_person",
        "source_start": "",
        "source_end": "",
        "source_words": "",
        "explanation": "The mayor's promise.",
    }
    url = reverse("admin:articles_article_annotations", args=[article.pk])
    data = {f"annotation-{name}": value for name, value in fields.items()}
    return client.post(url, data, headers=HTMX if htmx else {})


DOORS = [
    answer_choice,
    answer_span,
    preview_choice,
    preview_span,
    builder_add,
    builder_filter,
    gradebook_sort,
    gradebook_sort_ascending,
    annotation_add,
    annotation_panel_speaker,
]


def stored(world) -> tuple:
    return (
        Response.objects.count(),
        QuizQuestion.objects.filter(quiz=world["quiz"]).count(),
        Annotation.objects.count(),
    )


@pytest.mark.parametrize("door", DOORS, ids=[door.__name__ for door in DOORS])
@FUZZ
@given(bad=not_an_id, htmx=st.booleans())
@example(bad="²", htmx=True)
@example(bad="٣", htmx=True)
@example(bad="9" * 5000, htmx=True)
@example(bad=str(2**63), htmx=False)
def test_an_id_that_is_not_one_is_refused_in_words_and_stores_nothing(
    client, world, door, bad, htmx
):
    before = stored(world)
    annotations = Annotation.objects.count()

    response = door(client, world, bad, htmx)

    assert response.status_code in {200, 302, 400, 404}, (door.__name__, response.status_code)
    if response.status_code == 400:
        assert response.content, "a refusal must come with a message"
    assert stored(world) == before
    assert Annotation.objects.count() == annotations
    assert not client.session.get(PREVIEW_SESSION_KEY, {}).get(str(world["quiz"].pk))
