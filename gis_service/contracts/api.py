"""REST endpoints of the contract workflow: locations, sign-ups, terms, contracts, the overlap check."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib.gis.db.models.functions import Transform
from django.contrib.gis.geos import Polygon
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_gis.filters import InBBoxFilter
from rest_framework_gis.pagination import GeoJsonPagination

from gis_service.api.errors import ServiceErrorsMixin
from gis_service.api.pagination import Pages
from gis_service.contracts import selectors
from gis_service.contracts.models import Contract, ManagerSignup, TermsVersion
from gis_service.contracts.serializers import (
    ApproveInputSerializer,
    ContractSerializer,
    LocationSerializer,
    OfferingInputSerializer,
    OfferingSerializer,
    OverlapCheckInputSerializer,
    OverlapCheckResultSerializer,
    RejectInputSerializer,
    SignupInputSerializer,
    SignupSerializer,
    TermsAcceptInputSerializer,
    TermsPublishInputSerializer,
    TermsVersionSerializer,
)
from gis_service.contracts.services.decisions import contract_approve, contract_reject
from gis_service.contracts.services.offering import offering_create, terms_publish
from gis_service.contracts.services.signup import contract_terms_accept, manager_sign_up, manager_withdraw
from gis_service.core.throttles import FixedWindowThrottle
from gis_service.geo.areas import AreaError, parse_area
from gis_service.locations.models import Location


class OverlapCheckThrottle(FixedWindowThrottle):
    """The `overlap_check` rate of REST_FRAMEWORK's DEFAULT_THROTTLE_RATES, per client address."""

    scope = "overlap_check"


@extend_schema(
    description=gettext_lazy(
        "Hoe een getekend gebied lopende contracten en locaties raakt; zonder inloggen, met een limiet per client."
    )
)
class OverlapCheckView(ServiceErrorsMixin, APIView):
    """How a drawn area meets active contracts and locations; no login needed, rate-limited."""

    authentication_classes: list[Any] = []  # anyone may try; no session, so no CSRF either
    permission_classes = [permissions.AllowAny]
    throttle_classes = [OverlapCheckThrottle]

    @extend_schema(
        request=OverlapCheckInputSerializer,
        responses={
            200: OverlapCheckResultSerializer,
            400: OpenApiResponse(description=gettext_lazy("wat er mis is, en waar")),
        },
    )
    def post(self, request: Request) -> Response:
        # Parsed by hand rather than by OverlapCheckInputSerializer (which documents it): this
        # endpoint answers while a resident draws, and every millisecond of Python shows.
        body: Any = request.data if isinstance(request.data, dict) else {}
        start, end = _period(body.get("period"))
        area = parse_area(body.get("geometry"), body.get("crs") or None)
        result = selectors.overlap_check(area=area, start=start, end=end)
        return Response({"crs": area.crs.uri, **result})


def _period(period: Any) -> tuple[dt.date | None, dt.date | None]:
    if period is None:
        return None, None
    try:
        if not isinstance(period, dict):
            raise TypeError
        start, end = (dt.date.fromisoformat(period[key]) if period.get(key) else None for key in ("start", "end"))
    except (TypeError, ValueError):
        raise AreaError(
            "invalid_period",
            _('Geef de periode als {"start": "JJJJ-MM-DD", "end": "JJJJ-MM-DD"}.'),
            field="period",
        ) from None
    if start and end and end <= start:
        raise AreaError("invalid_period", _("Het einde van de periode ligt niet na het begin."), field="period")
    return start, end


class IdsFirstPaginator(Paginator):
    """Finds a page's ids first, then reads just those rows, in the same order.

    PostgreSQL builds every row an OFFSET skips, here with its reprojected geometry: page 1000
    of 100 locations took ~1.1 s against 60 ms for page 1. Skipping over ids only walks an index.
    """

    def _get_page(self, rows: Any, number: int, paginator: Paginator) -> Page:
        # `rows` is the page's slice of the list (Paginator.page does the arithmetic).
        ids = list(rows.values_list("pk", flat=True))
        return Page(cast(QuerySet[Any], self.object_list).filter(pk__in=ids), number, paginator)


class LocationPagination(GeoJsonPagination, Pages):
    """The project's pages (api.pagination.Pages) as a GeoJSON FeatureCollection.

    GeoJsonPagination has no page size of its own: unpaged, after a municipal import one
    anonymous request read and serialised every location (100,000 took 26 s and 61 MB).
    Clients page through with `next`, or ask for their area with `?in_bbox=`.
    """

    django_paginator_class = IdsFirstPaginator


class Crs84BBoxFilter(InBBoxFilter):
    """`?in_bbox=min_lon,min_lat,max_lon,max_lat` in CRS84, as the schema and the GeoJSON answer say.

    rest_framework_gis gives the box no SRID, so the database took it to be in the storage SRID
    (RD metres) and a box in degrees found nothing: clients could only page through everything.
    """

    def get_filter_bbox(self, request: Request) -> Polygon | None:
        box: Polygon | None = super().get_filter_bbox(request)
        if box is not None:
            # Degrees beyond the globe made PostGIS's transformation fail: a 500 instead of a 400.
            corners = box.coords[0]  # not box.extent, which passes over NaN
            if not all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in corners):
                raise ParseError(_("in_bbox moet min_lon,min_lat,max_lon,max_lat zijn, binnen -180..180 en -90..90."))
            box.srid = 4326  # the database reprojects the box, once, and still uses the GiST index
        return box

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        parameters[0]["description"] = gettext_lazy(
            "Alleen locaties in dit kader, in CRS84 (graden): in_bbox=min_lon,min_lat,max_lon,max_lat"
        )
        return parameters


@extend_schema(description=gettext_lazy("Locaties als GeoJSON (CRS84) met hun aanbod; bewoners melden zich hier aan."))
class LocationViewSet(ServiceErrorsMixin, viewsets.ReadOnlyModelViewSet[Location]):
    """Locations as GeoJSON (CRS84) with their offering; residents sign up here."""

    serializer_class = LocationSerializer
    pagination_class = LocationPagination
    filter_backends = [Crs84BBoxFilter]
    bbox_filter_field = "geometry"
    bbox_filter_include_overlapping = True

    def get_queryset(self) -> QuerySet[Location]:
        if self.action in ("list", "retrieve"):
            return selectors.location_list().annotate(geometry_crs84=Transform("geometry", 4326))
        # The write actions need the row only, not what the list shows of it: the same current
        # locations as location_list(), without its prefetches and reprojection.
        return Location.objects.current()

    @extend_schema(request=SignupInputSerializer, responses={201: SignupSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def signups(self, request: Request, pk: str | None = None) -> Response:
        location = self.get_object()
        data = SignupInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        signup = manager_sign_up(location=location, user=request.user, **data.validated_data)
        return Response(SignupSerializer(signup).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        description=gettext_lazy(
            "Een regisseur van de eigenaar van de locatie biedt haar aan voor zelfbeheer, met de eerste voorwaarden."
        ),
        request=OfferingInputSerializer,
        responses={201: OfferingSerializer},
    )
    @action(detail=True, methods=["post"], url_path="offering", permission_classes=[permissions.IsAuthenticated])
    def offer(self, request: Request, pk: str | None = None) -> Response:
        """A regisseur of the location's owner offers it for zelfbeheer, with its first terms."""
        location = self.get_object()
        data = OfferingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offering = offering_create(location=location, by=request.user, **data.validated_data)
        return Response(OfferingSerializer(offering).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TermsPublishInputSerializer, responses={201: TermsVersionSerializer})
    @action(detail=True, methods=["post"], url_path="terms", permission_classes=[permissions.IsAuthenticated])
    def publish_terms(self, request: Request, pk: str | None = None) -> Response:
        location = self.get_object()
        data = TermsPublishInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offering = getattr(location, "offering", None)
        if offering is None:
            return Response(
                {"location": [_("Deze locatie wordt niet aangeboden.")]}, status=status.HTTP_400_BAD_REQUEST
            )
        version = terms_publish(offering=offering, text=data.validated_data["text"], by=request.user)
        return Response(TermsVersionSerializer(version).data, status=status.HTTP_201_CREATED)


@extend_schema(description=gettext_lazy("Elke versie van de voorwaarden, onveranderlijk, met de hash van de inhoud."))
class TermsVersionViewSet(viewsets.ReadOnlyModelViewSet[TermsVersion]):
    """Every terms version, immutable, with its content hash."""

    serializer_class = TermsVersionSerializer
    queryset = TermsVersion.objects.order_by("id")


@extend_schema(description=gettext_lazy("Je eigen aanmeldingen; trek er een in voordat het contract begint."))
class SignupViewSet(ServiceErrorsMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ManagerSignup]):
    """A user's own sign-ups; withdraw one before the contract starts."""

    serializer_class = SignupSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[ManagerSignup]:
        return ManagerSignup.objects.filter(user_id=self.request.user.pk or 0).order_by("id")

    @extend_schema(request=None, responses={200: SignupSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        signup = manager_withdraw(signup=self.get_object(), by=request.user)
        return Response(SignupSerializer(signup).data)


@extend_schema(
    description=gettext_lazy(
        "Contracten: lopende zijn openbaar; de andere voor hun beheerders en de regisseurs van de eigenaar."
    )
)
class ContractViewSet(ServiceErrorsMixin, viewsets.ReadOnlyModelViewSet[Contract]):
    """Contracts: active ones are public; the others for their managers and the owner's regisseurs."""

    serializer_class = ContractSerializer

    def get_queryset(self) -> QuerySet[Contract]:
        # The write actions' services read the contract again, locked, and _answer fetches what is
        # shown: finding it needs only the visibility filter, not the list's joins and prefetches.
        return self._contracts(shown=self.action in ("list", "retrieve"))

    def _contracts(self, *, shown: bool) -> QuerySet[Contract]:
        """The contracts the user may see (contract_list's filter); `shown`: with what the API shows of each."""
        user = self.request.user
        contracts = selectors.contract_list(user=user) if shown else Contract.objects.visible_to(user)
        wanted = self.request.query_params.get("status")
        return contracts.filter(status=wanted) if wanted else contracts

    def _answer(self, contract: Contract) -> Response:
        contract = self._contracts(shown=True).get(pk=contract.pk)
        return Response(self.get_serializer(contract).data)

    @extend_schema(request=ApproveInputSerializer, responses={200: ContractSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        data = ApproveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract = contract_approve(contract=self.get_object(), by=request.user, **data.validated_data)
        return self._answer(contract)

    @extend_schema(request=RejectInputSerializer, responses={200: ContractSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        data = RejectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract = contract_reject(contract=self.get_object(), by=request.user, **data.validated_data)
        return self._answer(contract)

    @extend_schema(request=TermsAcceptInputSerializer, responses={200: ContractSerializer})
    @action(detail=True, methods=["post"], url_path="accept-terms", permission_classes=[permissions.IsAuthenticated])
    def accept_terms(self, request: Request, pk: str | None = None) -> Response:
        data = TermsAcceptInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract = self.get_object()
        contract_terms_accept(contract=contract, user=request.user, **data.validated_data)
        return self._answer(contract)
