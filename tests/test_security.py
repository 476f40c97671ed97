import pytest
from django.urls import reverse

from config.middleware import SESSION_TOUCHED_KEY
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))

    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script_or_style(client, student):
    client.force_login(student)

    for url in [reverse("login"), reverse("quiz:my_classes"), reverse("quiz:join")]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and "<script type" not in html
        assert "style=" not in html
        assert "<style" not in html


def test_five_wrong_passwords_lock_that_username_with_a_helpful_message(client, student):
    for _ in range(5):
        login(client, student.username, "wrong")

    response = login(client, student.username, TEST_PASSWORD)

    assert response.status_code == 429
    html = response.content.decode()
    assert "ask your teacher to reset it" in html
    assert "_auth_user_id" not in client.session


def test_one_students_lockout_does_not_lock_classmates_on_the_same_address(
    client, student, other_student
):
    for _ in range(5):
        login(client, student.username, "wrong")

    response = login(client, other_student.username, TEST_PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other_student.pk)


def test_login_rotates_the_session_key(client, student):
    client.get(reverse("login"))
    client.session["anything"] = 1
    before = client.cookies.get("sessionid")

    login(client, student.username, TEST_PASSWORD)

    after = client.cookies["sessionid"].value
    assert before is None or before.value != after


def test_logout_invalidates_the_old_session(client, student):
    login(client, student.username, TEST_PASSWORD)
    old_key = client.cookies["sessionid"].value

    client.post(reverse("logout"))
    client.cookies["sessionid"] = old_key

    response = client.get(reverse("quiz:my_classes"))
    assert response.status_code == 302


def test_session_expiry_moves_forward_while_in_use_but_not_on_every_request(
    client, student, settings
):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    login(client, student.username, TEST_PASSWORD)
    key = client.cookies["sessionid"].value
    first_touch = client.session[SESSION_TOUCHED_KEY]

    client.get(reverse("quiz:my_classes"))
    assert client.session[SESSION_TOUCHED_KEY] == first_touch  # recent: nothing saved

    # An hour later, with the expiry close: using the site pushes it forward again.
    session = client.session
    session[SESSION_TOUCHED_KEY] = first_touch - 3600
    session.save()
    soon = timezone.now() + timezone.timedelta(minutes=10)
    Session.objects.filter(pk=key).update(expire_date=soon)

    client.get(reverse("quiz:my_classes"))

    renewed = Session.objects.get(pk=key).expire_date
    assert renewed > soon + timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE / 2)


def test_missing_pages_use_our_layout_and_leak_nothing(client, student):
    client.force_login(student)

    response = client.get("/attempts/999999/results/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "not yours to see" in html
    assert "Traceback" not in html and "DEBUG" not in html


def test_a_form_without_its_csrf_token_is_explained(student):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": student.username, "password": "x"})

    assert response.status_code == 403
    assert "This page has expired" in response.content.decode()


def test_an_upload_past_the_limit_is_stopped_while_it_arrives(rf, settings):
    from django.core.files.uploadhandler import StopUpload

    from config.uploads import SizeLimitUploadHandler

    settings.MAX_UPLOAD_BYTES = 1000
    request = rf.post("/")
    handler = SizeLimitUploadHandler(request)
    handler.handle_raw_input(None, {}, 500, b"b")
    handler.receive_data_chunk(b"x" * 600, 0)

    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 600, 600)

    assert request.upload_too_large


def test_an_upload_announced_as_too_large_is_refused_at_its_first_chunk(rf, settings):
    from django.core.files.uploadhandler import StopUpload

    from config.uploads import SizeLimitUploadHandler

    settings.MAX_UPLOAD_BYTES = 1000
    request = rf.post("/")
    handler = SizeLimitUploadHandler(request)
    handler.handle_raw_input(None, {}, 10_000_000, b"b")

    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 10, 0)

    assert request.upload_too_large


@pytest.mark.parametrize("username", ["x" * 300, "é" * 151])
def test_an_over_long_username_is_refused_with_a_message(client, username):
    response = client.post(reverse("login"), {"username": username, "password": "whatever"})

    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()


def test_static_files_cannot_be_framed_either(client, settings):
    # WhiteNoise answers for static files before the view middleware; serve them from the
    # finders, as without collectstatic.
    settings.WHITENOISE_USE_FINDERS = True

    response = client.get("/static/css/site.css")

    assert response.status_code == 200
    assert "WhiteNoise" in type(response).__name__
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("ssl_redirect", [False, True])
def test_the_400_for_a_host_not_allowed_cannot_be_framed(client, settings, ssl_redirect):
    # With the HTTPS redirect on (production), the first middleware already reads the host.
    settings.SECURE_SSL_REDIRECT = ssl_redirect

    response = client.get(reverse("login"), headers={"host": "evil.example"})

    assert response.status_code == 400
    assert response["X-Frame-Options"] == "DENY"


def test_behind_a_proxy_a_lockout_counts_the_clients_address_not_the_proxys(
    client, student, other_student, settings
):
    settings.PROXY_COUNT = 1
    for _ in range(5):
        login(client, student.username, "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7")

    locked = login(client, student.username, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7")
    other = login(client, student.username, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9")

    assert locked.status_code == 429
    assert other.status_code == 302
