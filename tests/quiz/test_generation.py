import pytest
from django.urls import reverse

from articles.forms import AnnotationForm, AnnotationPanelForm
from articles.models import Annotation
from articles.services import annotation_create
from quiz.models import Question
from quiz.services.generation import questions_generate
from tests.factories import AnnotationFactory, ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

BODY = (
    "The mayor, Ana Ruiz, said the bridge would reopen in May.\n\n"
    "Critics say the repairs were rushed, according to a council report.\n\n"
    "A person familiar with the plans said the cost had doubled.\n\n"
    "The bridge closed in 2023."
)


@pytest.fixture
def annotated_article():
    article = ArticleFactory(body=BODY)
    mayor = SourceFactory(article=article, name="Ana Ruiz", description="Mayor", kind="person")
    critics = SourceFactory(article=article, name="Critics", description="", kind="vague")
    insider = SourceFactory(
        article=article, name="A person familiar with the plans", description="", kind="unnamed"
    )
    report = SourceFactory(article=article, name="Council report", description="", kind="document")

    def span(text):
        start = BODY.index(text)
        return start, start + len(text)

    def add(quote, source_words, **fields):
        start, end = span(quote)
        source_start, source_end = span(source_words) if source_words else (None, None)
        return annotation_create(
            article=article,
            start=start,
            end=end,
            source_start=source_start,
            source_end=source_end,
            explanation="Because.",
            **fields,
        )

    add(
        "the bridge would reopen in May",
        "Ana Ruiz",
        kind="claim",
        sourcing="named_person",
        speaker=mayor,
        cue="said",
    )
    add(
        "the repairs were rushed",
        "Critics",
        kind="claim",
        sourcing="vague",
        speaker=critics,
        cue="say",
    )
    add(
        "the cost had doubled",
        "A person familiar with the plans",
        kind="claim",
        sourcing="unnamed",
        speaker=insider,
        cue="said",
    )
    add("The bridge closed in 2023.", None, kind="fact", sourcing="none")
    return article, {"mayor": mayor, "critics": critics, "insider": insider, "report": report}


def test_each_annotation_gets_attribution_classification_sourcing_and_evidence(annotated_article):
    article, _sources = annotated_article

    added = questions_generate(article=article, owner=article.owner)

    # three annotations with source words get four questions, the outlet's fact three
    assert added == 3 * 4 + 3
    kinds = sorted(Question.objects.values_list("kind", flat=True))
    assert kinds.count("evidence") == 3
    assert kinds.count("attribution") == kinds.count("classification") == 4
    assert set(Question.objects.values_list("skill", flat=True)) == {
        "attribution",
        "claims",
        "sourcing",
    }


def test_running_generation_again_adds_nothing(annotated_article):
    article, _sources = annotated_article
    questions_generate(article=article, owner=article.owner)
    count = Question.objects.count()

    assert questions_generate(article=article, owner=article.owner) == 0
    assert Question.objects.count() == count


def test_a_new_annotation_adds_only_its_own_questions(annotated_article):
    article, _sources = annotated_article
    questions_generate(article=article, owner=article.owner)
    start = BODY.index("Critics say")
    annotation_create(
        article=article,
        start=start,
        end=start + len("Critics say the repairs were rushed"),
        kind="fact",
        sourcing="none",
    )

    assert questions_generate(article=article, owner=article.owner) == 3


def test_attribution_choices_come_from_the_same_article_with_one_right_answer(annotated_article):
    article, _sources = annotated_article
    other_article_source = SourceFactory(name="Someone Elsewhere")
    questions_generate(article=article, owner=article.owner)

    question = Question.objects.get(kind="attribution", statement="the bridge would reopen in May")
    choices = list(question.choices.all())

    texts = [c.text for c in choices]
    assert [c.text for c in choices if c.is_correct] == ["Ana Ruiz"]
    assert "The outlet itself" in texts
    assert all(other_article_source.name not in text for text in texts)
    assert 3 <= len(choices) <= 5
    assert len(set(texts)) == len(texts)


def test_outlet_voice_is_the_right_attribution_for_a_reported_fact(annotated_article):
    article, _sources = annotated_article
    questions_generate(article=article, owner=article.owner)

    question = Question.objects.get(kind="attribution", statement="The bridge closed in 2023.")

    assert [c.text for c in question.choices.filter(is_correct=True)] == ["The outlet itself"]


def test_an_attribution_choice_is_who_says_it_without_a_hint_at_what_kind_of_source():
    body = "Scientists say the river is cleaner. The mayor, Ana Ruiz, disagreed."
    article = ArticleFactory(body=body)
    scientists = SourceFactory(
        article=article, name="Scientists", description="Scientists, not named", kind="unnamed"
    )
    SourceFactory(article=article, name="Ana Ruiz", description="Mayor", kind="person")
    SourceFactory(article=article, name="Council report", description="", kind="document")
    start = body.index("the river is cleaner")
    annotation_create(
        article=article,
        start=start,
        end=start + len("the river is cleaner"),
        source_start=0,
        source_end=len("Scientists"),
        kind="claim",
        sourcing="unnamed",
        speaker=scientists,
        cue="say",
        explanation="Which scientists?",
    )
    questions_generate(article=article, owner=article.owner)

    question = Question.objects.get(kind="attribution")

    assert sorted(question.choices.values_list("text", flat=True)) == [
        "Ana Ruiz",
        "Council report",
        "Scientists",
        "The outlet itself",
    ]
    assert question.choices.get(is_correct=True).text == "Scientists"


@pytest.mark.parametrize("seed", range(4))
def test_wrong_attribution_choices_are_people_when_a_person_said_it(seed):
    body = f"Ana Ruiz said the bridge would reopen in May. ({seed})"
    article = ArticleFactory(body=body)
    speaker = SourceFactory(article=article, name="Ana Ruiz", kind="person")
    people = {"Bo Lind", "Cy Marsh", "Di Okoro"}
    for name in people:
        SourceFactory(article=article, name=name, kind="person")
    for name in ("City Council", "Bridge Authority", "Chamber of Commerce"):
        SourceFactory(article=article, name=name, kind="organisation")
    quote = "the bridge would reopen in May"
    start = body.index(quote)
    annotation_create(
        article=article,
        start=start,
        end=start + len(quote),
        source_start=0,
        source_end=len("Ana Ruiz"),
        kind="claim",
        sourcing="named_person",
        speaker=speaker,
        cue="said",
    )
    questions_generate(article=article, owner=article.owner)

    question = Question.objects.get(kind="attribution")

    wrong = set(question.choices.filter(is_correct=False).values_list("text", flat=True))
    assert wrong == people | {"The outlet itself"}


def test_choices_that_would_read_the_same_are_offered_once():
    body = "Ana Ruiz said the bridge would reopen in May."
    article = ArticleFactory(body=body)
    mayor = SourceFactory(article=article, name="Ana Ruiz", description="Mayor", kind="person")
    SourceFactory(article=article, name="ana ruiz", description="Her namesake", kind="person")
    SourceFactory(article=article, name="The outlet ITSELF", description="", kind="vague")
    SourceFactory(article=article, name="Critics", description="", kind="vague")
    start = body.index("the bridge")
    annotation_create(
        article=article,
        start=start,
        end=len(body) - 1,
        source_start=0,
        source_end=len("Ana Ruiz"),
        kind="claim",
        sourcing="named_person",
        speaker=mayor,
        cue="said",
    )
    questions_generate(article=article, owner=article.owner)

    question = Question.objects.get(kind="attribution")

    assert sorted(question.choices.values_list("text", flat=True)) == [
        "Ana Ruiz",
        "Critics",
        "The outlet itself",
    ]


def test_each_question_on_a_statement_explains_its_own_answer(annotated_article):
    article, _sources = annotated_article
    questions_generate(article=article, owner=article.owner)

    explanations = dict(
        Question.objects.filter(statement="the bridge would reopen in May").values_list(
            "kind", "explanation"
        )
    )

    # The teacher's explanation says what kind of statement it is.
    assert explanations["classification"] == "Because."
    assert explanations["attribution"] == (
        "The words “Ana Ruiz”, earlier in the same sentence, tell you who is speaking: Ana "
        "Ruiz. "
        "The cue “said” shows that the reporter is passing these words on, not saying them."
    )
    assert explanations["sourcing"] == (
        "The source is Ana Ruiz: see “Ana Ruiz”, earlier in the same sentence. The article "
        "names this person, so you could look them up and check what else they have said."
    )
    assert explanations["evidence"] == (
        "The words that name the source are “Ana Ruiz”, earlier in the same sentence: they "
        "tell you this comes from Ana Ruiz."
    )


def test_a_statement_in_the_outlets_voice_is_explained_without_a_source(annotated_article):
    article, _sources = annotated_article
    questions_generate(article=article, owner=article.owner)

    explanations = dict(
        Question.objects.filter(statement="The bridge closed in 2023.").values_list(
            "kind", "explanation"
        )
    )

    assert explanations == {
        "attribution": (
            "Nobody else is named or quoted for “The bridge closed in 2023.”: the outlet says "
            "it in its own voice."
        ),
        "classification": "Because.",
        "sourcing": (
            "Nothing in the article says where “The bridge closed in 2023.” comes from: no one "
            "is named, not even vaguely."
        ),
    }


@pytest.mark.parametrize(
    ("body", "statement", "source_words", "place"),
    [
        ("“It will reopen,” Ana Ruiz said.", "It will reopen", "Ana Ruiz said", "just after"),
        ("Ana Ruiz said: “It will reopen.”", "It will reopen", "Ana Ruiz said", "just before"),
        ("Ana Ruiz said it will reopen.", "it will reopen", "Ana Ruiz", "earlier in the same"),
        ("“Wait. It will reopen,” Ana Ruiz said.", "Wait", "Ana Ruiz said", "later in the para"),
        ("Ana Ruiz spoke.\n\nIt will reopen.", "It will reopen", "Ana Ruiz", "in an earlier para"),
    ],
)
def test_the_explanation_says_where_the_words_naming_the_source_stand(
    body, statement, source_words, place
):
    article = ArticleFactory(body=body)
    mayor = SourceFactory(article=article, name="Ana Ruiz", kind="person")
    start, source_start = body.index(statement), body.index(source_words)
    annotation_create(
        article=article,
        start=start,
        end=start + len(statement),
        source_start=source_start,
        source_end=source_start + len(source_words),
        kind="claim",
        sourcing="named_person",
        speaker=mayor,
    )
    questions_generate(article=article, owner=article.owner)

    explanation = Question.objects.get(kind="evidence").explanation

    assert explanation.startswith(f"The words that name the source are “{source_words}”, {place}")


def test_examples_of_a_vague_collective_are_not_sources_in_the_article(annotated_article):
    article, _sources = annotated_article
    questions_generate(article=article, owner=article.owner)

    question = Question.objects.get(kind="sourcing", statement="the repairs were rushed")

    assert question.choices.get(text="Vague collective").feedback == (
        "A vague collective: a group like “Moscow”, “they” or “experts”, with no person named."
    )


def test_classification_and_sourcing_mark_the_annotated_answer(annotated_article):
    article, _sources = annotated_article
    questions_generate(article=article, owner=article.owner)

    classification = Question.objects.get(kind="classification", statement="the cost had doubled")
    sourcing = Question.objects.get(kind="sourcing", statement="the cost had doubled")

    assert classification.choices.get(is_correct=True).text == "A claim someone makes"
    assert sourcing.choices.get(is_correct=True).text == "Unnamed source"
    assert sourcing.choices.count() == 5


def test_evidence_question_stores_the_source_span_and_offers_real_phrases(annotated_article):
    article, _sources = annotated_article
    questions_generate(article=article, owner=article.owner)

    question = Question.objects.get(kind="evidence", statement="the repairs were rushed")

    assert BODY[question.answer_start : question.answer_end] == "Critics"
    texts = {c.text: c.is_correct for c in question.choices.all()}
    assert texts["Critics"] is True
    assert set(texts) - {"Critics"} <= {"Ana Ruiz", "A person familiar with the plans"}
    assert len(texts) == 3


def test_evidence_words_of_the_same_source_elsewhere_are_told_apart_from_another_source(
    annotated_article,
):
    article, sources = annotated_article
    body = article.body
    start = body.index("The mayor, Ana Ruiz")
    annotation_create(
        article=article,
        start=body.index("The bridge closed in 2023."),
        end=len(body),
        source_start=start,
        source_end=start + len("The mayor"),
        kind="claim",
        sourcing="named_person",
        speaker=sources["mayor"],
    )
    questions_generate(article=article, owner=article.owner)

    question = Question.objects.get(kind="evidence", statement="the bridge would reopen in May")
    feedback = dict(question.choices.values_list("text", "feedback"))

    assert feedback["The mayor"] == (
        "These words name the same source, but they go with other words in the article: look "
        "for the ones that go with this statement."
    )
    assert feedback["Critics"] == "These words name a source, but not the source of this statement."


def test_orphaned_annotations_are_not_turned_into_questions():
    annotation = AnnotationFactory()
    Annotation.objects.filter(pk=annotation.pk).update(
        anchor_status=Annotation.Anchor.ORPHANED, anchor_score=0
    )

    assert questions_generate(article=annotation.article, owner=annotation.article.owner) == 0


def test_editing_the_annotation_later_does_not_change_the_question(annotated_article):
    article, _sources = annotated_article
    questions_generate(article=article, owner=article.owner)
    annotation = Annotation.objects.get(exact="the cost had doubled")
    question = Question.objects.get(kind="classification", annotation=annotation)

    annotation.kind = "opinion"
    annotation.explanation = "Changed my mind."
    annotation.save()

    question.refresh_from_db()
    assert question.explanation == "Because."
    assert question.choices.get(is_correct=True).text == "A claim someone makes"


# The explanation is optional: left empty, the classification question explains itself


def test_a_classification_without_the_teachers_explanation_is_explained_from_the_annotation(
    annotated_article,
):
    article, _sources = annotated_article
    Annotation.objects.update(explanation="")

    questions_generate(article=article, owner=article.owner)

    explanations = dict(
        Question.objects.filter(kind="classification").values_list("statement", "explanation")
    )
    assert explanations["the bridge would reopen in May"] == (
        "“the bridge would reopen in May” is a claim by Ana Ruiz: something asserted that could "
        "be checked and could be false. The cue “said” shows that the reporter is passing on "
        "the words of Ana Ruiz, not vouching for them. It is backed by a named person, whom you "
        "could look up."
    )
    assert explanations["The bridge closed in 2023."] == (
        "“The bridge closed in 2023.” is a reported fact: the outlet states it as true in its "
        "own voice. Nothing in the article says where it comes from."
    )
    assert "vague group" in explanations["the repairs were rushed"]
    assert "unnamed source" in explanations["the cost had doubled"]


def test_an_opinion_with_a_reporting_cue_is_explained_as_the_speakers_stance():
    annotation = AnnotationFactory(
        quote="the bridge would reopen in May",
        kind="opinion",
        cue="said",
        sourcing="named_person",
        explanation="   ",
        speaker__name="Ana Ruiz",
    )

    questions_generate(article=annotation.article, owner=annotation.article.owner)

    explanation = Question.objects.get(kind="classification").explanation
    assert explanation.startswith("“the bridge would reopen in May” is an opinion of Ana Ruiz")
    assert "The cue “said”" in explanation


@pytest.mark.parametrize("form_class", [AnnotationForm, AnnotationPanelForm])
def test_the_annotation_forms_leave_the_explanation_optional_and_say_what_students_see(
    form_class,
):
    form = form_class(article=ArticleFactory()) if form_class is AnnotationPanelForm else None
    field = (form or form_class()).fields["explanation"]

    assert not field.required
    assert "Left empty, they see one made from the kind, speaker" in str(field.help_text)


def test_an_annotation_saved_from_the_panel_without_an_explanation_gets_an_explained_question():
    article = ArticleFactory()
    statement = "the bridge would reopen in May"
    start = article.body.index(statement)
    form = AnnotationPanelForm(
        {
            "annotation-quote": statement,
            "annotation-start": start,
            "annotation-end": start + len(statement),
            "annotation-kind": "claim",
            "annotation-sourcing": "none",
            "annotation-explanation": "",
        },
        article=article,
    )
    assert form.is_valid(), form.errors
    annotation_create(article=article, **vars(form.draft))

    questions_generate(article=article, owner=article.owner)

    explanation = Question.objects.get(kind="classification").explanation
    assert explanation.startswith(f"“{statement}” is a claim by the outlet itself")


def test_the_teachers_explanation_wins_over_the_written_one(annotated_article):
    article, _sources = annotated_article
    Annotation.objects.filter(exact="the cost had doubled").update(explanation="")

    questions_generate(article=article, owner=article.owner)

    explanations = dict(
        Question.objects.filter(kind="classification").values_list("statement", "explanation")
    )
    assert explanations["the bridge would reopen in May"] == "Because."
    assert explanations["the cost had doubled"].startswith("“the cost had doubled” is a claim")


# The "Generate questions" button on an article's admin page, and the admin action


def generate_url(article) -> str:
    return reverse("quiz:article_generate", args=[article.pk])


def test_the_button_generates_the_missing_questions_and_goes_back_to_the_article(client, teacher):
    annotation = AnnotationFactory(article=ArticleFactory(owner=teacher))
    article = annotation.article
    client.force_login(teacher)

    response = client.post(generate_url(article))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[article.pk])
    assert Question.objects.filter(owner=teacher, article=article).count() == 3


def test_the_button_says_how_many_questions_it_added_then_that_none_were_missing(client, teacher):
    annotation = AnnotationFactory(article=ArticleFactory(owner=teacher))
    client.force_login(teacher)

    first = client.post(generate_url(annotation.article), follow=True)
    again = client.post(generate_url(annotation.article), follow=True)

    assert "3 questions added." in first.content.decode()
    assert "No questions added" in again.content.decode()
    assert Question.objects.filter(article=annotation.article).count() == 3


def test_the_article_page_shows_the_button_posting_to_the_quiz_side(client, teacher):
    article = ArticleFactory(owner=teacher)
    client.force_login(teacher)

    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    assert 'id="generate-questions"' in page
    assert f'action="{generate_url(article)}"' in page


def test_another_teacher_cannot_generate_from_an_article_that_is_not_theirs(
    client, teacher, other_teacher
):
    annotation = AnnotationFactory(article=ArticleFactory(owner=teacher))
    client.force_login(other_teacher)

    response = client.post(generate_url(annotation.article))

    assert response.status_code == 404
    assert not Question.objects.exists()


def test_a_missing_article_is_not_found(client, teacher):
    client.force_login(teacher)

    assert client.post(reverse("quiz:article_generate", args=[2_000_000_000])).status_code == 404


def test_students_are_refused_and_anonymous_visitors_sent_to_the_login(client, student):
    annotation = AnnotationFactory()
    url = generate_url(annotation.article)

    anonymous = client.post(url)
    client.force_login(student)
    refused = client.post(url)

    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert refused.status_code == 403
    assert not Question.objects.exists()


def test_generating_takes_a_post(client, teacher):
    annotation = AnnotationFactory(article=ArticleFactory(owner=teacher))
    client.force_login(teacher)

    response = client.get(generate_url(annotation.article))

    assert response.status_code == 405
    assert not Question.objects.exists()


def test_a_superuser_generating_for_a_teacher_leaves_the_questions_with_the_teacher(
    client, teacher, superuser
):
    annotation = AnnotationFactory(article=ArticleFactory(owner=teacher))
    client.force_login(superuser)

    client.post(generate_url(annotation.article))

    assert Question.objects.filter(owner=teacher).count() == 3


def test_the_admin_action_generates_for_the_selected_articles_and_says_how_many(client, teacher):
    first = AnnotationFactory(article=ArticleFactory(owner=teacher))
    second = AnnotationFactory(article=ArticleFactory(owner=teacher))
    client.force_login(teacher)

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "generate_questions",
            "_selected_action": [first.article.pk, second.article.pk],
        },
        follow=True,
    )

    assert "6 questions added." in response.content.decode()
    assert Question.objects.filter(owner=teacher).count() == 6
