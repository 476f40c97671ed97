"""A teacher's day: import and annotate an article in the admin by selecting its words,
make a quiz of it and assign it to a class in one form (*Make a quiz* on the article's page),
fine-tune it in the builder, preview it as a student; a student takes it; the teacher reads
the gradebook, the item analysis and the live progress. The admin's *Add quiz* page fills a
new quiz from the article and opens its builder."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Annotation, Article
from quiz.models import Attempt, Question, Quiz, Response
from tests.browser.conftest import DEMO_PASSWORD, Journey
from tests.browser.test_student_journeys import log_in, select_words_with_mouse

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE_TEXT = (
    "The mayor of Millbrook, Ana Ruiz, said on Monday that the bridge would reopen in May.\n"
    "Engineers from the county finished the repairs last week, the council confirmed.\n"
    "Residents say the detour has doubled their journey to school."
)
STATEMENT = "the bridge would reopen in May"
SOURCE_WORDS = "Ana Ruiz"


def drag_select(page, container: str, words: str) -> None:
    """Drag the mouse across words inside a container (the admin's annotation text)."""
    page.locator(f"{container} p", has_text=words).first.scroll_into_view_if_needed()
    page.evaluate(
        "(args) => { const p = [...document.querySelectorAll(args.c + ' p')]"
        ".find(el => el.textContent.includes(args.w)); p.scrollIntoView({block: 'center'}); }",
        {"c": container, "w": words},
    )
    page.wait_for_timeout(100)
    box = page.evaluate(
        """(args) => {
            const root = document.querySelector(args.c);
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.data.indexOf(args.w);
                if (at === -1) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + args.w.length);
                const rects = range.getClientRects();
                const first = rects[0], last = rects[rects.length - 1];
                return {x1: first.left + 1, y1: first.top + first.height / 2,
                        x2: last.right - 1, y2: last.top + last.height / 2};
            }
            return null;
        }""",
        {"c": container, "w": words},
    )
    assert box, f"{words!r} not found in {container}"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=6)
    page.mouse.up()


def test_teacher_annotates_builds_assigns_and_reads_the_results(browser, live_server, demo_site):
    teacher_context = browser.new_context(viewport={"width": 1280, "height": 900})
    teacher = Journey(teacher_context.new_page(), live_server)
    page = teacher.page
    teacher.goto("/accounts/login/")
    page.get_by_label("Username").fill("demo-teacher")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Teaching")).to_be_visible()
    teacher.check_accessibility("teacher dashboard")

    # Import an article by pasting it.
    teacher.goto("/admin/articles/article/import/")
    page.get_by_label("Title").fill("Bridge to reopen in May, mayor says")
    page.get_by_label("Or paste the article text").fill(ARTICLE_TEXT)
    page.get_by_role("button", name="Import").click()
    article = Article.objects.get(title="Bridge to reopen in May, mayor says")
    # Wherever the import lands (the text, or a review of it first), annotating is on the
    # article's page.
    teacher.goto(reverse("admin:articles_article_change", args=[article.pk]))
    expect(page.locator("#annotate-text")).to_be_visible()

    # Annotate a statement by selecting it, and the source words by a second selection.
    drag_select(page, "#annotate-text", STATEMENT)
    expect(page.locator("#id_annotation-quote")).to_have_value(STATEMENT)
    page.locator("#id_annotation-kind_0").check()  # claim
    page.locator("#id_annotation-sourcing_0").check()  # named person
    page.locator("details.new-source summary").click()
    page.locator("#id_annotation-new_source_name").fill("Ana Ruiz")
    page.locator("#id_annotation-cue").fill("said")
    page.locator("#pick-source-words").click()
    drag_select(page, "#annotate-text", SOURCE_WORDS)
    expect(page.locator("#id_annotation-source_words")).to_have_value(SOURCE_WORDS)
    page.locator("#annotation-save").click()
    expect(page.locator("#annotation-status")).to_contain_text("Annotation saved")
    annotation = Annotation.objects.get(article=article)
    expect(
        page.locator(f'#annotate-text mark.hl[data-annotations~="a{annotation.pk}"]')
    ).to_be_visible()
    assert article.body[annotation.start : annotation.end] == STATEMENT
    assert annotation.source_exact == SOURCE_WORDS and annotation.speaker.name == "Ana Ruiz"
    teacher.check_accessibility("annotation editor")
    teacher.screenshot("teacher-annotation-editor", full_page=False)

    # Make a quiz of it and assign it, in one form: every kind of question ticked by default.
    page.locator("#make-quiz").click()
    expect(page.get_by_role("heading", name=f"Make a quiz from “{article.title}”")).to_be_visible()
    for kind in ("attribution", "evidence", "sourcing", "classification"):
        expect(page.locator(f'input[name="kinds"][value="{kind}"]')).to_be_checked()
    expect(page.get_by_label("Quiz title")).to_have_value(article.title)
    page.get_by_label("Quiz title").fill("The bridge")
    page.get_by_label("Class:", exact=True).select_option(label=demo_site.name)
    page.get_by_label("Show the answers").select_option("after_each")
    teacher.check_accessibility("make a quiz")
    teacher.screenshot("teacher-make-quiz")
    page.get_by_role("button", name="Make the quiz and assign it").click()
    quiz = Quiz.objects.get(title="The bridge")
    assignment = demo_site.assignments.get(quiz=quiz)
    expect(page.locator(".messagelist")).to_contain_text(
        f"“The bridge” is made and assigned to {demo_site.name}."
    )
    # One statement: who said it once (by the words naming the source), how it is sourced,
    # and last what kind of statement it is.
    assert list(quiz.items.order_by("position").values_list("question__kind", flat=True)) == [
        Question.Kind.EVIDENCE,
        Question.Kind.SOURCING,
        Question.Kind.CLASSIFICATION,
    ]
    expect(page.locator("#assigned-items > li")).to_have_count(3)
    expect(page.locator("#assigned-assignment")).to_have_attribute(
        "href", reverse("quiz:teach_assignment", args=[assignment.pk])
    )
    teacher.check_accessibility("quiz assigned")

    # Fine-tune it in the builder.
    page.locator("#assigned-builder").click()
    expect(page.locator("#quiz-builder")).to_be_visible()
    assert page.url.endswith(f"/teach/quizzes/{quiz.pk}/builder/#quiz-builder")
    expect(page.locator("#builder-items > li")).to_have_count(3)
    first_item = quiz.items.order_by("position").first()
    page.locator(f"#down-{first_item.pk}").click()
    expect(page.locator("#builder-status")).to_contain_text("Question moved to position 2.")
    expect(page.locator(f"#down-{first_item.pk}")).to_be_focused()
    assert quiz.items.order_by("position")[1] == first_item
    teacher.check_accessibility("quiz builder")
    page.locator(f"#up-{first_item.pk}").click()  # back: who said it comes first
    expect(page.locator("#builder-status")).to_contain_text("Question moved to position 1.")
    teacher.screenshot("teacher-quiz-builder")

    # Preview it as a student: the student's page, graded the same, nothing recorded.
    recorded = (Attempt.objects.count(), Response.objects.count())
    page.locator("#preview-quiz").click()
    expect(page.locator("#preview-banner")).to_be_visible()
    first = quiz.items.order_by("position").first().question
    expect(page.locator("#question-prompt")).to_have_text(first.prompt)
    if first.kind == Question.Kind.EVIDENCE:
        select_words_with_mouse(page, SOURCE_WORDS)
    else:
        page.get_by_label(first.choices.get(is_correct=True).text, exact=True).check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator("#feedback")).to_contain_text("Correct")
    teacher.check_accessibility("preview question")
    teacher.screenshot("teacher-preview-question", full_page=False)
    page.locator("#preview-restart").click()
    expect(page.locator("#question-prompt")).to_have_text(first.prompt)
    expect(page.locator("#feedback")).to_have_count(0)
    assert (Attempt.objects.count(), Response.objects.count()) == recorded

    # The admin's Add quiz page starts a quiz with all the article's questions, and saving
    # it opens the builder.
    teacher.goto("/admin/quiz/quiz/add/")
    page.get_by_label("Title").fill("The bridge, again")
    page.get_by_label("Add all questions from this article").select_option(label=article.title)
    teacher.check_accessibility("add quiz")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#quiz-builder")).to_be_visible()
    expect(page.locator(".messagelist")).to_contain_text("3 questions from")
    expect(page.locator("#builder-items > li")).to_have_count(3)

    # A student takes it.
    student_context = browser.new_context()
    student = Journey(student_context.new_page(), live_server)
    log_in(student, "demo-student-1")
    student.goto(assignment.get_absolute_url())
    student.page.get_by_role("button", name="Start").click()
    questions = [item.question for item in quiz.items.order_by("position")]
    for number, question in enumerate(questions, start=1):
        expect(student.page.locator("#question-prompt")).to_have_text(question.prompt)
        if question.kind == Question.Kind.EVIDENCE:
            select_words_with_mouse(student.page, SOURCE_WORDS)
        else:
            right = question.choices.get(is_correct=True).text
            student.page.get_by_label(right, exact=True).check()
        student.page.get_by_role("button", name="Check my answer").click()
        expect(student.page.locator("#feedback")).to_contain_text("Correct")
        if number < len(questions):
            student.page.get_by_role("link", name="Next question").click()
    student.page.get_by_role("button", name="Finish and see my results").click()
    expect(student.page.locator(".big-score")).to_have_text("3 out of 3")
    student.assert_clean()
    student_context.close()
    assert Attempt.objects.get(assignment=assignment).score == 3

    # The teacher sees it: gradebook, item analysis, live progress.
    teacher.goto(f"/teach/classes/{demo_site.pk}/gradebook/")
    row = page.get_by_role("row").filter(has_text="Amara")
    expect(row).to_contain_text("3/3")
    teacher.check_accessibility("gradebook")
    teacher.screenshot("teacher-gradebook")
    teacher.goto(f"/teach/assignments/{assignment.pk}/questions/")
    expect(page.get_by_role("table").first).to_contain_text("1 of 1")
    teacher.check_accessibility("item analysis")
    teacher.screenshot("teacher-item-analysis")
    teacher.goto(f"/teach/assignments/{assignment.pk}/progress/")
    expect(page.get_by_role("row").filter(has_text="Amara")).to_contain_text("3")
    teacher.check_accessibility("live progress")
    teacher.goto(reverse("quiz:regrade", args=[questions[0].pk]))
    expect(page.get_by_text("Nothing to regrade")).to_be_visible()
    teacher.check_accessibility("regrade")
    teacher.assert_clean()
    teacher_context.close()
