"""The import_locations command: one JSON summary, a non-zero exit when the run failed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from importers.models import Source

from .conftest import BGT_CITYGML, BGT_SHAPEFILE, copy_dataset, database_url, write_layer


def run_command(*args: str) -> dict[str, object]:
    out = StringIO()
    call_command("import_locations", *args, "--json", stdout=out)
    return dict(json.loads(out.getvalue()))


def test_it_prints_the_run_summary_as_json_and_saves_the_source(owner_a: Owner, tmp_path: Path) -> None:
    gml = copy_dataset(BGT_CITYGML, tmp_path)
    args = (str(gml), "--owner", owner_a.slug, "--source", "bgt", "--id-field", "lokaalID", "--type-field", "class")
    first = run_command(*args)
    assert first["status"] == "succeeded"
    assert {k: first[k] for k in ("read", "created", "updated", "unchanged", "withdrawn", "rejected")} == {
        "read": 770, "created": 770, "updated": 0, "unchanged": 0, "withdrawn": 0, "rejected": 0,
    }  # fmt: skip
    source = Source.objects.get(owner=owner_a, name="bgt")
    assert (source.kind, source.id_field, source.type_field) == ("file", "lokaalID", "class")
    second = run_command(str(gml), "--owner", owner_a.slug, "--source", "bgt")  # the saved mapping is used
    assert (second["created"], second["unchanged"]) == (0, 770)


def test_it_exits_non_zero_when_the_run_failed(owner_a: Owner, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as failure:
        run_command(str(tmp_path / "missing.shp"), "--owner", owner_a.slug, "--source", "s")
    assert failure.value.returncode == 1
    assert str(failure.value) == f"de import is mislukt: {tmp_path / 'missing.shp'}: dit bestand bestaat niet"
    assert not Location.objects.exists()


def test_it_refuses_an_unknown_owner(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as failure:
        run_command(str(tmp_path / "x.gpkg"), "--owner", "nobody", "--source", "s")
    assert str(failure.value) == "geen eigenaar met slug 'nobody' (maak die aan met create_owner)"
    with pytest.raises(CommandError) as failure:
        call_command("load_value_areas", str(tmp_path / "buurten.gpkg"), owner="nobody")
    assert str(failure.value) == "geen eigenaar met slug 'nobody' (maak die aan met create_owner)"


def test_a_lean_process_reads_and_builds_arrow_without_pandas() -> None:
    """The command hides pandas/geopandas (importers.gdal): ~0.1 s of its start-up, timed by the
    benchmark. pyarrow asks for pandas on its first `pa.array()`; that must not load it either."""
    script = (
        "import sys\n"
        "from importers.gdal import prefer_lean_import, pyarrow, pyogrio\n"
        "prefer_lean_import()\n"
        f"table = pyogrio().read_arrow({str(BGT_SHAPEFILE)!r})[1]\n"
        "pyarrow().array(range(3), pyarrow().int64())\n"
        "print(table.num_rows, sorted(name for name in ('pandas', 'geopandas') if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    rows, hidden = done.stdout.split(" ", 1)
    assert int(rows) > 0
    assert hidden.strip() == "[]"


def manage_py(*args: str) -> subprocess.CompletedProcess[str]:
    """`manage.py` as an operator runs it: a process of its own, on the test database."""
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env={**os.environ, "DATABASE_URL": database_url()},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_its_own_process_ends_with_its_output_written_and_its_exit_code(
    owner_a: Owner, tmp_path: Path, groen_rows: list[dict[str, object]]
) -> None:
    """The command's process ends without the interpreter's teardown (gis_service.core.commands):
    its output, its run and its exit code must be as a normal end leaves them."""
    layer = write_layer(tmp_path / "groen.gpkg", groen_rows)
    done = manage_py("import_locations", str(layer), "--owner", owner_a.slug, "--source", "g", "--id-field", "guid",
                     "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["created"] == 5
    assert Location.objects.filter(source__name="g").count() == 5

    failed = manage_py("import_locations", str(tmp_path / "missing.shp"), "--owner", owner_a.slug, "--source", "m")
    assert failed.returncode == 1
    assert "de import is mislukt" in failed.stderr and "dit bestand bestaat niet" in failed.stderr
    assert "0 objecten gelezen" in failed.stdout  # the counts line before the error

    usage = manage_py("import_locations", "--owner")
    assert usage.returncode == 2 and "expected one argument" in usage.stderr
    helped = manage_py("import_locations", "--help")
    assert helped.returncode == 0 and "--id-field" in helped.stdout
