"""Shapes of locations, terms, contracts and the overlap check in the REST API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.contrib.rest_framework_gis import build_geo_container_schema, build_polygon_schema
from drf_spectacular.plumbing import build_array_type
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from gis_service.contracts.models import Contract, ManagerSignup, Offering, TermsVersion
from gis_service.contracts.selectors import contract_terms_status
from gis_service.geo.geojson import crs84_geojson
from gis_service.locations.models import Location


def can_see_people(owner_id: int, *, regisseur_of: set[int] | None) -> bool:
    """Managers' contact details and plans are for the owner's regisseurs (`regisseur_of`: the
    owner ids the user is regisseur of, looked up once by the caller, empty for anonymous users;
    None for platform staff, who see every owner's)."""
    return regisseur_of is None or owner_id in regisseur_of


class TermsVersionSerializer(serializers.ModelSerializer[TermsVersion]):
    class Meta:
        model = TermsVersion
        fields = ["id", "number", "text", "content_hash", "created_at"]


class OfferingSerializer(serializers.ModelSerializer[Offering]):
    current_terms = serializers.SerializerMethodField()

    class Meta:
        model = Offering
        fields = [
            "conditions",
            "offered_from",
            "offered_until",
            "managers_needed",
            "contract_months",
            "budget_eur",
            "reward",
            "support",
            "support_notes",
            "current_terms",
        ]

    @extend_schema_field(TermsVersionSerializer)
    def get_current_terms(self, offering: Offering) -> dict[str, Any] | None:
        versions = sorted(offering.terms_versions.all(), key=lambda version: version.number)
        return TermsVersionSerializer(versions[-1]).data if versions else None


@extend_schema_field(build_geo_container_schema("MultiPolygon", build_array_type(build_polygon_schema())))
class MultiPolygonCrs84Field(GeometryField):
    """A location's MultiPolygon as the queryset annotated it in CRS84.

    Its source is an annotation, not a model field, so the OpenAPI document needs telling what it is
    (drf-spectacular otherwise typed it as a string).
    """


@extend_schema_serializer(
    description=gettext_lazy(
        "Een locatie als GeoJSON Feature in CRS84, met wat er aangeboden wordt en de open aanmelding."
    )
)
class LocationSerializer(GeoFeatureModelSerializer):
    """A location as a GeoJSON Feature in CRS84, with what is offered and the open sign-up."""

    # Reprojected by the database (the queryset annotates geometry_crs84), as GeoJSON wants CRS84.
    geometry = MultiPolygonCrs84Field(source="geometry_crs84", read_only=True, precision=7)
    owner = serializers.SerializerMethodField()
    offering = serializers.SerializerMethodField()
    open_contract = serializers.SerializerMethodField()

    class Meta:
        model = Location
        geo_field = "geometry"
        fields = ["id", "name", "type", "status", "area_m2", "owner", "offering", "open_contract"]

    def get_owner(self, location: Location) -> dict[str, Any]:
        return {"id": location.owner_id, "name": location.owner.name}

    @extend_schema_field(OfferingSerializer)
    def get_offering(self, location: Location) -> dict[str, Any] | None:
        offering = getattr(location, "offering", None)
        return OfferingSerializer(offering).data if offering else None

    def get_open_contract(self, location: Location) -> dict[str, Any] | None:
        contracts = getattr(location, "open_contracts", None)
        if contracts is None:
            contracts = list(location.contracts.filter(status=Contract.Status.OPEN))
            for contract in contracts:
                contract.manager_count = contract.signups.filter(withdrawn_at__isnull=True).count()
        if not contracts:
            return None
        contract = contracts[0]
        return {
            "id": contract.pk,
            "manager_count": contract.manager_count,
            "threshold_reached": contract.threshold_reached_at is not None,
        }


class SignupInputSerializer(serializers.Serializer[Any]):
    terms_version = serializers.PrimaryKeyRelatedField(queryset=TermsVersion.objects.all())
    plan = serializers.CharField(allow_blank=True, trim_whitespace=False)
    accept_terms = serializers.BooleanField()


class SignupSerializer(serializers.ModelSerializer[ManagerSignup]):
    class Meta:
        model = ManagerSignup
        fields = ["id", "contract", "plan", "created_at", "withdrawn_at"]


class ContractSerializer(serializers.ModelSerializer[Contract]):
    location = serializers.SerializerMethodField()
    terms_version = serializers.SerializerMethodField()
    manager_count = serializers.SerializerMethodField()
    managers = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Wie tekende, hun plan en of ze de huidige voorwaarden accepteerden (regisseurs, medewerkers, beheerders)."
        )
    )
    geometry = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id",
            "status",
            "location",
            "starts_on",
            "ends_on",
            "terms_version",
            "manager_count",
            "threshold_reached_at",
            "decided_at",
            "rejection_reason",
            "managers",
            "geometry",
        ]

    def get_location(self, contract: Contract) -> dict[str, Any]:
        location = contract.location
        return {
            "id": location.pk,
            "name": location.name,
            "owner": {"id": location.owner_id, "name": location.owner.name},
        }

    def get_terms_version(self, contract: Contract) -> dict[str, Any]:
        version = contract.terms_version
        return {"id": version.pk, "number": version.number, "content_hash": version.content_hash}

    def get_manager_count(self, contract: Contract) -> int:
        return len(contract_terms_status(contract))  # one row per current manager, prefetched by contract_list

    def get_managers(self, contract: Contract) -> list[dict[str, Any]] | None:
        """Who signed, their plan and whether they accepted the current terms (regisseurs, staff, managers)."""
        user = self.context["request"].user
        rows = contract_terms_status(contract)
        is_manager = any(row.user.pk == user.pk for row in rows)

        def sees_people() -> bool:
            return can_see_people(contract.location.owner_id, regisseur_of=self._regisseur_of(user))

        if not (is_manager or sees_people()):
            return None
        approved = contract.status in (Contract.Status.ACTIVE, Contract.Status.ENDED)

        def phone(person: Any) -> str:
            # Co-managers see a number only once the contract is approved and only if its owner agreed;
            # the owner's regisseurs always (asked last: it costs a query for a manager).
            shown = not person.phone or person.pk == user.pk or (approved and person.share_phone) or sees_people()
            return str(person.phone) if shown else ""

        return [
            {
                "name": row.user.get_full_name() or row.user.username,
                "email": row.user.email,
                "phone": phone(row.user),
                "plan": row.plan,
                "accepted_terms_version": row.accepted_version.number if row.accepted_version else None,
                "accepted_at": row.accepted_at,
                "has_accepted_current_terms": row.has_accepted_current,
            }
            for row in rows
        ]

    def _regisseur_of(self, user: Any) -> set[int] | None:
        """The owners the requesting user is regisseur of (None: platform staff, every owner),
        looked up once per response (a list's items share one serializer instance, made for this request)."""
        if not hasattr(self, "_regisseur_owner_ids"):
            if not user.is_authenticated:
                self._regisseur_owner_ids: set[int] | None = set()
            elif user.sees_every_owner():
                self._regisseur_owner_ids = None
            else:
                self._regisseur_owner_ids = user.directed_owner_ids()
        return self._regisseur_owner_ids

    def get_geometry(self, contract: Contract) -> dict[str, Any]:
        return crs84_geojson(contract.geometry)


class ApproveInputSerializer(serializers.Serializer[Any]):
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)


class RejectInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True)


class TermsAcceptInputSerializer(serializers.Serializer[Any]):
    terms_version = serializers.PrimaryKeyRelatedField(queryset=TermsVersion.objects.all())
    accept_terms = serializers.BooleanField()


@extend_schema_serializer(
    description=gettext_lazy("Wat een regisseur invult om een locatie aan te bieden; de service controleert de rest.")
)
class OfferingInputSerializer(serializers.Serializer[Any]):
    """What a regisseur fills in to offer a location; the service checks the rest."""

    conditions = serializers.CharField()
    terms_text = serializers.CharField()
    managers_needed = serializers.IntegerField(min_value=1, default=3)
    contract_months = serializers.IntegerField(min_value=1, default=12)
    offered_from = serializers.DateField(required=False, allow_null=True)
    offered_until = serializers.DateField(required=False, allow_null=True)
    budget_eur = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True)
    reward = serializers.CharField(required=False, allow_blank=True, default="")
    support = serializers.ListField(child=serializers.ChoiceField(choices=Offering.Support.choices), default=list)
    support_notes = serializers.CharField(required=False, allow_blank=True, default="")


class TermsPublishInputSerializer(serializers.Serializer[Any]):
    text = serializers.CharField()


class PeriodSerializer(serializers.Serializer[Any]):
    start = serializers.DateField(required=False, allow_null=True)
    end = serializers.DateField(required=False, allow_null=True)


class OverlapCheckInputSerializer(serializers.Serializer[Any]):
    geometry = serializers.JSONField(help_text=gettext_lazy("GeoJSON Polygon of MultiPolygon"))
    crs = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("CRS-URI; standaard CRS84. Ook EPSG 28992, 4326 (lat/lon), 3857."),
    )
    period = PeriodSerializer(required=False, allow_null=True)


class OverlapConflictSerializer(serializers.Serializer[Any]):
    contract = serializers.IntegerField()
    location = serializers.IntegerField()
    location_name = serializers.CharField()
    status = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    overlap_m2 = serializers.FloatField()
    overlap_pct = serializers.FloatField(help_text=gettext_lazy("aandeel van het getekende gebied"))
    overlap_geometry = serializers.JSONField()


class OverlapLocationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    offered = serializers.BooleanField()
    overlap_m2 = serializers.FloatField()
    share_pct = serializers.FloatField(help_text=gettext_lazy("aandeel van het getekende gebied op deze locatie"))
    location_share_pct = serializers.FloatField(
        help_text=gettext_lazy("aandeel van de locatie binnen het getekende gebied")
    )


class OverlapCheckResultSerializer(serializers.Serializer[Any]):
    area_m2 = serializers.FloatField()
    crs = serializers.CharField()
    conflicts = OverlapConflictSerializer(many=True)
    locations = OverlapLocationSerializer(many=True)
    free_geometry = serializers.JSONField()
