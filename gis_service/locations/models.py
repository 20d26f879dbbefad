from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.geos import GEOSGeometry
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class LocationQuerySet(models.QuerySet["Location"]):
    def current(self) -> LocationQuerySet:
        """Locations still in their source (or entered by hand): what the map and feed show."""
        return self.filter(withdrawn_at__isnull=True)

    def intersecting(self, area: GEOSGeometry) -> LocationQuerySet:
        """Locations sharing at least a point with `area` (uses the GiST index)."""
        return self.filter(geometry__intersects=area)


# The public lists of locations (the map page's, the list of what is in view) start with what a
# resident can take part in: a municipality's BGT import brings hundreds of unnamed, not offered
# objects, which sorted by name alone came first and pushed every offered location off the page.
LISTED_FIRST = ("beschikbaar", "aangevraagd", "in_beheer")


def list_order() -> list[Any]:
    """The order of the public lists: offered, requested, managed, then the rest; named first, by name.

    The index location_list_order holds these same expressions, so a list's first page is read from
    it: at 1,000,000 locations 0.4 ms instead of 800 ms sorting every row for the map page.
    """
    rank = models.Case(
        *(models.When(status=status, then=models.Value(i)) for i, status in enumerate(LISTED_FIRST)),
        default=models.Value(len(LISTED_FIRST)),
    )
    unnamed = models.Case(models.When(name="", then=models.Value(1)), default=models.Value(0))
    return [rank, unnamed, models.F("name"), models.F("id")]


class Location(models.Model):
    """A piece of public space that can be offered for zelfbeheer (a zelfbeheerlocatie)."""

    class Status(models.TextChoices):
        AVAILABLE = "beschikbaar", _("beschikbaar")
        REQUESTED = "aangevraagd", _("aangevraagd")
        MANAGED = "in_beheer", _("in beheer")
        UNAVAILABLE = "niet_beschikbaar", _("niet beschikbaar")

    # Indexes are kept to what queries need: every one costs time on each imported row.
    # owner_id is served by the (owner, status) index, source_id by the unique (source, external_id) one.
    owner = models.ForeignKey(
        "owners.Owner", on_delete=models.PROTECT, related_name="locations", db_index=False, verbose_name=_("eigenaar")
    )
    name = models.CharField(_("naam"), max_length=255, blank=True)
    type = models.CharField(_("soort"), max_length=100, blank=True)
    # Always a valid 2D MultiPolygon in the storage SRID (metric), so ST_Area is m².
    geometry = models.MultiPolygonField(_("geometrie"), srid=settings.STORAGE_SRID)
    # Derived by PostgreSQL itself, so bulk SQL imports can never leave it stale.
    area_m2 = models.GeneratedField(
        expression=models.Func(models.F("geometry"), function="ST_Area", output_field=models.FloatField()),
        output_field=models.FloatField(),
        db_persist=True,
        verbose_name=_("oppervlakte (m²)"),
    )
    # Derived, never written by us: PostgreSQL keeps it to the one rule in sql/status.sql (from
    # the offering, contracts and initiatives), whoever writes the row.
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.UNAVAILABLE, editable=False, verbose_name=_("status")
    )

    # Where it came from. Hand-made locations have no source.
    source = models.ForeignKey(
        "importers.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="locations",
        db_index=False,
        verbose_name=_("bron"),
    )
    external_id = models.CharField(_("extern id"), max_length=255, blank=True)
    attributes = models.JSONField(_("attributen uit de bron"), default=dict, blank=True)
    # Hash of the source feature (geometry and mapped attributes) as last imported: a re-sync
    # compares hashes and skips geometry work for unchanged features.
    source_hash = models.CharField(max_length=64, blank=True, verbose_name=_("controlegetal van de bron"))
    # Gone from its source but kept, because a contract or initiative rests on it.
    withdrawn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ingetrokken op"))
    # Set when a sync changed or withdrew the ground under a contract or open initiative.
    ground_changed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("grond gewijzigd op"))

    created_at = models.DateTimeField(auto_now_add=True, db_default=Now(), verbose_name=_("aangemaakt op"))
    updated_at = models.DateTimeField(auto_now=True, db_default=Now(), verbose_name=_("gewijzigd op"))

    objects = LocationQuerySet.as_manager()

    # What a new row carries: the status rule gives it to every location without an offering,
    # and a bulk import that sends it passes the rule's trigger without a call per row.
    NEW_STATUS = Status.UNAVAILABLE

    class Meta:
        verbose_name = _("zelfbeheerlocatie")
        verbose_name_plural = _("zelfbeheerlocaties")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(geometry__isvalid=True), name="location_geometry_valid"),
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=models.Q(source__isnull=False),
                name="location_unique_external_id_per_source",
            ),
        ]
        # Type filters are served by the feed's partial (type, id) index on current locations
        # (ogc migration 0003).
        indexes = [
            models.Index(fields=["owner", "status"], name="location_owner_status"),
            models.Index(*list_order(), name="location_list_order", condition=models.Q(withdrawn_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.name or _("locatie %(id)s") % {"id": self.pk}
