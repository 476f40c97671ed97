"""Proposed annotations waiting in the demo, so the teacher sees the review from the first run.

They sit on the practice article about Mill Lane bridge, on statements its annotations leave
out: three from the app's proposer with their confidences, and one highlight with a comment
brought in from another annotation tool. Adding them again adds nothing (proposals_add passes
over what it has offered before), and a statement a teacher has edited out is left out.

And the demo teacher has a draft of their own to annotate: the text of the swimming pool
practice article with no annotations, and what the proposer really finds in it waiting.
"""

import logging

from django.core.exceptions import ValidationError

from articles.models import AnnotationProposal, Article
from articles.services import (
    ProposalDraft,
    article_draft_of,
    proposals_add,
    proposals_suggest_safely,
)
from articles.text import quote_find

logger = logging.getLogger(__name__)

DEMO_PROPOSALS_ARTICLE = "practice-millbrook-bridge"
PROPOSER = AnnotationProposal.Origin.PROPOSER

# (the words proposed, then what is known of them)
DEMO_PROPOSALS: tuple[tuple[str, dict], ...] = (
    (
        "there are deep cracks underneath it",
        {
            "origin": PROPOSER,
            "kind": "claim",
            "sourcing": "named_org",
            "cue": "According to",
            "speaker_name": "The safety survey",
            "speaker_kind": "document",
            "confidence": 0.91,
        },
    ),
    (
        "we cannot wait another year",
        {
            "origin": PROPOSER,
            "kind": "opinion",
            "sourcing": "named_person",
            "cue": "said",
            "speaker_name": "Gareth Hughes",
            "speaker_kind": "person",
            "confidence": 0.78,
        },
    ),
    (
        "The bridge, which was built in 1887",
        {"origin": PROPOSER, "kind": "fact", "sourcing": "none", "confidence": 0.64},
    ),
    (
        "One engineer working on the project, who asked not to be named",
        {
            "origin": AnnotationProposal.Origin.IMPORT,
            "origin_label": "hypothes.is, acct:dana.reyes",
            "external_id": "https://hypothes.is/a/sourcewise-demo-bridge-1",
            "explanation": "Why might this engineer not want to be named? Does it matter here?",
        },
    ),
)


def demo_proposals_ensure(*, articles: list[Article]) -> int:
    """Offer the demo's proposals on its bridge article, once; return how many are new."""
    article = next((a for a in articles if a.slug == DEMO_PROPOSALS_ARTICLE), None)
    if article is None:
        return 0
    drafts = []
    for words, fields in DEMO_PROPOSALS:
        try:
            start, end = quote_find(article.body, words)
        except ValidationError:
            logger.warning(
                "Demo article %s has been edited; not proposing %r.", article.slug, words
            )
            continue
        drafts.append(ProposalDraft(start=start, end=end, **fields))
    return proposals_add(article=article, drafts=drafts)


# The draft: a working copy of this practice article's text, under a slug of its own.
DEMO_DRAFT_OF = "practice-millbrook-pool"
DEMO_DRAFT_SLUG = "practice-millbrook-pool-draft"


def demo_draft_ensure(*, articles: list[Article], owner) -> Article | None:
    """Give `owner` an unannotated draft of the pool article with the proposer's proposals,
    once: a draft already there is left as the teacher has it (and the proposer, slow to
    load, is not run again)."""
    draft = Article.objects.filter(slug=DEMO_DRAFT_SLUG).first()
    if draft is not None:
        return draft
    original = next((a for a in articles if a.slug == DEMO_DRAFT_OF), None)
    if original is None:
        return None
    draft = article_draft_of(
        original,
        owner=owner,
        slug=DEMO_DRAFT_SLUG,
        title=f"Draft to annotate: {original.title}",
    )
    suggested = proposals_suggest_safely(article=draft)
    if suggested.error:
        logger.warning("The demo draft %s has no proposals: %s", draft.slug, suggested.error)
    return draft
