"""The teacher reviews proposed annotations in the annotation editor: a list with Accept, Edit
and Reject that works as plain forms, the same forms swapped in place by htmx, and dashed
highlights in the text (the keys and the browser side are in
tests/browser/test_proposal_review.py)."""

import pytest
from django.urls import reverse

from articles.models import Annotation, AnnotationProposal
from tests.factories import AnnotationFactory, AnnotationProposalFactory, ArticleFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
STATEMENT = "the bridge would reopen in May"
CRITICS = "Critics argue the repairs were rushed"
CLOSED = "The bridge closed in 2023."


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def proposal_url(proposal, action: str = "") -> str:
    name = (
        f"admin:articles_article_proposal_{action}" if action else "admin:articles_article_proposal"
    )
    return reverse(name, args=[proposal.article_id, proposal.pk])


def accept_confident_url(article) -> str:
    return reverse("admin:articles_article_proposals_accept", args=[article.pk])


def form_post(proposal, **fields) -> dict:
    """The panel's form as the browser posts it, filled in from the proposal."""
    data = {
        "start": str(proposal.start),
        "end": str(proposal.end),
        "quote": proposal.exact,
        "kind": proposal.kind,
        "speaker": "",
        "new_source_name": proposal.speaker_name,
        "new_source_description": "",
        "new_source_kind": proposal.speaker_kind or "person",
        "cue": proposal.cue,
        "sourcing": proposal.sourcing,
        "source_start": "",
        "source_end": "",
        "source_words": "",
        "explanation": proposal.explanation,
    }
    data.update(fields)
    return {f"annotation-{name}": value for name, value in data.items()}


def button(html: str, button_id: str) -> str:
    """What the button with this id says, and what follows."""
    return html.split(f'id="{button_id}"', 1)[1].split(">", 1)[1]


def proposals_section(html: str) -> str:
    return html[html.index('<section id="proposals"') :].split("</section>", 1)[0]


@pytest.fixture
def article(teacher):
    return ArticleFactory(owner=teacher)


def test_the_editor_lists_proposals_and_draws_them_dashed_apart_from_annotations(
    client, teacher, article
):
    annotation = AnnotationFactory(article=article, quote=CLOSED)
    proposal = AnnotationProposalFactory(article=article, confidence=0.87, cue="said")
    imported = AnnotationProposalFactory(
        article=article,
        quote=CRITICS,
        kind="",
        sourcing="",
        speaker_name="",
        origin=AnnotationProposal.Origin.IMPORT,
        origin_label="hypothes.is, acct:alice",
        confidence=None,
        explanation="Who are the critics?",
    )
    client.force_login(teacher)

    html = client.get(change_url(article)).content.decode()

    listed = proposals_section(html)
    assert "Proposed annotations (2)" in listed
    assert f"<q>{STATEMENT}</q>" in listed and "Proposed by Sourcewise" in listed
    assert "Claim · The mayor (person) · “said” · Named person · confidence 87%" in listed
    assert "From hypothes.is, acct:alice" in listed
    assert "kind not given" in listed and "sourcing not given" in listed
    assert "Draft explanation: Who are the critics?" in listed
    # One click accepts a complete proposal; an incomplete one is completed first.
    assert button(listed, f"accept-p{proposal.pk}").startswith("Accept<")
    assert button(listed, f"accept-p{imported.pk}").startswith("Complete and accept<")
    # The keys act on the first: its buttons say so.
    assert 'aria-keyshortcuts="A"' in listed.split(f'id="accept-p{proposal.pk}"', 1)[1][:60]
    assert f'id="edit-p{imported.pk}"' in listed and f'id="reject-p{imported.pk}"' in listed
    assert 'id="proposals-accept-form"' in listed
    # In the text: dashed proposals, a kind's colour for the annotation, and a legend naming both.
    assert f'class="hl hl-proposal is-current" data-annotations="p{proposal.pk}"' in html
    assert f'class="hl hl-proposal" data-annotations="p{imported.pk}"' in html
    assert f'class="hl kind-claim" data-annotations="a{annotation.pk}"' in html
    assert "proposed, not an annotation yet (dashed outline)" in html
    assert "<kbd>A</kbd> accept · <kbd>R</kbd> reject" in html


def test_without_proposals_there_is_no_list_and_no_keys_for_them(client, teacher, article):
    AnnotationProposalFactory(article=article, status=AnnotationProposal.Status.REJECTED)
    client.force_login(teacher)

    html = client.get(change_url(article)).content.decode()

    assert 'id="proposals"' not in html and "hl-proposal is-current" not in html
    assert "<kbd>A</kbd> accept" not in html


def test_without_javascript_accept_posts_and_returns_to_the_list(client, teacher, article):
    proposal = AnnotationProposalFactory(article=article)
    client.force_login(teacher)

    response = client.post(proposal_url(proposal, "accept"))
    page = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == change_url(article) + "#proposals"
    annotation = Annotation.objects.get()
    assert (annotation.exact, annotation.kind, annotation.author) == (STATEMENT, "claim", teacher)
    html = page.content.decode()
    assert f"Proposal accepted: “{STATEMENT}” is an annotation now." in html
    assert 'id="proposals"' not in html
    assert f'data-annotations="a{annotation.pk}">{STATEMENT}</mark>' in html


def test_with_htmx_accept_swaps_the_panel_with_the_next_proposal_ready(client, teacher, article):
    first = AnnotationProposalFactory(article=article)
    second = AnnotationProposalFactory(article=article, quote=CRITICS)
    client.force_login(teacher)

    response = client.post(proposal_url(first, "accept"), headers=HTMX)

    html = response.content.decode()
    annotation = Annotation.objects.get()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="annotation-panel"') and "<html" not in html
    assert "Proposed annotations (1)" in html and f'id="accept-p{first.pk}"' not in html
    assert f'id="proposal-p{second.pk}" class="proposal-item is-current"' in html
    assert f'class="hl kind-claim" data-annotations="a{annotation.pk}"' in html
    # Focus stays where the teacher was; the message is announced.
    status = html.split('id="annotation-status"', 1)[1].split(">", 1)[0]
    assert "autofocus" not in status and "Proposal accepted" in html


def test_accepting_an_incomplete_proposal_opens_the_form_filled_in_from_it(
    client, teacher, article
):
    proposal = AnnotationProposalFactory(
        article=article, kind="", sourcing="", speaker_name="The mayor", cue="said"
    )
    client.force_login(teacher)

    swapped = client.post(proposal_url(proposal, "accept"), headers=HTMX)
    plain = client.post(proposal_url(proposal, "accept"))

    html = swapped.content.decode()
    assert swapped.status_code == 200 and not Annotation.objects.exists()
    assert "Review a proposed annotation" in html and "Save and accept" in html
    assert f'action="{proposal_url(proposal)}"' in html
    assert f'name="annotation-start" value="{proposal.start}"' in html
    assert f">\n{STATEMENT}</textarea>" in html
    assert 'name="annotation-new_source_name" value="The mayor"' in html
    assert "Complete the kind and the sourcing, then save to accept" in html
    assert plain.status_code == 302
    assert plain["Location"] == proposal_url(proposal) + "#annotation-form"
    page = client.get(plain["Location"]).content.decode()
    assert "<html" in page and "Review a proposed annotation" in page


def test_saving_the_form_of_a_proposal_accepts_it_as_the_teacher_changed_it(
    client, teacher, article
):
    proposal = AnnotationProposalFactory(article=article, kind="", sourcing="")
    client.force_login(teacher)

    response = client.post(
        proposal_url(proposal),
        form_post(proposal, kind="opinion", sourcing="vague", explanation="Only a hope."),
    )

    assert response.status_code == 302
    annotation = Annotation.objects.get()
    assert (annotation.kind, annotation.sourcing, annotation.explanation) == (
        "opinion",
        "vague",
        "Only a hope.",
    )
    assert annotation.speaker.name == "The mayor"
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.annotation == annotation


def test_a_form_left_incomplete_accepts_nothing_and_keeps_the_proposal_open(
    client, teacher, article
):
    proposal = AnnotationProposalFactory(article=article, kind="", sourcing="")
    client.force_login(teacher)

    response = client.post(proposal_url(proposal), form_post(proposal), headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Review a proposed annotation" in html and f'action="{proposal_url(proposal)}"' in html
    assert not Annotation.objects.exists()
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_reject_keeps_the_proposal_out_of_the_list_for_good(client, teacher, article):
    proposal = AnnotationProposalFactory(article=article)
    client.force_login(teacher)

    swapped = client.post(proposal_url(proposal, "reject"), headers=HTMX)
    again = client.post(proposal_url(proposal, "reject"))

    assert swapped.status_code == 200
    assert f"Proposal rejected: “{STATEMENT}”" in swapped.content.decode()
    assert 'id="proposals"' not in swapped.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "rejected" and not Annotation.objects.exists()
    # A second click (a page left open) is told what happened, without an error page.
    assert again.status_code == 302
    assert "already rejected" in client.get(again["Location"]).content.decode()


def test_accepting_words_the_teacher_annotated_keeps_their_annotation(client, teacher, article):
    mine = AnnotationFactory(article=article, kind="opinion")
    proposal = AnnotationProposalFactory(article=article, kind="claim")
    client.force_login(teacher)

    response = client.post(proposal_url(proposal, "accept"), headers=HTMX)

    assert "Already annotated: your annotation of" in response.content.decode()
    mine.refresh_from_db()
    assert mine.kind == "opinion" and Annotation.objects.count() == 1


def test_accept_all_above_a_confidence_takes_the_complete_confident_ones(client, teacher, article):
    sure = AnnotationProposalFactory(article=article, confidence=0.95)
    AnnotationProposalFactory(article=article, quote=CRITICS, confidence=0.6)
    AnnotationProposalFactory(article=article, quote=CLOSED, kind="", confidence=0.99)
    client.force_login(teacher)

    refused = client.post(accept_confident_url(article), {"proposals-threshold": "120"})
    assert refused.status_code == 400 and not Annotation.objects.exists()
    response = client.post(
        accept_confident_url(article), {"proposals-threshold": "90"}, headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200 and "1 proposal accepted." in html
    assert "Proposed annotations (2)" in html
    assert Annotation.objects.get().exact == sure.exact


def test_another_teacher_can_neither_see_nor_review_the_proposals(
    client, teacher, other_teacher, article
):
    proposal = AnnotationProposalFactory(article=article)
    client.force_login(other_teacher)

    responses = [
        client.get(proposal_url(proposal), headers=HTMX),
        client.post(proposal_url(proposal), form_post(proposal)),
        client.post(proposal_url(proposal, "accept"), headers=HTMX),
        client.post(proposal_url(proposal, "reject")),
        client.post(accept_confident_url(article), {"proposals-threshold": "0"}),
    ]

    assert [r.status_code for r in responses] == [404] * len(responses)
    proposal.refresh_from_db()
    assert proposal.status == "pending" and not Annotation.objects.exists()


def test_a_proposal_of_another_article_is_not_found_through_mine(client, teacher, article):
    theirs = AnnotationProposalFactory()
    client.force_login(teacher)

    response = client.post(
        reverse("admin:articles_article_proposal_accept", args=[article.pk, theirs.pk])
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "pending"


def test_anonymous_visitors_are_sent_to_the_login(client, article):
    proposal = AnnotationProposalFactory(article=article)

    response = client.post(proposal_url(proposal, "accept"))

    assert response.status_code == 302 and "login" in response["Location"]
    assert not Annotation.objects.exists()


def test_a_get_on_accept_goes_back_to_the_panel_and_changes_nothing(client, teacher, article):
    proposal = AnnotationProposalFactory(article=article)
    client.force_login(teacher)

    response = client.get(proposal_url(proposal, "accept"))

    assert response.status_code == 302 and not Annotation.objects.exists()


QUOTES = [STATEMENT, CRITICS, CLOSED, "The mayor", "the repairs", "a report"]


@pytest.mark.parametrize("count", [2, 20])
def test_the_editor_uses_the_same_queries_for_2_and_20_proposals(
    client, teacher, article, django_assert_num_queries, count
):
    for index in range(count):
        AnnotationProposalFactory(
            article=article, quote=QUOTES[index % len(QUOTES)], confidence=index / count
        )
        AnnotationFactory(article=article, quote=QUOTES[index % len(QUOTES)])
    first = article.proposals.first()
    client.force_login(teacher)

    # Session, user, the article, the user's and group's permissions, the annotations with
    # their speakers, the proposals waiting for review, the speaker choices.
    with django_assert_num_queries(8):
        panel = client.get(
            reverse("admin:articles_article_annotations", args=[article.pk]), headers=HTMX
        )
    # Rejecting one: the same, and the proposal, its locked row and its update in a savepoint.
    with django_assert_num_queries(13):
        rejected = client.post(proposal_url(first, "reject"), headers=HTMX)

    assert panel.content.decode().count('class="proposal-item') == count
    assert rejected.content.decode().count('class="proposal-item') == count - 1


def test_the_article_list_counts_the_proposals_waiting_for_review(client, teacher, article):
    AnnotationFactory(article=article)
    AnnotationFactory(article=article, quote=CLOSED)
    for quote in (STATEMENT, CRITICS, CLOSED):
        AnnotationProposalFactory(article=article, quote=quote)
    AnnotationProposalFactory(article=article, quote="a report", status="rejected")
    client.force_login(teacher)

    html = client.get(reverse("admin:articles_article_changelist")).content.decode()

    row = html.split(f"{article.title}</a>", 1)[1].split("</tr>", 1)[0]
    assert '<td class="field-annotation_count">2</td>' in row
    assert '<td class="field-proposal_count">3</td>' in row
