"""REST endpoints of self-chosen support: the pool, requests and answers, vouchers and balances.

Views parse and call one service; the services check who may act (403), and the querysets hold
only what the user may read, so anything else is a 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from gis_service.api.errors import ServiceErrorsMixin
from gis_service.core import limits
from gis_service.groups.models import Group
from gis_service.initiatives.models import Initiative
from gis_service.owners.models import Owner
from gis_service.support import permissions as support_permissions
from gis_service.support import selectors, services
from gis_service.support.models import (
    LedgerEntry,
    PriceKind,
    Supporter,
    SupporterKind,
    SupportKind,
    SupportRequest,
    Unit,
)


@extend_schema_serializer(
    description=gettext_lazy(
        "Het openbare kaartje van een ondersteuner: nooit een e-mailadres, telefoonnummer of accountnaam."
    )
)
class SupporterSerializer(serializers.ModelSerializer[Supporter]):
    """A supporter's public card: never an e-mail address, phone or account name."""

    areas = serializers.SerializerMethodField(help_text=gettext_lazy("slugs van de eigenaren op wier grond ze werken"))

    class Meta:
        model = Supporter
        fields = ["id", "name", "organisation", "kind", "offers", "description", "areas", "price_kind", "price_eur"]

    def get_areas(self, supporter: Supporter) -> list[str]:
        return sorted(owner.slug for owner in supporter.areas.all())


class SupporterInputSerializer(serializers.Serializer[Any]):
    owner = serializers.SlugField(
        help_text=gettext_lazy("slug van de eigenaar wiens regisseur de ondersteuner toevoegt")
    )
    email = serializers.EmailField(
        help_text=gettext_lazy("het e-mailadres van het bestaande account van de ondersteuner")
    )
    name = serializers.CharField(max_length=limits.TITLE)
    organisation = serializers.CharField(max_length=limits.TITLE, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=SupporterKind.choices)
    offers = serializers.ListField(child=serializers.ChoiceField(choices=SupportKind.choices), max_length=10)
    price_kind = serializers.ChoiceField(choices=PriceKind.choices)
    price_eur = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)
    description = serializers.CharField(
        max_length=limits.MESSAGE, required=False, allow_blank=True, default="", trim_whitespace=False
    )


class OwnerInputSerializer(serializers.Serializer[Any]):
    owner = serializers.SlugField(
        help_text=gettext_lazy("slug van de eigenaar wiens lijst van toegestane ondersteuners verandert")
    )


def _owner(slug: str) -> Owner:
    owner = Owner.objects.filter(slug=slug).first()
    if owner is None:
        raise serializers.ValidationError({"owner": ["Deze eigenaar bestaat niet."]})
    return owner


@extend_schema(
    description=gettext_lazy(
        "De openbare pool van ondersteuners; de regisseur van een eigenaar voegt er een toe en houdt de lijst van "
        "toegestane ondersteuners bij."
    ),
    parameters=[
        OpenApiParameter(
            "kind", str, enum=SupportKind.values, description=gettext_lazy("alleen ondersteuners die dit aanbieden")
        ),
        OpenApiParameter(
            "owner",
            str,
            description=gettext_lazy("alleen ondersteuners die op de grond van deze eigenaar werken (slug)"),
        ),
    ],
)
class SupporterViewSet(
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Supporter],
):
    """The public pool of supporters; an owner's regisseur adds one and keeps the allow-list."""

    serializer_class = SupporterSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_queryset(self) -> QuerySet[Supporter]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI document is built without a request
            return Supporter.objects.none()
        owner = Owner.objects.filter(slug=self.request.query_params.get("owner", "")).first()
        if self.request.query_params.get("owner") and owner is None:
            return Supporter.objects.none()
        return selectors.pool(kind=self.request.query_params.get("kind", ""), owner=owner)

    @extend_schema(request=SupporterInputSerializer, responses={201: SupporterSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = SupporterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        supporter = services.supporter_create(by=request.user, owner=_owner(fields.pop("owner")), **fields)
        return Response(SupporterSerializer(supporter).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        description=gettext_lazy(
            "Zet de ondersteuner op de lijst van toegestane ondersteuners van de eigenaar (de regisseur van de "
            "eigenaar)."
        ),
        request=OwnerInputSerializer,
        responses={204: None},
    )
    @action(detail=True, methods=["post"])
    def allow(self, request: Request, pk: str | None = None) -> Response:
        """Put the supporter on the owner's allow-list (the owner's regisseur)."""
        data = OwnerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.allow_list_add(
            owner=_owner(data.validated_data["owner"]), supporter=self.get_object(), by=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        description=gettext_lazy(
            "Haal de ondersteuner van de lijst van toegestane ondersteuners van de eigenaar (de regisseur van de "
            "eigenaar)."
        ),
        request=OwnerInputSerializer,
        responses={204: None},
    )
    @action(detail=True, methods=["post"])
    def disallow(self, request: Request, pk: str | None = None) -> Response:
        """Take the supporter off the owner's allow-list (the owner's regisseur)."""
        data = OwnerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.allow_list_remove(
            owner=_owner(data.validated_data["owner"]), supporter=self.get_object(), by=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class SupportRequestSerializer(serializers.ModelSerializer[SupportRequest]):
    supporter = SupporterSerializer(read_only=True)

    class Meta:
        model = SupportRequest
        fields = ["id", "group", "initiative", "supporter", "kind", "wanted_on", "message", "status", "answer",
                  "asked_at", "answered_at"]  # fmt: skip


class SupportRequestInputSerializer(serializers.Serializer[Any]):
    group = serializers.IntegerField(required=False, help_text=gettext_lazy("de vragende groep; of geef `initiative`"))
    initiative = serializers.IntegerField(required=False, help_text=gettext_lazy("het vragende bewonersinitiatief"))
    supporter = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=SupportKind.choices)
    wanted_on = serializers.DateField()
    message = serializers.CharField(max_length=limits.MESSAGE, trim_whitespace=False)


class AnswerInputSerializer(serializers.Serializer[Any]):
    answer = serializers.CharField(max_length=limits.MESSAGE, required=False, allow_blank=True, default="")


class SpendInputSerializer(serializers.Serializer[Any]):
    vouchers = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    hours = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=0, required=False, allow_null=True, default=None,
        help_text=gettext_lazy(
            "zonder vouchers: betaald uit het budget, uren × de prijs per uur (een klus: haar prijs)"
        ),
    )  # fmt: skip


class LedgerEntrySerializer(serializers.ModelSerializer[LedgerEntry]):
    class Meta:
        model = LedgerEntry
        fields = ["id", "group", "unit", "amount", "request", "hours", "note", "created_at"]


@extend_schema(
    description=gettext_lazy(
        "De beheerders van een groep (of de initiatiefnemers van een initiatief) vragen een ondersteuner; de "
        "ondersteuner accepteert of wijst af; de beheerders van een groep betalen."
    )
)
class SupportRequestViewSet(
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[SupportRequest],
):
    """A group's managers (or an initiative's initiators) ask a supporter; the supporter accepts or
    declines; a group's managers pay."""

    serializer_class = SupportRequestSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[SupportRequest]:
        return selectors.requests_visible_to(self.request.user)

    @extend_schema(request=SupportRequestInputSerializer, responses={201: SupportRequestSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = SupportRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        group_id, initiative_id = fields.pop("group", None), fields.pop("initiative", None)
        if (group_id is None) == (initiative_id is None):
            raise serializers.ValidationError({"group": [_("Geef een groep of een initiatief.")]})
        supporter = get_object_or_404(Supporter.objects.filter(is_active=True), pk=fields.pop("supporter"))
        if initiative_id is not None:
            # Every open initiative may be named; the service lets only its initiators ask (403).
            initiative = get_object_or_404(Initiative.objects.public(), pk=initiative_id)
            created = services.support_ask_for_initiative(
                initiative=initiative, supporter=supporter, by=request.user, **fields
            )
        else:
            group = get_object_or_404(Group.objects.select_related("location"), pk=group_id)
            created = services.support_ask(group=group, supporter=supporter, by=request.user, **fields)
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)

    def _answer(self, request: Request, *, accept: bool) -> Response:
        data = AnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answered = services.support_answer(
            request=self.get_object(), by=request.user, accept=accept, answer=data.validated_data["answer"]
        )
        return Response(self.get_serializer(answered).data)

    @extend_schema(request=AnswerInputSerializer, responses={200: SupportRequestSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._answer(request, accept=True)

    @extend_schema(request=AnswerInputSerializer, responses={200: SupportRequestSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        return self._answer(request, accept=False)

    @extend_schema(
        description=gettext_lazy(
            "Betaal een geaccepteerd verzoek: `vouchers`, of anders uit het budget (uren × prijs, of de prijs van de "
            "klus)."
        ),
        request=SpendInputSerializer,
        responses={201: LedgerEntrySerializer},
    )
    @action(detail=True, methods=["post"])
    def spend(self, request: Request, pk: str | None = None) -> Response:
        """Pay an accepted request: `vouchers`, or else from the budget (hours × price, or the job's price)."""
        data = SpendInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.support_spend(request=self.get_object(), by=request.user, **data.validated_data)
        return Response(LedgerEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class IssueInputSerializer(serializers.Serializer[Any]):
    group = serializers.IntegerField()
    unit = serializers.ChoiceField(choices=Unit.choices)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    note = serializers.CharField(max_length=limits.TITLE, required=False, allow_blank=True, default="")


class BalanceSerializer(serializers.Serializer[Any]):
    voucher = serializers.DecimalField(max_digits=12, decimal_places=2)
    euro = serializers.DecimalField(max_digits=12, decimal_places=2)


@extend_schema(
    description=gettext_lazy(
        "Het grootboek van vouchers en budget: de regisseur van de eigenaar geeft uit, beheerders besteden (bij een "
        "verzoek). Regels veranderen nooit; het saldo van een groep is hun som."
    ),
    parameters=[OpenApiParameter("group", int, description=gettext_lazy("alleen de regels van deze groep"))],
)
class VoucherViewSet(
    ServiceErrorsMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[LedgerEntry]
):
    """The voucher and budget ledger: the owner's regisseur issues, managers spend (on a request).
    Rows are never changed; a group's balance is their sum."""

    serializer_class = LedgerEntrySerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[LedgerEntry]:
        entries = selectors.ledger_visible_to(self.request.user)
        group = self.request.query_params.get("group", "")
        return entries.filter(group_id=int(group)) if group.isdigit() else entries

    @extend_schema(request=IssueInputSerializer, responses={201: LedgerEntrySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = IssueInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        group = get_object_or_404(Group.objects.select_related("location"), pk=fields.pop("group"))
        entry = services.vouchers_issue(group=group, by=request.user, **fields)
        return Response(LedgerEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        description=gettext_lazy(
            "Het saldo van de groep per eenheid, voor haar beheerders en de regisseur van de eigenaar."
        ),
        parameters=[OpenApiParameter("group", int, required=True)],
        responses={200: BalanceSerializer},
    )
    @action(detail=False, methods=["get"])
    def balance(self, request: Request) -> Response:
        """The group's balance per unit, for its managers and the owner's regisseur."""
        group_id = request.query_params.get("group", "")
        group = (
            Group.objects.select_related("location").filter(pk=int(group_id)).first() if group_id.isdigit() else None
        )
        if group is None or not support_permissions.can_see_group_support(group, request.user):
            raise NotFound()
        return Response(BalanceSerializer(selectors.balances(group=group)).data)
