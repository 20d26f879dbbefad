"""What the sitemap lists (`/sitemap.xml`): the public pages a search engine may show a resident
looking for a place near them. Locations and groups come in fixed ranges of ids, so one sitemap
file is one range scan of a primary key and the index needs only the largest id, at 10,000,000
locations as at 100 (a count of the current locations would read them all)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Max, QuerySet
from django.urls import reverse

from gis_service.groups.models import Group
from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location
from gis_service.owners.models import Owner

# The protocol's limit per file (sitemaps.org): 50,000 URLs.
IDS_PER_FILE = 50_000
_PLACEHOLDER = 987_654_321


@dataclass(frozen=True)
class Entry:
    path: str
    lastmod: dt.datetime | None = None


@dataclass(frozen=True)
class RangedSection:
    """Pages of one kind, a file per range of IDS_PER_FILE ids (some ranges hold fewer, or none)."""

    rows: Callable[[], QuerySet]  # (id,) or (id, last modified) of every listed row
    url_name: str

    def files(self) -> int:
        highest = self.rows().aggregate(highest=Max("id"))["highest"] or 0
        return highest // IDS_PER_FILE + 1

    def entries(self, number: int) -> Iterator[Entry]:
        low = number * IDS_PER_FILE
        rows = self.rows().filter(id__gte=low, id__lt=low + IDS_PER_FILE).order_by("id")
        # One reverse() for the file, not 50,000: the id is the path's only part that changes.
        before, _, after = reverse(self.url_name, args=[_PLACEHOLDER]).partition(str(_PLACEHOLDER))
        for row in rows.iterator(chunk_size=5_000):
            yield Entry(f"{before}{row[0]}{after}", row[1] if len(row) > 1 else None)


RANGED: dict[str, RangedSection] = {
    # Withdrawn locations keep their page (with a notice) but are no longer on offer: not listed.
    "locaties": RangedSection(lambda: Location.objects.current().values_list("id", "updated_at"), "web:location"),
    "groepen": RangedSection(lambda: Group.objects.values_list("id"), "web:group"),
}


def other_pages() -> Iterator[Entry]:
    """The home page, the lists, every owner's value summary and the open initiatives."""
    for name in ("web:map", "web:initiative-list", "web:support-pool"):
        yield Entry(reverse(name))
    for slug in Owner.objects.order_by("slug").values_list("slug", flat=True):
        yield Entry(reverse("web:value", args=[slug]))
    for initiative_id in Initiative.objects.public().order_by("id").values_list("id", flat=True):
        yield Entry(reverse("web:initiative", args=[initiative_id]))
