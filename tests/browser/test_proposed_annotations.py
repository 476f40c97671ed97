"""A teacher uploads a real saved news page (the BBC's interview with Barack Obama, from the
Readability corpus) and finds the annotations the app proposes waiting in the editor; by
keyboard she accepts one as proposed, changes the kind of another in the form and accepts it,
and rejects a third. What she accepted is ordinary annotations, made into a quiz assigned to
her class; a student answers it and sees the feedback."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Annotation, AnnotationProposal, Article
from quiz.models import Attempt, Question, Quiz
from tests.articles.test_import import CORPUS, corpus_folder
from tests.browser.conftest import Journey
from tests.browser.test_student_journeys import log_in

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Obama admits US gun laws are his 'biggest frustration'"


@pytest.fixture
def saved_page() -> Path:
    """The saved BBC page; fail when the corpus is missing in CI, skip when it is missing here."""
    return corpus_folder(CORPUS) / "bbc-1" / "source.html"


def proposal_heading(count: int) -> str:
    return f"Proposed annotations ({count})"


def highlight(page, annotation: Annotation):
    """The annotation's highlight in the editor's text: solid, not a proposal's dashed one."""
    return page.locator(
        f'#annotate-text mark.hl:not(.hl-proposal)[data-annotations~="a{annotation.pk}"]'
    ).first


def test_teacher_reviews_proposals_for_a_real_page_and_a_student_answers_the_quiz(
    browser, live_server, demo_site, saved_page
):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    teacher = Journey(context.new_page(), live_server)
    page = teacher.page
    teacher.log_in("demo-teacher")

    # Upload the saved page: the text comes first, then the article's page with the editor.
    teacher.goto(reverse("admin:articles_article_import"))
    page.get_by_label("Saved page or text file").set_input_files(str(saved_page))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(lambda url: "/import/" not in url)
    article = Article.objects.get(title=TITLE)
    pending = list(article.proposals.filter(status="pending").order_by("start", "end", "pk"))
    assert len(pending) >= 3, "the proposer found fewer than three statements in the BBC page"
    assert {p.origin for p in pending} == {AnnotationProposal.Origin.PROPOSER}
    expect(page.locator(".messagelist")).to_contain_text(f"{len(pending)} new proposals to review.")
    page.get_by_role("link", name="Done: back to the article").click()

    proposals = page.locator("#proposals")
    expect(proposals.get_by_role("heading")).to_have_text(proposal_heading(len(pending)))
    expect(page.locator("#annotate-text mark.hl-proposal").first).to_be_visible()
    expect(page.locator("#annotate-keys-proposals")).to_be_visible()
    assert not article.annotations.exists()
    teacher.check_accessibility("annotation editor with the proposals for a real page")

    first, second, third = pending[:3]
    page.locator("#annotate-text").focus()
    expect(page.locator(f"#proposal-p{first.pk}")).to_have_class("proposal-item is-current")

    # A accepts the first as proposed: its speaker, kind and sourcing come with it.
    page.keyboard.press("a")
    expect(page.locator("#annotation-status")).to_contain_text("Proposal accepted")
    expect(proposals.get_by_role("heading")).to_have_text(proposal_heading(len(pending) - 1))
    accepted = Annotation.objects.get(article=article, start=first.start, end=first.end)
    assert (accepted.kind, accepted.sourcing, accepted.speaker.name) == (
        first.kind,
        first.sourcing,
        first.speaker_name,
    )
    expect(highlight(page, accepted)).to_be_visible()
    expect(page.locator(f"#proposal-p{second.pk}")).to_have_class("proposal-item is-current")

    # The second opens in the form from the keyboard; its kind is changed with the kind's key
    # and Enter saves the form, accepting the proposal as edited.
    key, new_kind, new_label = (
        ("o", "opinion", "An opinion")
        if second.kind == "claim"
        else ("c", "claim", "A claim someone makes")
    )
    page.locator(f"#edit-p{second.pk}").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#annotation-form-title")).to_have_text("Review a proposed annotation")
    expect(page.locator("#id_annotation-quote")).to_have_value(second.exact)
    # Focus moves to the form's title, so the keys act on the form, not on the link again.
    expect(page.locator("#annotation-form-title")).to_be_focused()
    page.keyboard.press(key)
    expect(
        page.locator(f'#annotation-form input[name="annotation-kind"][value="{new_kind}"]')
    ).to_be_checked()
    page.keyboard.press("Enter")
    expect(page.locator("#annotation-status")).to_contain_text("Proposal accepted")
    expect(proposals.get_by_role("heading")).to_have_text(proposal_heading(len(pending) - 2))
    edited = Annotation.objects.get(article=article, start=second.start, end=second.end)
    assert (edited.kind, edited.speaker.name) == (new_kind, second.speaker_name)
    expect(highlight(page, edited)).to_be_visible()

    # R rejects the third, the one the keys are on now; its dashed highlight goes.
    expect(page.locator(f"#proposal-p{third.pk}")).to_have_class("proposal-item is-current")
    page.keyboard.press("r")
    expect(page.locator("#annotation-status")).to_contain_text("Proposal rejected")
    expect(proposals.get_by_role("heading")).to_have_text(proposal_heading(len(pending) - 3))
    expect(page.locator(f'#annotate-text mark[data-annotations~="p{third.pk}"]')).to_have_count(0)
    expect(page.locator(f"#proposal-p{third.pk}")).to_have_count(0)
    teacher.check_accessibility("annotation editor after reviewing three proposals")

    # After a reload: two annotations, the rejected proposal not offered again.
    page.reload()
    expect(page.locator("#annotation-list-title")).to_have_text("2 annotations")
    expect(highlight(page, accepted)).to_be_visible()
    expect(highlight(page, edited)).to_be_visible()
    expect(proposals.get_by_role("heading")).to_have_text(proposal_heading(len(pending) - 3))
    expect(page.locator(f"#proposal-p{third.pk}")).to_have_count(0)
    statuses = dict(
        article.proposals.filter(pk__in=[first.pk, second.pk, third.pk]).values_list("pk", "status")
    )
    assert statuses == {first.pk: "accepted", second.pk: "accepted", third.pk: "rejected"}
    assert set(article.annotations.all()) == {accepted, edited}
    assert not article.annotations.filter(start=third.start, end=third.end).exists()

    # Asking the proposer again brings neither the rejected nor the accepted back.
    page.locator("#propose-annotations").click()
    expect(page.locator(".messagelist")).to_contain_text("No new proposals")
    expect(proposals.get_by_role("heading")).to_have_text(proposal_heading(len(pending) - 3))
    expect(page.locator(f"#proposal-p{third.pk}")).to_have_count(0)
    assert article.proposals.count() == len(pending)

    # Make a quiz of the two annotations and assign it to the class, in one form.
    page.locator("#make-quiz").click()
    expect(page.get_by_role("heading", name=f"Make a quiz from “{article.title}”")).to_be_visible()
    page.get_by_label("Quiz title").fill("Obama on guns")
    page.get_by_label("Class:", exact=True).select_option(label=demo_site.name)
    page.get_by_label("Show the answers").select_option("after_each")
    page.get_by_role("button", name="Make the quiz and assign it").click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"“Obama on guns” is made and assigned to {demo_site.name}."
    )
    quiz = Quiz.objects.get(title="Obama on guns")
    assignment = demo_site.assignments.get(quiz=quiz)
    questions = [item.question for item in quiz.items.order_by("position")]
    assert {q.annotation_id for q in questions} == {accepted.pk, edited.pk}
    # The kind the teacher chose is the one the student is asked to find.
    classification = next(
        q
        for q in questions
        if q.annotation_id == edited.pk and q.kind == Question.Kind.CLASSIFICATION
    )
    assert classification.choices.get(is_correct=True).text == new_label
    teacher.assert_clean()
    context.close()

    # A student answers every question, picking the right answer, and sees the feedback.
    student_context = browser.new_context(viewport={"width": 1280, "height": 900})
    student = Journey(student_context.new_page(), live_server)
    log_in(student, "demo-student-1")
    student.goto(assignment.get_absolute_url())
    student.page.get_by_role("button", name="Start").click()
    answer = student.page
    for number, question in enumerate(questions, start=1):
        expect(answer.locator("#question-prompt")).to_have_text(question.prompt)
        if question.kind == Question.Kind.EVIDENCE:
            answer.locator(".phrase-toggle").click()
        answer.get_by_label(question.choices.get(is_correct=True).text, exact=True).check()
        answer.get_by_role("button", name="Check my answer").click()
        expect(answer.locator("#feedback")).to_contain_text("Correct")
        if number < len(questions):
            answer.get_by_role("link", name="Next question").click()
    student.check_accessibility("feedback on the last question")
    answer.get_by_role("button", name="Finish and see my results").click()
    expect(answer.locator(".big-score")).to_have_text(f"{len(questions)} out of {len(questions)}")
    assert Attempt.objects.get(assignment=assignment).score == len(questions)
    student.assert_clean()
    student_context.close()
