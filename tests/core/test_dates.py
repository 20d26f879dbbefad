"""Dates as each language writes them: day month year in Dutch and in English too, for our English
readers live in the Netherlands (gis_service/formats/en)."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone, translation

from gis_service.core.dates import written_date, written_datetime

DAY = dt.date(2026, 12, 6)
MOMENT = timezone.make_aware(dt.datetime(2026, 12, 6, 14, 30))  # in the site's time zone


@pytest.mark.parametrize(
    ("language", "date", "datetime"),
    [("nl", "6 december 2026", "6 december 2026 14:30"), ("en", "6 December 2026", "6 December 2026, 14:30")],
)
def test_a_date_in_a_sentence_is_day_month_year(language: str, date: str, datetime: str) -> None:
    with translation.override(language):
        assert written_date(DAY) == date
        assert written_datetime(MOMENT) == datetime


def test_a_moment_is_written_in_the_site_s_time_zone() -> None:
    with translation.override("en"):
        assert written_datetime(MOMENT.astimezone(dt.UTC)) == "6 December 2026, 14:30"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "6 december 2026 | 6 december 2026 14:30 | 6 december | zondag 6 december, 14:30 | 6-12-2026"),
        ("en", "6 December 2026 | 6 December 2026, 14:30 | 6 December | Sunday 6 December, 14:30 | 06/12/2026"),
    ],
)
def test_the_templates_formats_put_the_day_first(language: str, expected: str) -> None:
    """Every format the templates use with |date, and the short one of the admin's lists."""
    template = Template(
        '{{ day|date:"DATE_FORMAT" }} | {{ moment|date:"DATETIME_FORMAT" }} | {{ day|date:"MONTH_DAY_FORMAT" }}'
        ' | {{ moment|date:"l j F, H:i" }} | {{ day|date:"SHORT_DATE_FORMAT" }}'
    )
    with translation.override(language):
        assert template.render(Context({"day": DAY, "moment": MOMENT})) == expected


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_date_typed_with_slashes_is_day_month_year(language: str) -> None:
    """06/12/2026 is 6 December in either language (in Django's US English it was June 12)."""
    field = forms.DateField(localize=True)
    with translation.override(language):
        assert field.clean("06/12/2026") == DAY
        assert field.clean("2026-12-06") == DAY


def test_english_weeks_start_on_monday() -> None:
    from django.utils.formats import get_format

    with translation.override("en"):
        assert get_format("FIRST_DAY_OF_WEEK") == 1
