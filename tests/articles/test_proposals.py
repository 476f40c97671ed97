import pytest
from django.core.exceptions import ValidationError

from articles import attribution
from articles.demo_content import demo_articles_ensure
from articles.demo_content.proposals import (
    DEMO_DRAFT_OF,
    DEMO_PROPOSALS,
    DEMO_PROPOSALS_ARTICLE,
    demo_draft_ensure,
    demo_proposals_ensure,
)
from articles.models import Annotation, AnnotationProposal, Article
from articles.services import (
    AnnotationDraft,
    ProposalDraft,
    SourceDraft,
    article_body_update,
    article_paragraph_drop,
    proposal_accept,
    proposal_reject,
    proposals_accept_confident,
    proposals_add,
)
from tests.factories import (
    AnnotationFactory,
    AnnotationProposalFactory,
    ArticleFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

IMPORT = AnnotationProposal.Origin.IMPORT
PROPOSER = AnnotationProposal.Origin.PROPOSER
PENDING = AnnotationProposal.Status.PENDING
ACCEPTED = AnnotationProposal.Status.ACCEPTED
REJECTED = AnnotationProposal.Status.REJECTED


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


def test_two_readers_comments_on_the_same_words_are_two_proposals():
    article = ArticleFactory()
    start, end = span_of(article, article.body.split(".")[0])
    alice = ProposalDraft(
        start=start, end=end, origin=IMPORT, external_id="h:alice", explanation="Who says?"
    )
    bob = ProposalDraft(
        start=start, end=end, origin=IMPORT, external_id="h:bob", explanation="Checkable?"
    )
    assert proposals_add(article=article, drafts=[alice, bob]) == 2
    assert sorted(article.proposals.values_list("explanation", flat=True)) == [
        "Checkable?",
        "Who says?",
    ]
    assert proposals_add(article=article, drafts=[alice, bob]) == 0


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


# Reviewing: accept, edit then accept, reject, accept the confident ones


def test_accepting_a_complete_proposal_makes_an_ordinary_annotation_with_a_new_speaker(teacher):
    proposal = AnnotationProposalFactory(
        article=ArticleFactory(owner=teacher), source_start=0, source_end=len("The mayor")
    )

    accepted = proposal_accept(proposal=proposal, author=teacher)

    annotation = accepted.annotation
    assert accepted.created
    assert (annotation.exact, annotation.kind, annotation.sourcing, annotation.cue) == (
        "the bridge would reopen in May",
        "claim",
        "named_person",
        "said",
    )
    assert annotation.anchor_status == Annotation.Anchor.EXACT and annotation.author == teacher
    assert (annotation.speaker.name, annotation.speaker.kind) == ("The mayor", "person")
    assert annotation.source_exact == "The mayor"
    assert annotation.explanation == proposal.explanation
    proposal.refresh_from_db()
    assert proposal.status == ACCEPTED and proposal.annotation == annotation


def test_the_speaker_is_the_articles_source_of_that_name_whatever_its_case(teacher):
    article = ArticleFactory(owner=teacher)
    mayor = SourceFactory(article=article, name="the Mayor")
    proposal = AnnotationProposalFactory(article=article, speaker_name="The mayor")

    annotation = proposal_accept(proposal=proposal, author=teacher).annotation

    assert annotation.speaker == mayor and article.sources.count() == 1


def test_a_proposal_with_no_speaker_is_the_outlets_own_voice(teacher):
    proposal = AnnotationProposalFactory(
        quote="The bridge closed in 2023.", kind="fact", sourcing="none", speaker_name=""
    )

    annotation = proposal_accept(proposal=proposal, author=teacher).annotation

    assert annotation.speaker is None and annotation.kind == "fact"


def test_a_proposal_without_a_kind_or_sourcing_is_not_accepted_as_it_is(teacher):
    proposal = AnnotationProposalFactory(kind="", sourcing="", origin=IMPORT, confidence=None)

    with pytest.raises(ValidationError, match="needs a kind and a sourcing"):
        proposal_accept(proposal=proposal, author=teacher)

    proposal.refresh_from_db()
    assert proposal.status == PENDING and not Annotation.objects.exists()


def test_the_teacher_completes_an_imported_proposal_in_the_form_and_saving_accepts_it(teacher):
    proposal = AnnotationProposalFactory(kind="", sourcing="", origin=IMPORT, speaker_name="")
    draft = AnnotationDraft(
        start=proposal.start, end=proposal.end, kind="opinion", sourcing="vague", cue="hopes"
    )

    accepted = proposal_accept(
        proposal=proposal,
        author=teacher,
        draft=draft,
        new_source=SourceDraft(name="City hall", kind="organisation"),
    )

    annotation = accepted.annotation
    assert (annotation.kind, annotation.sourcing, annotation.cue) == ("opinion", "vague", "hopes")
    assert annotation.speaker.name == "City hall" and annotation.speaker.kind == "organisation"
    proposal.refresh_from_db()
    assert proposal.status == ACCEPTED and proposal.annotation == annotation


def test_a_rejected_proposal_is_kept_and_never_offered_again(teacher):
    proposal = AnnotationProposalFactory()
    article = proposal.article

    proposal_reject(proposal=proposal)
    again = ProposalDraft(start=proposal.start, end=proposal.end, origin=PROPOSER, kind="claim")

    assert proposals_add(article=article, drafts=[again]) == 0
    proposal.refresh_from_db()
    assert proposal.status == REJECTED and article.proposals.count() == 1
    with pytest.raises(ValidationError, match="already rejected"):
        proposal_accept(proposal=proposal, author=teacher)
    assert not Annotation.objects.exists()


def test_a_proposal_is_accepted_once(teacher):
    proposal = AnnotationProposalFactory()
    stale = AnnotationProposal.objects.get(pk=proposal.pk)
    proposal_accept(proposal=proposal, author=teacher)

    with pytest.raises(ValidationError, match="already accepted"):
        proposal_accept(proposal=stale, author=teacher)
    with pytest.raises(ValidationError, match="already accepted"):
        proposal_reject(proposal=stale)
    assert Annotation.objects.count() == 1


def test_the_teachers_own_annotation_of_the_same_words_is_kept_and_linked(teacher):
    mine = AnnotationFactory(kind="opinion", sourcing="vague", explanation="Mine.")
    proposal = AnnotationProposalFactory(article=mine.article, kind="claim")

    accepted = proposal_accept(proposal=proposal, author=teacher)

    assert not accepted.created and accepted.annotation == mine
    mine.refresh_from_db()
    assert (mine.kind, mine.sourcing, mine.explanation) == ("opinion", "vague", "Mine.")
    assert Annotation.objects.count() == 1
    proposal.refresh_from_db()
    assert proposal.status == ACCEPTED and proposal.annotation == mine


def test_a_proposal_follows_its_words_when_the_text_moved_them(teacher):
    proposal = AnnotationProposalFactory(source_start=0, source_end=len("The mayor"))
    article = proposal.article
    article_body_update(article=article, body="Breaking news.\n\n" + article.body)
    proposal.refresh_from_db()

    annotation = proposal_accept(proposal=proposal, author=teacher).annotation

    assert article.body[proposal.start : proposal.end] == "the bridge would reopen in May"
    assert (annotation.start, annotation.end) == (proposal.start, proposal.end)
    # The edit moved the proposal, its source words with it.
    assert article.body[annotation.source_start : annotation.source_end] == "The mayor"


def test_a_proposal_whose_words_moved_outside_an_edit_loses_only_its_source_words(teacher):
    proposal = AnnotationProposalFactory(source_start=0, source_end=len("The mayor"))
    article = proposal.article
    # Saved behind the services' back: the proposal was not moved with the text.
    Article.objects.filter(pk=article.pk).update(body="Breaking news.\n\n" + article.body)
    article.refresh_from_db()
    proposal.refresh_from_db()

    annotation = proposal_accept(proposal=proposal, author=teacher).annotation

    assert article.body[annotation.start : annotation.end] == "the bridge would reopen in May"
    assert annotation.start == proposal.start + len("Breaking news.\n\n")
    assert annotation.source_start is None  # offsets alone cannot follow the source words


def test_dropping_page_furniture_after_an_import_moves_the_proposals_below_it(teacher):
    article = ArticleFactory(
        owner=teacher,
        body="Share this story on Facebook\n\nThe mayor said the bridge would reopen in May.",
    )
    proposal = AnnotationProposalFactory(
        article=article, quote="the bridge would reopen in May", source_start=30, source_end=39
    )

    article_paragraph_drop(article=article, start=0, text="Share this story on Facebook")
    proposal.refresh_from_db()

    assert article.body[proposal.start : proposal.end] == "the bridge would reopen in May"
    assert article.body[proposal.source_start : proposal.source_end] == "The mayor"


def test_a_proposal_whose_words_are_gone_is_refused_with_a_message(teacher):
    proposal = AnnotationProposalFactory()
    article_body_update(article=proposal.article, body="A different text altogether.")
    proposal.refresh_from_db()

    with pytest.raises(ValidationError, match="no longer there"):
        proposal_accept(proposal=proposal, author=teacher)
    assert not Annotation.objects.exists()


def test_accepting_the_confident_ones_takes_only_complete_proposals_at_the_threshold(teacher):
    article = ArticleFactory(owner=teacher)
    sure = AnnotationProposalFactory(article=article, confidence=0.95)
    edge = AnnotationProposalFactory(
        article=article, quote="Critics argue the repairs were rushed", confidence=0.8
    )
    unsure = AnnotationProposalFactory(
        article=article, quote="The bridge closed in 2023.", confidence=0.5
    )
    incomplete = AnnotationProposalFactory(
        article=article, quote="according to a report", kind="", confidence=0.99
    )
    imported = AnnotationProposalFactory(
        article=article, quote="the repairs", origin=IMPORT, confidence=None
    )

    accepted = proposals_accept_confident(article=article, threshold=0.8, author=teacher)

    assert [a.annotation.exact for a in accepted] == [sure.exact, edge.exact]
    statuses = dict(article.proposals.values_list("pk", "status"))
    assert statuses == {
        sure.pk: ACCEPTED,
        edge.pk: ACCEPTED,
        unsure.pk: PENDING,
        incomplete.pk: PENDING,
        imported.pk: PENDING,
    }
    # Both name the mayor: one source for the two.
    assert article.sources.get().name == "The mayor"


def test_accepting_the_confident_ones_is_all_or_nothing(teacher):
    article = ArticleFactory(owner=teacher)
    AnnotationProposalFactory(article=article, confidence=0.9)
    lost = AnnotationProposalFactory(
        article=article, quote="The bridge closed in 2023.", confidence=0.9
    )
    AnnotationProposal.objects.filter(pk=lost.pk).update(exact="The bridge closed in 1923.")

    with pytest.raises(ValidationError, match="no longer there"):
        proposals_accept_confident(article=article, threshold=0.5, author=teacher)

    assert not Annotation.objects.exists() and not article.sources.exists()
    assert set(article.proposals.values_list("status", flat=True)) == {PENDING}


def test_a_confidence_threshold_outside_0_to_1_is_refused(teacher):
    with pytest.raises(ValidationError, match="from 0 to 1"):
        proposals_accept_confident(article=ArticleFactory(), threshold=80, author=teacher)


# The demo


def test_the_demo_offers_proposals_on_statements_its_bridge_article_leaves_out(teacher):
    articles = demo_articles_ensure(owner=teacher)
    article = next(a for a in articles if a.slug == DEMO_PROPOSALS_ARTICLE)

    assert demo_proposals_ensure(articles=articles) == len(DEMO_PROPOSALS)
    assert demo_proposals_ensure(articles=articles) == 0

    annotated = set(article.annotations.values_list("start", "end"))
    proposals = list(article.proposals.all())
    assert not annotated & {(p.start, p.end) for p in proposals}
    assert {p.origin for p in proposals} == {IMPORT, PROPOSER}
    # The proposer's complete ones become annotations of the article's own sources.
    sources = article.sources.count()
    accepted = proposals_accept_confident(article=article, threshold=0.7, author=teacher)
    assert [a.annotation.speaker.name for a in accepted] == ["The safety survey", "Gareth Hughes"]
    assert article.sources.count() == sources


def test_the_demo_draft_is_an_unannotated_copy_with_proposals_made_once(teacher, monkeypatch):
    articles = demo_articles_ensure(owner=teacher)
    original = next(a for a in articles if a.slug == DEMO_DRAFT_OF)

    draft = demo_draft_ensure(articles=articles, owner=teacher)

    assert (draft.owner, draft.status, draft.body) == (teacher, "draft", original.body)
    assert draft.title.startswith("Draft to annotate: ") and not draft.annotations.exists()
    pending = draft.proposals.filter(origin=PROPOSER, status=PENDING)
    assert pending.exists()
    proposal_reject(proposal=pending.first())

    # Run again, it leaves the draft as the teacher has it, without reading the text again.
    def attributions_find(text):
        raise AssertionError("the demo proposed on its draft twice")

    for name in ("attributions_find", "statements_find"):
        monkeypatch.setattr(attribution, name, attributions_find)
    assert demo_draft_ensure(articles=articles, owner=teacher) == draft
    assert draft.proposals.filter(status=REJECTED).count() == 1
