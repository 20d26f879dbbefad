"""The QGIS the client tests run: Debian's python3-qgis through /usr/bin/python3, or the Python that
QGIS_PYTHON names (a wrapper around another system's Python, to try a newer QGIS on this machine)."""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

QGIS_PYTHON = Path(os.environ.get("QGIS_PYTHON") or "/usr/bin/python3")
QGIS_EDITS = 33200  # 3.32: CQL2 filters sent to the server, and Part 4 editing


@functools.cache
def _version() -> int | None:
    if not QGIS_PYTHON.exists():
        return None
    result = subprocess.run(
        [QGIS_PYTHON, "-c", "from qgis.core import Qgis; print(Qgis.QGIS_VERSION_INT)"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return int(result.stdout.split()[-1]) if result.returncode == 0 and result.stdout.split() else None


def qgis_version() -> int:
    """Qgis.QGIS_VERSION_INT of the QGIS at QGIS_PYTHON (32216 for 3.22.16); fails the test without one."""
    version = _version()
    if version is None:
        pytest.fail(
            f"no QGIS at {QGIS_PYTHON}: run scripts/setup.sh --test (apt-get install python3-qgis), "
            "or point QGIS_PYTHON at a Python that imports qgis.core"
        )
    return version


def qgis_env(tmp_path: Path) -> dict[str, Any]:
    """Headless, with a home of its own: QGIS keeps answers in a disk cache (for their max-age), and its
    authentication database there."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(runtime), "HOME": str(tmp_path)}
