"""Every URL of the site, as every kind of visitor, against the table in tests/access_matrix.py.

One world is built once for the module: class A taught by its teacher, with student A (who
owns the attempt in the URLs) and student B (a classmate with an attempt of their own), class A
standing for a course on a registered learning platform; another teacher with their own class,
article, quiz and student; a superuser. Every URL pattern the resolver knows is filled in with
class A's objects and requested by each role with GET and with an empty POST, each request
inside a savepoint that is rolled back and with the client's cookies put back, so no request
sees another's writes (a POST that closes an assignment or logs out changes nothing for the
next).
The same URLs are requested again with ids that match nothing, and with another teacher's
object around class A's: what a role may not see must answer exactly like what does not exist.
The tests then only read what was observed.
"""

import copy
import re
import uuid
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from lti_tool.models import LtiContext, LtiDeployment, LtiRegistration

from accounts.roles import TEACHERS_GROUP
from articles.models import Article
from lti.models import CourseClass
from quiz import services
from quiz.models import Response, Study, StudySitting
from tests.access_matrix import ENTITLED, EXCLUDED, KNOWN_LEAKS, MATRIX, ROLES
from tests.factories import (
    AnnotationFactory,
    AnnotationProposalFactory,
    ArticleFactory,
    AssignmentFactory,
    AttemptFactory,
    BoosterFactory,
    ClassroomFactory,
    QuestionFactory,
    QuizFactory,
    StudentFactory,
    SuperuserFactory,
    TeacherFactory,
)
from tests.test_settings import production_env

METHODS = ("GET", "POST")
MISSING_ID = 2_000_000_000
MISSING_UID = "00000000-0000-4000-8000-000000000000"
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
)

# The module's world is built in the test database by a module-scoped fixture, which no test
# names as `db`: the mark makes pytest-django create the database when this file runs alone.
pytestmark = pytest.mark.django_db

# URL parameters naming the object a page is about, and the objects inside it.
PARENT_PARAMETERS = {"pk", "object_id", "slug", "id", "uid", "registration_uuid"}
CHILD_PARAMETERS = {"question_id", "student_pk", "annotation_id", "proposal_id", "item_id"}


# The URL patterns


def url_routes() -> list[str]:
    """Every route the resolver knows, one string per pattern (a shadowed duplicate once)."""

    def walk(patterns, prefix: str):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return list(dict.fromkeys(walk(get_resolver().url_patterns, "")))


PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def route_parameters(route: str) -> set[str]:
    return {m.group(1) or m.group(2) for m in PARAMETER.finditer(route)}


def route_fill(route: str, values: dict[str, object]) -> str:
    """The URL of a route with its parameters replaced by the given values."""
    path = PARAMETER.sub(lambda m: str(values[m.group(1) or m.group(2)]), route)
    return "/" + path.replace("^", "").replace("$", "")


def route_entitled(route: str) -> set[str]:
    return next(roles for prefix, roles in ENTITLED if route.startswith(prefix))


# The world


@dataclass
class World:
    users: dict[str, object]
    objects: dict[str, object]


def world_build() -> World:
    """Class A with its teacher and two students; another teacher's class; a superuser."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    teacher = TeacherFactory(username="teacher-a")
    student_a = StudentFactory(username="student-a")
    student_b = StudentFactory(username="student-b")
    classroom = ClassroomFactory(
        name="Class A", teachers=[teacher], students=[student_a, student_b]
    )
    # Class A stands for a course on a registered learning platform.
    course = platform_course(classroom)
    # A draft: only its owner and superusers may read it on the site.
    article = ArticleFactory(owner=teacher, status=Article.Status.DRAFT, slug="teacher-a-draft")
    annotation = AnnotationFactory(article=article)
    proposal = AnnotationProposalFactory(article=article, quote="Critics argue")
    questions = [QuestionFactory(article=article, owner=teacher) for _ in range(2)]
    quiz = QuizFactory(owner=teacher, questions=questions)
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz, attempts_allowed=2)
    attempt = AttemptFactory(assignment=assignment, student=student_a, max_score=2)
    first = questions[0]
    Response.objects.create(
        attempt=attempt,
        question=first,
        choice=first.choices.get(is_correct=True),
        is_correct=True,
        points=1,
    )
    attempt.score, attempt.answered = 1, 1
    attempt.save()
    AttemptFactory(assignment=assignment, student=student_b, max_score=2)
    # Student A's booster practice after the assignment, on its questions.
    booster = BoosterFactory(assignment=assignment, student=student_a, questions=questions)

    other_teacher = TeacherFactory(username="teacher-o")
    student_c = StudentFactory(username="student-c")
    other_classroom = ClassroomFactory(
        name="Class O", teachers=[other_teacher], students=[student_c]
    )
    other_article = ArticleFactory(owner=other_teacher, status=Article.Status.DRAFT)
    other_annotation = AnnotationFactory(article=other_article)
    other_quiz = QuizFactory(
        owner=other_teacher, questions=[QuestionFactory(article=other_article)]
    )
    other_assignment = AssignmentFactory(classroom=other_classroom, quiz=other_quiz)
    other_attempt = AttemptFactory(assignment=other_assignment, student=student_c)
    other_booster = BoosterFactory(
        assignment=other_assignment, student=student_c, questions=[other_quiz.questions.get()]
    )

    # A study in each class, its pre-test open: student A's and student C's sittings.
    study, sitting = study_with_sitting(classroom, teacher, student_a, first)
    other_study, other_sitting = study_with_sitting(
        other_classroom, other_teacher, student_c, other_quiz.questions.get()
    )

    superuser = SuperuserFactory(username="admin-s")

    now = timezone.now()
    axes_row = {"ip_address": "192.0.2.1", "user_agent": "test", "username": "student-a"}
    access_attempt = AccessAttempt.objects.create(
        **axes_row, failures_since_start=1, get_data="", post_data="", http_accept="*/*"
    )
    access_log = AccessLog.objects.create(**axes_row, attempt_time=now, http_accept="*/*")
    failure_log = AccessFailureLog.objects.create(
        **axes_row, attempt_time=now, http_accept="*/*", locked_out=False
    )

    return World(
        users={
            "student_a": student_a,
            "student_b": student_b,
            "teacher": teacher,
            "other_teacher": other_teacher,
            "superuser": superuser,
            "student_c": student_c,
        },
        objects={
            "classroom": classroom,
            "assignment": assignment,
            "attempt": attempt,
            "booster": booster,
            "study": study,
            "sitting": sitting,
            "question": first,
            "student": student_a,
            "article": article,
            "annotation": annotation,
            "proposal": proposal,
            "source": annotation.speaker,
            "outlet": article.outlet,
            "quiz": quiz,
            "quiz_item": quiz.items.get(question=first),
            "group": Group.objects.get(name=TEACHERS_GROUP),
            "accessattempt": access_attempt,
            "accesslog": access_log,
            "accessfailurelog": failure_log,
            "ltiregistration": course.context.deployment.registration,
            "other_classroom": other_classroom,
            "other_assignment": other_assignment,
            "other_attempt": other_attempt,
            "other_booster": other_booster,
            "other_study": other_study,
            "other_sitting": other_sitting,
            "other_article": other_article,
            "other_annotation": other_annotation,
            "other_quiz": other_quiz,
            "other_student": student_c,
        },
    )


def study_with_sitting(classroom, teacher, student, question):
    """A study in `classroom` whose form A is `question` alone and form B another question of
    its kind, its pre-test open; `student` takes form A at it (their sitting is returned)."""
    forms = [
        QuizFactory(owner=teacher, published=True, questions=[question]),
        QuizFactory(
            owner=teacher,
            published=True,
            questions=[QuestionFactory(article=question.article, owner=teacher)],
        ),
    ]
    study = services.study_create(
        classroom=classroom, teacher=teacher, title="Study", form_a=forms[0], form_b=forms[1]
    )
    services.participants_ensure(study=study)
    study.participants.filter(student=student).update(order=Study.Order.AB)
    services.phase_open(study=study, phase=Study.Phase.PRE, opens_at=timezone.now())
    return study, StudySitting.objects.get(participant__study=study, participant__student=student)


def platform_course(classroom) -> CourseClass:
    """A registered platform with an active deployment, and a course on it that `classroom`
    stands for. The course offers no roster (no memberships URL), so nothing is fetched."""
    registration = LtiRegistration.objects.create(
        name="School LMS",
        issuer="https://lms.example.edu",
        client_id="sourcewise",
        auth_url="https://lms.example.edu/auth",
        token_url="https://lms.example.edu/token",
        keyset_url="https://lms.example.edu/jwks",
    )
    deployment = LtiDeployment.objects.create(
        registration=registration, deployment_id="deployment-1", is_active=True
    )
    context = LtiContext.objects.create(
        deployment=deployment, id_on_platform="course-a", title="Class A's course"
    )
    return CourseClass.objects.create(context=context, classroom=classroom)


def route_values(route: str, world: World, *, parent: str = "", child: str = "") -> dict:
    """Values for a route's parameters: class A's objects by default.

    `parent` and `child` choose, for the object a page is about and the object inside it,
    "" (class A's), "other_" (the other teacher's) or "missing" (an id that matches nothing).
    A route with only an inner parameter (a student's id) treats it as the page's object.
    """
    parameters = route_parameters(route)
    if not parameters & PARENT_PARAMETERS:
        child = parent

    def pk(name: str, which: str):
        return MISSING_ID if which == "missing" else world.objects[which + name].pk

    # `pk` and the admin's `object_id` name a different model under each prefix.
    parent_model = next(
        (
            model
            for prefix, model in [
                ("classes/", "classroom"),
                ("assignments/", "assignment"),
                ("attempts/", "attempt"),
                ("practice/", "booster"),
                ("tests/", "sitting"),
                ("teach/studies/", "study"),
                ("teach/classes/", "classroom"),
                ("teach/assignments/", "assignment"),
                ("teach/attempts/", "attempt"),
                ("teach/quizzes/", "quiz"),
                ("teach/questions/", "question"),
                ("teach/articles/", "article"),
                ("lti/classes/", "classroom"),
                ("admin/r/", "article"),
                ("articles/", "article"),
            ]
            if route.startswith(prefix)
        ),
        None,
    )
    admin_model = re.match(r"admin/\w+/(\w+)/<path:object_id>/", route)
    if admin_model:
        parent_model = {"user": "student"}.get(admin_model.group(1), admin_model.group(1))
    values = {
        "question_id": pk("question", child),
        "student_pk": pk("student", child),
        "annotation_id": pk("annotation", child),
        "proposal_id": pk("proposal", child),
        "item_id": pk("quiz_item", child),
        "id": pk("student", parent),
        "slug": "no-such-article" if parent == "missing" else world.objects["article"].slug,
        "uid": MISSING_UID if parent == "missing" else world.objects[parent + "annotation"].uid,
        "content_type_id": ContentType.objects.get_for_model(Article).pk,
        "app_label": "quiz",
        "url": "no-such-page/",
        "uidb64": "MQ",
        "token": "set-password",
        # The platform's sign-in address names its registration; any other uuid is unknown.
        "registration_uuid": (
            uuid.uuid4() if parent == "missing" else world.objects["ltiregistration"].uuid
        ),
    }
    if parent_model:
        values["pk"] = values["object_id"] = pk(parent_model, parent)
    return values


# Requests


@dataclass(frozen=True)
class Outcome:
    status: int
    location: str
    headers: dict[str, str]

    @property
    def code(self) -> str:
        """The outcome in the table's words."""
        if self.status in (301, 302):
            path = self.location.split("?")[0]
            if path == settings.LOGIN_URL or path == "/accounts/login/":
                return "login"
            return {"/admin/login/": "admin_login", "/admin/": "admin"}.get(path, "302")
        return str(self.status)


def role_clients(world: World) -> dict[str, Client]:
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role, user in world.users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[role] = client
    return clients


def request(client: Client, method: str, url: str) -> Outcome:
    """One request whose writes (and whose logout, if any) are undone afterwards.

    The client's cookies are put back too, so no request sees a cookie another set (the
    platform sign-in's cookie check would otherwise answer a role's POST differently from
    their GET just before it).
    """
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        transaction.set_rollback(True)
    client.cookies = cookies
    return Outcome(
        status=response.status_code,
        location=response.get("Location", ""),
        headers={name: response.get(name, "") for name in SECURITY_HEADERS},
    )


@dataclass
class Observed:
    urls: dict[str, str]
    outcomes: dict[tuple[str, str, str], Outcome]  # (route, method, role): class A's objects
    missing: dict[tuple[str, str, str], Outcome]  # the same with ids that match nothing
    crossed: dict[tuple[str, str], tuple[Outcome, Outcome]]  # (route, method): see below
    requests: int


@pytest.fixture(scope="module")
def observed(django_db_setup, django_db_blocker) -> Observed:
    """Request every route in the table as every role, once, and remember what came back."""
    urls, outcomes, missing, crossed = {}, {}, {}, {}
    count = 0
    with django_db_blocker.unblock(), transaction.atomic():
        world = world_build()
        clients = role_clients(world)
        for route in url_routes():
            if route in EXCLUDED or route not in MATRIX:
                continue
            parameters = route_parameters(route)
            urls[route] = url = route_fill(route, route_values(route, world))
            missing_url = route_fill(route, route_values(route, world, parent="missing"))
            has_object = bool(parameters & (PARENT_PARAMETERS | CHILD_PARAMETERS))
            for method in METHODS:
                for role in ROLES:
                    outcomes[route, method, role] = request(clients[role], method, url)
                    count += 1
                    if has_object and role not in route_entitled(route):
                        missing[route, method, role] = request(clients[role], method, missing_url)
                        count += 1
            # The other teacher's (or their student's) own object with one of class A's
            # inside it: the inner object must be as invisible as a missing one.
            if parameters & PARENT_PARAMETERS and parameters & CHILD_PARAMETERS:
                owner = (
                    "student_c"
                    if route.startswith(("attempts/", "practice/", "tests/"))
                    else "other_teacher"
                )
                theirs = route_fill(route, route_values(route, world, parent="other_"))
                nothing = route_fill(
                    route, route_values(route, world, parent="other_", child="missing")
                )
                for method in METHODS:
                    crossed[route, method] = (
                        request(clients[owner], method, theirs),
                        request(clients[owner], method, nothing),
                    )
                    count += 2
        transaction.set_rollback(True)
    return Observed(urls=urls, outcomes=outcomes, missing=missing, crossed=crossed, requests=count)


# Access


def test_every_url_pattern_has_a_decision_in_the_table():
    routes = set(url_routes())

    undecided = sorted(routes - set(MATRIX) - set(EXCLUDED))
    stale = sorted((set(MATRIX) | set(EXCLUDED)) - routes)

    assert not undecided, "URL patterns missing from tests/access_matrix.py:\n" + "\n".join(
        undecided
    )
    assert not stale, "Entries in tests/access_matrix.py for no URL pattern:\n" + "\n".join(stale)


def test_every_route_answers_every_role_as_the_table_says(observed):
    mismatches = []
    for (route, method, role), outcome in observed.outcomes.items():
        expected = str(MATRIX[route][method][ROLES.index(role)])
        if outcome.code != expected:
            mismatches.append(
                f"{method} {observed.urls[route]} ({route}) as {role}: "
                f"expected {expected}, got {outcome.code} {outcome.location}"
            )

    assert not mismatches, f"{len(mismatches)} mismatches:\n" + "\n".join(mismatches)


def test_no_request_fails_with_a_server_error(observed):
    outcomes = [
        *observed.outcomes.items(),
        *observed.missing.items(),
        *(
            ((route, method, "owner"), seen)
            for (route, method), pair in observed.crossed.items()
            for seen in pair
        ),
    ]

    errors = [f"{key}: {outcome.status}" for key, outcome in outcomes if outcome.status >= 500]

    assert not errors, "\n".join(errors)


def test_what_a_role_may_not_see_answers_exactly_like_what_does_not_exist(observed):
    leaks: dict[tuple[str, str], list[str]] = {}
    for (route, method, role), missing in observed.missing.items():
        seen = observed.outcomes[route, method, role]
        if seen.code != missing.code:
            leaks.setdefault((route, role), []).append(
                f"{method}: real object {seen.code}, none {missing.code}"
            )

    unexpected = {key: leak for key, leak in leaks.items() if key not in KNOWN_LEAKS}
    fixed = set(KNOWN_LEAKS) - set(leaks)
    assert not unexpected, "\n".join(f"{key}: {leak}" for key, leak in unexpected.items())
    assert not fixed, f"No longer leaking: remove from KNOWN_LEAKS: {fixed}"


def test_an_object_is_only_found_under_its_own_parent(observed):
    """Another teacher's quiz, article or class (or another student's attempt) with one of
    class A's questions, annotations, items or students in the URL: as if it did not exist."""
    assert len({route for route, _method in observed.crossed}) >= 10

    leaks = [
        f"{method} {route}: {theirs.code}, with a missing inner object {nothing.code}"
        for (route, method), (theirs, nothing) in observed.crossed.items()
        if theirs.code != nothing.code
    ]

    assert not leaks, "\n".join(leaks)


def test_others_objects_on_the_site_are_hidden_with_404_not_refused_with_403(observed):
    """On the site's own pages a role uses, an object that is not theirs is simply not found.

    (403 is only for pages a role may never use, such as a student on a teacher's page, and
    comes before any object is looked up; in Django's own admin views the hidden answer is
    its "does not exist" redirect, checked by the test above.)
    """
    areas = {
        "student_b": ("attempts/", "practice/", "tests/", "articles/"),
        "other_teacher": ("teach/", "articles/"),
    }
    # The role's twin who owns the object: when even they are refused, the page is one this
    # role may never use (a teacher's page under articles/), and 403 is the answer.
    owner = {"student_b": "student_a", "other_teacher": "teacher"}
    checked, wrong = 0, []
    for (route, method, role), outcome in observed.outcomes.items():
        if role not in areas or not route.startswith(areas[role]) or "<" not in route:
            continue
        if observed.outcomes[(route, method, owner[role])].code == "403":
            continue
        checked += 1
        if outcome.code not in {"404", "405"}:
            wrong.append(f"{method} {route} as {role}: {outcome.code}")

    assert checked > 40
    assert not wrong, "\n".join(wrong)


def test_the_matrix_requests_every_route_as_every_role_with_both_methods(observed):
    assert observed.requests > 2000
    assert len(observed.outcomes) == len(MATRIX) * len(METHODS) * len(ROLES)


# Headers on every page


def test_every_page_sends_the_security_headers(observed):
    pages = {
        (route, role): outcome
        for (route, method, role), outcome in observed.outcomes.items()
        if method == "GET" and outcome.status == 200
    }
    assert len({route for route, _role in pages}) > 60

    problems = []
    for (route, role), outcome in pages.items():
        headers = outcome.headers
        policy = dict(
            part.strip().split(" ", 1)
            for part in headers["Content-Security-Policy"].split(";")
            if part.strip()
        )
        checks = {
            "default-src 'self'": policy.get("default-src") == "'self'",
            "frame-ancestors 'none'": policy.get("frame-ancestors") == "'none'",
            "no unsafe-inline": "unsafe-inline" not in headers["Content-Security-Policy"],
            "X-Content-Type-Options nosniff": headers["X-Content-Type-Options"] == "nosniff",
            "Referrer-Policy same-origin": headers["Referrer-Policy"] == "same-origin",
            "X-Frame-Options DENY": headers["X-Frame-Options"] == "DENY",
        }
        problems += [f"{route} as {role}: {name}" for name, ok in checks.items() if not ok]

    assert not problems, "\n".join(problems)


HSTS_CHECK = """
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
host = "sourcewise.example.org"
# /healthz renders no template, so no collected static files are needed for this check.
secure = Client().get("/healthz", secure=True, HTTP_HOST=host)
print(settings.SECURE_HSTS_SECONDS, secure.status_code, secure.get("Strict-Transport-Security"))
plain = Client().get("/accounts/login/", HTTP_HOST=host)
print(plain.status_code, plain.get("Location"), plain.get("Strict-Transport-Security"))
"""


def test_production_sends_hsts_over_https_and_sends_plain_http_to_https(run_manage):
    env = production_env(DATABASE_URL="sqlite://:memory:")

    result = run_manage("shell", "--no-imports", "-c", HSTS_CHECK, env=env)

    assert result.returncode == 0, result.stderr
    secure_line, plain_line = result.stdout.strip().splitlines()[-2:]
    seconds, status, header = secure_line.split(" ", 2)
    assert int(seconds) >= 60 * 60 * 24 * 365
    assert status == "200"
    assert header == f"max-age={seconds}; includeSubDomains; preload"
    assert plain_line == "301 https://sourcewise.example.org/accounts/login/ None"
