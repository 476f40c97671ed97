"""No self-service password reset: students have no email, teachers reset their passwords."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/set-password/",
        "/accounts/reset/done/",
    ],
)
def test_there_is_no_page_claiming_a_reset_email_was_sent(url):
    response = Client().post(url, {"email": "someone@example.org"})

    assert response.status_code == 404


def test_the_reset_urls_are_gone_and_the_password_change_stays(client, student):
    with pytest.raises(NoReverseMatch):
        reverse("password_reset")
    client.force_login(student)

    assert client.get(reverse("password_change")).status_code == 200


def test_the_login_page_tells_a_student_who_forgot_their_password_what_to_do(client):
    html = client.get(reverse("login")).content.decode()

    assert "ask your teacher" in html
