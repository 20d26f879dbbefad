"""Reading files: shapefile (also zipped, also in a folder of the zip), GeoPackage, GeoJSON, GML.

Every file is read from a private working folder: zips are unpacked there after their entries
are checked, and GML is linked there, because GDAL writes a `.gfs` schema next to a GML file it
reads and we never write next to a user's files.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from importers.gdal import pyogrio
from importers.readers.base import (
    Batch,
    ImportFailed,
    Mapping,
    ResolvedMapping,
    StreamInfo,
    batch_from_arrow,
    layer_option,
    srid_from_crs,
)
from importers.uploads import ZipLimits, check_shapefile, extract_zip
from importers.workfolders import work_folder

BATCH_SIZE = 5_000
# The files of a shapefile that decide what is read. Others with its name (a .gpkg or .zip export
# beside it, a .qix index, GDAL's .gfs for a GML) are not part of the fingerprint.
SHAPEFILE_PARTS = frozenset({".shp", ".shx", ".dbf", ".prj", ".cpg"})
DATASET_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".gml", ".xml")
POLYGONAL = {"Polygon", "MultiPolygon", "CurvePolygon", "MultiSurface", "Surface", "PolyhedralSurface"}
LINE_OR_POINT = {"Point", "MultiPoint", "LineString", "MultiLineString", "CircularString", "CompoundCurve"}
# BGT marks a historical object version by setting eindRegistratie; only current ones are imported.
BGT_END_FIELD = "eindRegistratie"
# The area geometry of a BGT/IMGeo object, in CityGML (geometrie2dBegroeidTerreindeel) and GML light.
_AREA_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?(geometrie2d\w*)[\s>]")


def fingerprint(path: Path, *, extra: str) -> str:
    """SHA-256 over the bytes of the dataset and its side files, and `extra` (the mapping)."""
    digest = hashlib.sha256(extra.encode())
    files = [path]
    if path.suffix.lower() == ".shp":
        siblings = path.parent.glob(_glob_escape(path.stem) + ".*")
        files = sorted(file for file in siblings if file.suffix.lower() in SHAPEFILE_PARTS)
    for file in files:
        if file.is_file():
            digest.update(file.name.encode())
            with file.open("rb") as handle:
                digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


@contextmanager
def working_copy(location: str, *, run_id: int | None = None, limits: ZipLimits | None = None) -> Iterator[Path]:
    """A private folder of run `run_id` holding the dataset of `location` (a file or a zip); yields
    the dataset path. The folder is removed after the block, or by the stale-run sweep when the
    process dies inside it."""
    source = Path(location)
    if not source.is_file():
        raise ImportFailed(_("%(location)s: dit bestand bestaat niet") % {"location": location})
    with work_folder(run_id) as work:
        if source.suffix.lower() == ".zip":
            yield _unpack(source, work, limits or ZipLimits())
        else:
            yield _link(source, work)


def _link(source: Path, work: Path) -> Path:
    """Links the dataset and its side files (same stem) into `work`."""
    for side in source.parent.glob(_glob_escape(source.stem) + ".*"):
        if side.suffix.lower() in (".gfs",):
            continue  # a stale schema from an earlier GDAL run would steer the read
        (work / side.name).symlink_to(side.resolve())
    return work / source.name


def _glob_escape(text: str) -> str:
    return re.sub(r"([\[\]*?])", r"[\1]", text)


def _unpack(archive: Path, work: Path, limits: ZipLimits) -> Path:
    try:
        with zipfile.ZipFile(archive) as zf:
            extract_zip(zf, work, limits=limits, name=archive.name)
    except zipfile.BadZipFile as error:
        raise ImportFailed(
            _("%(name)s: geen leesbaar zipbestand (%(error)s)") % {"name": archive.name, "error": error}
        ) from None
    datasets = sorted(p for p in work.rglob("*") if p.is_file() and p.suffix.lower() in DATASET_SUFFIXES)
    datasets = [p for p in datasets if not p.name.startswith(".") and "__MACOSX" not in p.parts]
    shapefiles = [p for p in datasets if p.suffix.lower() == ".shp"]
    chosen = shapefiles or datasets
    if not chosen:
        raise ImportFailed(
            _("%(name)s: de zip bevat geen shapefile, GeoPackage, GeoJSON of GML") % {"name": archive.name}
        )
    if len(chosen) > 1:
        names = ", ".join(str(p.relative_to(work)) for p in chosen)
        raise ImportFailed(
            _("%(name)s: de zip bevat meer dan één dataset (%(datasets)s); zip er één per bron")
            % {"name": archive.name, "datasets": names}
        )
    return chosen[0]


@dataclass
class FileStream:
    """Features of one layer of a local dataset, read in Arrow batches."""

    path: Path
    display: str
    mapping: Mapping
    layer: str
    crs: str
    info: StreamInfo = None  # type: ignore[assignment]  # set by open()

    def open(self) -> FileStream:
        suffix = self.path.suffix.lower()
        self._open_options: dict[str, str] = {}
        if suffix == ".shp":
            self._check_shapefile()
        if suffix in (".gml", ".xml"):
            self._prepare_gml()
        self._layer = self._choose_layer()
        try:
            meta = pyogrio().read_info(self.path, layer=self._layer, **self._open_options)
        except Exception as error:
            raise ImportFailed(
                _("%(file)s: GDAL kan de laag niet lezen: %(error)s")
                % {"file": self.display, "error": self._gdal_words(error)}
            ) from None
        fields = [str(f) for f in meta["fields"]]
        try:
            self._resolved = ResolvedMapping.for_fields(self.mapping, fields)
        except ImportFailed as error:
            raise error.at(self.display) from None
        geometry_type = str(meta.get("geometry_type") or "Unknown").replace(" Z", "").replace(" M", "")
        if geometry_type in LINE_OR_POINT:
            raise ImportFailed(
                _(
                    "%(file)s: de laag '%(layer)s' bevat geometrieën van het type %(type)s, geen vlakken: kies in "
                    "%(option)s een laag met vlakken"
                )
                % {"file": self.display, "layer": self._layer, "type": geometry_type, "option": layer_option()}
            )
        self._where = self._where_clause(fields)
        total = meta.get("features")
        crs = meta.get("crs")
        assumed = ""
        if suffix in (".geojson", ".json") and not _geojson_names_crs(self.path):
            if self.crs:
                # GDAL reports CRS84 for a GeoJSON without `crs` (RFC 7946); the source's CRS says otherwise.
                crs = None
            else:
                assumed = "CRS84 (WGS 84)"
        elif not crs and not self.crs:
            assumed = "EPSG:28992 (RD New)"  # the fallback below
        self.info = StreamInfo(
            srid=srid_from_crs(crs, fallback=self.crs or "EPSG:28992", where=self.display),
            total=int(total) if isinstance(total, int) and total >= 0 and not self._where else None,
            fields=fields,
            assumed_crs=assumed,
        )
        return self

    def _gdal_words(self, error: Exception) -> str:
        """GDAL's words with the file by the name the GIS admin knows: GDAL names the copy in the run's
        work folder (/tmp/zelfbeheer-imports/<database>/zb-import-run-8-…/groen.gpkg)."""
        text = _gdal_message(error).replace(str(self.path), self.display)
        return text.replace(str(self.path.parent), "…")

    def _check_shapefile(self) -> None:
        siblings = {p.suffix.lower(): p for p in self.path.parent.glob(_glob_escape(self.path.stem) + ".*")}

        def head(suffix: str, size: int) -> bytes:
            with siblings[suffix].open("rb") as handle:
                return handle.read(size)

        check_shapefile(
            self.display,
            {suffix: path.name for suffix, path in siblings.items()},
            {suffix: path.stat().st_size for suffix, path in siblings.items()},
            head,
        )

    def _prepare_gml(self) -> None:
        """Lets GDAL scan the GML once (writing its .gfs schema in our folder), then points the
        schema at the area geometry: GDAL would take the first geometry it meets (the kruinlijn
        in BGT), and reports CityGML's geometry type as 'unknown 3D', which pyogrio refuses."""
        # Remote XML schemas are never fetched: a file must not make the server do requests.
        self._open_options = {"DOWNLOAD_SCHEMA": "NO"}
        gfs = self.path.with_suffix(".gfs")
        try:
            pyogrio().read_info(self.path, **self._open_options)
        except Exception as error:
            if not gfs.exists():
                raise ImportFailed(
                    _("%(file)s: GDAL kan de GML niet lezen: %(error)s")
                    % {"file": self.display, "error": self._gdal_words(error)}
                ) from None
        if not gfs.exists():
            return
        with self.path.open("rb") as handle:
            head = handle.read(4 * 1024 * 1024)
        area = _AREA_ELEMENT.search(head)
        tree = ElementTree.parse(gfs)  # noqa: S314  # our own file, written by GDAL just now
        for feature_class in tree.getroot().iter("GMLFeatureClass"):
            _point_gfs_at_area(feature_class, area.group(1).decode() if area else None)
        tree.write(gfs)

    def _choose_layer(self) -> str:
        try:
            layers = [str(name) for name, _ in pyogrio().list_layers(self.path)]
        except Exception as error:
            raise ImportFailed(
                _("%(file)s: GDAL kan het bestand niet openen: %(error)s")
                % {"file": self.display, "error": self._gdal_words(error)}
            ) from None
        if self.layer:
            if self.layer not in layers:
                raise ImportFailed(
                    _("%(file)s: er is geen laag '%(layer)s'; de lagen zijn: %(layers)s")
                    % {"file": self.display, "layer": self.layer, "layers": ", ".join(layers)}
                )
            return self.layer
        if len(layers) == 1:
            return layers[0]
        if not layers:
            raise ImportFailed(_("%(file)s: het bestand bevat geen lagen") % {"file": self.display})
        raise ImportFailed(
            _("%(file)s: kies een laag in %(option)s; de lagen zijn: %(layers)s")
            % {"file": self.display, "layers": ", ".join(layers), "option": layer_option()}
        )

    def _where_clause(self, fields: list[str]) -> str:
        clauses = [f"({self.mapping.where})"] if self.mapping.where else []
        if BGT_END_FIELD in fields:
            clauses.append(f'"{BGT_END_FIELD}" IS NULL')
        return " AND ".join(clauses)

    def batches(self) -> Iterator[Batch]:
        start = 0
        try:
            with pyogrio().open_arrow(
                self.path,
                layer=self._layer,
                where=self._where or None,
                batch_size=BATCH_SIZE,
                use_pyarrow=True,
                **self._open_options,
            ) as (meta, reader):
                geometry_column = meta.get("geometry_name") or "wkb_geometry"
                while True:
                    try:
                        record_batch = reader.read_next_batch()
                    except StopIteration:
                        break
                    batch = batch_from_arrow(
                        record_batch, start=start, mapping=self._resolved, geometry_column=geometry_column
                    )
                    start += len(batch)
                    yield batch
        except ImportFailed:
            raise
        except Exception as error:
            words = {"file": self.display, "n": start, "filter": self._where, "error": self._gdal_words(error)}
            if self._where:
                message = _("%(file)s: het lezen stopte na object %(n)d (met het filter '%(filter)s'): %(error)s")
            else:
                message = _("%(file)s: het lezen stopte na object %(n)d: %(error)s")
            raise ImportFailed(message % words) from None


_GEOJSON_CRS = re.compile(rb'"crs"\s*:\s*\{')


def _geojson_names_crs(path: Path) -> bool:
    """Whether a GeoJSON file has a top-level `crs` member (GeoJSON 2008; RFC 7946 dropped it).

    Top-level members come before `"features"` (GDAL, QGIS, FME) or after its closing bracket;
    looking there does not read the features of a 2 GB file.
    """
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
        size = handle.seek(0, 2)
        handle.seek(max(0, size - 4096))
        tail = handle.read()
    features = head.find(b'"features"')
    if _GEOJSON_CRS.search(head if features < 0 else head[:features]):
        return True
    end = tail.rfind(b"]")
    return features >= 0 and _GEOJSON_CRS.search(tail[end + 1 :] if end >= 0 else b"") is not None


def _point_gfs_at_area(feature_class: ElementTree.Element, area_element: str | None) -> None:
    name = feature_class.find("GeometryName")
    path = feature_class.find("GeometryElementPath")
    kind = feature_class.find("GeometryType")
    if area_element and name is not None and path is not None and name.text != area_element:
        name.text = path.text = area_element
    if kind is not None:
        # 0 = unknown 2D: neither a forced type that would drop curves nor the 3D flag pyogrio refuses
        kind.text = "0"
    for geometry in feature_class.findall("GeomPropertyDefn"):
        element = geometry.find("ElementPath")
        if area_element and element is not None and element.text != area_element:
            feature_class.remove(geometry)
        else:
            for child in geometry.findall("Type"):
                child.text = "Unknown"


def _gdal_message(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[-1][:500]
