from __future__ import annotations

from django.contrib.gis.db import models


class Source(models.Model):
    """A saved dataset that is imported as locations and kept in sync."""

    class Kind(models.TextChoices):
        FILE = "file", "bestand"
        WFS = "wfs", "WFS"
        OAPIF = "oapif", "OGC API Features"

    owner = models.ForeignKey("owners.Owner", on_delete=models.PROTECT, related_name="sources")
    name = models.CharField("naam", max_length=100)
    kind = models.CharField("soort", max_length=10, choices=Kind.choices)
    location = models.CharField("pad of URL", max_length=1000)
    layer = models.CharField("laag of typename", max_length=255, blank=True)
    crs = models.CharField("CRS als de bron er geen noemt", max_length=64, blank=True)
    id_field = models.CharField("veld met extern id", max_length=100, blank=True)
    name_field = models.CharField("veld met naam", max_length=100, blank=True)
    type_field = models.CharField("veld met soort", max_length=100, blank=True)
    keep_fields = models.JSONField("te bewaren attributen", default=list, blank=True)
    where = models.CharField("filter", max_length=1000, blank=True)
    sync_interval_minutes = models.PositiveIntegerField("synchroniseer elke … minuten", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "bron"
        verbose_name_plural = "bronnen"
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="source_unique_name_per_owner")]

    def __str__(self) -> str:
        return f"{self.owner.slug}/{self.name}"
