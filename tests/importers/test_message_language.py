"""A failed run's message is wholly in one language: the language of whoever started the run
(docs/importers.md, *The language of a run's message*), Dutch or English, never a mix of both.

The expected messages are written out in full, each word of them: a part left in the other language
(a page number's words, a field's role, a refusal raised in the reading thread) makes them differ."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django import Settings

from gis_service.owners.models import Owner
from importers.models import ImportIssue, ImportRun, Source
from importers.sync import SourceOptions, source_ensure, source_sync

from .conftest import squares, write_layer
from .servers import Fault, RunningServer, mapserver

FEATURES = 250


@pytest.fixture
def wfs(tmp_path: Path, settings: Settings) -> Iterator[RunningServer]:
    settings.IMPORT_WFS_PAGE_SIZE = 100  # pages from features 0, 100 and 200
    rows = [{"guid": f"g{i}", "geometry": poly} for i, poly in enumerate(squares(FEATURES))]
    with mapserver(write_layer(tmp_path / "groen.shp", rows), tmp_path) as server:
        yield server


def _sync_in(language: str, source: Source, *, full: bool = False) -> ImportRun:
    """The run as the task runs it for an admin reading in `language` (importers.tasks.sync_source)."""
    with translation.override(language):
        return source_sync(source=Source.objects.get(pk=source.pk), full=full)


WFS_DIED = {
    "nl": "{url} typename groen, pagina 3 (objecten vanaf 200): de server antwoordde met HTTP 500",
    "en": "{url} typename groen, page 3 (features from 200): the server answered HTTP 500",
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("first_import", [True, False], ids=["first import", "re-sync"])
def test_a_wfs_that_dies_half_way_fails_in_one_language(
    owner_a: Owner, wfs: RunningServer, language: str, first_import: bool
) -> None:
    # The pages are read in the prefetch thread, which raises the refusal there.
    options = SourceOptions(location=wfs.url, kind="wfs", layer="groen", id_field="guid")
    source = source_ensure(owner=owner_a, name="wfs", options=options)
    if not first_import:
        assert _sync_in(language, source).status == ImportRun.Status.SUCCEEDED
    wfs.fault = Fault(mode="500", from_index=200)
    run = _sync_in(language, source)
    assert run.status == ImportRun.Status.FAILED
    assert run.message == WFS_DIED[language].format(url=wfs.url)


MISSING_FIELD = {
    "nl": "groen.gpkg: het id-veld 'lokaalid' is geen veld van de bron; de velden zijn: guid, naam",
    "en": "groen.gpkg: the id field 'lokaalid' is not a field of the source; its fields are: guid, naam",
}
NO_FEATURES = {
    "nl": "{path} laag groen: de bron heeft geen objecten (controleer de laag en het filter)",
    "en": "{path} layer groen: the source has no features (check the layer and the filter)",
}


@pytest.fixture
def groen_gpkg(tmp_path: Path) -> Path:
    rows = [{"guid": f"g{i}", "naam": f"Veld {i}", "geometry": poly} for i, poly in enumerate(squares(3))]
    return write_layer(tmp_path / "groen.gpkg", rows, layer="groen")


def _without_the_id_field(path: Path) -> SourceOptions:
    return SourceOptions(location=str(path), id_field="lokaalid")  # the file's id field is "guid"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_file_without_the_id_field_fails_in_one_language(owner_a: Owner, groen_gpkg: Path, language: str) -> None:
    source = source_ensure(owner=owner_a, name="gpkg", options=_without_the_id_field(groen_gpkg))
    run = _sync_in(language, source)
    assert (run.status, run.message) == (ImportRun.Status.FAILED, MISSING_FIELD[language])


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_filter_that_leaves_nothing_fails_in_one_language(owner_a: Owner, groen_gpkg: Path, language: str) -> None:
    options = SourceOptions(location=str(groen_gpkg), layer="groen", id_field="guid", where="guid = 'none'")
    source = source_ensure(owner=owner_a, name="gpkg", options=options)
    run = _sync_in(language, source)
    assert (run.status, run.message) == (ImportRun.Status.FAILED, NO_FEATURES[language].format(path=groen_gpkg))


def _finished(source: Source, *, timeout: float = 120) -> ImportRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = ImportRun.objects.filter(source=source).exclude(status=ImportRun.Status.RUNNING).first()
        if run is not None:
            return run
        time.sleep(0.2)
    raise AssertionError(f"no finished run of {source} within {timeout} s")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("accept", "language"), [("nl", "nl"), ("en", "en")])
def test_sync_now_in_the_admin_writes_the_message_in_the_admins_language(
    admin_client: Client, owner_a: Owner, groen_gpkg: Path, celery_worker: str, accept: str, language: str
) -> None:
    source = source_ensure(owner=owner_a, name="gpkg", options=_without_the_id_field(groen_gpkg))
    response = admin_client.post(
        reverse("admin:importers_source_changelist"),
        {"action": "sync_now", "_selected_action": [source.pk]},
        headers={"Accept-Language": accept},
    )
    assert response.status_code == 302
    run = _finished(source)
    assert (run.status, run.message) == (ImportRun.Status.FAILED, MISSING_FIELD[language])


ID_TOO_LONG = {
    "nl": "300 tekens; een extern id heeft er hoogstens 255",
    "en": "300 characters; an external id has at most 255",
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("way", ["first import", "re-sync", "full sync"])
def test_an_id_too_long_is_told_in_the_run_s_language(owner_a: Owner, tmp_path: Path, language: str, way: str) -> None:
    first, second, third = squares(3)
    options = SourceOptions(location=str(tmp_path / "g.gpkg"), id_field="guid")
    source = source_ensure(owner=owner_a, name="gpkg", options=options)
    if way != "first import":  # a source with a location already: the run merges; rejected ids are
        # found in Python by their hashes (re-sync) or in SQL (full sync, sql.REJECT_LONG_ID)
        write_layer(tmp_path / "g.gpkg", [{"guid": "old", "geometry": third}])
        assert _sync_in(language, source).status == ImportRun.Status.SUCCEEDED
    write_layer(tmp_path / "g.gpkg", [{"guid": "ok", "geometry": first}, {"guid": "x" * 300, "geometry": second}])
    run = _sync_in(language, source, full=way == "full sync")
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert [issue.detail for issue in ImportIssue.objects.filter(run=run)] == [ID_TOO_LONG[language]]


STALE = {
    "nl": "de worker antwoordt niet meer sinds 6 december 2026 14:30; de run is gestopt en heeft niets veranderd",
    "en": "the worker has not answered since 6 December 2026, 14:30; the run was stopped and changed nothing",
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_stale_run_is_told_with_a_written_time_in_the_language_of_the_next_run(
    owner_a: Owner, groen_gpkg: Path, language: str
) -> None:
    source = source_ensure(owner=owner_a, name="gpkg", options=SourceOptions(location=str(groen_gpkg)))
    last_beat = timezone.make_aware(dt.datetime(2026, 12, 6, 14, 30, 12))  # in the site's time zone
    stale = ImportRun.objects.create(source=source, heartbeat_at=last_beat)
    ImportRun.objects.filter(pk=stale.pk).update(started_at=last_beat)
    _sync_in(language, source)  # the next run fails the stale one first
    stale.refresh_from_db()
    assert (stale.status, stale.message) == (ImportRun.Status.FAILED, STALE[language])


COMMAND = {
    "nl": "{source}: geslaagd: 3 objecten gelezen, 3 nieuw, 0 gewijzigd, 0 ongewijzigd, 0 ingetrokken, "
    "0 hersteld, 0 geweigerd",
    "en": "{source}: succeeded: 3 features read, 3 new, 0 updated, 0 unchanged, 0 withdrawn, 0 repaired, 0 rejected",
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_command_tells_its_counts_in_the_active_language(owner_a: Owner, groen_gpkg: Path, language: str) -> None:
    out = StringIO()
    with translation.override(language):
        args = ("--owner", owner_a.slug, "--source", "s", "--id-field", "guid")
        call_command("import_locations", str(groen_gpkg), *args, stdout=out)
    assert out.getvalue().strip() == COMMAND[language].format(source=f"{owner_a.slug}/s")
