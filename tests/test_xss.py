"""Hostile input: markup typed into any text a user can write never reaches a page as markup.

Each payload goes into every such text at once (article, outlet, sources, annotation, questions,
choices, quiz, class, students' names from sign-up and from a class list), each copy marked
with the field it is in. Then every page that shows them is fetched as the person who sees it,
and checked twice: the raw payload is nowhere in the page, and the page, parsed as a browser
would, has no event-handler attribute, no inline or foreign script, no foreign image or frame
and no javascript: link. Each field must also be found, escaped, on at least one page, so a
field that stopped being shown (or a page that stopped loading) cannot pass unnoticed.
"""

import csv
import io
import json
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from articles import importing
from articles.models import Article, Outlet
from quiz.models import Attempt, Classroom, Question
from quiz.services.generation import questions_generate
from tests.factories import (
    AnnotationFactory,
    ArticleFactory,
    AssignmentFactory,
    ChoiceFactory,
    OutletFactory,
    QuestionFactory,
    QuizFactory,
    SourceFactory,
    SuperuserFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</textarea><svg onload=alert(1)>",
    "{{7*7}}{% debug %}",
    "'-alert(1)-'",
    '" autofocus onfocus="alert(1)',
    # Full-width look-alikes of < and >, which nothing may fold into the real ones.
    "＜script＞alert(1)＜/script＞",
    # A right-to-left override in front of a tag.
    "\u202e<b onmouseover=alert(1)>gnp.exe",
    # Already escaped: it must be escaped again, not unescaped.
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    # JavaScript string escapes, as text.
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    # A spreadsheet formula, for the CSV export.
    '=HYPERLINK("https://evil.example","x")',
]
HTML_SPECIAL = set("<>&\"'")

# Every text a user can write, by where it is written.
FIELDS = [
    "outlet",
    "title",
    "standfirst",
    "byline",
    "body",
    "source_name",
    "source_description",
    "statement",
    "cue",
    "annotation_explanation",
    "prompt",
    "question_explanation",
    "choice",
    "choice_feedback",
    "quiz_title",
    "quiz_description",
    "class_name",
    "first_name",
    "last_name",
    "roster_first_name",
    "roster_last_name",
    "imported_title",
    "imported_body",
]

HTMX = {"HX-Request": "true"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
OWN_SCRIPTS = ("/static/", "/admin/jsi18n/")


def marked(payload: str, field: str) -> str:
    return f"{payload}~{field}~"


class MarkupAudit(HTMLParser):
    """Parse a page as a browser would and list anything that could run or load elsewhere."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        source = attributes.get("src") or ""
        if tag == "script" and not source.startswith(OWN_SCRIPTS):
            self.problems.append(f"<script src={source!r}>")
        if tag in {"img", "iframe", "frame", "object", "embed"} and not source.startswith(
            "/static/"
        ):
            self.problems.append(f"<{tag} src={source!r}>")
        if tag == "base" or (tag == "meta" and attributes.get("http-equiv")):
            self.problems.append(f"<{tag}>")

    handle_startendtag = handle_starttag


def markup_problems(html: str, payload: str) -> list[str]:
    audit = MarkupAudit()
    audit.feed(html)
    audit.close()
    problems = audit.problems
    if HTML_SPECIAL & set(payload) and payload in html:
        problems.append("the raw payload")
    return problems


@pytest.mark.parametrize(
    "html",
    [
        "<p><script>alert(1)</script></p>",
        '<p title=""><img src=x onerror=alert(1)>"></p>',
        "<textarea></textarea><svg onload=alert(1)></textarea>",
        '<input value="" autofocus onfocus="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JavaScript:alert(1)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<script src="https://cdn.example/x.js"></script>',
    ],
)
def test_the_audit_finds_markup_that_would_run(html):
    assert markup_problems(html, "not in the page") != []


def test_the_audit_passes_the_same_markup_escaped():
    page = (
        '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">'
        "&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)</p>"
        '<script src="/static/js/evidence.js" defer></script>'
    )

    assert markup_problems(page, "<script>alert(1)</script>") == []
    assert markup_problems(page + "<b><script>alert(1)</script>", "<script>alert(1)</script>")


# The world, written through the same doors users use where there is one


def world_build(payload: str) -> dict:
    """A class of students signed up and imported, an annotated article and a quiz, all hostile."""

    def text(field: str) -> str:
        return marked(payload, field)

    teacher = TeacherFactory()
    superuser = SuperuserFactory()
    teacher_client, student_client, admin_client = Client(), Client(), Client()
    teacher_client.force_login(teacher)
    admin_client.force_login(superuser)
    pages: dict[str, str] = {}

    # A class, created on the teacher's page.
    response = teacher_client.post(
        reverse("quiz:teach_classroom_create"), {"name": text("class_name"), "score_policy": "best"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    classroom = Classroom.objects.get(teachers=teacher)

    # A student signs up with the class code.
    response = student_client.post(
        reverse("quiz:join"),
        {
            "code": classroom.join_code,
            "first_name": text("first_name"),
            "last_name": text("last_name"),
            "username": "pupil",
            "password1": "correct horse battery staple",
            "password2": "correct horse battery staple",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    student = get_user_model().objects.get(username="pupil")

    # More students from a class list; the login cards are a page of their own.
    rows = io.StringIO()
    csv.writer(rows).writerows(
        [["First name", "Last name"], [text("roster_first_name"), text("roster_last_name")]]
    )
    response = teacher_client.post(
        reverse("quiz:teach_roster_import", args=[classroom.pk]),
        {"file": SimpleUploadedFile("class.csv", rows.getvalue().encode(), "text/csv")},
    )
    assert response.status_code == 200 and "login-card" in response.content.decode()
    pages["teacher: login cards from a class list"] = response.content.decode()

    # An annotated article whose speaker is named in its text.
    source_name, statement = text("source_name"), text("statement")
    body = (
        f"{text('body')}\n\n{source_name} said that {statement}, according to the minutes.\n\n"
        "The bridge closed in 2023."
    )
    article = ArticleFactory(
        owner=teacher,
        outlet=OutletFactory(name=text("outlet")),
        title=text("title"),
        standfirst=text("standfirst"),
        byline=text("byline"),
        body=body,
        status=Article.Status.PUBLISHED,
    )
    source = SourceFactory(
        article=article, name=source_name, description=text("source_description")
    )
    SourceFactory(article=article, name="The council", kind="organisation")
    source_start = body.index(source_name)
    annotation = AnnotationFactory(
        article=article,
        quote=statement,
        speaker=source,
        cue=text("cue"),
        explanation=text("annotation_explanation"),
        source_start=source_start,
        source_end=source_start + len(source_name),
    )
    questions_generate(article=article, owner=teacher)
    handwritten = QuestionFactory(
        article=article,
        owner=teacher,
        prompt=text("prompt"),
        explanation=text("question_explanation"),
        choices=[],
    )
    right = ChoiceFactory(question=handwritten, text="Right", is_correct=True, position=1)
    wrong = ChoiceFactory(
        question=handwritten,
        text=text("choice"),
        feedback=text("choice_feedback"),
        is_correct=False,
        position=2,
    )
    generated = list(Question.objects.filter(annotation=annotation).order_by("pk"))
    quiz = QuizFactory(
        owner=teacher,
        title=text("quiz_title"),
        description=text("quiz_description"),
        questions=[handwritten, *generated],
    )
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz, attempts_allowed=2)

    # An article imported from pasted text.
    response = teacher_client.post(
        reverse("admin:articles_article_import"),
        {"title": text("imported_title"), "text": text("imported_body"), "url": ""},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    imported = Article.objects.get(owner=teacher, title=text("imported_title"))

    return {
        "payload": payload,
        "teacher": teacher,
        "student": student,
        "superuser": superuser,
        "clients": {"teacher": teacher_client, "student": student_client, "admin": admin_client},
        "classroom": classroom,
        "article": article,
        "imported": imported,
        "annotation": annotation,
        "source": source,
        "handwritten": handwritten,
        "right": right,
        "wrong": wrong,
        "generated": generated,
        "quiz": quiz,
        "assignment": assignment,
        "pages": pages,
    }


def student_pages(world: dict) -> dict[str, str]:
    """Take the quiz as the student: every page and fragment on the way."""
    client = world["clients"]["student"]
    pages = {}

    def get(label, url, **kwargs):
        response = client.get(url, **kwargs)
        assert response.status_code == 200, (label, response.status_code)
        pages[label] = response.content.decode()

    def post(label, url, data, **kwargs):
        response = client.post(url, data, **kwargs)
        assert response.status_code in (200, 302), (label, response.status_code)
        pages[label] = response.content.decode()
        return response

    assignment, quiz = world["assignment"], world["quiz"]
    get("student: my classes", reverse("quiz:my_classes"))
    get("student: class", reverse("quiz:classroom", args=[world["classroom"].pk]))
    get("student: assignment", reverse("quiz:assignment", args=[assignment.pk]))
    client.post(reverse("quiz:attempt_start", args=[assignment.pk]))
    attempt = Attempt.objects.get(student=world["student"], assignment=assignment)
    for question in quiz.questions.order_by("quiz_items__position"):
        question_url = reverse("quiz:question", args=[attempt.pk, question.pk])
        answer_url = reverse("quiz:answer", args=[attempt.pk, question.pk])
        get(f"student: question {question.kind}", question_url)
        if question.is_evidence:
            data = {"start": question.answer_start, "end": question.answer_end}
        elif question.pk == world["handwritten"].pk:
            data = {"choice": world["wrong"].pk}
        else:
            data = {"choice": question.choices.filter(is_correct=False).first().pk}
        post(
            f"student: feedback {question.kind} (htmx)",
            answer_url,
            data,
            headers={**HTMX, "HX-Target": "question-card"},
        )
        get(f"student: feedback {question.kind} (page)", question_url)
    client.post(reverse("quiz:finish", args=[attempt.pk]))
    get("student: results", reverse("quiz:results", args=[attempt.pk]))
    get("student: my data", reverse("quiz:my_data"))
    get("student: article", world["article"].get_absolute_url())
    world["attempt"] = attempt
    return pages


def teacher_pages(world: dict) -> dict[str, str]:
    client = world["clients"]["teacher"]
    classroom, assignment, student = world["classroom"], world["assignment"], world["student"]
    article, quiz, handwritten = world["article"], world["quiz"], world["handwritten"]
    urls = {
        "teacher: dashboard": reverse("quiz:teach_dashboard"),
        "teacher: class": reverse("quiz:teach_classroom", args=[classroom.pk]),
        "teacher: roster": reverse("quiz:teach_roster", args=[classroom.pk]),
        "teacher: student": reverse("quiz:teach_student", args=[classroom.pk, student.pk]),
        "teacher: gradebook": reverse("quiz:teach_gradebook", args=[classroom.pk]),
        "teacher: skills": reverse("quiz:teach_mastery", args=[classroom.pk]),
        "teacher: assignment": reverse("quiz:teach_assignment", args=[assignment.pk]),
        "teacher: assignment form": reverse("quiz:teach_assignment_update", args=[assignment.pk]),
        "teacher: item analysis": reverse("quiz:teach_items", args=[assignment.pk]),
        "teacher: progress": reverse("quiz:teach_progress", args=[assignment.pk]),
        "teacher: attempt": reverse("quiz:teach_attempt", args=[world["attempt"].pk]),
        "teacher: delete a student": reverse(
            "quiz:teach_student_delete", args=[classroom.pk, student.pk]
        ),
        "teacher: article with annotations": article.get_absolute_url(),
        "teacher: imported article": world["imported"].get_absolute_url(),
        "admin: articles": reverse("admin:articles_article_changelist"),
        "admin: article and annotation panel": reverse(
            "admin:articles_article_change", args=[article.pk]
        ),
        "admin: imported article": reverse(
            "admin:articles_article_change", args=[world["imported"].pk]
        ),
        "admin: annotation panel page": reverse(
            "admin:articles_article_annotations", args=[article.pk]
        ),
        "admin: annotation in the panel": reverse(
            "admin:articles_article_annotation", args=[article.pk, world["annotation"].pk]
        ),
        "admin: annotations": reverse("admin:articles_annotation_changelist"),
        "admin: annotation": reverse(
            "admin:articles_annotation_change", args=[world["annotation"].pk]
        ),
        "admin: sources": reverse("admin:articles_source_changelist"),
        "admin: source": reverse("admin:articles_source_change", args=[world["source"].pk]),
        "admin: outlets": reverse("admin:articles_outlet_changelist"),
        "admin: outlet": reverse("admin:articles_outlet_change", args=[article.outlet_id]),
        "admin: questions": reverse("admin:quiz_question_changelist"),
        "admin: handwritten question": reverse("admin:quiz_question_change", args=[handwritten.pk]),
        "admin: regrade": reverse("quiz:regrade", args=[handwritten.pk]),
        "admin: quizzes": reverse("admin:quiz_quiz_changelist"),
        "admin: quiz": reverse("admin:quiz_quiz_change", args=[quiz.pk]),
        "teacher: quiz builder": reverse("quiz:builder", args=[quiz.pk]),
        "admin: quiz delete page": reverse("admin:quiz_quiz_delete", args=[quiz.pk]),
        "admin: classes": reverse("admin:quiz_classroom_changelist"),
        "admin: class": reverse("admin:quiz_classroom_change", args=[classroom.pk]),
        "admin: assignments": reverse("admin:quiz_assignment_changelist"),
        "admin: assignment": reverse("admin:quiz_assignment_change", args=[assignment.pk]),
        "admin: preview question": reverse("quiz:preview_question", args=[quiz.pk, handwritten.pk]),
    }
    for question in world["generated"]:
        urls[f"admin: generated {question.kind} question"] = reverse(
            "admin:quiz_question_change", args=[question.pk]
        )
    pages = {}
    for label, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (label, response.status_code)
        pages[label] = response.content.decode()
    for label, url in [
        ("teacher: gradebook (htmx)", urls["teacher: gradebook"]),
        ("teacher: progress (htmx)", urls["teacher: progress"]),
        (
            "admin: builder (htmx)",
            reverse("quiz:builder", args=[quiz.pk]),
        ),
    ]:
        response = client.get(url, headers=HTMX)
        assert response.status_code in (200, 286), (label, response.status_code)
        pages[label] = response.content.decode()
    response = client.post(
        reverse("quiz:preview_answer", args=[quiz.pk, handwritten.pk]),
        {"choice": world["wrong"].pk},
        headers=HTMX,
    )
    pages["admin: preview feedback (htmx)"] = response.content.decode()
    response = client.post(reverse("quiz:preview_finish", args=[quiz.pk]))
    pages["admin: preview results"] = response.content.decode()
    password_url = reverse("quiz:teach_student_password", args=[classroom.pk, world["student"].pk])
    pages["teacher: new password, asked first"] = client.post(password_url).content.decode()
    response = client.post(password_url, {"confirmed": "1"})
    pages["teacher: new password card"] = response.content.decode()

    admin = world["clients"]["admin"]
    for label, url in {
        "superuser: users": reverse("admin:auth_user_changelist"),
        "superuser: student's account": reverse(
            "admin:auth_user_change", args=[world["student"].pk]
        ),
    }.items():
        response = admin.get(url)
        assert response.status_code == 200, label
        pages[label] = response.content.decode()
    return pages


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_never_reaches_a_page_as_markup(payload):
    world = world_build(payload)
    pages = {**world["pages"], **student_pages(world), **teacher_pages(world)}

    problems = {label: markup_problems(html, payload) for label, html in pages.items()}
    problems = {label: found for label, found in problems.items() if found}
    assert not problems, problems

    shown = {
        field
        for field in FIELDS
        if any(escape(marked(payload, field)) in html for html in pages.values())
    }
    assert set(FIELDS) - shown == set(), "fields shown on no page checked"
    # Pages that show no hostile text at all would prove nothing: each shows some.
    assert [label for label, html in pages.items() if escape(f"{payload}~") not in html] == []


# Spreadsheet formulas, which the CSV export must not let a spreadsheet run.
EXPORT_PAYLOADS = [
    PAYLOADS[0],
    '=HYPERLINK("https://evil.example","x")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("payload", EXPORT_PAYLOADS)
def test_hostile_text_in_exports_stays_text(payload):
    world = world_build(payload)
    student_pages(world)
    teacher = world["clients"]["teacher"]

    response = teacher.get(reverse("quiz:teach_gradebook_csv", args=[world["classroom"].pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert any(marked(payload, "quiz_title") in cell for cell in cells)
    assert any(marked(payload, "first_name") in cell for cell in cells)
    formulas = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert formulas == []

    for client, url in [
        (world["clients"]["student"], reverse("quiz:my_data_export")),
        (teacher, reverse("quiz:teach_student_data", args=[world["student"].pk])),
    ]:
        response = client.get(url)
        # JSON, never sniffed as a page, and downloaded rather than shown.
        assert response["Content-Type"] == "application/json"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        data = json.loads(response.content)
        assert data["account"]["first_name"] == marked(payload, "first_name")
        assert data["attempts"][0]["quiz"] == marked(payload, "quiz_title")
        answers = {r["answer"] for r in data["attempts"][0]["responses"]}
        assert marked(payload, "choice") in answers
        assert marked(payload, "source_name") in answers  # the selected words


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_username_is_refused_at_sign_up_and_shown_back_escaped(client, payload):
    classroom = AssignmentFactory().classroom
    users = get_user_model().objects.count()

    response = client.post(
        reverse("quiz:join"),
        {
            "code": classroom.join_code,
            "first_name": "Ada",
            "username": payload,
            "password1": "correct horse battery staple",
            "password2": "correct horse battery staple",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid username" in html
    assert markup_problems(html, payload) == []
    assert get_user_model().objects.count() == users


# Addresses rendered into links

SCRIPT_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_an_article_or_outlet_address_must_be_a_web_address(url):
    article = ArticleFactory.build(owner=TeacherFactory(), outlet=None, source_url=url)
    outlet = Outlet(name="Gazette", url=url)

    with pytest.raises(ValidationError) as article_error:
        article.full_clean()
    with pytest.raises(ValidationError) as outlet_error:
        outlet.full_clean()

    assert "source_url" in article_error.value.message_dict
    assert "url" in outlet_error.value.message_dict


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_the_admin_and_the_import_refuse_a_script_address(url):
    from django.contrib import admin

    teacher = TeacherFactory()
    request = type("Request", (), {"user": teacher})()
    article_form = admin.site._registry[Article].get_form(request)(
        {"title": "T", "slug": "t", "body": "Text.", "status": "draft", "source_url": url}
    )
    outlet_form = admin.site._registry[Outlet].get_form(request)({"name": "G", "url": url})

    assert "source_url" in article_form.errors
    assert "url" in outlet_form.errors
    with pytest.raises(ValidationError):
        importing.article_import(data=b"Title\n\nText.", filename="a.txt", owner=teacher, url=url)
    assert not Article.objects.exists()


def test_a_stored_script_address_is_never_rendered_as_a_link(client):
    """Should one reach the database around the validation, the pages still do not link it."""
    teacher = TeacherFactory()
    article = ArticleFactory(owner=teacher)
    Article.objects.filter(pk=article.pk).update(source_url="javascript:alert(1)")
    Outlet.objects.filter(pk=article.outlet_id).update(url="javascript:alert(1)")
    client.force_login(teacher)

    for url in [
        article.get_absolute_url(),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_outlet_change", args=[article.outlet_id]),
        reverse("admin:articles_outlet_changelist"),
    ]:
        html = client.get(url).content.decode()
        assert markup_problems(html, "javascript:alert(1)") == [], url


def test_a_web_address_with_quotes_stays_inside_its_attribute(client):
    teacher = TeacherFactory()
    address = 'https://example.org/a"onmouseover="alert(1)'
    article = ArticleFactory(owner=teacher, source_url=address)
    article.full_clean()  # a valid web address, quotes and all
    client.force_login(teacher)

    html = client.get(article.get_absolute_url()).content.decode()

    assert markup_problems(html, address) == []
    assert f'href="{escape(address)}"' in html
