"""A student's first hour: from the front door to a class, and what to do after a quiz."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


# The front door


def test_the_login_page_leads_a_new_student_to_sign_up_with_a_class_code():
    client = Client()

    html = client.get(reverse("login")).content.decode()

    assert f'href="{reverse("quiz:join")}"' in html
    assert "Join a class with a code" in html
    join = client.get(reverse("quiz:join"))
    assert join.status_code == 200
    assert 'name="password1"' in join.content.decode()


def test_the_login_page_says_to_ask_the_teacher_for_a_forgotten_password():
    html = Client().get(reverse("login")).content.decode()

    assert "ask your teacher to reset it" in html
    # Nothing is sent by email: no reset page to link to, no address to type.
    assert "/password_reset/" not in html and 'type="email"' not in html
