from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models


class Owner(models.Model):
    """An organisation that offers public space: a gemeente, a woningcorporatie, or another."""

    class Kind(models.TextChoices):
        GEMEENTE = "gemeente", "gemeente"
        WONINGCORPORATIE = "woningcorporatie", "woningcorporatie"
        OTHER = "other", "overig"

    name = models.CharField("naam", max_length=200)
    slug = models.SlugField(unique=True)
    kind = models.CharField("soort", max_length=20, choices=Kind.choices)
    # Where the owner is responsible: used to route initiatives drawn outside offered locations.
    territory = models.MultiPolygonField("grondgebied", srid=settings.STORAGE_SRID, null=True, blank=True)
    contact_email = models.EmailField("contact e-mail", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "eigenaar"
        verbose_name_plural = "eigenaren"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(territory__isnull=True) | models.Q(territory__isvalid=True),
                name="owner_territory_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name
