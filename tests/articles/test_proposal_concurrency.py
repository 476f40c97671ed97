"""Teachers' clicks on the same proposals at the same time, on PostgreSQL with real threads."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from articles.models import Annotation, AnnotationProposal, Source
from articles.services import proposal_accept, proposal_reject, proposals_accept_confident
from tests.factories import AnnotationProposalFactory, ArticleFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*calls) -> list[str]:
    """Run the calls in threads released at once; return what each did, sorted."""
    barrier = threading.Barrier(len(calls))

    def run(call) -> str:
        barrier.wait()
        try:
            call()
            return "done"
        except ValidationError as error:
            return " ".join(error.messages)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return sorted(pool.map(run, calls))


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")


def test_four_clicks_on_accept_at_once_make_one_annotation():
    proposal = AnnotationProposalFactory()
    teacher = proposal.article.owner

    def accept():
        # Each click loads the proposal afresh, as each request does.
        proposal_accept(proposal=AnnotationProposal.objects.get(pk=proposal.pk), author=teacher)

    outcomes = run_together(*[accept] * 4)

    assert outcomes == ["This proposal was already accepted."] * 3 + ["done"]
    assert Annotation.objects.count() == 1 and Source.objects.count() == 1
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.annotation == Annotation.objects.get()


def test_accept_and_reject_at_once_leave_one_decision():
    proposal = AnnotationProposalFactory()
    teacher = proposal.article.owner

    outcomes = run_together(
        lambda: proposal_accept(
            proposal=AnnotationProposal.objects.get(pk=proposal.pk), author=teacher
        ),
        lambda: proposal_reject(proposal=AnnotationProposal.objects.get(pk=proposal.pk)),
    )

    proposal.refresh_from_db()
    assert "done" in outcomes and len(outcomes) == 2
    assert Annotation.objects.count() == (1 if proposal.status == "accepted" else 0)


def test_two_proposals_naming_the_same_new_speaker_add_it_once():
    article = ArticleFactory()
    first = AnnotationProposalFactory(article=article)
    second = AnnotationProposalFactory(article=article, quote="The bridge closed in 2023.")

    outcomes = run_together(
        *[
            lambda pk=proposal.pk: proposal_accept(
                proposal=AnnotationProposal.objects.get(pk=pk), author=article.owner
            )
            for proposal in (first, second)
        ]
    )

    assert outcomes == ["done", "done"]
    assert list(article.sources.values_list("name", flat=True)) == ["The mayor"]
    assert Annotation.objects.filter(speaker__name="The mayor").count() == 2


def test_accept_all_beside_single_clicks_accepts_each_proposal_once():
    article = ArticleFactory()
    quotes = ["the bridge would reopen in May", "Critics argue", "The bridge closed in 2023."]
    proposals = [AnnotationProposalFactory(article=article, quote=quote) for quote in quotes]

    def accept_all():
        proposals_accept_confident(article=article, threshold=0.5, author=article.owner)

    def accept_last():
        proposal_accept(
            proposal=AnnotationProposal.objects.get(pk=proposals[-1].pk), author=article.owner
        )

    run_together(accept_all, accept_all, accept_last)

    assert Annotation.objects.count() == 3
    assert set(article.proposals.values_list("status", flat=True)) == {"accepted"}
    assert article.sources.count() == 1
