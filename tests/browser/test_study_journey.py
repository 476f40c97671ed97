"""A study in a real browser: the teacher sets one up in the demo class on two parallel
quizzes from the demo's paired practice articles, opens the pre-test, the students take it (one
in the browser, with no answer shown), practice is linked, the post-test is taken, and the
report shows the gain and says in words what happened to telling claims from facts, as its
numbers do."""

import re

import pytest
from playwright.sync_api import expect

from articles.demo_content.practice_forms import PARALLEL_FORMS
from articles.models import Annotation
from quiz import selectors, services
from quiz.management.commands.demo import DEMO_QUIZ, DEMO_STUDENTS, DEMO_STUDY
from quiz.models import Question, Study, StudySitting
from quiz.services import Answer
from tests.browser.test_practice_journey import logged_in
from tests.factories import QuizFactory

pytestmark = pytest.mark.django_db(transaction=True)

# The generated "claim or reported fact?" question's choices, as students read them.
CLAIM, FACT = "A claim someone makes", "A fact the reporter states"
# Each form: two statements that are claims and two that are reported facts.
TRUTHS = [CLAIM, FACT, CLAIM, FACT]


def parallel_form(teacher, title: str, spec):
    """A form from the demo's content: the "claim or reported fact?" questions on the first two
    claims and the first two reported facts of one of the paired practice articles."""
    questions = list(
        Question.objects.filter(
            article__slug=spec.slug,
            kind=Question.Kind.CLASSIFICATION,
            annotation__kind__in=[Annotation.Kind.CLAIM, Annotation.Kind.REPORTED_FACT],
        )
        .select_related("annotation")
        .order_by("annotation__start")
    )
    claims = [q for q in questions if q.annotation.kind == Annotation.Kind.CLAIM][:2]
    facts = [q for q in questions if q.annotation.kind == Annotation.Kind.REPORTED_FACT][:2]
    ordered = [claims[0], facts[0], claims[1], facts[1]]
    return QuizFactory(owner=teacher, title=title, published=True, questions=ordered)


def sit(sitting: StudySitting, student, answers: list[str]) -> None:
    for item, text in zip(sitting.items.order_by("position"), answers, strict=True):
        services.sitting_answer(
            sitting_id=sitting.pk,
            student=student,
            question_id=item.question_id,
            answer=Answer(choice_id=item.question.choices.get(text=text).pk),
        )


def sitting_of(study, student, phase) -> StudySitting:
    return StudySitting.objects.get(
        phase__study=study, phase__phase=phase, participant__student=student
    )


def test_a_teacher_runs_a_study_and_reads_what_the_class_learned(browser, live_server, demo_site):
    teacher_user = demo_site.teachers.get()
    # Two parallel forms from the demo's paired practice articles (the first reading level).
    [(first, second), *_] = PARALLEL_FORMS
    parallel_form(teacher_user, "Form A: the Mill Lane bridge", first)
    parallel_form(teacher_user, "Form B: the Hollins Park playground", second)
    students = list(demo_site.students.order_by("username"))
    browser_student = demo_site.students.get(username=DEMO_STUDENTS[0])

    teacher = logged_in(browser, live_server, "demo-teacher", heading="Teaching")
    page = teacher.page
    teacher.goto(f"/teach/classes/{demo_site.pk}/")
    page.get_by_role("link", name="Studies", exact=True).click()
    expect(page.get_by_role("heading", name="New study")).to_be_visible()
    teacher.check_accessibility("studies list")
    page.get_by_label("Title").fill("Claims before and after practice")
    page.get_by_label("Form A").select_option(label="Form A: the Mill Lane bridge")
    page.get_by_label("Form B").select_option(label="Form B: the Hollins Park playground")
    page.get_by_role("button", name="Create the study").click()
    expect(page.get_by_role("heading", name=re.compile("^Study: Claims"))).to_be_visible()
    study = Study.objects.get(classroom=demo_site, title="Claims before and after practice")
    page.get_by_role("button", name="Open the pre-test").click()
    expect(page.locator("#phase-pre")).to_contain_text(f"0 of {len(students)} students finished")
    teacher.check_accessibility("study with the pre-test open")

    # One student takes the pre-test in the browser: every statement called a claim.
    learner = logged_in(browser, live_server, browser_student.username, heading="My classes")
    lpage = learner.page
    sitting = sitting_of(study, browser_student, Study.Phase.PRE)
    start = lpage.locator(f'a[href="/tests/{sitting.pk}/"]')
    expect(start.locator("xpath=ancestor::li")).to_contain_text("Test: 4 questions")
    learner.check_accessibility("home with a test to take")
    start.click()
    expect(lpage.locator("#test-banner")).to_be_visible()
    learner.check_accessibility("a test question")
    for number in range(1, len(TRUTHS) + 1):
        lpage.get_by_label(CLAIM, exact=True).check()
        lpage.get_by_role("button", name="Save my answer").click()
        feedback = lpage.locator("#feedback")
        expect(feedback).to_contain_text("Answer saved")
        expect(feedback).not_to_contain_text("Correct")
        expect(feedback).not_to_contain_text("Not quite")
        if number < len(TRUTHS):
            lpage.get_by_role("link", name="Next question").click()
    lpage.get_by_role("button", name="Finish and see my results").click()
    expect(lpage.locator("#test-score")).to_have_text("2 out of 4 right")
    expect(lpage.get_by_text("Thank you")).to_be_visible()
    learner.check_accessibility("test done")
    learner.assert_clean()

    # The others by the services: at the pre-test they too call most things claims.
    for index, student in enumerate(s for s in students if s != browser_student):
        answers = [CLAIM, CLAIM, CLAIM, FACT if index % 2 else CLAIM]
        sit(sitting_of(study, student, Study.Phase.PRE), student, answers)

    # Practice: the demo's assignment, linked to the study.
    teacher.goto(f"/teach/studies/{study.pk}/")
    practice = demo_site.assignments.filter(quiz__title=DEMO_QUIZ).order_by("-opens_at").first()
    page.get_by_label("Assignment").select_option(value=str(practice.pk))
    page.get_by_role("button", name="Link this assignment").click()
    linked = page.locator("#practice-heading").locator("xpath=..").get_by_role("listitem")
    expect(linked.get_by_role("link", name=DEMO_QUIZ)).to_be_visible()
    assert study.practice_links.get().assignment == practice
    page.get_by_role("button", name="Open the post-test").click()
    expect(page.locator("#phase-post")).to_contain_text("students finished")

    # After practice, most answers are right: claims called claims, facts facts.
    for index, student in enumerate(students):
        answers = list(TRUTHS)
        if index == 1:
            answers[3] = CLAIM  # one fact still called a claim
        sit(sitting_of(study, student, Study.Phase.POST), student, answers)

    teacher.goto(f"/teach/studies/{study.pk}/")
    report = selectors.study_report(study=study)
    overall = next(skill for skill in report.skills if skill.skill == "overall")
    assert overall.effect.gain.mean > 0
    gain = page.locator("#gain-overall")
    expect(gain).to_contain_text(f"+{overall.effect.gain.mean:.2f} points")
    expect(gain).to_contain_text(f"{overall.effect.improved} / ")
    detection = report.discernment
    assert detection.post.d_prime.mean > detection.pre.d_prime.mean
    assert detection.post.criterion.mean > detection.pre.criterion.mean
    sentence = page.locator("#discernment-sentence")
    expect(sentence).to_contain_text("Students got better at telling claims from facts")
    expect(sentence).to_contain_text("they called fewer things claims")
    expect(page.locator("#d-prime-post")).to_contain_text(f"{detection.post.d_prime.mean:.2f}")
    expect(page.locator("svg.interval-chart").first).to_be_visible()
    teacher.check_accessibility("study report")
    teacher.assert_clean()

    # The README's picture: the demo's own study, three tests of fifteen students.
    demo_study = Study.objects.get(classroom=demo_site, title=DEMO_STUDY)
    teacher.goto(f"/teach/studies/{demo_study.pk}/#report-heading")
    expect(page.locator("#discernment-sentence")).to_be_visible()
    teacher.check_accessibility("the demo study's report")
    page.locator("#report-heading").scroll_into_view_if_needed()
    teacher.screenshot("teacher-study-report", full_page=False)
    teacher.assert_clean()
