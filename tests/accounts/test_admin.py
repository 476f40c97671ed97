import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

GUARDED = [
    "auth_user",
    "auth_group",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
]


@pytest.mark.parametrize("name", GUARDED)
def test_a_teacher_learns_nothing_from_the_history_of_users_groups_or_logins(client, teacher, name):
    """Refused before the lookup: the answer is the same for an id that exists and one that
    does not."""
    client.force_login(teacher)

    existing = client.get(reverse(f"admin:{name}_history", args=[teacher.pk]))
    missing = client.get(reverse(f"admin:{name}_history", args=[2_000_000_000]))

    assert existing.status_code == missing.status_code == 403


def test_a_superuser_still_reads_a_users_history(client, superuser, teacher):
    client.force_login(superuser)

    response = client.get(reverse("admin:auth_user_history", args=[teacher.pk]))

    assert response.status_code == 200


def test_renaming_a_user_to_a_case_variant_of_another_is_refused_in_words(
    client, superuser, teacher, student
):
    client.force_login(superuser)
    url = reverse("admin:auth_user_change", args=[student.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data |= {"username": teacher.username.upper(), "date_joined_0": "2026-01-01"}
    data |= {"date_joined_1": "09:00:00", "last_login_0": "", "last_login_1": ""}
    data.pop("password", None)

    response = client.post(url, {k: v for k, v in data.items() if not isinstance(v, list)})

    assert response.status_code == 200
    assert "usernames ignore case" in response.content.decode()
    student.refresh_from_db()
    assert student.username != teacher.username.upper()
