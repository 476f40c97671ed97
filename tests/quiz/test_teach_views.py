"""Teacher pages: who may see what, what each page shows, htmx fragments, CSV and polling."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from quiz import services
from quiz.models import Assignment, Classroom, Enrollment
from tests.factories import (
    TEST_PASSWORD,
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    QuizFactory,
    StudentFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
# What the confirm page (or, with JavaScript, htmx after the confirm dialog) posts.
CONFIRMED = {"confirmed": "1"}


def finish(attempt, answers):
    """Answer the attempt's questions right (True) or wrong (False) and hand it in."""
    questions = list(attempt.assignment.quiz.questions.order_by("quiz_items__position"))
    for question, right in zip(questions, answers, strict=False):
        services.response_submit(
            attempt_id=attempt.pk,
            student=attempt.student,
            question_id=question.pk,
            answer=services.Answer(choice_id=question.choices.filter(is_correct=right).first().pk),
        )
    attempt.refresh_from_db()
    attempt.max_score = len(questions)
    attempt.submitted_at = timezone.now()
    attempt.save()
    return attempt


@pytest.fixture
def course(teacher):
    """A class of the teacher's with two students, one assignment and one finished attempt."""
    ada = StudentFactory(first_name="Ada", last_name="Lovelace")
    bo = StudentFactory(first_name="Bo", last_name="Zhang")
    classroom = ClassroomFactory(name="7B News", teachers=[teacher], students=[ada, bo])
    assignment = AssignmentFactory(
        classroom=classroom, quiz=QuizFactory(owner=teacher, questions=3)
    )
    attempt = finish(AttemptFactory(assignment=assignment, student=ada), [True, True, False])
    return {
        "classroom": classroom,
        "assignment": assignment,
        "attempt": attempt,
        "ada": ada,
        "bo": bo,
    }


def class_urls(course):
    c, a = course["classroom"], course["assignment"]
    ada, attempt = course["ada"], course["attempt"]
    return [
        reverse("quiz:teach_classroom", args=[c.pk]),
        reverse("quiz:teach_roster", args=[c.pk]),
        reverse("quiz:teach_roster_import", args=[c.pk]),
        reverse("quiz:teach_gradebook", args=[c.pk]),
        reverse("quiz:teach_gradebook_csv", args=[c.pk]),
        reverse("quiz:teach_mastery", args=[c.pk]),
        reverse("quiz:teach_student", args=[c.pk, ada.pk]),
        reverse("quiz:teach_assignment_create", args=[c.pk]),
        reverse("quiz:teach_assignment", args=[a.pk]),
        reverse("quiz:teach_assignment_update", args=[a.pk]),
        reverse("quiz:teach_items", args=[a.pk]),
        reverse("quiz:teach_progress", args=[a.pk]),
        reverse("quiz:teach_attempt", args=[attempt.pk]),
    ]


def class_posts(course):
    c, a, bo = course["classroom"], course["assignment"], course["bo"]
    return [
        reverse("quiz:teach_classroom_update", args=[c.pk]),
        reverse("quiz:teach_join_code", args=[c.pk]),
        reverse("quiz:teach_student_remove", args=[c.pk, bo.pk]),
        reverse("quiz:teach_student_password", args=[c.pk, bo.pk]),
        reverse("quiz:teach_assignment_close", args=[a.pk]),
        reverse("quiz:teach_assignment_reopen", args=[a.pk]),
    ]


# Who may see what


def test_every_teacher_page_opens_for_the_classs_teacher(client, teacher, course):
    client.force_login(teacher)

    for url in class_urls(course):
        response = client.get(url)
        assert response.status_code == 200, url


def test_another_teacher_gets_404_on_every_page_and_action(client, other_teacher, course):
    client.force_login(other_teacher)

    for url in class_urls(course):
        assert client.get(url).status_code == 404, url
    for url in class_posts(course):
        assert client.post(url, {"action": "close"}).status_code == 404, url
    course["classroom"].refresh_from_db()
    assert course["classroom"].join_open
    assert Enrollment.objects.filter(student=course["bo"]).exists()


def test_students_get_403_everywhere_under_teach(client, course):
    client.force_login(course["ada"])

    for url in [reverse("quiz:teach_dashboard"), *class_urls(course)]:
        assert client.get(url).status_code == 403, url
    for url in class_posts(course):
        assert client.post(url, {"action": "close"}).status_code == 403, url


def test_anonymous_visitors_are_sent_to_log_in(client, course):
    for url in [reverse("quiz:teach_dashboard"), *class_urls(course)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


def test_a_teacher_cannot_reach_a_student_outside_the_class(client, teacher, course):
    stranger = StudentFactory()
    other_attempt = AttemptFactory(student=stranger)
    client.force_login(teacher)
    c = course["classroom"]

    assert client.get(reverse("quiz:teach_student", args=[c.pk, stranger.pk])).status_code == 404
    assert (
        client.post(reverse("quiz:teach_student_password", args=[c.pk, stranger.pk])).status_code
        == 404
    )
    assert client.get(reverse("quiz:teach_attempt", args=[other_attempt.pk])).status_code == 404


def test_a_removed_students_attempts_are_no_longer_shown(client, teacher, course):
    Enrollment.objects.filter(student=course["ada"]).delete()
    client.force_login(teacher)

    assert client.get(reverse("quiz:teach_attempt", args=[course["attempt"].pk])).status_code == 404


def test_co_teachers_both_see_the_class(client, other_teacher, course):
    course["classroom"].teachers.add(other_teacher)
    client.force_login(other_teacher)

    assert (
        client.get(reverse("quiz:teach_gradebook", args=[course["classroom"].pk])).status_code
        == 200
    )


def test_a_superuser_sees_every_class_as_in_the_admin(client, superuser, course):
    client.force_login(superuser)

    assert (
        client.get(reverse("quiz:teach_gradebook", args=[course["classroom"].pk])).status_code
        == 200
    )


def test_wrong_methods_are_refused(client, teacher, course):
    client.force_login(teacher)
    c = course["classroom"]

    assert client.get(reverse("quiz:teach_join_code", args=[c.pk])).status_code == 405
    assert client.post(reverse("quiz:teach_gradebook", args=[c.pk])).status_code == 405


# Dashboard and classes


def test_dashboard_lists_my_classes_with_counts_and_recent_work(client, teacher, course):
    ClassroomFactory(name="Someone else's class")
    client.force_login(teacher)

    html = client.get(reverse("quiz:teach_dashboard")).content.decode()

    assert "7B News" in html
    assert "Someone else" not in html
    assert re.search(r"7B News</a></th>\s*<td>2</td>\s*<td>1</td>\s*<td>1</td>", html)
    assert "handed in “" in html
    assert reverse("quiz:teach_progress", args=[course["assignment"].pk]) in html


def test_teacher_creates_a_class_and_lands_on_it(client, teacher):
    client.force_login(teacher)

    response = client.post(
        reverse("quiz:teach_classroom_create"), {"name": "  8C  Media ", "score_policy": "latest"}
    )

    classroom = Classroom.objects.get(teachers=teacher)
    assert response.status_code == 302
    assert response["Location"] == reverse("quiz:teach_classroom", args=[classroom.pk])
    assert classroom.name == "8C Media"
    assert classroom.score_policy == "latest"
    assert classroom.join_open


def test_a_class_without_a_name_is_refused_with_a_message(client, teacher):
    client.force_login(teacher)

    response = client.post(
        reverse("quiz:teach_classroom_create"), {"name": " ", "score_policy": "best"}
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Classroom.objects.exists()


def test_teacher_renames_the_class(client, teacher, course):
    client.force_login(teacher)
    c = course["classroom"]

    client.post(
        reverse("quiz:teach_classroom_update", args=[c.pk]),
        {"name": "7B News (spring)", "score_policy": "latest"},
    )

    c.refresh_from_db()
    assert (c.name, c.score_policy) == ("7B News (spring)", "latest")


def test_join_code_can_be_regenerated_closed_and_reopened(client, teacher, course):
    client.force_login(teacher)
    c = course["classroom"]
    old_code = c.join_code
    url = reverse("quiz:teach_join_code", args=[c.pk])

    client.post(url, {"action": "regenerate"})
    c.refresh_from_db()
    assert c.join_code != old_code
    client.post(url, {"action": "close"})
    c.refresh_from_db()
    assert not c.join_open
    client.post(url, {"action": "open"})
    c.refresh_from_db()
    assert c.join_open


def test_a_closed_code_stops_new_students_joining(client, teacher, course):
    client.force_login(teacher)
    c = course["classroom"]
    client.post(reverse("quiz:teach_join_code", args=[c.pk]), {"action": "close"})
    newcomer = StudentFactory()
    client.force_login(newcomer)

    response = client.post(reverse("quiz:join"), {"code": c.join_code})

    assert "not taking new students" in response.content.decode()
    assert not c.students.filter(pk=newcomer.pk).exists()


def test_join_code_under_htmx_returns_only_the_panel(client, teacher, course):
    client.force_login(teacher)
    c = course["classroom"]

    response = client.post(
        reverse("quiz:teach_join_code", args=[c.pk]), {"action": "close"}, headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="join-code"')
    assert "<html" not in html
    assert 'value="open"' in html
    assert "Joining is closed" in html


def test_a_refused_join_code_change_shows_its_reason_in_the_panel(
    client, teacher, course, monkeypatch
):
    other = ClassroomFactory()
    monkeypatch.setattr("quiz.services.classrooms.join_code_generate", lambda: other.join_code)
    client.force_login(teacher)
    c = course["classroom"]
    old = c.join_code

    response = client.post(
        reverse("quiz:teach_join_code", args=[c.pk]), {"action": "regenerate"}, headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html and "No free class code" in html
    c.refresh_from_db()
    assert c.join_code == old


def test_an_unknown_join_code_action_changes_nothing(client, teacher, course):
    client.force_login(teacher)
    c = course["classroom"]

    response = client.post(
        reverse("quiz:teach_join_code", args=[c.pk]), {"action": "delete"}, headers=HTMX
    )

    assert response.status_code == 400
    c.refresh_from_db()
    assert c.join_open


# Roster


def test_roster_lists_the_students_with_their_work(client, teacher, course):
    client.force_login(teacher)

    html = client.get(reverse("quiz:teach_roster", args=[course["classroom"].pk])).content.decode()

    assert "Ada Lovelace" in html and "Bo Zhang" in html
    assert (
        reverse("quiz:teach_student_password", args=[course["classroom"].pk, course["bo"].pk])
        in html
    )


def test_removing_a_student_keeps_their_account_and_attempts(client, teacher, course):
    client.force_login(teacher)
    c, ada = course["classroom"], course["ada"]

    response = client.post(reverse("quiz:teach_student_remove", args=[c.pk, ada.pk]), CONFIRMED)

    assert response.status_code == 302
    assert not c.students.filter(pk=ada.pk).exists()
    assert get_user_model().objects.filter(pk=ada.pk).exists()
    assert ada.attempts.exists()


def test_password_reset_shows_a_new_password_once_and_stores_only_its_hash(client, teacher, course):
    client.force_login(teacher)
    c, bo = course["classroom"], course["bo"]

    response = client.post(reverse("quiz:teach_student_password", args=[c.pk, bo.pk]), CONFIRMED)

    html = response.content.decode()
    password = re.search(r"Password</dt><dd><code class=\"code\">([^<]+)</code>", html).group(1)
    bo.refresh_from_db()
    assert bo.check_password(password)
    assert not bo.check_password(TEST_PASSWORD)
    assert password not in bo.password
    assert "no-store" in response["Cache-Control"]
    assert password not in client.get(reverse("quiz:teach_roster", args=[c.pk])).content.decode()


def test_a_staff_account_in_the_class_keeps_its_password(client, teacher, course):
    c = course["classroom"]
    colleague = TeacherFactory()
    Enrollment.objects.create(classroom=c, student=colleague)
    client.force_login(teacher)

    response = client.post(
        reverse("quiz:teach_student_password", args=[c.pk, colleague.pk]), CONFIRMED, follow=True
    )

    colleague.refresh_from_db()
    assert colleague.check_password(TEST_PASSWORD)
    assert "changed in the admin" in response.content.decode()


# Roster import


def upload(content: bytes, name: str = "class.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def import_url(course):
    return reverse("quiz:teach_roster_import", args=[course["classroom"].pk])


def test_importing_a_class_list_creates_accounts_and_prints_login_cards(client, teacher, course):
    client.force_login(teacher)
    data = "\ufeffFirst name,Last name\nChloé,Dubois\nMia,Khan\n".encode()

    response = client.post(import_url(course), {"file": upload(data)})

    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    chloe = get_user_model().objects.get(first_name="Chloé")
    assert re.fullmatch(r"chloed\d{2}", chloe.username)
    assert course["classroom"].students.filter(pk=chloe.pk).exists()
    cards = re.findall(r'<li class="login-card">.*?</li>', html, re.S)
    assert len(cards) == 2
    password = re.search(r"Password</dt><dd><code class=\"code\">([^<]+)</code>", cards[0]).group(1)
    assert re.fullmatch(r"[a-z]+-[a-z]+-[2-9]{3}", password)
    assert chloe.check_password(password) or get_user_model().objects.get(
        first_name="Mia"
    ).check_password(password)
    assert course["classroom"].join_code in cards[0]
    assert "http://testserver/accounts/login/" in cards[0]
    assert password not in str(dict(client.session))
    assert "site-header" in html  # hidden by the print stylesheet, not missing


def test_import_skips_and_reports_duplicates_and_empty_lines(client, teacher, course):
    client.force_login(teacher)
    data = b"Name\nAda Lovelace\nNew Person\n\n , \nnew person\n"

    response = client.post(import_url(course), {"file": upload(data)})

    html = response.content.decode()
    assert get_user_model().objects.filter(first_name="New", last_name="Person").count() == 1
    assert "Line 2: Ada Lovelace (already in the class)" in html
    assert "Line 6: new person (twice in the file)" in html
    assert "Empty lines skipped: 4, 5." in html
    assert "1 account created." in html


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Email,Class\nmia@example.org,7B\n", "The first row must name the columns"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a CSV file"),
        ("First name\nZoë\n".encode("latin-1"), "This file is not UTF-8 text"),
        (b"", "The submitted file is empty"),
        (b"First name,Last name\n", "no names under it"),
        (b'Name\n"Unclosed quote\n' + b"x" * 200_000, "could not be read as CSV"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_creates_nothing(
    client, teacher, course, content, message
):
    client.force_login(teacher)
    users_before = get_user_model().objects.count()

    response = client.post(import_url(course), {"file": upload(content)})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert get_user_model().objects.count() == users_before


def test_a_file_over_1_mb_is_refused_by_its_size(client, teacher, course):
    client.force_login(teacher)
    junk = b"Name\n" + b"A" * (2 * 1024 * 1024)

    response = client.post(import_url(course), {"file": upload(junk)})

    assert "larger than 1 MB" in response.content.decode()
    assert course["classroom"].students.count() == 2


def test_an_upload_the_site_stops_while_it_arrives_is_called_too_large(
    client, teacher, course, settings
):
    # Under the limit the whole request may have, over the limit for one file: the site's
    # upload handler stops reading the file part way and drops it.
    client.force_login(teacher)
    junk = b"Name\n" + b"A" * (settings.MAX_UPLOAD_BYTES + 10 * 1024)

    response = client.post(import_url(course), {"file": upload(junk)})

    html = response.content.decode()
    assert response.wsgi_request.upload_too_large
    assert "larger than 1 MB" in html
    assert "This field is required" not in html
    assert course["classroom"].students.count() == 2


def test_a_bad_line_in_the_middle_creates_nobody(client, teacher, course):
    client.force_login(teacher)
    data = ("First name,Last name\nMia,Khan\n" + "x" * 200 + ",Long\n").encode()

    response = client.post(import_url(course), {"file": upload(data)})

    assert "Line 3: that name is longer than 150 characters" in response.content.decode()
    assert not get_user_model().objects.filter(first_name="Mia").exists()


# Assignments


def test_teacher_assigns_a_published_quiz(client, teacher, course):
    quiz = QuizFactory(owner=teacher, questions=2, title="Sources 101")
    client.force_login(teacher)
    opens = timezone.localtime().replace(second=0, microsecond=0)

    response = client.post(
        reverse("quiz:teach_assignment_create", args=[course["classroom"].pk]),
        {
            "quiz": quiz.pk,
            "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "due_at": (opens + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "attempts_allowed": 2,
            "reveal": "after_attempt",
        },
    )

    assignment = Assignment.objects.get(quiz=quiz)
    assert response["Location"] == reverse("quiz:teach_assignment", args=[assignment.pk])
    assert assignment.classroom == course["classroom"]
    assert (assignment.attempts_allowed, assignment.reveal) == (2, "after_attempt")
    assert assignment.due_at - assignment.opens_at == timedelta(days=2)


def test_the_quiz_list_offers_only_my_published_quizzes(client, teacher, course):
    QuizFactory(owner=teacher, title="My draft", published=False)
    QuizFactory(title="A colleague's quiz")
    QuizFactory(owner=teacher, title="My ready quiz")
    client.force_login(teacher)

    html = client.get(
        reverse("quiz:teach_assignment_create", args=[course["classroom"].pk])
    ).content.decode()

    assert "My ready quiz" in html
    assert "My draft" not in html
    assert "colleague" not in html


def test_a_due_time_before_the_opening_is_refused_on_the_field(client, teacher, course):
    quiz = QuizFactory(owner=teacher, questions=1)
    client.force_login(teacher)

    response = client.post(
        reverse("quiz:teach_assignment_create", args=[course["classroom"].pk]),
        {
            "quiz": quiz.pk,
            "opens_at": "2030-05-02T10:00",
            "due_at": "2030-05-01T10:00",
            "attempts_allowed": 1,
            "reveal": "after_each",
        },
    )

    assert "The due time must be after the opening time." in response.content.decode()
    assert not Assignment.objects.filter(quiz=quiz).exists()


def test_teacher_closes_early_and_reopens(client, teacher, course):
    client.force_login(teacher)
    a = course["assignment"]

    client.post(reverse("quiz:teach_assignment_close", args=[a.pk]), CONFIRMED)
    a.refresh_from_db()
    assert a.closed_at is not None and not a.is_open()

    client.post(reverse("quiz:teach_assignment_reopen", args=[a.pk]), {"due_at": ""})
    a.refresh_from_db()
    assert a.closed_at is None and a.is_open()


def test_reopening_after_the_due_time_takes_a_new_due_time(client, teacher, course):
    a = course["assignment"]
    Assignment.objects.filter(pk=a.pk).update(
        opens_at=timezone.now() - timedelta(days=3), due_at=timezone.now() - timedelta(days=1)
    )
    client.force_login(teacher)
    url = reverse("quiz:teach_assignment_reopen", args=[a.pk])

    refused = client.post(url, {"due_at": ""}, follow=True)
    new_due = timezone.localtime() + timedelta(days=2)
    client.post(url, {"due_at": new_due.strftime("%Y-%m-%dT%H:%M")})

    assert "set a new due time" in refused.content.decode()
    a.refresh_from_db()
    assert a.is_open()
    assert a.due_at > timezone.now() + timedelta(days=1)


def test_editing_an_assignment_changes_its_settings(client, teacher, course):
    client.force_login(teacher)
    a = course["assignment"]

    response = client.post(
        reverse("quiz:teach_assignment_update", args=[a.pk]),
        {
            "quiz": a.quiz_id,
            "opens_at": timezone.localtime(a.opens_at).strftime("%Y-%m-%dT%H:%M"),
            "due_at": "",
            "attempts_allowed": 3,
            "reveal": "after_attempt",
        },
    )

    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.attempts_allowed, a.due_at, a.reveal) == (3, None, "after_attempt")


# Gradebook, CSV, mastery, item analysis


def test_gradebook_shows_scores_and_statuses(client, teacher, course):
    client.force_login(teacher)

    html = client.get(
        reverse("quiz:teach_gradebook", args=[course["classroom"].pk])
    ).content.decode()

    assert "2/3" in html and "(67%)" in html
    assert "Not started" in html
    assert "<caption>" in html and 'scope="col"' in html


def test_gradebook_sort_under_htmx_returns_only_the_table(client, teacher, course):
    client.force_login(teacher)
    a = course["assignment"]

    response = client.get(
        reverse("quiz:teach_gradebook", args=[course["classroom"].pk]),
        {"sort": f"-a{a.pk}"},
        headers=HTMX,
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="gradebook"')
    assert "<html" not in html and "site-header" not in html
    assert 'aria-sort="descending"' in html
    assert html.index("Ada Lovelace") < html.index("Bo Zhang")


def read_csv(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_csv_export_has_a_bom_a_row_per_student_and_a_column_per_assignment_and_skill(
    client, teacher, course
):
    client.force_login(teacher)

    response = client.get(reverse("quiz:teach_gradebook_csv", args=[course["classroom"].pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="gradebook-7b-news-')
    header, *rows = read_csv(response)
    assert header[:2] == ["Student", "Username"]
    assert len(header) == 2 + 1 + 1 + 3
    assert header[-3:] == ["Attribution %", "Claims vs facts %", "Sourcing %"]
    assert [row[0] for row in rows] == ["Ada Lovelace", "Bo Zhang"]
    assert rows[0][2] == "66.7"  # 2 of 3
    assert rows[0][-2] == "66.7"  # the factory's questions are all "claims vs facts"
    assert rows[1][2] == ""


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil","click")', "+1", "-2+3", "@SUM(A1)"])
def test_csv_export_neutralises_formulas_in_names_and_titles(client, teacher, course, name):
    course["bo"].first_name, course["bo"].last_name = name, ""
    course["bo"].save()
    course["assignment"].quiz.title = "\t=cmd|' /C calc'!A0"
    course["assignment"].quiz.save()
    client.force_login(teacher)

    header, *rows = read_csv(
        client.get(reverse("quiz:teach_gradebook_csv", args=[course["classroom"].pk]))
    )

    cells = [cell for row in rows for cell in row] + header
    assert "'" + name in cells
    assert header[2].startswith("'\t=cmd")
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_csv_safe_prefixes_every_formula_start_with_an_apostrophe(text):
    from quiz.views.teach import csv_safe

    assert csv_safe(text) == "'" + text


def test_csv_safe_leaves_ordinary_text_and_numbers_alone():
    from quiz.views.teach import csv_safe

    assert csv_safe("Ada Lovelace") == "Ada Lovelace"
    assert csv_safe(66.7) == 66.7
    assert csv_safe("") == ""


def test_mastery_page_has_a_chart_with_a_text_alternative(client, teacher, course):
    client.force_login(teacher)

    html = client.get(reverse("quiz:teach_mastery", args=[course["classroom"].pk])).content.decode()

    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert re.search(r"<title id=\"[^\"]+\">Share right per skill", svg)
    assert "<desc" in svg and "Claims vs facts: 67% (2 of 3)" in svg
    assert "style=" not in html


def test_item_analysis_page_flags_questions_to_check(client, teacher, course):
    a = course["assignment"]
    finish(AttemptFactory(assignment=a, student=course["bo"]), [False, False, True])
    client.force_login(teacher)

    html = client.get(reverse("quiz:teach_items", args=[a.pk])).content.decode()

    # Q3: x = [0, 1], rest of quiz y = [2, 0]: r = −1, so it is flagged.
    assert html.count("⚠ Check this question") == 2  # in the table and on its card
    assert "-1.00" in html or "−1.00" in html
    assert "Based on 2 first attempts handed in." in html


def test_assignment_page_shows_the_score_distribution_chart(client, teacher, course):
    client.force_login(teacher)

    html = client.get(
        reverse("quiz:teach_assignment", args=[course["assignment"].pk])
    ).content.decode()

    assert "Score distribution" in html
    assert "60–69%: 1 student" in html


def test_student_page_lists_attempts_with_review_links(client, teacher, course):
    client.force_login(teacher)
    c, ada, attempt = course["classroom"], course["ada"], course["attempt"]

    html = client.get(reverse("quiz:teach_student", args=[c.pk, ada.pk])).content.decode()
    review = client.get(reverse("quiz:teach_attempt", args=[attempt.pk])).content.decode()

    assert reverse("quiz:teach_attempt", args=[attempt.pk]) in html
    assert "2 out of 3" in review
    assert review.count("✓ Right.") == 2 and review.count("✗ Wrong.") == 1


# Live progress


def test_live_progress_polls_while_the_assignment_is_open(client, teacher, course):
    client.force_login(teacher)
    url = reverse("quiz:teach_progress", args=[course["assignment"].pk])

    page = client.get(url)
    fragment = client.get(url, headers=HTMX)

    assert 'hx-trigger="every 5s"' in page.content.decode()
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert html.lstrip().startswith('<section id="progress"')
    assert 'hx-trigger="every 5s"' in html
    assert "<html" not in html
    assert "1 handed in · 0 working · 1 not started · 2 students" in html


def test_live_progress_stops_polling_once_the_assignment_closes(client, teacher, course):
    client.force_login(teacher)
    a = course["assignment"]
    url = reverse("quiz:teach_progress", args=[a.pk])
    assert 'hx-trigger="every 5s"' in client.get(url, headers=HTMX).content.decode()

    client.post(reverse("quiz:teach_assignment_close", args=[a.pk]), CONFIRMED)
    response = client.get(url, headers=HTMX)

    assert response.status_code == 286  # htmx: stop polling
    html = response.content.decode()
    assert "hx-trigger" not in html
    assert "these figures are final" in html
    assert "hx-trigger" not in client.get(url).content.decode()


def test_live_progress_stops_polling_after_the_due_time(client, teacher, course):
    a = course["assignment"]
    Assignment.objects.filter(pk=a.pk).update(
        opens_at=timezone.now() - timedelta(days=2), due_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(teacher)

    response = client.get(reverse("quiz:teach_progress", args=[a.pk]), headers=HTMX)

    assert response.status_code == 286
    assert "hx-trigger" not in response.content.decode()


# Pages as a whole


def test_teacher_pages_have_no_inline_styles_or_scripts(client, teacher, course):
    client.force_login(teacher)

    for url in [reverse("quiz:teach_dashboard"), *class_urls(course)]:
        response = client.get(url)
        if response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            assert "style=" not in html, url
            assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
