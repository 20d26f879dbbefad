"""REST endpoints for resident initiatives."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gis_service.accounts import names
from gis_service.api.errors import REFUSALS, ServiceErrorsMixin, refusal_detail
from gis_service.contracts.api import OverlapCheckThrottle
from gis_service.contracts.selectors import overlap_check
from gis_service.contracts.serializers import RejectInputSerializer
from gis_service.core.throttles import FixedWindowThrottle
from gis_service.geo.areas import crs_from_uri, parse_area
from gis_service.geo.geojson import crs84_geojson
from gis_service.initiatives import selectors, services
from gis_service.initiatives.models import HelpOffer, Initiative, InitiativePost
from gis_service.initiatives.throttles import InitiativePostThrottle


class InitiativeSubmitThrottle(FixedWindowThrottle):
    """The `initiative_submit` rate (INITIATIVE_SUBMIT_RATE) per resident: each submission joins
    areas, runs the overlap check and mails the regisseurs."""

    scope = "initiative_submit"

    def get_rate(self) -> str | None:
        return str(settings.INITIATIVE_SUBMIT_RATE)

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        ident = f"user-{request.user.pk}" if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class LocationIdsField(serializers.ListField):
    """Location ids, their number bounded before a single one is parsed (770 took 10.9 s)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, list) and len(data) > selectors.max_locations():
            raise serializers.ValidationError(
                _("Kies hoogstens %(max)d locaties; je koos er %(count)d.")
                % {"max": selectors.max_locations(), "count": len(data)}
            )
        return super().to_internal_value(data)


class InitiativeAreaInputSerializer(serializers.Serializer[Any]):
    geometry = serializers.JSONField(
        required=False, allow_null=True, help_text=gettext_lazy("GeoJSON Polygon of MultiPolygon")
    )
    crs = serializers.CharField(required=False, allow_blank=True, help_text=gettext_lazy("CRS-URI; standaard CRS84"))
    location_ids = LocationIdsField(
        child=serializers.IntegerField(),
        required=False,
        allow_empty=True,
        help_text=gettext_lazy(
            "huidige locaties, als geheel voorgesteld (hoogstens INITIATIVE_MAX_LOCATIONS, standaard 50)"
        ),
    )


class InitiativeInputSerializer(InitiativeAreaInputSerializer):
    description = serializers.CharField(allow_blank=True, trim_whitespace=False)
    submission_key = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "een sleutel, eenmaal per formulier gemaakt: opnieuw versturen geeft het initiatief terug dat de eerste "
            "keer maakte"
        ),
    )
    checked = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text=gettext_lazy(
            "de `fingerprint` van POST /api/initiatives/check/: geweigerd als het gebied ervan afwijkt"
        ),
    )


@extend_schema_serializer(
    description=gettext_lazy(
        "Het antwoord van de controle: dat van de overlapcheck, over het hele gebied, plus dat gebied."
    )
)
class InitiativeCheckResultSerializer(serializers.Serializer[Any]):
    """Documents the check's answer: the overlap check's, of the whole area, plus that area."""

    crs = serializers.CharField()
    area_m2 = serializers.FloatField()
    geometry = serializers.JSONField(
        help_text=gettext_lazy("het gebied dat ingediend zou worden: getekend en gekozen, samengevoegd")
    )
    fingerprint = serializers.CharField(help_text=gettext_lazy("stuur het mee als `checked` bij het indienen"))
    location_ids = serializers.ListField(child=serializers.IntegerField())
    conflicts = serializers.ListField(child=serializers.DictField())
    locations = serializers.ListField(child=serializers.DictField())
    free_geometry = serializers.JSONField(allow_null=True)


class InitiativeJoinInputSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("het uitnodigingstoken dat een initiatiefnemer deelde (`invite_token`)"),
    )


class InitiativeApproveInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(required=False, allow_blank=True)
    terms_text = serializers.CharField(required=False, allow_blank=True)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)


class InitiativeSerializer(serializers.ModelSerializer[Initiative]):
    owner = serializers.SerializerMethodField()
    geometry = serializers.SerializerMethodField()
    initiators = serializers.SerializerMethodField()
    location_ids = serializers.SerializerMethodField()
    invite_token = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Alleen voor initiatiefnemers, zolang het wacht: zij delen het met buren die mee willen doen."
        )
    )

    class Meta:
        model = Initiative
        fields = [
            "id",
            "status",
            "description",
            "owner",
            "area_m2",
            "geometry",
            "location_ids",
            "initiators",
            "invite_token",
            "created_at",
            "decided_at",
            "rejection_reason",
            "location",
            "contract",
        ]

    def get_owner(self, initiative: Initiative) -> dict[str, Any]:
        return {"id": initiative.owner_id, "name": initiative.owner.name}

    def get_geometry(self, initiative: Initiative) -> dict[str, Any]:
        return crs84_geojson(initiative.geometry)

    def get_initiators(self, initiative: Initiative) -> list[str]:
        return [user.get_full_name() or user.username for user in initiative.initiators.all()]

    def get_invite_token(self, initiative: Initiative) -> str | None:
        """For initiators only, while it waits: they share it with neighbours who want to join."""
        user = self.context["request"].user
        is_initiator = any(person.pk == user.pk for person in initiative.initiators.all())
        return initiative.invite_token if is_initiator and initiative.status == Initiative.Status.SUBMITTED else None

    def get_location_ids(self, initiative: Initiative) -> list[int]:
        return sorted(location.pk for location in initiative.locations.all())


@extend_schema(
    description=gettext_lazy(
        "Initiatieven: bewoners dienen ze in (getekend of uit locaties); de regisseurs van de eigenaar beslissen."
    )
)
class InitiativeViewSet(
    ServiceErrorsMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Initiative],
):
    """Initiatives: residents file them (drawn or from locations); the owner's regisseurs decide."""

    serializer_class = InitiativeSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_throttles(self) -> list[Any]:
        if self.action == "create":
            return [InitiativeSubmitThrottle()]
        return super().get_throttles()

    def get_queryset(self) -> QuerySet[Initiative]:
        if self.action in ("list", "retrieve"):
            return selectors.initiative_list(user=self.request.user)
        # approve and reject need the row only: their service reads it again, locked, and _answer
        # fetches what is shown. The same visibility filter as initiative_list(), without its prefetches.
        return Initiative.objects.visible_to(self.request.user)

    @extend_schema(
        description=gettext_lazy(
            "Dient een initiatief in. Een 400 geeft terug wat er verstuurd is onder `submitted`, zodat er geen tekst "
            "verloren gaat."
        ),
        request=InitiativeInputSerializer,
        responses={
            201: InitiativeSerializer,
            400: OpenApiResponse(description=gettext_lazy("fouten per veld en `submitted`")),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Files an initiative. A 400 echoes what was sent under `submitted`, so no text is lost."""
        data = InitiativeInputSerializer(data=request.data)
        try:
            data.is_valid(raise_exception=True)
            fields = data.validated_data
            area = parse_area(fields["geometry"], fields.get("crs")) if fields.get("geometry") else None
            initiative = services.initiative_submit(
                user=request.user,
                description=fields["description"],
                area=area,
                location_ids=fields.get("location_ids"),
                submission_key=fields.get("submission_key"),
                checked=fields.get("checked") or None,
            )
        except REFUSALS as exc:
            raw: Any = request.data if isinstance(request.data, dict) else {}
            submitted = {key: raw.get(key) for key in ("description", "geometry", "crs", "location_ids")}
            return Response({**refusal_detail(exc), "submitted": submitted}, status=status.HTTP_400_BAD_REQUEST)
        return self._answer(initiative, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        description=gettext_lazy(
            "Controleert wat een initiatief zou vragen, getekend gebied en gekozen locaties samen, zoals de "
            "overlapcheck dat doet; `fingerprint` noemt precies dat gebied voor het indienen."
        ),
        request=InitiativeAreaInputSerializer,
        responses={
            200: InitiativeCheckResultSerializer,
            400: OpenApiResponse(description=gettext_lazy("wat er mis is, en waar")),
        },
    )
    @action(
        detail=False,
        methods=["post"],
        authentication_classes=[],  # anyone may check, as with the overlap check: no session, no CSRF
        permission_classes=[permissions.AllowAny],
        throttle_classes=[OverlapCheckThrottle],  # the overlap check's budget: it is the same work
    )
    def check(self, request: Request) -> Response:
        """Checks what an initiative would ask for, drawn area and picked locations together, as
        the overlap check does; `fingerprint` names that exact area for the submission."""
        data = InitiativeAreaInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        area = parse_area(fields["geometry"], fields.get("crs")) if fields.get("geometry") else None
        asked = selectors.initiative_area(
            area=area, location_ids=fields.get("location_ids"), crs=crs_from_uri(fields.get("crs") or None)
        )
        result = overlap_check(area=asked.area)
        return Response(
            {
                "crs": asked.area.crs.uri,
                **result,
                "geometry": asked.geojson(),
                "fingerprint": asked.fingerprint,
                "location_ids": [location.pk for location in asked.locations],
            }
        )

    def _answer(self, initiative: Initiative, status_code: int = status.HTTP_200_OK) -> Response:
        initiative = selectors.initiative_list(user=self.request.user).get(pk=initiative.pk)
        return Response(self.get_serializer(initiative).data, status=status_code)

    @extend_schema(request=InitiativeApproveInputSerializer, responses={200: InitiativeSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        data = InitiativeApproveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        initiative = services.initiative_approve(initiative=self.get_object(), by=request.user, **data.validated_data)
        return self._answer(initiative)

    @extend_schema(request=RejectInputSerializer, responses={200: InitiativeSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        data = RejectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        initiative = services.initiative_reject(initiative=self.get_object(), by=request.user, **data.validated_data)
        return self._answer(initiative)

    @extend_schema(
        description=gettext_lazy(
            "Een andere bewoner doet mee als mede-initiatiefnemer met het uitnodigingstoken, en wordt zo beheerder "
            "als het is goedgekeurd."
        ),
        request=InitiativeJoinInputSerializer,
        responses={200: InitiativeSerializer},
    )
    @action(detail=True, methods=["post"], url_path="join")
    def join(self, request: Request, pk: str | None = None) -> Response:
        """Another resident joins as co-initiator with the invite token, and so becomes a manager when
        it is approved."""
        data = InitiativeJoinInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        initiative = services.initiative_join(
            initiative=self.get_object_to_join(), user=request.user, token=data.validated_data["token"]
        )
        return self._answer(initiative)

    def get_object_to_join(self) -> Initiative:
        # Any waiting initiative, as the joiner cannot see it yet; the service checks the token.
        # DRF's get_object_or_404: a pk that is no number is a 404, not a ValueError.
        return get_object_or_404(Initiative.objects.waiting(), pk=self.kwargs["pk"])


class InitiativeFilterSerializer(serializers.Serializer[Any]):
    initiative = serializers.IntegerField(required=False, help_text=gettext_lazy("alleen de regels van dit initiatief"))


def _initiative_filter(request: Request) -> int | None:
    data = InitiativeFilterSerializer(data=request.query_params)
    data.is_valid(raise_exception=True)
    value = data.validated_data.get("initiative")
    return int(value) if value is not None else None


@extend_schema_serializer(
    description=gettext_lazy(
        "Een bericht in de openbare discussie: de schrijver met voornaam en de eerste letter van de achternaam "
        "(de regisseur van de eigenaar en de schrijver zelf lezen de hele naam), nooit een account of adres."
    )
)
class InitiativePostSerializer(serializers.ModelSerializer[InitiativePost]):
    """A post of the public discussion: the author by their public name ("Anna V."; the owner's
    regisseurs and the author read the full name, gis_service/accounts/names.py), never an account
    or address."""

    author = serializers.SerializerMethodField(
        help_text=gettext_lazy("voornaam en eerste letter van de achternaam, of de hele naam voor de regisseur")
    )
    hidden = serializers.SerializerMethodField()
    hidden_reason = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Alleen de moderatoren lezen een verborgen bericht überhaupt (de lijst bevat er voor ieder ander geen)."
        )
    )

    class Meta:
        model = InitiativePost
        fields = ["id", "initiative", "author", "body", "created_at", "hidden", "hidden_reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Whether the caller reads full names, per owner: asked once per owner in a list, not per post.
        self._sees_full_names: dict[int, bool] = {}

    def get_author(self, post: InitiativePost) -> str:
        viewer = getattr(self.context.get("request"), "user", None)
        owner_id = post.initiative.owner_id
        if owner_id not in self._sees_full_names:
            self._sees_full_names[owner_id] = names.sees_full_names(viewer, owner_id=owner_id)
        return names.name_for(post.author, viewer=viewer, sees_full=self._sees_full_names[owner_id])

    def get_hidden(self, post: InitiativePost) -> bool:
        return post.hidden_at is not None

    def get_hidden_reason(self, post: InitiativePost) -> str:
        """Only its moderators read a hidden post at all (the list holds none for anyone else)."""
        return post.hidden_reason


class InitiativePostInputSerializer(serializers.Serializer[Any]):
    initiative = serializers.IntegerField()
    body = serializers.CharField(
        trim_whitespace=False, allow_blank=True, help_text=gettext_lazy("hoogstens 5000 tekens")
    )


class HideInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        allow_blank=True, help_text=gettext_lazy("waarom het bericht verborgen is; te zien voor de moderatoren")
    )


@extend_schema(
    description=gettext_lazy(
        "De openbare discussie van open initiatieven: iedereen leest, bewoners schrijven (met een limiet), de "
        "regisseur van de eigenaar van het initiatief verbergt een bericht met een reden."
    ),
    parameters=[OpenApiParameter("initiative", int, description=gettext_lazy("alleen de regels van dit initiatief"))],
)
class InitiativePostViewSet(
    ServiceErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[InitiativePost]
):
    """The public discussion of open initiatives: anyone reads, residents write (rate-limited), the
    regisseur of the initiative's owner hides a post with a reason."""

    serializer_class = InitiativePostSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_throttles(self) -> list[Any]:
        if self.action == "create":
            return [InitiativePostThrottle()]
        return super().get_throttles()

    def get_queryset(self) -> QuerySet[InitiativePost]:
        return selectors.posts_visible_to(user=self.request.user, initiative_id=_initiative_filter(self.request))

    @extend_schema(request=InitiativePostInputSerializer, responses={201: InitiativePostSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = InitiativePostInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        initiative = get_object_or_404(Initiative.objects.public(), pk=data.validated_data["initiative"])
        post = services.initiative_post_create(
            initiative=initiative, author=request.user, body=data.validated_data["body"]
        )
        return Response(self.get_serializer(post).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=HideInputSerializer, responses={200: InitiativePostSerializer})
    @action(detail=True, methods=["post"])
    def hide(self, request: Request, pk: str | None = None) -> Response:
        data = HideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        post = services.initiative_post_hide(post=self.get_object(), by=request.user, **data.validated_data)
        return Response(self.get_serializer(post).data)


@extend_schema_serializer(
    description=gettext_lazy(
        "Het aanbod van een professional zoals de pagina van het initiatief het toont: naam, functie, eigenaar en "
        "aanbod."
    )
)
class HelpOfferSerializer(serializers.ModelSerializer[HelpOffer]):
    """A professional's offer as the initiative page shows it: name, function, owner and offer."""

    professional = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()

    class Meta:
        model = HelpOffer
        fields = ["id", "initiative", "professional", "function", "owner", "offer", "created_at"]

    def get_professional(self, help_offer: HelpOffer) -> str:
        person = help_offer.professional
        return person.get_full_name() or _("professional")

    def get_owner(self, help_offer: HelpOffer) -> str:
        return help_offer.initiative.owner.name


class HelpOfferInputSerializer(serializers.Serializer[Any]):
    initiative = serializers.IntegerField()
    function = serializers.CharField(
        allow_blank=True, help_text=gettext_lazy("bijvoorbeeld groenadviseur, wijkregisseur")
    )
    offer = serializers.CharField(allow_blank=True, trim_whitespace=False, help_text=gettext_lazy("wat ze aanbieden"))


@extend_schema(
    description=gettext_lazy(
        "Hulp aangeboden bij open initiatieven: iedereen leest; professionals van de eigenaar van het initiatief "
        "bieden aan."
    ),
    parameters=[OpenApiParameter("initiative", int, description=gettext_lazy("alleen de regels van dit initiatief"))],
)
class HelpOfferViewSet(
    ServiceErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[HelpOffer]
):
    """Help offered on open initiatives: anyone reads; professionals of the initiative's owner offer."""

    serializer_class = HelpOfferSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_queryset(self) -> QuerySet[HelpOffer]:
        return selectors.public_help_offers(initiative_id=_initiative_filter(self.request))

    @extend_schema(request=HelpOfferInputSerializer, responses={201: HelpOfferSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = HelpOfferInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        initiative = get_object_or_404(Initiative.objects.public(), pk=fields["initiative"])
        help_offer = services.help_offer_create(
            initiative=initiative, professional=request.user, function=fields["function"], offer=fields["offer"]
        )
        return Response(self.get_serializer(help_offer).data, status=status.HTTP_201_CREATED)
