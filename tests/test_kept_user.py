"""The signed-in user kept in a cache session: no lookup per request, no trust after a change."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.auth import SNAPSHOT_KEY, auth_epoch_renew
from config.sessions import AUTH_EPOCH_KEY
from tests.factories import TEST_PASSWORD, StudentFactory

User = get_user_model()


@pytest.fixture(autouse=True)
def cache_sessions(settings):
    """Sessions in the cache, as with REDIS_URL; the tests' cache is in memory."""
    settings.SESSION_ENGINE = "config.sessions"
    cache.clear()
    yield
    cache.clear()


def looks_up_the_user(client, url=None) -> bool:
    """Request a page; whether the request read the signed-in user from the database."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url or reverse("quiz:my_classes"))
    assert response.status_code == 200
    return any('"password"' in query["sql"] for query in queries.captured_queries)


def signed_in_and_kept(client, user) -> None:
    client.force_login(user)
    assert looks_up_the_user(client)  # no epoch in the cache yet: it starts one
    assert looks_up_the_user(client)  # checked against the database, and kept


@pytest.mark.django_db
def test_after_the_first_check_a_signed_in_request_reads_no_user():
    from django.test import Client

    client, student = Client(), StudentFactory()
    signed_in_and_kept(client, student)

    assert not looks_up_the_user(client)
    assert not looks_up_the_user(client)
    kept = client.session[SNAPSHOT_KEY]
    assert kept["id"] == str(student.pk)
    assert student.password not in str(kept), "the password hash is never copied to the session"


@pytest.mark.django_db
def test_the_kept_user_is_the_same_user(client):
    student = StudentFactory(first_name="Ada", last_name="Byron")
    signed_in_and_kept(client, student)

    response = client.get(reverse("quiz:my_classes"))

    user = response.wsgi_request.user
    assert (user.pk, user.username, user.first_name, user.is_authenticated) == (
        student.pk, student.username, "Ada", True,
    )  # fmt: skip
    assert user.check_password(TEST_PASSWORD), "the password hash still loads when asked for"


@pytest.mark.django_db
def test_a_password_change_elsewhere_signs_a_kept_session_out(
    client, django_capture_on_commit_callbacks
):
    student = StudentFactory()
    signed_in_and_kept(client, student)

    with django_capture_on_commit_callbacks(execute=True):
        student.set_password("a-new-password-1234")
        student.save()

    response = client.get(reverse("quiz:my_classes"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.django_db
def test_deactivating_a_student_signs_a_kept_session_out(
    client, django_capture_on_commit_callbacks
):
    student = StudentFactory()
    signed_in_and_kept(client, student)

    with django_capture_on_commit_callbacks(execute=True):
        student.is_active = False
        student.save()

    assert client.get(reverse("quiz:my_classes")).status_code == 302


@pytest.mark.django_db
def test_deleting_a_user_signs_a_kept_session_out(client, django_capture_on_commit_callbacks):
    student = StudentFactory()
    signed_in_and_kept(client, student)

    with django_capture_on_commit_callbacks(execute=True):
        student.delete()

    assert client.get(reverse("quiz:my_classes")).status_code == 302


@pytest.mark.django_db
def test_a_change_ends_the_trust_only_once_it_is_committed(django_capture_on_commit_callbacks):
    student = StudentFactory()
    auth_epoch_renew()
    before = cache.get(AUTH_EPOCH_KEY)

    with django_capture_on_commit_callbacks() as callbacks:
        student.first_name = "Renamed"
        student.save()
        # Until the change is committed, a session checking the database would still see the
        # old row: keeping it under the old epoch must stay possible, and be undone after.
        assert cache.get(AUTH_EPOCH_KEY) == before

    assert len(callbacks) == 1
    callbacks[0]()
    assert cache.get(AUTH_EPOCH_KEY) not in {None, before}


@pytest.mark.django_db
def test_signing_in_records_the_time_without_ending_any_trust(
    client, django_capture_on_commit_callbacks
):
    student = StudentFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("login"), {"username": student.username, "password": TEST_PASSWORD}
        )
    assert response.status_code == 302
    assert callbacks == []


@pytest.mark.django_db
def test_a_kept_user_is_checked_again_after_the_refresh_interval(client, settings):
    student = StudentFactory()
    signed_in_and_kept(client, student)
    assert not looks_up_the_user(client)

    settings.SESSION_REFRESH_SECONDS = 0

    assert looks_up_the_user(client)


@pytest.mark.django_db
def test_another_student_signing_in_on_the_same_browser_is_themselves(client):
    first, second = StudentFactory(), StudentFactory()
    signed_in_and_kept(client, first)

    client.post(reverse("login"), {"username": second.username, "password": TEST_PASSWORD})
    response = client.get(reverse("quiz:my_classes"))

    assert response.wsgi_request.user.pk == second.pk


@pytest.mark.django_db
def test_a_session_without_a_user_keeps_nothing(client):
    auth_epoch_renew()
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert SNAPSHOT_KEY not in client.session


@pytest.mark.django_db
def test_signing_out_forgets_the_kept_user(client):
    student = StudentFactory()
    signed_in_and_kept(client, student)

    client.post(reverse("logout"))

    response = client.get(reverse("quiz:my_classes"))
    assert response.status_code == 302
    assert SNAPSHOT_KEY not in client.session


@pytest.mark.django_db
def test_a_request_without_a_session_touches_no_cache(client, monkeypatch):
    from django.core.cache.backends.locmem import LocMemCache

    def refuse(*args, **kwargs):
        raise AssertionError("a request without a session cookie used the cache")

    for method in ("get", "get_many", "add", "set"):
        monkeypatch.setattr(LocMemCache, method, refuse)

    assert client.get(reverse("bench_baseline")).status_code == 200
    assert client.get(reverse("login")).status_code == 200


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.django_db
def test_with_redis_the_epoch_comes_with_the_session_and_the_user_is_kept(client, settings):
    url = "redis://127.0.0.1:6379/14"
    if not redis_answers(url):
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": "t"}
    }
    cache.clear()
    student = StudentFactory()
    signed_in_and_kept(client, student)

    assert not looks_up_the_user(client)
    auth_epoch_renew()  # as after any change to a user
    assert looks_up_the_user(client)
    assert not looks_up_the_user(client)
    cache.clear()
