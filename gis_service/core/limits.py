"""Length limits of free text: one number per kind of text, for forms, services and the database.

The same constant is the form field's `max_length` (and so the textarea's `maxlength`), the
service's check (for the API, the admin and commands) and the table's CHECK constraint, so no
path can store more and every refusal names the limit. Before these, a 5 MB description was
stored and e-mailed in full (issue 17).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import ngettext

# One line: a title, a place, a reward (the varchar(200) columns).
TITLE = 200
# An offering's reward (its varchar(255) column).
REWARD = 255
# A post, a plan, a reason, a description: about two pages of A4.
MESSAGE = 5_000
# Conditions and terms of a contract: about 25 pages; the longest municipal model contract we
# read (Utrecht's zelfbeheerovereenkomst) is under 15.
TERMS = 50_000


def too_long_message(limit: int, length: int) -> str:
    """The refusal of a text longer than `limit`, naming the limit and the length sent."""
    return ngettext(
        "Gebruik hoogstens %(limit)d teken (nu %(length)d).",
        "Gebruik hoogstens %(limit)d tekens (nu %(length)d).",
        limit,
    ) % {"limit": limit, "length": length}


def normalise_newlines(value: str) -> str:
    """Browsers post a textarea's line breaks as CRLF but count them as one character in
    `maxlength`; counting them as one here too keeps a text the browser allowed within the limit."""
    return value.replace("\r\n", "\n")


def check_length(value: str, field: str, limit: int) -> str:
    """`value` (newlines normalised) when it fits in `limit` characters; else a ValidationError on `field`."""
    value = normalise_newlines(value)
    if len(value) > limit:
        raise ValidationError({field: too_long_message(limit, len(value))}, code="max_length")
    return value


def max_length_constraint(field: str, limit: int, *, name: str) -> models.CheckConstraint:
    """The database's copy of a text limit: a CHECK on the column's length, whatever path writes it."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)
