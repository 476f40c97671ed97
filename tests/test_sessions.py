"""Signed-in sessions in the cache, as with REDIS_URL: Django's own checks end them."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from tests.factories import TEST_PASSWORD, StudentFactory

User = get_user_model()


@pytest.fixture(autouse=True)
def cache_sessions(settings):
    """Sessions in the cache, as with REDIS_URL; the tests' cache is in memory."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    cache.clear()
    yield
    cache.clear()


def signs_in(client, user) -> None:
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("quiz:my_classes")).status_code == 200


def is_signed_out(client) -> bool:
    response = client.get(reverse("quiz:my_classes"))
    return response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.django_db
def test_a_login_keeps_the_student_signed_in_with_djangos_model_backend(client):
    student = StudentFactory()
    signs_in(client, student)

    assert client.session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"
    response = client.get(reverse("quiz:my_classes"))
    assert response.wsgi_request.user.pk == student.pk


@pytest.mark.django_db
def test_a_password_change_elsewhere_signs_the_session_out(client):
    student = StudentFactory()
    signs_in(client, student)

    student.set_password("a-new-password-1234")
    student.save()

    assert is_signed_out(client)


@pytest.mark.django_db
def test_deactivating_a_student_signs_the_session_out(client):
    student = StudentFactory()
    signs_in(client, student)

    student.is_active = False
    student.save()

    assert is_signed_out(client)


@pytest.mark.django_db
def test_deactivating_students_in_one_update_signs_them_out_on_their_next_request(client):
    # No model signal is sent here: the user is read from the database on every request.
    student = StudentFactory()
    signs_in(client, student)

    User.objects.filter(pk=student.pk).update(is_active=False)

    assert is_signed_out(client)


@pytest.mark.django_db
def test_deleting_a_user_signs_the_session_out(client):
    student = StudentFactory()
    signs_in(client, student)

    student.delete()

    assert is_signed_out(client)


@pytest.mark.django_db
def test_another_student_signing_in_on_the_same_browser_is_themselves(client):
    first, second = StudentFactory(), StudentFactory()
    signs_in(client, first)

    signs_in(client, second)

    assert client.get(reverse("quiz:my_classes")).wsgi_request.user.pk == second.pk


@pytest.mark.django_db
def test_signing_out_ends_the_session(client):
    student = StudentFactory()
    signs_in(client, student)

    client.post(reverse("logout"))

    assert is_signed_out(client)


@pytest.mark.django_db
def test_a_request_without_a_session_touches_no_cache(client, monkeypatch):
    from django.core.cache.backends.locmem import LocMemCache

    def refuse(*args, **kwargs):
        raise AssertionError("a request without a session cookie used the cache")

    for method in ("get", "get_many", "add", "set"):
        monkeypatch.setattr(LocMemCache, method, refuse)

    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("login")).status_code == 200


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.django_db
def test_with_redis_a_session_signs_in_and_out_as_in_memory(client, settings):
    url = "redis://127.0.0.1:6379/14"
    if not redis_answers(url):
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "test-sessions",
        }
    }
    cache.clear()
    student = StudentFactory()
    signs_in(client, student)
    assert cache.get(f"django.contrib.sessions.cache{client.session.session_key}") is not None

    User.objects.filter(pk=student.pk).update(is_active=False)

    assert is_signed_out(client)
    cache.clear()


@pytest.mark.django_db
def test_a_session_cache_that_cannot_be_reached_is_a_503_not_a_sign_out(settings, monkeypatch):
    # The session store config/settings.py uses with REDIS_URL; the connection error is the
    # one django-redis raises when Redis refuses the connection.
    import redis
    from django.core.cache.backends.locmem import LocMemCache
    from django.test import Client

    settings.SESSION_ENGINE = "config.sessions"
    client = Client(raise_request_exception=False)
    signs_in(client, StudentFactory())

    def refuse(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting. Connection refused.")

    monkeypatch.setattr(LocMemCache, "get", refuse)
    response = client.get(reverse("quiz:my_classes"))

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "sessionid" not in response.cookies
    monkeypatch.undo()
    assert client.get(reverse("quiz:my_classes")).status_code == 200


@pytest.mark.django_db
def test_a_session_key_the_cache_refuses_is_still_no_session(client, settings, monkeypatch):
    # Django's own rule (ticket #17810), kept: only an unreachable cache is an outage.
    from django.core.cache.backends.locmem import LocMemCache

    settings.SESSION_ENGINE = "config.sessions"
    signs_in(client, StudentFactory())

    def refuse(*args, **kwargs):
        raise ValueError("invalid cache key")

    monkeypatch.setattr(LocMemCache, "get", refuse)

    assert is_signed_out(client)
