"""Grade passback (LTI Assignment and Grade Services): the outbox and its worker.

Why a database outbox: the row saying "this student's score is owed to the platform" is written
in the same transaction as the hand-in or regrade that changed the score, so a crash can never
lose it, and it needs nothing we do not run already (no broker, no second store). The worker,
`manage.py lti_scores_send`, takes due rows under a lease, posts the score the gradebook counts
at that moment, and records what it sent. A worker killed mid-post leaves its rows wanted; once
their lease runs out the next worker posts them. A score already sent in the same state is not
sent again.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from lti_tool.models import LtiUser
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem

from lti.connector import PLATFORM_ERRORS, connector_for, error_text
from lti.models import PlacedLink, ScorePost
from quiz.models import Attempt, Classroom
from quiz.selectors import counted_attempt

logger = logging.getLogger(__name__)

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINE_ITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
LINE_ITEM_READ_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
LINE_ITEM_TAG = "sourcewise"
LEASE = timedelta(minutes=2)  # longer than a post can take (three requests, each timed out)
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)


def score_posts_want(*, attempts) -> int:
    """Mark the placed quizzes' scores of these attempts' students as owed to the platform.

    Called in the transaction that changed them; returns how many rows it marked.
    """
    pairs = set(
        attempts.filter(assignment__lti_link__isnull=False)
        .order_by()
        .values_list("assignment__lti_link", "student")
        .distinct()
    )
    if not pairs:
        return 0
    now = timezone.now()
    ScorePost.objects.bulk_create(
        [ScorePost(link_id=link, student_id=student, wanted_at=now) for link, student in pairs],
        update_conflicts=True,
        unique_fields=["link", "student"],
        update_fields=["wanted_at", "next_try_at", "tries"],
    )
    return len(pairs)


def score_posts_want_closed(*, now=None) -> int:
    """Mark the scores owed for attempts that count without a hand-in: their assignment
    closed for the student (its due time passed) while they were unfinished.

    No event marks these when the time passes, so each pass of the worker looks for them; an
    attempt already sent, or already owed, is not marked again.
    """
    now = now or timezone.now()
    counted = Q()
    for policy in Classroom.ScorePolicy.values:
        counted |= Q(assignment__classroom__score_policy=policy) & counted_attempt(
            policy=policy, now=now
        )
    posts = ScorePost.objects.filter(
        link=OuterRef("assignment__lti_link"), student=OuterRef("student")
    )
    attempts = Attempt.objects.filter(
        counted, submitted_at__isnull=True, assignment__lti_link__isnull=False
    ).exclude(Exists(posts.filter(Q(sent_attempt=OuterRef("pk")) | Q(wanted_at__isnull=False))))
    return score_posts_want(attempts=attempts)


def backoff(tries: int) -> timedelta:
    """How long to wait after the `tries`-th failure in a row: 30 s, doubling, at most an hour."""
    return min(BACKOFF_FIRST * (2 ** max(0, tries - 1)), BACKOFF_MAX)


@dataclass(frozen=True)
class Sent:
    """What one pass of the worker did."""

    sent: int = 0
    unchanged: int = 0
    failed: int = 0


def _claim(*, now, limit: int) -> list[ScorePost]:
    with transaction.atomic():
        due = (
            ScorePost.objects.filter(wanted_at__isnull=False)
            .filter(Q(next_try_at__isnull=True) | Q(next_try_at__lte=now))
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
            .order_by("wanted_at", "pk")
        )
        ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
        ScorePost.objects.filter(pk__in=ids).update(lease_until=now + LEASE)
    return list(
        ScorePost.objects.filter(pk__in=ids)
        .select_related(
            "student",
            "link__assignment__classroom",
            "link__resource_link__context__deployment__registration",
        )
        .order_by("wanted_at", "pk")
    )


def _state(post: ScorePost, now) -> tuple[Attempt | None, str]:
    classroom = post.link.assignment.classroom
    attempt = (
        Attempt.objects.filter(
            counted_attempt(policy=classroom.score_policy, now=now),
            assignment=post.link.assignment,
            student=post.student,
        )
        .order_by()
        .first()
    )
    if attempt is None:
        return None, ""
    return attempt, f"{attempt.pk}:{attempt.score}/{attempt.max_score}"


def _post(post: ScorePost, attempt: Attempt) -> None:
    """Send the score to the platform; raises on any failure."""
    resource_link = post.link.resource_link
    if resource_link is None:
        raise LtiException("The quiz has not been opened from the platform yet.")
    context = resource_link.context
    registration = context.deployment.registration
    lti_user = LtiUser.objects.filter(registration=registration, auth_user=post.student).first()
    if lti_user is None:
        raise LtiException("The student has no account on this platform.")
    scopes = [SCORE_SCOPE, LINE_ITEM_SCOPE, LINE_ITEM_READ_SCOPE]
    service = AssignmentsGradesService(
        connector_for(registration),
        {
            "scope": scopes,
            "lineitems": post.link.lineitems_url or context.lineitems_url,
            "lineitem": post.link.lineitem_url,
        },
    )
    grade = (
        Grade()
        .set_score_given(attempt.score)
        .set_score_maximum(max(attempt.max_score, 1))
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_timestamp(post.wanted_at.isoformat(timespec="milliseconds"))
        .set_user_id(lti_user.sub)
    )
    line_item = None
    if not post.link.lineitem_url:
        # The platform made no column from the placed link: find ours by its resource id, or
        # make it, and remember it.
        line_item = service.find_or_create_lineitem(
            LineItem()
            .set_label(post.link.assignment.quiz.title[:255])
            .set_score_maximum(max(attempt.max_score, 1))
            .set_resource_id(f"assignment-{post.link.assignment_id}")
            .set_resource_link_id(resource_link.id_on_platform)
            .set_tag(LINE_ITEM_TAG),
            find_by="resource_id",
        )
        if line_item.get_id():
            PlacedLink.objects.filter(pk=post.link_id).update(lineitem_url=line_item.get_id())
    service.put_grade(grade, line_item)


def score_posts_send(*, now=None, limit: int = 50) -> Sent:
    """Post the scores that are due; one pass. Failures wait longer each time they repeat."""
    now = now or timezone.now()
    score_posts_want_closed(now=now)
    sent = unchanged = failed = 0
    for post in _claim(now=now, limit=limit):
        attempt, state = _state(post, now)
        try:
            if attempt is not None and state != post.sent_state:
                _post(post, attempt)
        except PLATFORM_ERRORS as error:
            logger.warning("Grade post %s failed: %s", post.pk, error)
            ScorePost.objects.filter(pk=post.pk).update(
                tries=F("tries") + 1,
                next_try_at=now + backoff(post.tries + 1),
                last_error=error_text(error),
                lease_until=None,
            )
            failed += 1
            continue
        with transaction.atomic():
            if attempt is not None and state != post.sent_state:
                ScorePost.objects.filter(pk=post.pk).update(
                    sent_attempt=attempt,
                    sent_score=attempt.score,
                    sent_maximum=attempt.max_score,
                    sent_state=state,
                    sent_at=timezone.now(),
                )
                sent += 1
            else:
                unchanged += 1
            ScorePost.objects.filter(pk=post.pk).update(
                tries=0, next_try_at=None, last_error="", lease_until=None
            )
            # A change that came while this one was being sent stays wanted.
            ScorePost.objects.filter(pk=post.pk, wanted_at=post.wanted_at).update(wanted_at=None)
    return Sent(sent=sent, unchanged=unchanged, failed=failed)


def score_posts_of(*, classroom) -> list[ScorePost]:
    """The class's grade posts, pending first, for the teacher's page."""
    return list(
        ScorePost.objects.filter(link__assignment__classroom=classroom)
        .select_related("student", "link__assignment__quiz")
        .order_by(F("wanted_at").desc(nulls_last=True), "link__assignment__quiz__title", "pk")
    )
