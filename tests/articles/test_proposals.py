import pytest
from django.core.exceptions import ValidationError

from articles.models import AnnotationProposal
from articles.services import ProposalDraft, proposals_add
from tests.factories import AnnotationFactory, ArticleFactory

pytestmark = pytest.mark.django_db

IMPORT = AnnotationProposal.Origin.IMPORT
PROPOSER = AnnotationProposal.Origin.PROPOSER


def span_of(article, words):
    start = article.body.index(words)
    return start, start + len(words)


def test_a_proposal_keeps_its_quote_and_the_fields_it_came_with():
    article = ArticleFactory()
    start, end = span_of(article, article.body.split(".")[0])
    created = proposals_add(
        article=article,
        drafts=[
            ProposalDraft(
                start=start,
                end=end,
                origin=IMPORT,
                explanation="Who says so?",
                origin_label="hypothes.is, acct:alice",
                external_id="https://hypothes.is/a/abc",
            )
        ],
    )
    assert created == 1
    proposal = article.proposals.get()
    assert proposal.exact == article.body[start:end]
    assert proposal.status == AnnotationProposal.Status.PENDING
    assert (proposal.explanation, proposal.origin_label) == (
        "Who says so?",
        "hypothes.is, acct:alice",
    )


def test_the_same_proposal_never_comes_back_once_seen_even_when_rejected():
    article = ArticleFactory()
    start, end = span_of(article, article.body.split(".")[0])
    imported = ProposalDraft(start=start, end=end, origin=IMPORT, external_id="urn:x:1")
    proposed = ProposalDraft(start=start, end=end, origin=PROPOSER, confidence=0.9)
    assert proposals_add(article=article, drafts=[imported, proposed]) == 2
    article.proposals.update(status=AnnotationProposal.Status.REJECTED)

    moved = ProposalDraft(start=start, end=end - 1, origin=IMPORT, external_id="urn:x:1")
    assert proposals_add(article=article, drafts=[imported, proposed, moved]) == 0
    assert article.proposals.count() == 2


def test_a_span_the_teacher_has_annotated_is_not_proposed():
    annotation = AnnotationFactory()
    draft = ProposalDraft(start=annotation.start, end=annotation.end, origin=PROPOSER)
    assert proposals_add(article=annotation.article, drafts=[draft]) == 0


def test_a_draft_outside_the_article_is_refused_and_nothing_is_saved():
    article = ArticleFactory()
    start, end = span_of(article, article.body.split(".")[0])
    good = ProposalDraft(start=start, end=end, origin=PROPOSER)
    outside = ProposalDraft(start=5, end=len(article.body) + 3, origin=PROPOSER)
    with pytest.raises(ValidationError, match="outside the article"):
        proposals_add(article=article, drafts=[good, outside])
    assert not article.proposals.exists()
