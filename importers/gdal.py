"""Access to pyogrio (its bundled GDAL 3.12), imported only when a run reads features.

pyogrio's package init imports pandas and geopandas when they are installed, which costs
about 0.4 s; the import_locations command is timed as a whole process, and reads through
pyogrio's Arrow API only, so the command asks for a lean import that hides those two.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

_LEAN = False


def prefer_lean_import() -> None:
    """Import pyogrio without pandas/geopandas in this process (for short-lived commands).

    Only for processes that never call pyogrio.read_dataframe: pyogrio then believes that
    geopandas is missing.
    """
    global _LEAN
    _LEAN = True


def pyogrio() -> ModuleType:
    """The pyogrio module."""
    if "pyogrio" in sys.modules:
        return sys.modules["pyogrio"]
    hidden: list[str] = []
    if _LEAN:
        for name in ("pandas", "geopandas"):
            if name not in sys.modules:
                sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` fail fast
                hidden.append(name)
    try:
        import pyogrio as module
    finally:
        for name in hidden:
            del sys.modules[name]
    return module


def pyarrow() -> Any:
    import pyarrow as module

    return module
