"""Ids and other whole numbers read from a request, for both apps.

`str.isdigit()` and `int()` accept far more than a browser sends: "²" is a digit to
`isdigit()` but not to `int()`, "٣" and "𝟘" are read as 3 and 0, and a string of more than
4,300 digits makes `int()` raise. A request's number is ASCII digits, a few of them, within
what a bigint column holds; anything else is None, for the view to refuse in words.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

ID_MAX = 2**63 - 1  # the largest bigint, so the largest primary key
# No more digits than ID_MAX has; "0007" is still 7.
_ASCII_NUMBER = re.compile(rf"[0-9]{{1,{len(str(ID_MAX))}}}")


def number_parse(value, *, minimum: int = 0, maximum: int = ID_MAX) -> int | None:
    """Return the whole number `value` spells in ASCII digits, or None if it is not one in range."""
    if not isinstance(value, str) or not _ASCII_NUMBER.fullmatch(value):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def id_parse(value) -> int | None:
    """Return the primary key `value` names (1 to 2**63 - 1), or None if it names none."""
    return number_parse(value, minimum=1)


class IdModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that reads the posted id with `id_parse`, as the views read ids."""

    def to_python(self, value):
        if value not in self.empty_values and id_parse(str(value)) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)
