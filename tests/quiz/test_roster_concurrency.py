"""Roster imports of one class running at the same time, on PostgreSQL with real threads."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, connections

from quiz import services
from quiz.models import Enrollment
from tests.factories import ClassroomFactory

ROSTER = b"First name,Last name\nAmara,Okafor\nBen,Adeyemi\n"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_imports_of_one_list_create_one_account_per_student():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    classroom = ClassroomFactory()
    threads_count = 4
    barrier = threading.Barrier(threads_count)
    outcomes = []

    def import_roster():
        barrier.wait()
        try:
            result = services.roster_import(classroom=classroom, data=ROSTER)
            outcomes.append(("imported", len(result.created), len(result.skipped)))
        except ValidationError as error:
            outcomes.append(("refused", error.messages, None))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=import_roster) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    users = get_user_model().objects.filter(last_name__in=["Okafor", "Adeyemi"])
    assert sorted(users.values_list("first_name", flat=True)) == ["Amara", "Ben"]
    assert Enrollment.objects.filter(classroom=classroom).count() == 2
    # One import created both; every other one found them in the class and skipped them.
    assert sorted(outcomes) == [("imported", 0, 2)] * (threads_count - 1) + [("imported", 2, 0)]
