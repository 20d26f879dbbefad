"""Reading the areas of the value report (CBS buurten, a corporation's complexes) from any file
the location importer reads: GeoPackage, GeoJSON, shapefile (also zipped), GML.

The reading is the importer's (working copy, layer choice, field names resolved as for locations,
CRS from the file); the writing is the owners app's (`value_areas_load`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from gis_service.owners.models import Owner
from gis_service.owners.services import AreaBatch, value_areas_load
from importers.readers.base import ImportFailed, Mapping
from importers.readers.files import FileStream, working_copy

# Field names of CBS's "wijk- en buurtkaart" (as PDOK publishes it); any other file names its own.
CBS_CODE_FIELD = "buurtcode"
CBS_NAME_FIELD = "buurtnaam"


def _households(value: object, *, code: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(float(str(value)))
    except ValueError:
        raise ImportFailed(
            _("gebied '%(code)s': huishoudens '%(value)s' is geen getal") % {"code": code, "value": value}
        ) from None
    # CBS marks a secret or unknown count with a negative number (-99999999): no figure, not an error.
    return number if number > 0 else None


def load_value_areas(
    *,
    owner: Owner,
    path: str,
    kind: str,
    code_field: str = CBS_CODE_FIELD,
    name_field: str = CBS_NAME_FIELD,
    households_field: str = "",
    layer: str = "",
    crs: str = "",
    where: str = "",
    replace: bool = False,
) -> int:
    """Loads the areas of one layer of `path` for `owner`; returns how many were written."""
    keep = [households_field] if households_field else []
    with working_copy(path) as dataset:
        stream = FileStream(
            path=dataset,
            display=Path(path).name,
            mapping=Mapping(id_field=code_field, name_field=name_field, keep_fields=keep, where=where),
            layer=layer,
            crs=crs,
        ).open()

        def batches() -> Iterator[AreaBatch]:
            for batch in stream.batches():
                columns = batch.table.to_pydict()
                codes = [str(c or "").strip() for c in columns["ext_id"]]
                attrs = [json.loads(a) if a else {} for a in columns["attrs"]]
                yield AreaBatch(
                    srid=stream.info.srid,
                    codes=codes,
                    names=[str(n or c) for n, c in zip(columns["name"], codes, strict=True)],
                    # attrs holds the households field alone (keep_fields), under the file's own name.
                    households=[
                        _households(next(iter(a.values()), None), code=c) if keep else None
                        for a, c in zip(attrs, codes, strict=True)
                    ],
                    wkbs=columns["wkb"],
                )

        return value_areas_load(owner=owner, kind=kind, batches=batches(), replace=replace)
