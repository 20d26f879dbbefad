"""Access to pyogrio (its bundled GDAL 3.12), imported only when a run reads features.

pyogrio's package init imports pandas and geopandas when they are installed, and pyarrow
imports pandas the first time `pa.array()` is called (to ask whether its argument is a pandas
object): about 0.1 s for pandas alone, on the critical path of the first batch. The
import_locations command is timed as a whole process and reads through pyogrio's Arrow API
only, so it asks for a lean process in which those two packages count as not installed.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

_HIDDEN_IN_LEAN_PROCESSES = frozenset({"pandas", "geopandas"})


class _HiddenPackages:
    """A meta path finder that answers "not installed" for the hidden packages.

    Not `sys.modules[name] = None`: Cython modules such as pyarrow look a module up in
    sys.modules directly and would get None instead of an ImportError.
    """

    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None) -> ModuleSpec | None:
        if name.partition(".")[0] in _HIDDEN_IN_LEAN_PROCESSES:
            raise ModuleNotFoundError(f"{name} is not used in this process (importers.gdal)", name=name)
        return None


def prefer_lean_import() -> None:
    """Make pandas and geopandas unimportable in this process (for short-lived commands).

    Only for processes that never need them: pyogrio then believes geopandas is missing
    (no read_dataframe), and pyarrow that pandas is (no to_pandas). A package already
    imported stays as it is.
    """
    if not any(isinstance(finder, _HiddenPackages) for finder in sys.meta_path):
        sys.meta_path.insert(0, _HiddenPackages())


def pyogrio() -> ModuleType:
    """The pyogrio module."""
    import pyogrio as module

    return module


def pyarrow() -> Any:
    import pyarrow as module

    return module
