"""A group's managers lead it: they take a volunteer out of the group and hide a forum post. What that
does, and that it reaches everyone who reads the group (page, thread, API) and nobody else's hands."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from gis_service.accounts.models import User
from gis_service.groups import services
from gis_service.groups.models import ForumPost, Group, GroupMember, HourEntry, MembershipPeriod, StatusUpdate, Task
from tests.conftest import SmtpServer


@pytest.mark.django_db(transaction=True)
def test_a_manager_takes_a_volunteer_out_and_the_volunteer_is_told(
    group: Group, manager: User, volunteer: User, smtp_server: SmtpServer, celery_worker: str
) -> None:
    task = services.task_add(group=group, user=manager, title="Maaien")
    services.task_take(task=task, user=volunteer)
    services.hours_log(group=group, user=volunteer, worked_on=timezone.localdate(), hours=Decimal(2))
    client = Client()
    client.force_login(manager)

    page = client.get(f"/groepen/{group.pk}/")
    assert f"/groepen/{group.pk}/leden/{volunteer.pk}/verwijderen/" in page.content.decode()
    response = client.post(f"/groepen/{group.pk}/leden/{volunteer.pk}/verwijderen/")

    assert response.status_code == 302 and response["Location"] == f"/groepen/{group.pk}/#leden"
    assert not GroupMember.objects.filter(group=group, user=volunteer).exists()
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN and task.taken_by is None  # open again for others
    assert HourEntry.objects.filter(group=group, user=volunteer).exists()  # their hours still count
    assert MembershipPeriod.objects.get(group=group, user=volunteer).ended_at is not None
    (mail,) = smtp_server.wait_for(1)
    assert mail["To"] == volunteer.email and group.name in mail["Subject"]
    assert re.search(rf"https?://\S+/groepen/{group.pk}/", mail.get_content())  # absolute: it works from a mail
    # Twice (a double tap, or another manager at the same time) is a 404, not an error nor a second mail.
    assert client.post(f"/groepen/{group.pk}/leden/{volunteer.pk}/verwijderen/").status_code == 404


@pytest.mark.django_db
def test_a_manager_is_not_taken_out_as_a_volunteer(group: Group, manager: User, volunteer: User) -> None:
    co_manager = User.objects.create_user(username="co", email="co@example.org")
    services.member_set(group=group, user=co_manager, role=GroupMember.Role.MANAGER)
    client = Client()
    client.force_login(manager)
    assert client.post(f"/groepen/{group.pk}/leden/{co_manager.pk}/verwijderen/").status_code == 404
    assert client.post(f"/groepen/{group.pk}/leden/{manager.pk}/verwijderen/").status_code == 403
    assert GroupMember.objects.filter(group=group, role=GroupMember.Role.MANAGER).count() == 2


@pytest.mark.django_db
def test_only_managers_see_the_volunteers_by_name(group: Group, manager: User, volunteer: User) -> None:
    volunteer.last_name = "Zichtbaar"
    volunteer.save()
    assert 'id="leden"' not in Client().get(f"/groepen/{group.pk}/").content.decode()
    own = Client()
    own.force_login(volunteer)
    assert 'id="leden"' not in own.get(f"/groepen/{group.pk}/").content.decode()
    lead = Client()
    lead.force_login(manager)
    page = lead.get(f"/groepen/{group.pk}/").content.decode()
    assert 'id="leden"' in page and "Zichtbaar" in page


@pytest.fixture
def spam(group: Group, manager: User, volunteer: User) -> ForumPost:
    thread = services.forum_thread_start(group=group, author=manager, title="Compost", body="Waar laten we het?")
    return services.forum_reply(thread=thread, author=volunteer, body="Koop alles bij mijn webshop")


@pytest.mark.django_db
def test_a_hidden_forum_post_is_gone_for_readers_but_kept_for_the_managers(
    group: Group, manager: User, spam: ForumPost, outsider: User
) -> None:
    lead = Client()
    lead.force_login(manager)
    hide = f"/groepen/{group.pk}/forum/{spam.thread_id}/berichten/{spam.pk}/verbergen/"
    response = lead.post(hide)
    assert response.status_code == 302 and response["Location"].endswith(f"#post-{spam.pk}")
    spam.refresh_from_db()
    assert spam.hidden_at is not None and spam.hidden_by == manager

    thread_url = f"/groepen/{group.pk}/forum/{spam.thread_id}/"
    reader = Client()
    reader.force_login(outsider)
    for client in (Client(), reader):
        page = client.get(thread_url).content.decode()
        assert "webshop" not in page and "Dit bericht is verborgen door een beheerder." in page
        api = client.get(f"/api/forum-posts/?thread={spam.thread_id}").json()["results"]
        assert [(p["body"], p["hidden"]) for p in api if p["id"] == spam.pk] == [("", True)]
    assert "webshop" in lead.get(thread_url).content.decode()  # a manager still reads it, and may show it again

    lead.post(hide, {"show": "1"})
    assert "webshop" in Client().get(thread_url).content.decode()
    spam.refresh_from_db()
    assert spam.hidden_at is None and spam.hidden_by is None


@pytest.mark.django_db
def test_only_managers_hide_posts(group: Group, spam: ForumPost, volunteer: User, outsider: User) -> None:
    for user in (volunteer, outsider):
        with pytest.raises(PermissionDenied):
            services.forum_post_hide(post=spam, by=user)
    spam.refresh_from_db()
    assert spam.hidden_at is None


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 30)).save(out, "JPEG")
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db(transaction=True)
def test_a_manager_takes_a_volunteers_photo_down_and_its_file_goes_too(
    group: Group, manager: User, volunteer: User
) -> None:
    """A photo may show a neighbour's child or front door: a manager (or its author) takes it down."""
    update = services.status_update_post(group=group, author=volunteer, body="Na het snoeien", after=[_jpeg()])
    photo = update.photos.get()
    assert default_storage.exists(photo.file.name)
    lead = Client()
    lead.force_login(manager)
    assert f"/groepen/{group.pk}/updates/{update.pk}/verwijderen/" in lead.get(f"/groepen/{group.pk}/").content.decode()

    response = lead.post(f"/groepen/{group.pk}/updates/{update.pk}/verwijderen/")

    assert response.status_code == 302 and response["Location"] == f"/groepen/{group.pk}/#updates"
    assert not StatusUpdate.objects.filter(pk=update.pk).exists()
    assert not default_storage.exists(photo.file.name)
    assert Client().get(f"/fotos/{photo.pk}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_photo_taken_down_is_not_kept_by_caches_for_long_nor_revalidated(
    group: Group, manager: User, volunteer: User
) -> None:
    """Shared caches keep a photo five minutes, then ask again: 304 while it exists, 404 once taken down."""
    update = services.status_update_post(group=group, author=volunteer, body="Na het snoeien", after=[_jpeg()])
    photo = update.photos.get()
    first = Client().get(f"/fotos/{photo.pk}/")
    assert first.status_code == 200
    assert "max-age=300" in first["Cache-Control"] and "public" in first["Cache-Control"]
    tag = first["ETag"]
    assert Client().get(f"/fotos/{photo.pk}/", HTTP_IF_NONE_MATCH=tag).status_code == 304

    services.status_update_delete(update=update, by=manager)

    assert Client().get(f"/fotos/{photo.pk}/", HTTP_IF_NONE_MATCH=tag).status_code == 404


@pytest.mark.django_db
def test_the_author_deletes_their_own_update_and_nobody_else_does(
    group: Group, manager: User, volunteer: User, outsider: User
) -> None:
    update = services.status_update_post(group=group, author=manager, body="Plantdag")
    other_volunteer = User.objects.create_user(username="v2", email="v2@example.org")
    services.group_join(group=group, user=other_volunteer)
    for user in (volunteer, other_volunteer, outsider):
        with pytest.raises(PermissionDenied):
            services.status_update_delete(update=update, by=user)
    own = services.status_update_post(group=group, author=volunteer, body="Mijn foto")
    services.status_update_delete(update=own, by=volunteer)
    assert list(StatusUpdate.objects.values_list("pk", flat=True)) == [update.pk]
