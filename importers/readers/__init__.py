"""Readers per kind of source. Each yields batches of mapped features (see base.Batch)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from importers.readers.base import FeatureStream, ImportFailed, Mapping

if TYPE_CHECKING:
    from importers.models import Source


def mapping_of(source: Source) -> Mapping:
    return Mapping(
        id_field=source.id_field,
        name_field=source.name_field,
        type_field=source.type_field,
        keep_fields=tuple(source.keep_fields or ()),
        where=source.where,
    )


def fingerprint_of(source: Source, *, merge_version: str) -> str:
    """A fingerprint of the source's bytes and read options; '' when it cannot be known cheaply."""
    if source.kind != "file" or not Path(source.location).is_file():
        return ""
    from importers.readers.files import fingerprint

    # Everything that decides what the locations look like, besides the bytes themselves.
    extra = json.dumps(
        [source.layer, source.crs, source.where, list(source.keep_fields or ()), source.id_field,
         source.name_field, source.type_field, merge_version]
    )  # fmt: skip
    return fingerprint(Path(source.location), extra=extra)


@contextmanager
def open_stream(source: Source, *, run_id: int | None = None) -> Iterator[FeatureStream]:
    """The open feature stream of `source`, read by run `run_id` (which names its work folder)."""
    mapping = mapping_of(source)
    if source.kind == "file":
        from importers.readers import files

        with files.working_copy(source.location, run_id=run_id) as path:
            yield files.FileStream(
                path=path, display=Path(source.location).name, mapping=mapping, layer=source.layer, crs=source.crs
            ).open()
        return
    if source.kind in ("wfs", "oapif"):
        from importers.readers.services import open_service

        yield open_service(source.kind, url=source.location, layer=source.layer, crs=source.crs, mapping=mapping)
        return
    raise ImportFailed(
        _("%(location)s: bronnen van de soort '%(kind)s' zijn niet te lezen")
        % {"location": source.location, "kind": source.kind}
    )
