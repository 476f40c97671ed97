"""Pages of the learning-platform integration: the protocol's endpoints and the teachers' pages."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from lti_tool.models import Key, LtiRegistration

from lti import framing, launches, scores, services
from lti.models import CourseClass, origin_of
from quiz.forms import AssignmentForm
from quiz.services import AssignmentTerms
from quiz.views.access import classroom_for_teacher, teacher_required

DEEP_LINK_SESSION_KEY = "lti_deep_link"
# Set on the login step and looked for on its second request: a browser that does not send it
# back blocks cookies in this frame, and is offered a new window instead.
COOKIE_CHECK = "sourcewise_lti_cookies"
COOKIE_CHECKED_PARAM = "cookie_check"


def _all_platform_origins() -> list[str]:
    origins: set[str] = set()
    for registration in LtiRegistration.objects.active():
        origins.update(framing.frame_origins_of(registration))
    return sorted(origins)


def _refused(request: HttpRequest, refusal: launches.LaunchRefused) -> HttpResponse:
    response = render(
        request,
        "lti/refused.html",
        {"message": refusal.message, "reason": refusal.reason},
        status=refusal.status,
    )
    # A refusal is shown where the platform put the launch, which may be a frame.
    return framing.frame_allow(response, _all_platform_origins())


@require_GET
@login_not_required
def jwks(request: HttpRequest) -> JsonResponse:
    """Our public keys, for platforms to check what we sign (deep-linking answers, tokens)."""
    return JsonResponse(Key.objects.as_jwks())


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
@login_not_required
def login(request: HttpRequest, registration_uuid) -> HttpResponse:
    """OIDC third-party login initiation: the platform's first step of every launch."""
    params = request.POST if request.method == "POST" else request.GET
    registration = LtiRegistration.objects.active().filter(uuid=registration_uuid).first()
    if registration is None:
        return _refused(
            request,
            launches.LaunchRefused(
                _(
                    "This sign-in address does not belong to a platform registered with "
                    "Sourcewise. Ask your administrator to check the tool's settings."
                ),
                reason="registration",
                status=404,
            ),
        )
    origins = framing.frame_origins_of(registration)
    forwarded = {key: value for key, value in params.items() if key != COOKIE_CHECKED_PARAM}
    if COOKIE_CHECK not in request.COOKIES:
        if COOKIE_CHECKED_PARAM not in params:
            response = redirect(
                f"{request.path}?{urlencode({**forwarded, COOKIE_CHECKED_PARAM: '1'})}"
            )
            response.set_cookie(
                COOKIE_CHECK,
                "1",
                max_age=60 * 60 * 24,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
            return framing.frame_allow(response, origins)
        response = render(
            request,
            "lti/cookies_blocked.html",
            {"action": request.path, "params": sorted(forwarded.items())},
        )
        # The form comes back here, which redirects to the platform's authorisation page;
        # browsers hold every redirect of a form's submission to this page's form-action.
        response._csp_update = {"form-action": [origin_of(registration.auth_url)]}
        return framing.frame_allow(response, origins)
    try:
        response = launches.login_redirect(request, registration, forwarded)
    except launches.LaunchRefused as refusal:
        return _refused(request, refusal)
    return framing.frame_allow(response, origins)


@csrf_exempt
@never_cache
@require_POST
@login_not_required
def launch(request: HttpRequest) -> HttpResponse:
    """The platform's launch: check the signed id_token, sign the person in, send them on."""
    try:
        checked = launches.launch_check(request)
        landing = services.launch_accept(checked=checked)
    except launches.LaunchRefused as refusal:
        return _refused(request, refusal)
    auth_login(request, landing.user, backend="django.contrib.auth.backends.ModelBackend")
    origins = framing.frame_origins_of(checked.registration)
    request.session[framing.SESSION_KEY] = origins
    if landing.deep_link:
        request.session[DEEP_LINK_SESSION_KEY] = landing.deep_link
    if landing.note:
        messages.info(request, landing.note)
    return framing.frame_allow(redirect(landing.url), origins)


@require_http_methods(["GET", "POST"])
@teacher_required
def place(request: HttpRequest) -> HttpResponse:
    """Choose the quiz to place in the platform course, with its assignment settings."""
    deep_link = request.session.get(DEEP_LINK_SESSION_KEY)
    if not isinstance(deep_link, dict):
        return render(request, "lti/place_expired.html", status=400)
    course = get_object_or_404(
        CourseClass.objects.select_related("classroom"),
        context_id=deep_link.get("context"),
        classroom__teachers=request.user,
    )
    form = AssignmentForm.for_new(
        request.POST if request.method == "POST" else None, teacher=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            answer = services.quiz_place(
                deep_link=deep_link,
                teacher=request.user,
                terms=AssignmentTerms(**form.cleaned_data),
                launch_url=request.build_absolute_uri(reverse("lti:launch")),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            del request.session[DEEP_LINK_SESSION_KEY]
            response = render(request, "lti/place_return.html", {"answer": answer})
            # The answer form posts to the platform, the one other place a form may go.
            response._csp_update = {"form-action": [origin_of(answer.return_url)]}
            return response
    return render(
        request,
        "lti/place.html",
        {
            "form": form,
            "classroom": course.classroom,
            "time_zone": timezone.get_current_timezone_name(),
        },
    )


def _course_for_teacher(request: HttpRequest, pk: int) -> CourseClass:
    classroom = classroom_for_teacher(request, pk)
    return get_object_or_404(
        CourseClass.objects.select_related("classroom", "context__deployment__registration"),
        classroom=classroom,
    )


@require_GET
@teacher_required
def course(request: HttpRequest, pk: int) -> HttpResponse:
    """The class's learning-platform page: its course, the roster sync, the grades sent."""
    course = _course_for_teacher(request, pk)
    posts = scores.score_posts_of(classroom=course.classroom)
    return render(
        request,
        "lti/course.html",
        {
            "course": course,
            "classroom": course.classroom,
            "section": "platform",
            "posts": posts,
            "pending": sum(1 for post in posts if post.is_pending),
            "failing": sum(1 for post in posts if post.is_pending and post.tries),
        },
    )


@require_POST
@teacher_required
def roster_sync(request: HttpRequest, pk: int) -> HttpResponse:
    """Bring the course's students from the platform into the class."""
    course = _course_for_teacher(request, pk)
    try:
        result = services.roster_sync(course=course)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Roster synced: %(added)d added, %(already)d already in the class, %(inactive)d "
                "inactive on the platform."
            )
            % {"added": result.added, "already": result.already, "inactive": result.inactive},
        )
    return redirect("lti:course", pk=course.classroom_id)


@require_GET
def configuration(request: HttpRequest) -> HttpResponse:
    """What an administrator pastes into the platform for each registration."""
    if not request.user.is_superuser:
        raise PermissionDenied
    registrations = LtiRegistration.objects.prefetch_related("deployments").order_by("name")
    return render(
        request,
        "lti/configuration.html",
        {
            "registrations": [
                (registration, _urls_for(request, registration)) for registration in registrations
            ],
            "jwks_url": request.build_absolute_uri(reverse("lti:jwks")),
            "launch_url": request.build_absolute_uri(reverse("lti:launch")),
            "has_key": Key.objects.active().exists(),
            "scopes": CONFIGURATION_SCOPES,
        },
    )


CONFIGURATION_SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
]


def _urls_for(request: HttpRequest, registration: LtiRegistration) -> dict:
    return {
        "login": request.build_absolute_uri(
            reverse("lti:login", kwargs={"registration_uuid": registration.uuid})
        ),
    }
