"""Usernames are unique whatever their case, and the migration that makes them so says why not."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction

from tests.factories import StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db

MIGRATION = "accounts.migrations.0001_usernames_unique_ignoring_case"


def test_a_username_differing_only_in_case_is_refused_by_the_database():
    TeacherFactory(username="demo-teacher")

    with pytest.raises(IntegrityError), transaction.atomic():
        get_user_model().objects.create(username="Demo-Teacher")


def test_the_migration_names_the_usernames_that_clash_instead_of_failing_blindly():
    migration = importlib.import_module(MIGRATION)
    # As on a database from before the index: drop it (this test's transaction puts it back).
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {migration.INDEX_NAME}")
    for username in ["Racer-Y", "racer-y", "RACER-Y", "Ada", "ada", "bob"]:
        StudentFactory(username=username)

    with pytest.raises(migration.UsernamesClash) as error:
        migration.usernames_clashing_refuse(apps, None)

    message = str(error.value)
    assert "RACER-Y, Racer-Y, racer-y" in message
    assert "Ada, ada" in message
    assert "bob" not in message
    assert "rename" in message.lower()


def test_the_migration_lets_distinct_usernames_through():
    migration = importlib.import_module(MIGRATION)
    StudentFactory(username="ada")
    StudentFactory(username="bob")

    migration.usernames_clashing_refuse(apps, None)
