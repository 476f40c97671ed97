"""Sourcewise inside a learning platform's page, in a real browser.

The simulated platform (tests/lti/platform.py) serves its course pages from 127.0.0.1 and
shows Sourcewise in an iframe; the live server is on localhost, so the frame is cross-site,
as it is at a school whose platform and Sourcewise live on different domains. Cookies reach
a cross-site frame only when they are SameSite=None and Secure, which is what production
sets (config/settings.py); Chromium takes Secure cookies over plain http from localhost.

Whether a browser keeps such cookies at all is the person's setting. Chromium 156 blocks
third-party cookies by default (its Set-Cookie is refused for "UserPreferences"), as do
Safari, Brave and every private window; Chrome's default still allows them. So each journey
runs in a Chromium profile of its own whose setting is stated: the teacher's allows them; the
student's blocks them, and works in the frame all the same because Sourcewise's cookies are
Partitioned (lti/framing.py); and a browser that blocks them, with cookies not partitioned,
is offered a new window.
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from lti_tool.models import Key, LtiDeployment, LtiRegistration
from playwright.sync_api import expect

from lti.models import CourseClass
from lti.scores import score_posts_send
from quiz.models import Attempt
from tests.browser.conftest import Journey
from tests.factories import QuizFactory
from tests.lti.platform import INSTRUCTOR, LEARNER, Platform

pytestmark = pytest.mark.django_db(transaction=True)

FRAME = 'iframe[title="Sourcewise"]'
QUIZ_TITLE = "Who is speaking?"
# Chromium's cookie setting (CookieControlsMode): 0 allows third-party cookies, 1 blocks them.
ALLOW_THIRD_PARTY_COOKIES, BLOCK_THIRD_PARTY_COOKIES = 0, 1


@pytest.fixture
def cookies_in_frames(settings):
    """Production's cookies: SameSite=None and Secure, so they reach the tool in a frame."""
    settings.SESSION_COOKIE_SAMESITE = "None"
    settings.CSRF_COOKIE_SAMESITE = "None"
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


@pytest.fixture
def platform(live_server, cookies_in_frames):
    """The simulated platform on 127.0.0.1, registered with the live server on localhost."""
    assert live_server.url.startswith("http://localhost:"), "the frame must be cross-site"
    Key.objects.generate()
    with Platform() as platform:
        registration = LtiRegistration.objects.create(
            name="Simulated LMS",
            issuer=platform.issuer,
            client_id=platform.client_id,
            auth_url=platform.auth_url,
            token_url=platform.token_url,
            keyset_url=platform.keyset_url,
        )
        LtiDeployment.objects.create(
            registration=registration, deployment_id=platform.deployment_id, is_active=True
        )
        platform.tool(
            login_url=live_server.url
            + reverse("lti:login", kwargs={"registration_uuid": registration.uuid}),
            launch_url=live_server.url + reverse("lti:launch"),
            jwks_url=live_server.url + reverse("lti:jwks"),
        )
        platform.course("course-1", "Year 9 Media Literacy", "MEDIA9")
        platform.person("teacher-1", "Rosa Diaz", [INSTRUCTOR], "Rosa", "Diaz")
        platform.person("student-1", "Amir Khan", [LEARNER], "Amir", "Khan")
        yield platform


@pytest.fixture
def course_visitor(browser_type, browser_type_launch_args, tmp_path, live_server, platform):
    """Open a Chromium profile with the given cookie setting; its page is a Journey whose
    requests may go to the app and to the platform."""
    contexts = []

    def open_profile(cookie_controls_mode: int) -> Journey:
        profile = tmp_path / f"profile-{len(contexts)}"
        (profile / "Default").mkdir(parents=True)
        # A command-line switch cannot set this; a profile's preferences can.
        preferences = {"profile": {"cookie_controls_mode": cookie_controls_mode}}
        (profile / "Default" / "Preferences").write_text(json.dumps(preferences))
        context = browser_type.launch_persistent_context(
            str(profile), **browser_type_launch_args, viewport={"width": 1280, "height": 1000}
        )
        contexts.append(context)
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(15_000)
        return Journey(page, live_server, other_origins=[platform.base_url])

    yield open_profile
    for context in contexts:
        context.close()


def tool_frame(journey: Journey, path: str):
    """The frame showing Sourcewise, once it has reached the app's `path`."""
    frame = journey.page.locator(FRAME).element_handle().content_frame()
    frame.wait_for_url(journey.url(path))
    return frame


def test_teacher_places_a_quiz_and_a_student_takes_it_inside_the_platform_page(
    course_visitor, platform
):
    # The teacher opens Sourcewise's deep-linking page from the course; their account is made
    # by this first launch, so the quiz they will place is written once they have one.
    teacher = course_visitor(ALLOW_THIRD_PARTY_COOKIES)
    teacher.page.goto(f"{platform.base_url}/courses/course-1/deep_link?user=teacher-1")
    expect(teacher.page.get_by_role("heading", name="Year 9 Media Literacy")).to_be_visible()
    inside = teacher.page.frame_locator(FRAME)
    expect(inside.get_by_role("heading", name="Choose a quiz for your course")).to_be_visible()
    expect(inside.get_by_text("You have no published quiz yet.")).to_be_visible()
    account = get_user_model().objects.get(lti_users__sub="teacher-1")
    quiz = QuizFactory(owner=account, title=QUIZ_TITLE, questions=3)
    # The platform's page again: a second launch, for the same account, now with a quiz.
    teacher.page.reload()
    expect(inside.get_by_role("heading", name="Choose a quiz for your course")).to_be_visible()
    teacher.check_accessibility(
        "the place page in the frame", frame=tool_frame(teacher, "/lti/place/")
    )
    inside.get_by_label("Quiz", exact=True).select_option(label=QUIZ_TITLE)
    inside.get_by_label("Attempts allowed").fill("2")
    inside.get_by_label("Show the answers").select_option("after_each")
    inside.get_by_role("button", name="Place in the course").click()
    # The answer page posts the signed answer to the platform at once, inside the frame.
    expect(inside.get_by_text(f"Placed: {QUIZ_TITLE}")).to_be_visible()
    assert len(platform.deep_link_responses) == 1
    assert teacher.requests.count(f"{platform.base_url}/deep_link_return") == 1
    [link] = platform.resource_links
    [line_item] = platform.line_items
    assert (link.title, link.course_id, link.line_item) == (QUIZ_TITLE, "course-1", line_item["id"])
    assert (line_item["label"], line_item["scoreMaximum"]) == (QUIZ_TITLE, 3)
    assignment = CourseClass.objects.get().classroom.assignments.get()
    assert (assignment.quiz, assignment.attempts_allowed) == (quiz, 2)
    teacher.assert_clean()

    # The student opens the placed activity in the course and lands on the assignment. Their
    # browser blocks third-party cookies: the partitioned ones are kept for this course's frame.
    student = course_visitor(BLOCK_THIRD_PARTY_COOKIES)
    student.page.goto(f"{platform.base_url}/courses/course-1/view?user=student-1&link={link.id}")
    inside = student.page.frame_locator(FRAME)
    expect(inside.get_by_role("heading", name=QUIZ_TITLE)).to_be_visible()
    student.check_accessibility(
        "the assignment in the frame",
        frame=tool_frame(student, reverse("quiz:assignment", args=[assignment.pk])),
    )
    inside.get_by_role("button", name="Start").click()
    questions = [item.question for item in quiz.items.order_by("position")]
    for number, question in enumerate(questions, start=1):
        expect(inside.locator("#question-prompt")).to_have_text(question.prompt)
        # Two right, the last one wrong: the score sent is 2 out of 3.
        right = number < len(questions)
        choice = question.choices.filter(is_correct=right).order_by("position").first()
        inside.get_by_label(choice.text, exact=True).check()
        inside.get_by_role("button", name="Check my answer").click()
        expect(inside.locator("#feedback")).to_contain_text(
            "Correct" if choice.is_correct else "Not quite"
        )
        if number < len(questions):
            inside.get_by_role("link", name="Next question").click()
    inside.get_by_role("button", name="Finish and see my results").click()
    expect(inside.locator(".big-score")).to_have_text("2 out of 3")
    attempt = Attempt.objects.get(assignment=assignment)
    assert attempt.student.lti_users.get().sub == "student-1"
    student.assert_clean()

    # The grade worker posts the score to the platform's gradebook column.
    assert score_posts_send().sent == 1
    score = platform.latest_score("student-1")
    assert score is not None and score.line_item == line_item["id"]
    assert (score.score_given, score.score_maximum) == (2, 3)
    assert score.activity_progress == "Completed" and score.grading_progress == "FullyGraded"


def test_a_browser_that_blocks_cookies_in_the_frame_opens_sourcewise_in_a_new_window(
    course_visitor, platform, live_server, settings
):
    # Without partitioned cookies (or in a browser that blocks those too) the frame keeps none.
    settings.LTI_COOKIES_PARTITIONED = False
    teacher = course_visitor(BLOCK_THIRD_PARTY_COOKIES)
    teacher.page.goto(f"{platform.base_url}/courses/course-1/deep_link?user=teacher-1")
    inside = teacher.page.frame_locator(FRAME)
    expect(inside.get_by_role("heading", name="Open Sourcewise in a new window")).to_be_visible()
    frame = teacher.page.locator(FRAME).element_handle().content_frame()
    assert frame.url.startswith(live_server.url + "/lti/login/")
    teacher.check_accessibility("the new-window offer in the frame", frame=frame)
    assert not get_user_model().objects.exists()  # nobody was signed in inside the frame

    with teacher.page.expect_popup() as opened:
        inside.get_by_role("button", name="Open Sourcewise in a new window").click()
    window = Journey(opened.value, live_server, other_origins=[platform.base_url])
    # In a window of its own Sourcewise's cookies are first-party: the launch goes through.
    expect(window.page.get_by_role("heading", name="Choose a quiz for your course")).to_be_visible()
    assert window.page.url == window.url(reverse("lti:place"))
    assert get_user_model().objects.get(lti_users__sub="teacher-1").get_full_name() == "Rosa Diaz"
    window.assert_clean()
    teacher.assert_clean()
