"""The private folders runs read their files from (zips unpacked up to MAX_UPLOAD_MB × 10, GML
linked with GDAL's .gfs beside it), named after their run, so that the folder of a run whose
worker was killed can be found and removed (importers.sync.run.runs_fail_stale)."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

PREFIX = "zb-import-run-"
_NAME = re.compile(rf"^{re.escape(PREFIX)}(\d+)-")


def root() -> Path:
    """IMPORT_WORK_DIR/<database>: run ids are unique per database, and deployments (or test runs)
    on one machine must never take each other's folders for their own."""
    return Path(settings.IMPORT_WORK_DIR) / str(connection.settings_dict["NAME"])


@contextmanager
def work_folder(run_id: int | None) -> Iterator[Path]:
    """A new, empty folder for run `run_id`, removed when the block ends."""
    folder = root()
    folder.mkdir(parents=True, exist_ok=True)
    prefix = f"{PREFIX}{run_id}-" if run_id is not None else "zb-import-"
    work = Path(tempfile.mkdtemp(prefix=prefix, dir=folder))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def folders() -> dict[int, list[Path]]:
    """The run folders on this machine, by run id."""
    found: dict[int, list[Path]] = {}
    if not root().is_dir():
        return found
    for path in root().iterdir():
        match = _NAME.match(path.name)
        if match and path.is_dir():
            found.setdefault(int(match.group(1)), []).append(path)
    return found


def remove(paths: Iterable[Path]) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)
