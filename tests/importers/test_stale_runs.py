"""Runs whose worker died: failed within a minute by the sweep, their work folders removed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely
from django.conf import settings as django_settings
from django.db import connection

from gis_service.celery import app
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from importers.models import ImportRun
from importers.tasks import fail_stale_runs

from .conftest import database_url, resync, sync

N = 80_000


def _zipped_squares(folder: Path, *, name: str, shift: float) -> Path:
    """N 10 m squares as a zipped shapefile, moved `shift` m east."""
    x = 140000.0 + (np.arange(N) % 400) * 20 + shift
    y = 470000.0 + (np.arange(N) // 400) * 20
    frame = gpd.GeoDataFrame({"guid": [f"g{k}" for k in range(N)]}, geometry=shapely.box(x, y, x + 10, y + 10),
                             crs="EPSG:28992")  # fmt: skip
    shp = folder / name / "groen.shp"
    shp.parent.mkdir()
    frame.to_file(shp, engine="pyogrio")
    archive = folder / f"{name}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in shp.parent.iterdir():
            zf.write(part, part.name)
    return archive


def _folders_of(run: ImportRun, work: Path) -> list[Path]:
    return list((work / str(connection.settings_dict["NAME"])).glob(f"zb-import-run-{run.pk}-*"))


def _snapshot(source_id: int) -> set[tuple[Any, ...]]:
    return set(
        Location.objects.filter(source_id=source_id).values_list(
            "id", "external_id", "source_hash", "withdrawn_at", "updated_at"
        )
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_killed_import_is_failed_by_the_sweep_and_leaves_nothing_behind(
    owner_a: Owner, tmp_path: Path, settings: Any
) -> None:
    work = tmp_path / "work"
    settings.IMPORT_WORK_DIR = str(work)
    settings.IMPORT_RUN_STALE_SECONDS = 3
    first = sync(owner_a, _zipped_squares(tmp_path, name="v1", shift=0), name="groen", id_field="guid")
    assert (first.status, first.created) == (ImportRun.Status.SUCCEEDED, N), first.message
    before = _snapshot(first.source_id)
    moved = _zipped_squares(tmp_path, name="v2", shift=1.0)  # every feature changed: a long merge
    env = {**os.environ, "DATABASE_URL": database_url(), "IMPORT_WORK_DIR": str(work),
           "IMPORT_HEARTBEAT_SECONDS": "1", "IMPORT_RUN_STALE_SECONDS": "3"}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_locations", str(moved), "--owner", owner_a.slug, "--source", "groen"],
        cwd=django_settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:  # mid-run: the zip unpacked into the run's folder, and the heartbeat thread beating
            run = ImportRun.objects.filter(source_id=first.source_id).exclude(pk=first.pk).first()
            if run and run.heartbeat_at and run.heartbeat_at > run.started_at and _folders_of(run, work):
                break
            assert process.poll() is None and time.monotonic() < deadline, "the import ended before it was killed"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.RUNNING  # as the killed worker left it
    assert _folders_of(run, work)

    deadline = time.monotonic() + 30
    while run.pk not in fail_stale_runs():  # what beat runs every 30 s
        assert time.monotonic() < deadline, "the sweep did not fail the run"
        time.sleep(0.5)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert "de worker antwoordt niet meer sinds" in run.message
    assert run.finished_at is not None
    assert _folders_of(run, work) == []
    assert _snapshot(first.source_id) == before
    # The killed run's transaction and its lock on the source are gone: the next sync runs.
    again = resync(first.source)
    assert (again.status, again.updated) == (ImportRun.Status.SUCCEEDED, N), again.message


def test_beat_sweeps_for_stale_runs_twice_a_minute() -> None:
    entry = app.conf.beat_schedule["importers-fail-stale-runs"]
    assert (entry["task"], entry["schedule"]) == ("importers.fail_stale_runs", 30.0)
    assert django_settings.IMPORT_RUN_STALE_SECONDS + 30 <= 60


def test_redis_hands_out_an_import_again_only_after_the_longest_import() -> None:
    timeout = app.conf.broker_transport_options["visibility_timeout"]
    assert timeout == django_settings.IMPORT_MAX_RUN_MINUTES * 60
