"""Usernames unique whatever their case: "Racer-Y" cannot sign up while "racer-y" exists.

Django's own unique constraint on auth_user.username tells case apart; sign-up and login do
not. The index is on lower(username), which SQLite and PostgreSQL both index. Before it is
built, usernames that already clash are looked for and named, since the index cannot be made
while they exist.
"""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import Lower

INDEX_NAME = "auth_user_username_lower_uniq"


class UsernamesClash(Exception):
    """Some usernames differ only in case, so they cannot be made unique ignoring case."""


def usernames_clashing_refuse(apps, schema_editor):
    """Stop, naming them, if some usernames differ only in upper and lower case."""
    User = apps.get_model("auth", "User")
    folded = User.objects.annotate(folded=Lower("username"))
    clashing = (
        folded.values("folded").annotate(accounts=Count("pk")).filter(accounts__gt=1)
    ).values_list("folded", flat=True)
    groups: dict[str, list[str]] = {}
    for user in folded.filter(folded__in=list(clashing)).order_by("folded", "username"):
        groups.setdefault(user.folded, []).append(user.username)
    if groups:
        raise UsernamesClash(
            "These usernames differ only in upper and lower case, so usernames cannot be made "
            "unique ignoring case: "
            + "; ".join(", ".join(names) for names in groups.values())
            + ". Rename all but one in each group (in the admin's Users page; tell the people "
            "concerned), then run `manage.py migrate` again."
        )


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.RunPython(usernames_clashing_refuse, migrations.RunPython.noop),
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {INDEX_NAME} ON auth_user (lower(username))",
            f"DROP INDEX {INDEX_NAME}",
        ),
    ]
