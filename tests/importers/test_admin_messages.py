"""What a GIS admin reads on a run's page after uploading a file in the admin: the file by the name
they uploaded (not where the server keeps it), the admin's own field where a CLI flag was named, and
the CRS a source was read in when it names none."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from shapely.geometry import box

from gis_service.owners.models import Owner
from importers.models import ImportRun, Source
from importers.sync import source_sync

from .conftest import BGT_SHAPEFILE, write_layer


@pytest.fixture
def media(tmp_path: Path, settings: object) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


def _upload_and_sync(client: Client, owner: Owner, name: str, data: bytes, **fields: str) -> tuple[ImportRun, str]:
    response = client.post(
        reverse("admin:importers_source_add"),
        {"owner": owner.pk, "name": "upload", "kind": "", "location": "", "keep_fields": "[]",
         "upload": SimpleUploadedFile(name, data), **fields},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    run = source_sync(source=Source.objects.get(owner=owner, name="upload"))
    page = client.get(reverse("admin:importers_importrun_change", args=[run.pk])).content.decode()
    return run, page


def _zip(folder: Path, *files: Path) -> bytes:
    archive = folder / "bgt.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in files:
            zf.write(path, path.name)
    return archive.read_bytes()


def test_a_shapefile_without_prj_says_which_crs_was_assumed(
    admin_client: Client, owner_a: Owner, media: Path, tmp_path: Path
) -> None:
    parts = [BGT_SHAPEFILE.with_suffix(s) for s in (".shp", ".shx", ".dbf")]
    run, page = _upload_and_sync(admin_client, owner_a, "bgt_zonder_prj.zip", _zip(tmp_path, *parts),
                                 id_field="bgt_id")  # fmt: skip
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert run.message.startswith("bgt_zonder_prj.zip noemt geen coördinatenstelsel; gelezen als EPSG:28992 (RD New).")
    assert "CRS als de bron er geen noemt" in run.message
    assert "noemt geen coördinatenstelsel" in page
    # Given in the source's CRS field, nothing is assumed and nothing said.
    source = Source.objects.get(name="upload")
    source.crs = "EPSG:28992"
    source.save()
    again = source_sync(source=source, full=True)
    assert again.status == ImportRun.Status.SUCCEEDED and again.message == ""


def test_rd_geojson_without_crs_fails_naming_the_upload_and_the_field_to_fill(
    admin_client: Client, owner_a: Owner, media: Path
) -> None:
    ring = [[141000, 471000], [141020, 471000], [141020, 471020], [141000, 471000]]
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"guid": "a"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        ],
    }
    run, page = _upload_and_sync(admin_client, owner_a, "groen_rd.geojson", json.dumps(collection).encode())
    assert run.status == ImportRun.Status.FAILED
    assert run.message.startswith("groen_rd.geojson: object 0 heeft coördinaten buiten het gebruiksgebied")
    assert "het veld ‘CRS als de bron er geen noemt’ bij de bron" in run.message
    assert str(media) not in run.message and "--crs EPSG" not in run.message
    assert str(media) not in page


def test_a_geopackage_of_two_layers_names_the_field_to_choose_one_in(
    admin_client: Client, owner_a: Owner, media: Path, tmp_path: Path
) -> None:
    path = tmp_path / "twee.gpkg"
    write_layer(path, [{"guid": "a", "geometry": box(140000, 470000, 140010, 470010)}], layer="plantvakken")
    write_layer(path, [{"guid": "b", "geometry": box(140000, 470000, 140010, 470010)}], layer="bomen")
    run, _page = _upload_and_sync(admin_client, owner_a, "twee.gpkg", path.read_bytes())
    assert run.status == ImportRun.Status.FAILED
    assert "kies een laag in het veld ‘laag of typename’ bij de bron" in run.message
    assert "plantvakken" in run.message and "bomen" in run.message


def test_gdal_refusing_a_file_names_the_upload_not_the_runs_work_folder(
    admin_client: Client, owner_a: Owner, media: Path, settings: object
) -> None:
    """An XML file that is no GML: GDAL names the copy it was given."""
    settings.IMPORT_WORK_DIR = str(media.parent / "work")  # type: ignore[attr-defined]
    run, _page = _upload_and_sync(
        admin_client, owner_a, "kapot.gml", b'<?xml version="1.0"?><notulen><punt>koffie</punt></notulen>'
    )
    assert run.status == ImportRun.Status.FAILED
    assert "kapot.gml" in run.message
    assert "zb-import-run" not in run.message and str(media.parent) not in run.message, run.message
