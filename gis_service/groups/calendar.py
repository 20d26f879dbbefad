"""The agenda as iCalendar (RFC 5545), for calendar clients that subscribe to a URL."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from gis_service.core.links import site_url
from gis_service.groups.models import AgendaItem

# A meeting has no end in our agenda; clients need one, and two hours fits a work morning.
DEFAULT_DURATION = timedelta(hours=2)


def _uid(item: AgendaItem) -> str:
    # Stable per item and per site, so a client updates an event rather than adding it twice.
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    return f"agenda-{item.pk}@{host}"


def agenda_ical(*, name: str, items: Iterable[AgendaItem]) -> bytes:
    """A VCALENDAR with one VEVENT per agenda item; times in UTC, so no VTIMEZONE is needed."""
    cal = Calendar()
    cal.add("prodid", "-//Zelfbeheerplatform//Agenda//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().replace(microsecond=0)
    for item in items:
        event = Event()
        event.add("uid", _uid(item))
        event.add("dtstamp", stamp)
        start = item.starts_at.astimezone(UTC).replace(microsecond=0)
        event.add("dtstart", start)
        event.add("dtend", start + DEFAULT_DURATION)
        event.add("summary", f"{item.title} ({item.group.name})")
        if item.place:
            event.add("location", item.place)
        description = item.description
        url = site_url("web:group", item.group_id, anchor="agenda")
        event.add("description", f"{description}\n\n{url}".strip())
        event.add("url", url)
        cal.add_component(event)
    return cal.to_ical()
