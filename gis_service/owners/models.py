from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class Owner(models.Model):
    """An organisation that offers public space: a gemeente, a woningcorporatie, or another."""

    class Kind(models.TextChoices):
        GEMEENTE = "gemeente", _("gemeente")
        WONINGCORPORATIE = "woningcorporatie", _("woningcorporatie")
        OTHER = "other", _("overig")

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(unique=True, verbose_name=_("slug"))
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    # Where the owner is responsible: used to route initiatives drawn outside offered locations.
    territory = models.MultiPolygonField(_("grondgebied"), srid=settings.STORAGE_SRID, null=True, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("aangemaakt op"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("gewijzigd op"))

    class Meta:
        verbose_name = _("eigenaar")
        verbose_name_plural = _("eigenaren")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(territory__isnull=True) | models.Q(territory__isvalid=True),
                name="owner_territory_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MaintenanceCost(models.Model):
    """The owner's own maintenance cost per m² per year for one location type (BGT/IMBOR)."""

    owner = models.ForeignKey(
        Owner, on_delete=models.CASCADE, related_name="maintenance_costs", verbose_name=_("eigenaar")
    )
    type = models.CharField(_("soort"), max_length=100)
    cost_per_m2 = models.DecimalField(_("kosten per m² per jaar (€)"), max_digits=8, decimal_places=2)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("gewijzigd door")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("gewijzigd op"))

    class Meta:
        verbose_name = _("onderhoudskosten")
        verbose_name_plural = _("onderhoudskosten")
        constraints = [
            models.UniqueConstraint(fields=["owner", "type"], name="maintenance_cost_one_per_type"),
            models.CheckConstraint(condition=models.Q(cost_per_m2__gte=0), name="maintenance_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.owner}: {self.type} € {self.cost_per_m2}/m²"


class ValueArea(models.Model):
    """A part of an owner's ground the value report sums over: a neighbourhood (CBS buurt) or,
    for a woningcorporatie, a complex with its number of households."""

    class Kind(models.TextChoices):
        BUURT = "buurt", _("buurt")
        COMPLEX = "complex", _("complex")

    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="value_areas", verbose_name=_("eigenaar"))
    kind = models.CharField(_("soort gebied"), max_length=10, choices=Kind.choices)
    # The source's own code: CBS's buurtcode (BU03630000) or the corporation's complex number.
    code = models.CharField(_("code"), max_length=50)
    name = models.CharField(_("naam"), max_length=200)
    # Households in a complex: the saving in service costs is divided over them.
    households = models.PositiveIntegerField(_("aantal huishoudens"), null=True, blank=True)
    geometry = models.MultiPolygonField(_("geometrie"), srid=settings.STORAGE_SRID)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("gewijzigd op"))

    class Meta:
        verbose_name = _("gebied voor het waarderapport")
        verbose_name_plural = _("gebieden voor het waarderapport")
        ordering = ["owner", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "kind", "code"], name="value_area_one_per_code"),
            models.CheckConstraint(condition=models.Q(geometry__isvalid=True), name="value_area_geometry_valid"),
            models.CheckConstraint(
                condition=models.Q(households__isnull=True) | models.Q(households__gte=1),
                name="value_area_households_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
