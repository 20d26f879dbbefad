"""Dates inside the texts we write (messages, errors, e-mails): one way, the way the reader's language
writes a date, as the templates do with `|date:"DATE_FORMAT"`."""

from __future__ import annotations

import datetime as dt

from django.utils import formats


def written_date(day: dt.date) -> str:
    """`day` as the active language writes it: "6 december 2026" in Dutch, "Dec. 6, 2026" in English.

    Call it where the sentence is translated (inside `translation.override` for a mail), never before:
    it reads the active language when it runs.
    """
    return formats.date_format(day, "DATE_FORMAT")
