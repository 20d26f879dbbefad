"""Before/after photos on a phone (390 × 844): a volunteer posts a status update with a photo from
before and one from after the work, and the group page shows them side by side; a file that only
claims to be a photo is refused beside its field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from PIL import Image
from playwright.sync_api import expect

from gis_service.groups import services
from gis_service.groups.models import Photo
from gis_service.locations.models import Location
from tests.conftest import _user
from tests.web.conftest import log_in

AXE = Path(django_settings.BASE_DIR) / "web" / "frontend" / "node_modules" / "axe-core" / "axe.min.js"


def photo(path: Path, colour: tuple[int, int, int]) -> Path:
    Image.new("RGB", (640, 480), colour).save(path, "JPEG", quality=85)
    return path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_before_and_after_photos_stand_side_by_side_on_a_phone(
    phone_page: Any, live_server: Any, green_strip: Location, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    page = phone_page
    # The first page of a fresh live server took over 10 s on the shared test machine (load 15).
    page.set_default_navigation_timeout(30_000)
    manager, volunteer = _user("mira", first_name="Mira"), _user("vera", first_name="Vera")
    group = services.group_create(location=green_strip, name="Vondelgroen", managers=[manager])
    services.group_join(group=group, user=volunteer)
    log_in(page, live_server, volunteer)
    page.goto(f"{live_server.url}/groepen/{group.pk}/#updates")
    updates = page.locator("#updates")

    # A renamed text file as the "after" photo: refused beside that field, nothing stored.
    fake = tmp_path / "na.jpg"
    fake.write_bytes(b"<html>geen foto</html>")
    updates.get_by_label("Hoe gaat het?").fill("De border is gewied.")
    updates.get_by_label("Foto vóór het werk").set_input_files(str(photo(tmp_path / "voor.jpg", (120, 90, 40))))
    updates.get_by_label("Foto na het werk").set_input_files(str(fake))
    updates.get_by_role("button", name="Plaatsen").tap()
    expect(page.locator(".field.has-error", has_text="Foto na het werk").locator(".error")).to_contain_text("geen foto")
    assert not Photo.objects.exists()

    updates = page.locator("#updates")
    updates.get_by_label("Foto vóór het werk").set_input_files(str(photo(tmp_path / "voor.jpg", (120, 90, 40))))
    updates.get_by_label("Foto na het werk").set_input_files(str(photo(tmp_path / "na.jpg", (60, 150, 60))))
    updates.get_by_role("button", name="Plaatsen").tap()
    expect(page.locator(".messages")).to_contain_text("Update geplaatst.")
    assert sorted(Photo.objects.values_list("kind", flat=True)) == ["na", "voor"]

    pair = page.locator(".update .before-after").first
    expect(pair.locator("figure.before figcaption")).to_have_text("Voor")
    expect(pair.locator("figure.after figcaption")).to_have_text("Na")
    before, after = pair.locator("figure.before img"), pair.locator("figure.after img")
    before.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.before-after img')].every(i => i.complete && i.naturalWidth > 0)"
    )
    left, right = before.bounding_box(), after.bounding_box()
    # Side by side: the same row, before on the left, both whole within the phone's width.
    assert abs(left["y"] - right["y"]) < 2
    assert left["x"] + left["width"] <= right["x"]
    assert right["x"] + right["width"] <= 390
    assert left["width"] > 120  # each half of the screen, not a thumbnail
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The page with the pair (and the refused form before it) meets WCAG 2.1 AA: axe finds nothing.
    # axe-core as tests/web/test_wcag_pages.py runs it: through the DevTools protocol (the CSP allows no inline script).
    page.evaluate(AXE.read_text())
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    result = page.evaluate(f"() => axe.run(document, {json.dumps(options)})")
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
