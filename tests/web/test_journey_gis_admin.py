"""Journey 5, the GIS admin: from the front page into the admin by their membership alone, a new
source from an uploaded zipped shapefile, "sync now" run by the real worker, the run's progress
in view, its changes on the map and the repair/reject report as CSV; once with a Dutch browser and
once with an English one, axe-core on every page (tests/web/journeys.py)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect
from shapely.geometry import Polygon, box

from gis_service.accounts.models import User
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from importers.models import ImportRun, Source
from tests.importers.conftest import bowtie, write_layer
from tests.web.conftest import phone_screenshot
from tests.web.journeys import AxeWalk, Texts, in_both_languages

SCREENSHOT = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "journeys" / "gis-admin.png"


def zipped_shapefile(folder: Path) -> Path:
    """A municipal green layer as GIS teams send it: a zipped shapefile, with one self-intersecting
    area (repaired on import) and one id given twice (the second rejected)."""
    rows: list[dict[str, object]] = [
        {"guid": f"g{i}", "naam": f"Plantsoen {i}", "geometry": box(140000 + 40 * i, 470000, 140030 + 40 * i, 470030)}
        for i in range(3)
    ]
    rows.append({"guid": "strik", "naam": "Strik", "geometry": Polygon(bowtie(140000, 470100).exterior)})
    rows.append({"guid": "g0", "naam": "Dubbel", "geometry": box(140000, 470200, 140010, 470210)})
    shapefile = write_layer(folder / "groen.shp", rows)
    archive = folder / "groen.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for side in shapefile.parent.glob("groen.*"):
            if side.suffix != ".zip":
                zf.write(side, f"groen/{side.name}")
    return archive


def in_viewport(page: Any, selector: str) -> bool:
    """Whether the element is wholly inside the visible part of the page, without scrolling."""
    return bool(
        page.eval_on_selector(
            selector,
            "el => { const r = el.getBoundingClientRect();"
            " return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth; }",
        )
    )


@pytest.mark.browser
@in_both_languages
def test_a_gis_admin_uploads_syncs_and_reads_the_diff_and_report(
    locale: str,
    axe: AxeWalk,
    page: Any,
    live_server: Any,
    owner_a: Owner,
    gis_admin_a: User,
    owner_b: Owner,
    celery_worker: str,
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # the upload is stored here; the worker reads its path
    archive = zipped_shapefile(tmp_path)
    Source.objects.create(owner=owner_b, name="bron-van-b", kind="file", location="/b.gpkg")
    assert not gis_admin_a.is_staff and not gis_admin_a.user_permissions.exists()
    page.set_viewport_size({"width": 1280, "height": 800})
    t = Texts(locale)
    axe.follow(page)

    # From the front page: log in, and the header leads to the admin.
    page.goto(f"{live_server.url}/")
    axe.check(page)
    page.get_by_role("link", name=t("Inloggen")).click()
    page.fill("#id_username", gis_admin_a.username)
    axe.check(page)
    page.fill("#id_password", "pw-" + gis_admin_a.username * 2)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    main_menu = page.get_by_role("navigation", name=t("Hoofdmenu"))
    main_menu.get_by_role("link", name=t("Beheeromgeving"), exact=True).click()
    page.wait_for_url(f"{live_server.url}/admin/")
    expect(page.locator("#content-main")).to_contain_text(t("Importeren"))
    expect(page.locator("#content-main")).not_to_contain_text(t("Zelfbeheerlocaties"))
    axe.check(page)

    # A new source from the zipped shapefile.
    page.locator("#content-main").get_by_role("link", name=t("bronnen").capitalize()).click()
    expect(page.locator("#changelist")).not_to_contain_text("bron-van-b")  # another owner's
    axe.check(page)
    add_source = t.django("Add %(name)s") % {"name": t("bron")}
    page.locator("#content-main, .object-tools").get_by_role("link", name=add_source).first.click()
    # Only their own owner is offered (importers.selectors.owners_administered_by).
    expect(page.locator("#id_owner option[value]:not([value=''])")).to_have_count(1)
    page.locator("#id_owner").select_option(str(owner_a.pk))
    axe.check(page)
    page.locator("#id_name").fill("groen")
    page.locator("#id_kind").select_option("file")
    page.locator("#id_id_field").fill("guid")
    page.locator("#id_name_field").fill("naam")
    page.locator("#id_upload").set_input_files(str(archive))
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("groen")
    axe.check(page)  # the list again, with the message
    source = Source.objects.get(owner=owner_a, name="groen")
    assert source.location.startswith(str(tmp_path / "media" / "imports" / owner_a.slug))

    # Sync now: the worker runs it; the message leads to the source's runs.
    page.locator(f"input[name=_selected_action][value='{source.pk}']").check()
    page.locator("select[name=action]").select_option("sync_now")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text(
        t.plural("%(count)d bron in de wachtrij gezet.", "%(count)d bronnen in de wachtrij gezet.", 1, count=1)
    )
    page.get_by_role("link", name=t("Volg de voortgang")).click()
    run_link = page.locator("#result_list tbody tr th a").first
    for _ in range(40):  # the worker creates the run within a second or so
        if run_link.count():
            break
        page.wait_for_timeout(250)
        page.reload()
    axe.check(page)
    run_link.click()

    # The run's page: its progress in view without scrolling, filled once the worker is done.
    progress = "progress[data-run]"
    expect(page.locator(progress)).to_be_visible()
    assert in_viewport(page, progress)
    run = ImportRun.objects.get(source=source)
    expect(page.locator(".field-status")).to_contain_text(t("geslaagd"), timeout=20_000)
    assert in_viewport(page, progress)
    expect(page.locator(progress)).to_have_attribute("value", "5")
    expect(page.locator(progress)).to_have_attribute("max", "5")
    run.refresh_from_db()
    assert (run.status, run.read, run.created, run.repaired, run.rejected) == ("succeeded", 5, 4, 1, 1)
    assert Location.objects.filter(source=source).count() == 4

    # The changes on the map: the four new areas, drawn without the internet's tiles.
    diff_map = page.locator("#import-diff-map")
    expect(diff_map.locator("path.leaflet-interactive")).to_have_count(4)
    box_of_map = diff_map.bounding_box()
    assert box_of_map is not None and box_of_map["width"] > 600 and box_of_map["height"] >= 360
    diff_map.scroll_into_view_if_needed()
    for area in diff_map.locator("path.leaflet-interactive").all():
        expect(area).to_be_in_viewport()

    # The report: the repaired and the rejected feature, as CSV.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=t("herstelde en geweigerde objecten (CSV)")).click()
    download = download_info.value
    assert download.suggested_filename == f"importrun-{run.pk}-meldingen.csv"
    table = list(csv.DictReader(io.StringIO(Path(download.path()).read_text())))
    assert {(row["external_id"], row["kind"], row["code"]) for row in table} == {
        ("strik", "repaired", "made_valid"),
        ("g0", "rejected", "duplicate_id"),
    }
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    axe.check(page)  # the run, done, with its map
    page.screenshot(path=str(SCREENSHOT.with_name(f"gis-admin-{locale}.png")), full_page=True)
    phone_screenshot(page, f"gis-admin-{locale}")
    assert page.js_errors == []
    axe.every_page_checked()
