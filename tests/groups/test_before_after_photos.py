"""A status update can carry photos from before and after the work, checked by content like any photo,
and the group page shows them side by side."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from gis_service.accounts.models import User
from gis_service.groups import services
from gis_service.groups.models import Group, Photo, StatusUpdate
from tests.groups.test_photos import image_bytes


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def jpeg(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(), content_type="image/jpeg")


@pytest.mark.django_db
def test_photos_keep_whether_they_were_taken_before_or_after(group: Group, volunteer: User) -> None:
    update = services.status_update_post(
        group=group, author=volunteer, body="Gemaaid", photos=[jpeg("c.jpg")], before=[jpeg("a.jpg")],
        after=[jpeg("b.jpg")],
    )  # fmt: skip
    kinds = sorted(update.photos.values_list("kind", flat=True))
    assert kinds == ["", "na", "voor"]
    assert [p.kind for p in update.before_photos] == ["voor"] and [p.kind for p in update.after_photos] == ["na"]
    assert [p.kind for p in update.plain_photos] == [""]


@pytest.mark.django_db
def test_a_before_photo_that_is_no_image_is_refused_beside_its_field_and_nothing_is_stored(
    group: Group, volunteer: User, media_root: Path
) -> None:
    fake = SimpleUploadedFile("voor.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        services.status_update_post(group=group, author=volunteer, body="", before=[fake], after=[jpeg("na.jpg")])
    assert "before" in refused.value.message_dict
    assert not StatusUpdate.objects.exists() and not list(media_root.rglob("*.*"))


@pytest.mark.django_db
def test_before_and_after_count_towards_the_photo_limit(group: Group, volunteer: User) -> None:
    many = [jpeg(f"{n}.jpg") for n in range(services.MAX_PHOTOS_PER_UPDATE)]
    with pytest.raises(ValidationError, match="Maximaal"):
        services.status_update_post(group=group, author=volunteer, body="", before=many, after=[jpeg("na.jpg")])
    assert not StatusUpdate.objects.exists()


@pytest.mark.django_db
def test_the_database_knows_only_before_after_and_plain(group: Group, volunteer: User) -> None:
    update = services.status_update_post(group=group, author=volunteer, body="", before=[jpeg("a.jpg")])
    with pytest.raises(IntegrityError):
        Photo.objects.filter(update=update).update(kind="ooit")


@pytest.mark.django_db
def test_the_group_page_shows_before_and_after_side_by_side(client: Client, group: Group, volunteer: User) -> None:
    client.force_login(volunteer)
    response = client.post(
        reverse("web:update-create", args=[group.pk]),
        {"body": "Border gewied", "before": [jpeg("a.jpg")], "after": [jpeg("b.jpg")]},
    )
    assert response.status_code == 302
    before, after = Photo.objects.get(kind="voor"), Photo.objects.get(kind="na")
    page = client.get(reverse("web:group", args=[group.pk])).content.decode()
    pair = page[page.index('class="before-after"') :]
    assert pair.index(reverse("web:photo", args=[before.pk])) < pair.index(reverse("web:photo", args=[after.pk]))
    assert 'class="before"' in pair and 'class="after"' in pair
