"""The agenda as iCalendar: per group (public, as the agenda is) and per user (a secret URL)."""

from __future__ import annotations

from datetime import UTC, timedelta

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from gis_service.accounts.models import User
from gis_service.groups import services
from gis_service.groups.models import CalendarKey, Group
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square


def _parse(body: bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(body)
    assert isinstance(calendar, icalendar.Calendar)
    return calendar


@pytest.mark.django_db
def test_the_group_feed_is_valid_icalendar_with_every_agenda_item(group: Group, manager: User) -> None:
    starts = timezone.now().replace(microsecond=0) + timedelta(days=3)
    services.agenda_add(group=group, user=manager, title="Werkochtend", starts_at=starts, place="Bij het bankje")
    services.agenda_add(group=group, user=manager, title="Overleg", starts_at=starts + timedelta(days=7))

    response = Client().get(f"/groepen/{group.pk}/agenda.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = _parse(response.content)
    assert calendar["VERSION"] == "2.0" and str(calendar["X-WR-CALNAME"]) == "Speelveldje groen"
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("DTSTART"))
    assert [str(e["SUMMARY"]) for e in events] == ["Werkochtend (Speelveldje groen)", "Overleg (Speelveldje groen)"]
    first = events[0]
    assert first.decoded("DTSTART") == starts.astimezone(UTC)
    # In UTC ("Z"): a feed without VTIMEZONE must not carry floating times, read in each client's own zone.
    assert f"DTSTART:{starts.astimezone(UTC):%Y%m%dT%H%M%S}Z".encode() in response.content
    assert first.decoded("DTEND") - first.decoded("DTSTART") == timedelta(hours=2)
    assert str(first["LOCATION"]) == "Bij het bankje"
    assert f"/groepen/{group.pk}/" in str(first["URL"])
    assert len({str(e["UID"]) for e in events}) == 2  # a client must be able to tell them apart
    # Every line folded at 75 octets with CRLF, as RFC 5545 asks (clients are strict about it).
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))


@pytest.mark.django_db
def test_the_same_event_keeps_its_uid_so_clients_update_it(group: Group, manager: User) -> None:
    services.agenda_add(group=group, user=manager, title="Werkochtend", starts_at=timezone.now() + timedelta(days=1))
    first = _parse(Client().get(f"/groepen/{group.pk}/agenda.ics").content).walk("VEVENT")[0]["UID"]
    again = _parse(Client().get(f"/groepen/{group.pk}/agenda.ics").content).walk("VEVENT")[0]["UID"]
    assert first == again


@pytest.mark.django_db
def test_an_unknown_group_has_no_feed() -> None:
    assert Client().get("/groepen/999999/agenda.ics").status_code == 404


@pytest.mark.django_db
def test_a_users_secret_feed_holds_the_agendas_of_all_their_groups_only(
    group: Group, manager: User, volunteer: User, owner_a: Owner
) -> None:
    other_location = Location.objects.create(owner=owner_a, name="Hofje", geometry=rd_square(121100, 487000, 20))
    followed = services.group_create(location=other_location, name="Hofje groen", managers=[manager])
    elsewhere = services.group_create(
        location=Location.objects.create(owner=owner_a, name="Elders", geometry=rd_square(121200, 487000, 20)),
        name="Elders groen",
        managers=[manager],
    )
    soon = timezone.now() + timedelta(days=2)
    services.agenda_add(group=group, user=manager, title="Maaien", starts_at=soon)
    services.agenda_add(group=followed, user=manager, title="Snoeien", starts_at=soon)
    services.agenda_add(group=elsewhere, user=manager, title="Niet voor Vera", starts_at=soon)
    services.group_follow(group=followed, user=volunteer)

    client = Client()
    client.force_login(volunteer)
    response = client.post("/agenda/link/", {"next": f"/groepen/{group.pk}/"})
    assert response.status_code == 302
    token = CalendarKey.objects.get(user=volunteer).token
    assert f"/agenda/{token}.ics" in client.get(f"/groepen/{group.pk}/").content.decode()

    feed = Client().get(f"/agenda/{token}.ics")  # a calendar client: no session

    assert feed.status_code == 200
    summaries = sorted(str(e["SUMMARY"]) for e in _parse(feed.content).walk("VEVENT"))
    assert summaries == ["Maaien (Speelveldje groen)", "Snoeien (Hofje groen)"]


@pytest.mark.django_db
def test_a_renewed_personal_link_makes_the_old_one_stop_working(volunteer: User) -> None:
    old = services.calendar_key_get(user=volunteer).token
    assert services.calendar_key_get(user=volunteer).token == old  # asking again keeps it
    new = services.calendar_key_renew(user=volunteer).token
    assert new != old
    assert Client().get(f"/agenda/{old}.ics").status_code == 404
    assert Client().get(f"/agenda/{new}.ics").status_code == 200


@pytest.mark.django_db
def test_a_stopped_personal_link_is_not_found_and_the_page_offers_a_new_one(group: Group, volunteer: User) -> None:
    token = services.calendar_key_get(user=volunteer).token
    client = Client()
    client.force_login(volunteer)
    page = client.post("/agenda/link/", {"stop": "1", "next": f"/groepen/{group.pk}/"}, follow=True)
    assert "Je persoonlijke agendalink werkt niet meer." in page.content.decode()
    assert "Maak een agendalink voor al je groepen" in page.content.decode()
    assert Client().get(f"/agenda/{token}.ics").status_code == 404
    assert not CalendarKey.objects.exists()


@pytest.mark.django_db
def test_a_guessed_personal_link_is_not_found() -> None:
    assert Client().get("/agenda/geraden.ics").status_code == 404


@pytest.mark.django_db
def test_the_group_page_links_the_feed(group: Group) -> None:
    text = Client().get(f"/groepen/{group.pk}/").content.decode()
    assert f'/groepen/{group.pk}/agenda.ics"' in text
    assert "/agenda/link/" not in text  # anonymous visitors have no personal feed to make


@pytest.mark.django_db
def test_a_deleted_account_takes_its_personal_feed_with_it(group: Group, volunteer: User) -> None:
    from gis_service.accounts.services import account_delete

    token = services.calendar_key_get(user=volunteer).token
    account_delete(user=volunteer, password="pw-" + volunteer.username * 2)
    assert Client().get(f"/agenda/{token}.ics").status_code == 404
    assert not CalendarKey.objects.exists()


@pytest.mark.django_db
def test_calendar_apps_may_ask_the_feeds_with_head(group: Group, volunteer: User) -> None:
    """Calendar clients and subscription checks ask HEAD before they GET; a 405 read as a broken URL."""
    token = services.calendar_key_get(user=volunteer).token
    for url in (f"/groepen/{group.pk}/agenda.ics", f"/agenda/{token}.ics"):
        response = Client().head(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/calendar")
