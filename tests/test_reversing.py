"""reverse_ids gives the URL reverse() gives, without reversing each time."""

import pytest
from django.urls import NoReverseMatch, path, register_converter, reverse, set_script_prefix

from config import reversing
from config.reversing import reverse_ids


class PaddedConverter:
    regex = "[0-9]{6}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):06d}"


register_converter(PaddedConverter, "padded")


def view(request, pk):  # pragma: no cover - only reversed
    raise AssertionError


urlpatterns = [path("padded/<padded:pk>/", view, name="padded")]


@pytest.fixture(autouse=True)
def fresh_templates():
    reversing._template.cache_clear()
    yield
    reversing._template.cache_clear()
    set_script_prefix("/")


@pytest.mark.parametrize(
    ("name", "ids"),
    [
        ("quiz:question", (1, 2)),
        ("quiz:question", (918273645501, 0)),
        ("quiz:answer", (2**63 - 1, 40)),
        ("quiz:attempt", (7,)),
        ("admin:quiz_question_change", (12,)),
    ],
)
def test_the_url_is_the_one_reverse_gives(name, ids):
    assert reverse_ids(name, *ids) == reverse(name, args=ids)
    assert reverse_ids(name, *ids) == reverse(name, args=ids)  # and again, from the template


def test_the_script_prefix_of_the_request_leads_the_url():
    set_script_prefix("/school/")

    assert reverse_ids("quiz:question", 3, 4) == "/school/attempts/3/questions/4/"


def test_what_is_not_an_id_is_left_to_reverse_and_its_errors():
    with pytest.raises(NoReverseMatch):
        reverse_ids("quiz:question", -1, 2)
    with pytest.raises(NoReverseMatch):
        reverse_ids("quiz:question", 1)
    assert reverse_ids("quiz:attempt", "5") == reverse("quiz:attempt", args=["5"])


def test_a_converter_that_writes_ids_its_own_way_is_left_to_reverse(settings):
    settings.ROOT_URLCONF = __name__

    assert reverse_ids("padded", 42) == "/padded/000042/"
    assert reversing._template("padded", 1, "/") is None
