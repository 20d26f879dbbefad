"""Dates inside the texts we write (messages, errors, e-mails): one way, the way the reader's language
writes a date, as the templates do with `|date:"DATE_FORMAT"` (English formats: gis_service/formats/en)."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone


def written_date(day: dt.date) -> str:
    """`day` as the active language writes it: "6 december 2026" in Dutch, "6 December 2026" in English.

    Call it where the sentence is translated (inside `translation.override` for a mail), never before:
    it reads the active language when it runs.
    """
    return formats.date_format(day, "DATE_FORMAT")


def written_datetime(moment: dt.datetime) -> str:
    """`moment` in the site's time zone, as the active language writes it: "6 december 2026 14:30" in
    Dutch, "6 December 2026, 14:30" in English. Like `written_date`, call it where the sentence is built."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
