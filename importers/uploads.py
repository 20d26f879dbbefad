"""Checks on uploaded files and zips, done before GDAL reads a byte of them."""

from __future__ import annotations

import re
import uuid
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from importers.readers.base import ImportFailed

# Entries (and whole zips) smaller than this unpack to too little to matter, whatever their ratio:
# a small .dbf of blank padding compresses far beyond 100×.
RATIO_FLOOR = 1 << 20


@dataclass(frozen=True)
class ZipLimits:
    """Bounds that stop a zip bomb: total unpacked size, entry count and compression ratio (of
    each entry of 1 MiB or more, and of all entries together once they pass 1 MiB)."""

    max_total_bytes: int = 0  # 0: from settings.MAX_UPLOAD_MB × 10
    max_entries: int = 1000
    max_ratio: int = 100

    @property
    def total_bytes(self) -> int:
        return self.max_total_bytes or int(getattr(settings, "MAX_UPLOAD_MB", 200)) * 10 * 1024 * 1024


def check_zip(zf: zipfile.ZipFile, *, limits: ZipLimits, name: str) -> None:
    """Refuses absolute or parent paths, links, too many entries, and a zip that unpacks too large."""
    entries = zf.infolist()
    if len(entries) > limits.max_entries:
        raise ImportFailed(
            _("%(name)s: de zip bevat %(count)d onderdelen (hoogstens %(limit)d)")
            % {"name": name, "count": len(entries), "limit": limits.max_entries}
        )
    total = packed = 0
    for entry in entries:
        path = PurePosixPath(entry.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or (path.parts and path.parts[0].endswith(":")):
            raise ImportFailed(_outside(name, entry))
        mode = entry.external_attr >> 16
        if mode & 0o170000 == 0o120000:
            raise ImportFailed(
                _("%(name)s: geweigerd: het onderdeel '%(entry)s' is een symbolische link")
                % {"name": name, "entry": entry.filename}
            )
        total += entry.file_size
        packed += entry.compress_size
        if total > limits.total_bytes:
            raise ImportFailed(_too_large_unpacked(name, limits))
        squeezed = entry.compress_size and entry.file_size / entry.compress_size > limits.max_ratio
        if squeezed and entry.file_size >= RATIO_FLOOR:
            raise ImportFailed(
                _("%(name)s: geweigerd: het onderdeel '%(entry)s' is %(ratio)d× gecomprimeerd (hoogstens %(limit)d×): "
                  "een zipbom?")
                % {"name": name, "entry": entry.filename, "ratio": entry.file_size // entry.compress_size,
                   "limit": limits.max_ratio}
            )  # fmt: skip
    # Per entry alone, 999 entries of exactly 1 MiB (a 1.1 MB zip) unpacked to 941 MB: the ratio
    # of the whole zip counts too.
    if total >= RATIO_FLOOR and total > limits.max_ratio * max(packed, 1):
        raise ImportFailed(
            _("%(name)s: geweigerd: de zip is in totaal %(ratio)d× gecomprimeerd (hoogstens %(limit)d×): een zipbom?")
            % {"name": name, "ratio": total // max(packed, 1), "limit": limits.max_ratio}
        )


def _outside(name: str, entry: zipfile.ZipInfo) -> str:
    return _("%(name)s: geweigerd: het onderdeel '%(entry)s' wijst buiten de zip") % {
        "name": name, "entry": entry.filename,
    }  # fmt: skip


def _too_large_unpacked(name: str, limits: ZipLimits) -> str:
    return _("%(name)s: geweigerd: de zip pakt uit tot meer dan %(mb)d MB") % {
        "name": name, "mb": limits.total_bytes // (1024 * 1024),
    }  # fmt: skip


def extract_zip(zf: zipfile.ZipFile, target: Path, *, limits: ZipLimits, name: str) -> None:
    """Unpacks a checked zip, counting the bytes really written: a zip whose headers lie about
    the sizes is stopped once it passes the limit."""
    check_zip(zf, limits=limits, name=name)
    written = 0
    root = target.resolve()
    for entry in zf.infolist():
        destination = (target / entry.filename).resolve()
        if not destination.is_relative_to(root):
            raise ImportFailed(_outside(name, entry))
        if entry.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(entry) as source, destination.open("wb") as out:
            while chunk := source.read(1 << 20):
                written += len(chunk)
                if written > limits.total_bytes:
                    raise ImportFailed(_too_large_unpacked(name, limits))
                out.write(chunk)


def check_shapefile(
    display: str, names: dict[str, str], sizes: dict[str, int], head: Callable[[str, int], bytes]
) -> None:
    """Refuses a shapefile without its .shx or .dbf, or with a part shorter than its header says.

    `names`, `sizes` and `head` give the name, size and first bytes of each part present, by
    suffix (".shp", ".shx", ".dbf"): the sync checks files on disk, the upload the entries of the
    zip, with the same messages. GDAL reads a cut-off shapefile without an error, returning
    features without geometry or attributes; the headers say how long the files should be.
    """
    missing = [s for s in (".shx", ".dbf") if s not in sizes]
    if missing:
        parts = missing[0] if len(missing) == 1 else _("%(first)s en %(second)s") % {"first": ".shx", "second": ".dbf"}
        raise ImportFailed(
            ngettext(
                "%(file)s: de shapefile is onvolledig: %(parts)s ontbreekt (een shapefile heeft zijn .shp, .shx en "
                ".dbf nodig; zip ze samen)",
                "%(file)s: de shapefile is onvolledig: %(parts)s ontbreken (een shapefile heeft zijn .shp, .shx en "
                ".dbf nodig; zip ze samen)",
                len(missing),
            )
            % {"file": display, "parts": parts}
        )
    for suffix in (".shp", ".shx"):
        header = head(suffix, 100)
        declared = int.from_bytes(header[24:28], "big") * 2 if len(header) >= 28 else -1
        if declared != sizes[suffix]:
            raise ImportFailed(
                _(
                    "%(file)s: %(part)s is afgekapt of beschadigd: de header zegt %(declared)d bytes, het bestand "
                    "heeft er %(size)d"
                )
                % {"file": display, "part": names[suffix], "declared": declared, "size": sizes[suffix]}
            )
    header = head(".dbf", 12)
    if len(header) == 12:
        records = int.from_bytes(header[4:8], "little")
        expected = int.from_bytes(header[8:10], "little") + records * int.from_bytes(header[10:12], "little")
        if sizes[".dbf"] < expected:
            raise ImportFailed(
                _("%(file)s: %(part)s is afgekapt: %(records)d records vragen %(expected)d bytes, het bestand heeft "
                  "er %(size)d")
                % {"file": display, "part": names[".dbf"], "records": records, "expected": expected,
                   "size": sizes[".dbf"]}
            )  # fmt: skip


def _check_zipped_shapefiles(zf: zipfile.ZipFile, *, name: str) -> None:
    """The shapefile checks of the sync (check_shapefile) on each shapefile in an uploaded zip."""
    parts: dict[tuple[str, str], dict[str, zipfile.ZipInfo]] = {}
    for entry in zf.infolist():
        path = PurePosixPath(entry.filename.replace("\\", "/"))
        if entry.is_dir() or path.name.startswith(".") or "__MACOSX" in path.parts:
            continue
        parts.setdefault((str(path.parent), path.stem), {})[path.suffix.lower()] = entry
    for found in parts.values():
        if ".shp" not in found:
            continue

        def head(suffix: str, size: int, found: dict[str, zipfile.ZipInfo] = found) -> bytes:
            with zf.open(found[suffix]) as handle:
                return handle.read(size)

        check_shapefile(
            name,
            {suffix: PurePosixPath(entry.filename).name for suffix, entry in found.items()},
            {suffix: entry.file_size for suffix, entry in found.items()},
            head,
        )


class UploadRefused(Exception):
    """An uploaded file that is not accepted; the message says why."""


UPLOAD_SUFFIXES = (".zip", ".gpkg", ".geojson", ".json", ".gml")


def uploads_folder(owner_slug: str) -> Path:
    """Where the uploads of one owner are kept: MEDIA_ROOT/imports/<owner>/."""
    return Path(settings.MEDIA_ROOT) / "imports" / owner_slug


def is_upload_of(location: str, *, owner_slug: str) -> bool:
    """Whether `location` is a file in the owner's uploads folder (after resolving `..` and links)."""
    return Path(location).resolve().is_relative_to(uploads_folder(owner_slug).resolve())


def _too_large() -> str:
    return _("het bestand is groter dan %(mb)s MB") % {"mb": settings.MAX_UPLOAD_MB}


# What a file's first bytes say it is, for the GIS admin who picked the wrong one: a PDF or an
# HTML error page saved as "plantvakken.gpkg" ran as a source, and failed with GDAL's "not recognized
# as being in a supported file format. It might help to specify the correct driver explicitly by
# prefixing the file path with '<DRIVER>:'" and the path of the run's work folder.
_SIGNATURES: list[tuple[bytes, object]] = [
    (b"%PDF", gettext_lazy("een PDF-document")),
    (b"PK\x03\x04", gettext_lazy("een zipbestand")),
    (b"SQLite format 3\x00", gettext_lazy("een SQLite-database")),
    (b"\xd0\xcf\x11\xe0", gettext_lazy("een Office-document (Word of Excel)")),
    (b"\x89PNG", gettext_lazy("een afbeelding (PNG)")),
    (b"\xff\xd8\xff", gettext_lazy("een afbeelding (JPEG)")),
]
_FORMATS = {
    ".zip": (gettext_lazy("zipbestand"), (b"PK\x03\x04", b"PK\x05\x06")),
    ".gpkg": (gettext_lazy("GeoPackage"), (b"SQLite format 3\x00",)),
    ".geojson": (gettext_lazy("GeoJSON-bestand"), (b"{",)),
    ".json": (gettext_lazy("GeoJSON-bestand"), (b"{",)),
    ".gml": (gettext_lazy("GML-bestand"), (b"<",)),
}


def _what_it_is(head: bytes) -> str:
    for signature, label in _SIGNATURES:
        if head.startswith(signature):
            return str(label)
    text = head.lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html")):
        return _("een webpagina (HTML)")
    if text.startswith(b"<"):
        return _("een XML-bestand")
    if text.startswith((b"{", b"[")):
        return _("een JSON-bestand")
    return ""


def check_content(path: Path, *, name: str) -> None:
    """Refuses a file whose first bytes are not those of the format its name says (UploadRefused
    names what it looks like instead)."""
    suffix = path.suffix.lower()
    fmt, starts = _FORMATS[suffix]
    with path.open("rb") as handle:
        head = handle.read(512)
    body = head.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark before JSON or XML
    if suffix in (".geojson", ".json", ".gml"):
        body = body.lstrip()
    looks_like = _what_it_is(body)
    html = body.lower().startswith((b"<!doctype html", b"<html"))
    if body.startswith(starts) and not html:
        return
    if looks_like:
        raise UploadRefused(
            _("%(name)s is geen %(format)s: het is %(found)s. Kies het juiste bestand, of exporteer het "
              "opnieuw uit het GIS.")
            % {"name": name, "format": fmt, "found": looks_like}
        )  # fmt: skip
    raise UploadRefused(
        _("%(name)s is geen %(format)s: het begint niet zoals een %(format)s begint. Kies het juiste bestand, "
          "of exporteer het opnieuw uit het GIS.")
        % {"name": name, "format": fmt}
    )  # fmt: skip


def store_upload(upload: UploadedFile, *, owner_slug: str) -> str:
    """Saves an uploaded dataset under MEDIA_ROOT/imports/<owner>/<random>/ after checking its size,
    name and (for a zip) its entries; returns the path to import from."""
    limit = int(settings.MAX_UPLOAD_MB) * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        raise UploadRefused(_too_large())
    name = PurePosixPath((upload.name or "").replace("\\", "/")).name
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise UploadRefused(
            _("kies een %(suffixes)s bestand (een shapefile als zip)") % {"suffixes": ", ".join(UPLOAD_SUFFIXES)}
        )
    folder = uploads_folder(owner_slug) / uuid.uuid4().hex
    folder.mkdir(parents=True)
    target = folder / (re.sub(r"[^\w.-]", "_", name) or f"upload{suffix}")
    written = 0
    with target.open("wb") as out:
        for chunk in upload.chunks():
            written += len(chunk)
            if written > limit:
                out.close()
                target.unlink()
                raise UploadRefused(_too_large())
            out.write(chunk)
    try:
        check_content(target, name=name)
    except UploadRefused:
        target.unlink()
        raise
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(target) as zf:
                check_zip(zf, limits=ZipLimits(), name=name)
                _check_zipped_shapefiles(zf, name=name)
        except (zipfile.BadZipFile, zlib.error):
            target.unlink()
            raise UploadRefused(_("%(name)s: geen leesbaar zipbestand") % {"name": name}) from None
        except ImportFailed:
            target.unlink()
            raise
    return str(target)
