"""Photo uploads are checked by content, limited in size and stored under generated names."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from gis_service.accounts.models import User
from gis_service.groups import services
from gis_service.groups.models import Group, Photo, StatusUpdate


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (40, 120, 40)).save(out, fmt)
    return out.getvalue()


def jpeg_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("foto.jpg", image_bytes(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_it_stores_a_real_photo_under_a_generated_name(group: Group, volunteer: User, media_root: Path) -> None:
    upload = SimpleUploadedFile("../../etc/passwd.jpg", image_bytes(), content_type="image/jpeg")
    update = services.status_update_post(group=group, author=volunteer, body="Geplant!", photos=[upload])
    photo = update.photos.get()
    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 64, 48)
    assert photo.file.name.startswith("groepen/fotos/") and photo.file.name.endswith(".jpg")
    assert "passwd" not in photo.file.name
    with Image.open(media_root / photo.file.name) as stored:
        assert (stored.format, stored.size) == ("JPEG", (64, 48))


@pytest.mark.django_db
def test_photos_are_removed_when_the_transaction_around_the_update_rolls_back(
    group: Group, volunteer: User, media_root: Path
) -> None:
    kept = services.status_update_post(group=group, author=volunteer, body="", photos=[jpeg_upload()]).photos.get()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.status_update_post(group=group, author=volunteer, body="", photos=[jpeg_upload(), jpeg_upload()])
        assert len(list(media_root.rglob("*.jpg"))) == 3
        raise RuntimeError("the caller's next step failed")
    assert [path.relative_to(media_root).as_posix() for path in media_root.rglob("*.*")] == [kept.file.name]


@pytest.mark.django_db
def test_it_names_the_file_by_its_content_not_by_the_upload(group: Group, volunteer: User) -> None:
    upload = SimpleUploadedFile("foto.jpg", image_bytes("PNG"), content_type="image/jpeg")
    photo = services.status_update_post(group=group, author=volunteer, body="", photos=[upload]).photos.get()
    assert photo.content_type == "image/png" and photo.file.name.endswith(".png")


@pytest.mark.django_db
def test_it_refuses_a_file_that_only_claims_to_be_an_image(group: Group, volunteer: User, media_root: Path) -> None:
    fake = SimpleUploadedFile("foto.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="geen foto"):
        services.status_update_post(group=group, author=volunteer, body="kijk", photos=[fake])
    assert not StatusUpdate.objects.exists() and not list(media_root.rglob("*.*"))


@pytest.mark.django_db
def test_it_refuses_image_formats_browsers_do_not_show_everywhere(group: Group, volunteer: User) -> None:
    tiff = SimpleUploadedFile("scan.tif", image_bytes("TIFF"), content_type="image/tiff")
    with pytest.raises(ValidationError, match="JPEG"):
        services.status_update_post(group=group, author=volunteer, body="", photos=[tiff])


@pytest.mark.django_db
def test_it_refuses_a_photo_over_the_size_limit(group: Group, volunteer: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MAX_PHOTO_MB = 1
    big = SimpleUploadedFile("groot.png", image_bytes("PNG") + b"\0" * (1024 * 1024), content_type="image/png")
    with pytest.raises(ValidationError, match="groter dan 1 MB"):
        services.status_update_post(group=group, author=volunteer, body="", photos=[big])


def png_claiming(width: int, height: int) -> bytes:
    """A PNG of a few hundred bytes whose header claims `width` x `height` black-and-white pixels:
    what a decompression bomb looks like before it is decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (width // 8 + 1) * 16, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


@pytest.mark.django_db
@pytest.mark.parametrize("side", [8_000, 60_000])  # 64 Mpx, past our limit; 3.6 Gpx, past Pillow's own too
def test_a_decompression_bomb_is_refused_as_too_many_pixels_before_it_is_decoded(
    group: Group, volunteer: User, media_root: Path, side: int
) -> None:
    bomb = SimpleUploadedFile("bom.png", png_claiming(side, side), content_type="image/png")
    with pytest.raises(ValidationError, match="te veel pixels"):
        services.status_update_post(group=group, author=volunteer, body="", photos=[bomb])
    assert not StatusUpdate.objects.exists() and not list(media_root.rglob("*.*"))


@pytest.mark.django_db
def test_a_truncated_image_is_refused_and_nothing_is_stored(group: Group, volunteer: User, media_root: Path) -> None:
    good = SimpleUploadedFile("a.jpg", image_bytes(), content_type="image/jpeg")
    broken = SimpleUploadedFile("b.png", image_bytes("PNG")[:60], content_type="image/png")
    with pytest.raises(ValidationError):
        services.status_update_post(group=group, author=volunteer, body="twee", photos=[good, broken])
    assert not Photo.objects.exists() and not list(media_root.rglob("*.*"))


@pytest.mark.django_db
def test_outsiders_cannot_post_photos(group: Group, outsider: User) -> None:
    upload = SimpleUploadedFile("a.jpg", image_bytes(), content_type="image/jpeg")
    with pytest.raises(PermissionDenied):
        services.status_update_post(group=group, author=outsider, body="hoi", photos=[upload])


@pytest.mark.django_db
def test_it_strips_the_gps_position_and_keeps_the_photo_upright(
    group: Group, volunteer: User, media_root: Path
) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to display
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825)[2] = (52.0, 22.0, 1.5)  # GPSLatitude: where the resident lives
    out = io.BytesIO()
    Image.new("RGB", (80, 40), (200, 30, 30)).save(out, "JPEG", exif=exif)
    upload = SimpleUploadedFile("thuis.jpg", out.getvalue(), content_type="image/jpeg")
    photo = services.status_update_post(group=group, author=volunteer, body="", photos=[upload]).photos.get()
    stored_bytes = (media_root / photo.file.name).read_bytes()
    with Image.open(io.BytesIO(stored_bytes)) as stored:
        assert not stored.getexif()
        assert stored.size == (40, 80) == (photo.width, photo.height)
    assert b"PhoneMaker" not in stored_bytes


@pytest.mark.django_db
def test_a_phone_photo_with_more_pictures_in_it_is_kept_as_its_first_picture(
    group: Group, volunteer: User, media_root: Path
) -> None:
    """Many phones save MPO: a JPEG with a depth or gain map appended. Refusing it refused their photos."""
    out = io.BytesIO()
    first, depth_map = Image.new("RGB", (64, 48), (200, 30, 30)), Image.new("RGB", (64, 48), (0, 0, 0))
    first.save(out, "MPO", save_all=True, append_images=[depth_map])
    upload = SimpleUploadedFile("IMG_0001.jpg", out.getvalue(), content_type="image/jpeg")
    photo = services.status_update_post(group=group, author=volunteer, body="", photos=[upload]).photos.get()
    assert photo.content_type == "image/jpeg" and photo.file.name.endswith(".jpg")
    with Image.open(media_root / photo.file.name) as stored:
        assert (stored.format, stored.size, getattr(stored, "n_frames", 1)) == ("JPEG", (64, 48), 1)
        red, green, blue = stored.convert("RGB").getpixel((32, 24))  # type: ignore[misc]
        assert red > 150 and green < 80 and blue < 80


@pytest.mark.django_db
def test_a_very_large_jpeg_is_decoded_at_a_fraction_of_its_size(
    group: Group, volunteer: User, media_root: Path
) -> None:
    """A 40-megapixel photo would take ~400 MB to re-encode at full size; libjpeg scales while decoding."""
    upload = SimpleUploadedFile("groot.jpg", image_bytes(size=(8200, 4000)), content_type="image/jpeg")
    photo = services.status_update_post(group=group, author=volunteer, body="", photos=[upload]).photos.get()
    assert (photo.width, photo.height) == (2050, 1000)  # 1/4: the smallest scale that keeps 2048 px
    with Image.open(media_root / photo.file.name) as stored:
        assert stored.size == (2050, 1000)
    phone = SimpleUploadedFile("telefoon.jpg", image_bytes(size=(4032, 3024)), content_type="image/jpeg")
    photo = services.status_update_post(group=group, author=volunteer, body="", photos=[phone]).photos.get()
    assert (photo.width, photo.height) == (4032, 3024)  # an ordinary phone photo keeps its size
