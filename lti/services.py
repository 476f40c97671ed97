"""Writes for learning-platform launches: accounts, classes, placed quizzes, rosters.

Each launch is acted on in one transaction with the use of its nonce, so a launch that is
refused part way (a student in a course whose teacher has not set Sourcewise up) leaves nothing
behind and can be tried again.
"""

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from lti_tool.lti_core.constants import ContextRole
from lti_tool.models import LtiContext, LtiDeployment, LtiLaunch, LtiUser
from lti_tool.utils import sync_data_from_launch
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem
from pylti1p3.names_roles import NamesRolesProvisioningService

from accounts.roles import is_teacher, teachers_group_ensure
from lti.connector import PLATFORM_ERRORS, connector_for, error_text
from lti.launches import CheckedLaunch, LaunchRefused, nonce_use
from lti.models import CourseClass, PlacedLink
from lti.scores import LINE_ITEM_TAG
from quiz.models import Assignment, Classroom, Enrollment
from quiz.services import AssignmentTerms, assignment_create, classroom_create

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
ADMINISTRATOR_ROLES = {
    "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
    "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator",
}
# The custom parameter a placed quiz carries: its assignment, signed so that only a link we
# made opens it.
PLACED_PARAMETER = "sourcewise_assignment"
PLACED_SALT = "lti.placed"


@dataclass(frozen=True)
class Landing:
    """Who a launch signed in, and where to send them."""

    user: object
    url: str
    classroom: Classroom
    deep_link: dict = field(default_factory=dict)  # what the placing page needs, if any
    note: str = ""  # shown on arrival


def username_for(*, issuer: str, subject: str) -> str:
    """The username of the account a platform user gets: stable, and naming no one."""
    digest = hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()[:16]
    return f"lti-{digest}"


def _names(lti_user: LtiUser) -> tuple[str, str]:
    first, last = lti_user.given_name.strip(), lti_user.family_name.strip()
    if not first and not last and lti_user.name.strip():
        first, _space, last = lti_user.name.strip().partition(" ")
    return first[:150], last[:150]


def account_for(*, lti_user: LtiUser, teacher: bool):
    """The account linked to the platform user (by issuer and subject), made on first use.

    No password and no email address: the platform vouches for them at each launch. A teacher's
    account is staff in the Teachers group, so it can author; a student's is neither.
    """
    user = lti_user.auth_user
    if user is None:
        linked = (
            LtiUser.objects.filter(
                registration__issuer=lti_user.registration.issuer,
                sub=lti_user.sub,
                auth_user__isnull=False,
            )
            .select_related("auth_user")
            .first()
        )
        user = linked.auth_user if linked else None
    first, last = _names(lti_user)
    if user is None:
        user_model = get_user_model()
        username = username_for(issuer=lti_user.registration.issuer, subject=lti_user.sub)
        user = user_model.objects.filter(username=username).first() or user_model(username=username)
        user.set_unusable_password()
    if first or last:
        user.first_name, user.last_name = first, last
    if teacher and not is_teacher(user):
        user.is_staff = True
    user.full_clean(validate_unique=False, exclude=["password"])
    user.save()
    if teacher:
        teachers = teachers_group_ensure()
        if not user.groups.filter(pk=teachers.pk).exists():
            user.groups.add(teachers)
            user._is_teacher_cache = True
    if lti_user.auth_user_id != user.pk:
        lti_user.auth_user = user
        lti_user.save(update_fields=["auth_user", "datetime_modified"])
    return user


def course_class_for(*, context: LtiContext, teacher=None) -> CourseClass | None:
    """The class that stands for the course; a teacher's launch makes it the first time."""
    course = CourseClass.objects.select_related("classroom").filter(context=context).first()
    if course is not None or teacher is None:
        return course
    name = (context.title or context.label or _("Course from the learning platform"))[:120]
    try:
        with transaction.atomic():
            classroom = classroom_create(name=name, teacher=teacher)
            # The platform's roster is the class list: no join code is needed.
            classroom.join_open = False
            classroom.save(update_fields=["join_open"])
            return CourseClass.objects.create(context=context, classroom=classroom)
    except IntegrityError:
        # Another teacher's first launch in this course made it a moment ago.
        return CourseClass.objects.select_related("classroom").get(context=context)


def _roles(launch: LtiLaunch) -> tuple[bool, bool]:
    """(teaches, learns) in the launch's course."""
    membership = launch.membership
    teaches = membership.is_instructor or membership.is_administrator
    teaches = teaches or bool(ADMINISTRATOR_ROLES.intersection(launch.roles_claim or []))
    return teaches, membership.is_learner


def _placed_link(launch: LtiLaunch, classroom: Classroom) -> PlacedLink | None:
    """The placed quiz this resource link opens, tied to the link at its first launch."""
    resource_link = launch.resource_link
    placed = (
        PlacedLink.objects.select_related("assignment").filter(resource_link=resource_link).first()
    )
    if placed is None:
        custom = launch.get_claim(CLAIM + "custom") or {}
        value = custom.get(PLACED_PARAMETER) if isinstance(custom, dict) else None
        if not value:
            return None
        try:
            assignment_id = signing.loads(str(value), salt=PLACED_SALT)
        except signing.BadSignature:
            return None
        placed = (
            PlacedLink.objects.select_related("assignment")
            .filter(assignment_id=assignment_id, assignment__classroom=classroom)
            .first()
        )
        if placed is None:
            return None
        if placed.resource_link_id is None:
            placed.resource_link = resource_link
            placed.save(update_fields=["resource_link"])
    ags = launch.ags_claim or {}
    lineitem, lineitems = ags.get("lineitem", ""), ags.get("lineitems", "")
    if (lineitem and lineitem != placed.lineitem_url) or (
        lineitems and lineitems != placed.lineitems_url
    ):
        placed.lineitem_url = lineitem or placed.lineitem_url
        placed.lineitems_url = lineitems or placed.lineitems_url
        placed.save(update_fields=["lineitem_url", "lineitems_url"])
    return placed


@transaction.atomic
def launch_accept(*, checked: CheckedLaunch) -> Landing:
    """Act on a checked launch: the account, the class, and the page to land on.

    Raises LaunchRefused (and changes nothing) for a role Sourcewise has no page for, or a
    student whose course or activity their teacher has not set up yet.
    """
    nonce_use(checked)
    launch = LtiLaunch(checked.message)
    if launch.is_data_privacy_launch or launch.is_submission_review_launch:
        raise LaunchRefused(
            _("Sourcewise does not offer this kind of launch. Open the activity itself."),
            reason="message",
        )
    sync_data_from_launch(launch)
    teaches, learns = _roles(launch)
    if not teaches and not learns:
        raise LaunchRefused(
            _(
                "Sourcewise has pages for the course's teachers and students, and the platform "
                "gave you neither role in this course."
            ),
            reason="role",
        )
    user = account_for(lti_user=launch.user, teacher=teaches)
    course = course_class_for(context=launch.context, teacher=user if teaches else None)
    if course is None:
        raise LaunchRefused(
            _(
                "Your teacher has not set Sourcewise up in this course yet. Try again once they "
                "have opened it."
            ),
            reason="not_set_up",
        )
    classroom = course.classroom
    if teaches:
        classroom.teachers.add(user)
    else:
        Enrollment.objects.get_or_create(classroom=classroom, student=user)
    if launch.is_deep_link_launch:
        if not teaches:
            raise LaunchRefused(
                _("Only the course's teachers can choose what Sourcewise puts in it."),
                reason="role",
            )
        settings = launch.get_claim(DEEP_LINKING_SETTINGS) or {}
        return Landing(
            user=user,
            url=reverse("lti:place"),
            classroom=classroom,
            deep_link={
                "deployment": launch.deployment.pk,
                "context": launch.context.pk,
                "classroom": classroom.pk,
                "return_url": settings.get("deep_link_return_url", ""),
                "data": settings.get("data"),
            },
        )
    placed = _placed_link(launch, classroom)
    if placed is None:
        if teaches:
            return Landing(
                user=user,
                url=reverse("quiz:teach_classroom", kwargs={"pk": classroom.pk}),
                classroom=classroom,
                note=_(
                    "This link in your course has no Sourcewise quiz yet. To place one, add "
                    "Sourcewise to the course as an external tool and choose the quiz there."
                ),
            )
        raise LaunchRefused(
            _(
                "This activity has no Sourcewise quiz yet. Your teacher needs to choose one; "
                "try again later."
            ),
            reason="not_set_up",
        )
    if teaches:
        url = reverse("quiz:teach_assignment", kwargs={"pk": placed.assignment_id})
    else:
        url = reverse("quiz:assignment", kwargs={"pk": placed.assignment_id})
    return Landing(user=user, url=url, classroom=classroom)


def _deep_link_deployment(deep_link: dict) -> tuple[LtiDeployment, CourseClass]:
    deployment = (
        LtiDeployment.objects.select_related("registration")
        .filter(pk=deep_link.get("deployment"), is_active=True, registration__is_active=True)
        .first()
    )
    course = (
        CourseClass.objects.select_related("classroom")
        .filter(context_id=deep_link.get("context"))
        .first()
    )
    if deployment is None or course is None or not deep_link.get("return_url"):
        raise ValidationError(
            _("This choice has expired. Go back to your course and add Sourcewise again.")
        )
    return deployment, course


@dataclass(frozen=True)
class DeepLinkResponse:
    """The signed answer to the platform, and where to post it."""

    return_url: str
    jwt: str
    assignment: Assignment


@transaction.atomic
def quiz_place(*, deep_link: dict, teacher, terms: AssignmentTerms, launch_url: str):
    """Assign the quiz to the course's class and answer the platform with a link to it.

    The answer is a signed LtiDeepLinkingResponse holding one resource link, with a line item
    (the gradebook column, scored out of the quiz's points) and the assignment as a signed
    custom parameter.
    """
    deployment, course = _deep_link_deployment(deep_link)
    if not course.classroom.teachers.filter(pk=teacher.pk).exists():
        raise ValidationError(_("Only the course's teachers can place a quiz in it."))
    assignment = assignment_create(classroom=course.classroom, teacher=teacher, terms=terms)
    PlacedLink.objects.create(assignment=assignment)
    maximum = sum(question.points for question in terms.quiz.questions.all()) or 1
    line_item = (
        LineItem()
        .set_label(terms.quiz.title[:255])
        .set_score_maximum(maximum)
        .set_resource_id(f"assignment-{assignment.pk}")
        .set_tag(LINE_ITEM_TAG)
    )
    if terms.due_at is not None:
        line_item.set_end_date_time(terms.due_at.isoformat())
    resource = (
        DeepLinkResource()
        .set_url(launch_url)
        .set_title(terms.quiz.title[:255])
        .set_lineitem(line_item)
        .set_custom_params({PLACED_PARAMETER: signing.dumps(assignment.pk, salt=PLACED_SALT)})
    )
    dl = DeepLink(
        deployment.registration.to_registration(),
        deployment.deployment_id,
        {"deep_link_return_url": deep_link["return_url"], "data": deep_link.get("data")},
    )
    return DeepLinkResponse(
        return_url=deep_link["return_url"],
        jwt=dl.get_response_jwt([resource]),
        assignment=assignment,
    )


@dataclass(frozen=True)
class RosterSync:
    """What a roster sync did."""

    added: int
    already: int
    teachers: int
    inactive: int


def roster_sync(*, course: CourseClass, now=None) -> RosterSync:
    """Bring the course's students from the platform (NRPS) into the class.

    Students who have not opened Sourcewise yet get their account now, so the gradebook lists
    them as not started. Nobody is removed: a student the platform lists as inactive is counted
    and left for the teacher. The platform is asked first, outside any transaction.
    """
    context = course.context
    if not context.memberships_url:
        raise ValidationError(
            _(
                "The platform has not offered its roster to Sourcewise in this course. Open "
                "Sourcewise from the course once, and check that the tool may read names and "
                "roles."
            )
        )
    try:
        members = NamesRolesProvisioningService(
            connector_for(context.deployment.registration),
            {"context_memberships_url": context.memberships_url},
        ).get_members()
    except PLATFORM_ERRORS as error:
        raise ValidationError(
            _("The platform did not give the roster: %(error)s Try again later.")
            % {"error": error_text(error)}
        ) from error
    return _roster_apply(course=course, members=members, now=now)


@transaction.atomic
def _roster_apply(*, course: CourseClass, members: list[dict], now=None) -> RosterSync:
    context = course.context
    context.update_memberships(members)
    enrolled = set(course.classroom.enrollments.values_list("student_id", flat=True))
    added = already = teachers = inactive = 0
    by_sub = {
        lti_user.sub: lti_user
        for lti_user in LtiUser.objects.filter(
            registration=context.deployment.registration,
            sub__in=[member.get("user_id") for member in members],
        ).select_related("auth_user", "registration")
    }
    for member in members:
        roles = {str(role) for role in member.get("roles", [])}
        learner = any(role.endswith("#Learner") or role == "Learner" for role in roles)
        if not learner or ContextRole.INSTRUCTOR in roles:
            teachers += 1
            continue
        if member.get("status", "Active") != "Active":
            inactive += 1
            continue
        lti_user = by_sub.get(member.get("user_id"))
        if lti_user is None:
            continue
        student = account_for(lti_user=lti_user, teacher=False)
        if student.pk in enrolled:
            already += 1
            continue
        Enrollment.objects.get_or_create(classroom=course.classroom, student=student)
        enrolled.add(student.pk)
        added += 1
    course.roster_synced_at = now or timezone.now()
    course.save(update_fields=["roster_synced_at"])
    return RosterSync(added=added, already=already, teachers=teachers, inactive=inactive)
