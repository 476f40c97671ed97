"""A teacher reviews proposed annotations in the annotation editor: moves between them with J
and K, accepts one with A, completes an imported one in the form and saves it with Enter,
rejects one with R; the dashed highlights and the counts follow, and what was accepted is an
ordinary annotation."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Annotation, AnnotationProposal, Article
from articles.services import ProposalDraft, proposals_add
from tests.browser.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

BODY = (
    "“The bridge will reopen in May,” Mayor Ana Ruiz said on Monday.\n\n"
    "Her deputy, Tom Lee, told reporters the engineers disagreed.\n\n"
    "Critics say the repairs were rushed.\n\n"
    "The bridge closed in 2023."
)
PROPOSER = AnnotationProposal.Origin.PROPOSER
# What the proposer says of a statement a named person makes.
NAMED = {"origin": PROPOSER, "kind": "claim", "sourcing": "named_person", "confidence": 0.92}


def draft(words: str, **fields) -> ProposalDraft:
    start = BODY.index(words)
    return ProposalDraft(start=start, end=start + len(words), **fields)


def article_with_proposals(owner) -> Article:
    article = Article.objects.create(
        title="Bridge to reopen in May", slug="bridge-proposals", body=BODY, owner=owner
    )
    proposals_add(
        article=article,
        drafts=[
            draft("The bridge will reopen in May", **NAMED, cue="said", speaker_name="Ana Ruiz"),
            draft(
                "the engineers disagreed", **{**NAMED, "confidence": 0.7}, speaker_name="Tom Lee"
            ),
            # Another tool's highlight with a comment: nothing more is known of it.
            draft(
                "the repairs were rushed",
                origin=AnnotationProposal.Origin.IMPORT,
                origin_label="hypothes.is, acct:demo",
                explanation="Which critics?",
            ),
            draft("The bridge closed in 2023.", origin=PROPOSER, kind="fact", sourcing="none"),
        ],
    )
    return article


def test_reviewing_proposals_with_the_keyboard_makes_ordinary_annotations(
    browser, live_server, demo_site
):
    article = article_with_proposals(get_user_model().objects.get(username="demo-teacher"))
    first, second, imported, last = article.proposals.order_by("start")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    teacher = Journey(context.new_page(), live_server)
    page = teacher.page
    teacher.log_in("demo-teacher")

    teacher.goto(reverse("admin:articles_article_change", args=[article.pk]))
    proposals = page.locator("#proposals")
    expect(proposals.get_by_role("heading")).to_have_text("Proposed annotations (4)")
    expect(page.locator("#annotate-legend")).to_contain_text("proposed, not an annotation yet")
    expect(page.locator("#annotate-keys-proposals")).to_contain_text(
        "A accept · R reject · J next · K previous"
    )
    expect(page.locator("#annotate-text mark.hl-proposal")).to_have_count(4)
    expect(page.locator("#annotate-text mark.hl.kind-claim")).to_have_count(0)
    expect(proposals).to_contain_text("From hypothes.is, acct:demo")
    teacher.check_accessibility("annotation editor with proposals")

    # J and K move between proposals, and say which one the keys are on.
    page.locator("#annotate-text").focus()
    page.keyboard.press("j")
    expect(page.locator(f"#proposal-p{second.pk}")).to_have_class("proposal-item is-current")
    expect(page.locator("#annotation-selection")).to_contain_text(
        "Proposal 2 of 4: the engineers disagreed"
    )
    expect(page.locator(f'#annotate-text mark[data-annotations~="p{second.pk}"]')).to_have_class(
        "hl hl-proposal is-current"
    )
    page.keyboard.press("k")
    expect(page.locator("#annotation-selection")).to_contain_text("Proposal 1 of 4")

    # A accepts the first as proposed.
    page.keyboard.press("a")
    expect(page.locator("#annotation-status")).to_contain_text("Proposal accepted")
    expect(proposals.get_by_role("heading")).to_have_text("Proposed annotations (3)")
    accepted = Annotation.objects.get(article=article)
    assert (accepted.exact, accepted.kind, accepted.speaker.name, accepted.cue) == (
        "The bridge will reopen in May",
        "claim",
        "Ana Ruiz",
        "said",
    )
    expect(
        page.locator(f'#annotate-text mark.kind-claim[data-annotations="a{accepted.pk}"]')
    ).to_have_count(1)
    expect(page.locator("#annotate-text mark.hl-proposal")).to_have_count(3)
    expect(page.locator(f"#proposal-p{second.pk}")).to_have_class("proposal-item is-current")

    # The imported one has no kind: edit it in the form, then Enter saves and accepts it.
    page.locator(f"#edit-p{imported.pk}").click()
    expect(page.locator("#annotation-form-title")).to_have_text("Review a proposed annotation")
    expect(page.locator("#id_annotation-quote")).to_have_value("the repairs were rushed")
    expect(page.locator("#id_annotation-explanation")).to_have_value("Which critics?")
    page.locator("#annotate-text").focus()
    page.keyboard.press("o")
    page.keyboard.press("4")
    page.keyboard.press("Enter")
    expect(page.locator("#annotation-status")).to_contain_text("Proposal accepted")
    expect(proposals.get_by_role("heading")).to_have_text("Proposed annotations (2)")
    completed = Annotation.objects.get(article=article, exact="the repairs were rushed")
    assert (completed.kind, completed.sourcing, completed.explanation) == (
        "opinion",
        "vague",
        "Which critics?",
    )

    # R rejects the proposal the keys are on; it does not come back.
    expect(page.locator(f"#proposal-p{last.pk}")).to_have_class("proposal-item is-current")
    page.keyboard.press("r")
    expect(page.locator("#annotation-status")).to_contain_text("Proposal rejected")
    expect(proposals.get_by_role("heading")).to_have_text("Proposed annotations (1)")
    expect(page.locator("#annotate-text mark.hl-proposal")).to_have_count(1)
    teacher.check_accessibility("annotation editor after reviewing")

    page.reload()
    expect(proposals.get_by_role("heading")).to_have_text("Proposed annotations (1)")
    expect(page.locator("#annotation-list-title")).to_have_text("2 annotations")
    statuses = dict(article.proposals.values_list("pk", "status"))
    assert statuses == {
        first.pk: "accepted",
        second.pk: "pending",
        imported.pk: "accepted",
        last.pk: "rejected",
    }
    assert {p.annotation for p in article.proposals.filter(status="accepted")} == {
        accepted,
        completed,
    }
    assert all(a.anchor_status == "exact" for a in Annotation.objects.filter(article=article))
    teacher.assert_clean()
    context.close()
