"""REST endpoints of budgets and accounts: grants, expenses with receipts, decisions, the export.

Views parse and call one service; the services check who may act (403), and the querysets hold
only what the user may read, so anything else is a 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, parsers, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from gis_service.api.errors import ServiceErrorsMixin
from gis_service.budgets import selectors, services
from gis_service.budgets.models import Expense, Grant
from gis_service.core import limits
from gis_service.core.csv import rows_text
from gis_service.groups.models import Group
from gis_service.owners.models import Owner


class GrantSerializer(serializers.ModelSerializer[Grant]):
    spent = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    balance = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    approved = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("de verantwoording is goedgekeurd: de periode is gesloten")
    )

    class Meta:
        model = Grant
        fields = ["id", "group", "amount", "purpose", "starts_on", "ends_on", "granted_at", "spent", "balance",
                  "approved"]  # fmt: skip


class GrantInputSerializer(serializers.Serializer[Any]):
    group = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    purpose = serializers.CharField(max_length=limits.TITLE)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class DecisionInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=limits.MESSAGE, required=False, allow_blank=True, default="")


class ExpenseSerializer(serializers.ModelSerializer[Expense]):
    has_receipt = serializers.SerializerMethodField()

    class Meta:
        model = Expense
        fields = ["id", "grant", "spent_on", "amount", "description", "reverses", "has_receipt", "created_at"]

    def get_has_receipt(self, expense: Expense) -> bool:
        return bool(expense.receipt)


class ExpenseInputSerializer(serializers.Serializer[Any]):
    grant = serializers.IntegerField()
    spent_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    description = serializers.CharField(max_length=limits.TITLE)
    receipt = serializers.FileField(help_text=gettext_lazy("een foto (JPEG, PNG, WebP) of een pdf"))


class ReverseInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=limits.TITLE - 20)


@extend_schema(
    description=gettext_lazy(
        "Budgetten voor groepen: de regisseur van de eigenaar kent ze toe en beslist over de verantwoording; de "
        "beheerders van de groep en de regisseurs van de eigenaar lezen ze."
    ),
    parameters=[OpenApiParameter("group", int, description=gettext_lazy("alleen de budgetten van deze groep"))],
)
class GrantViewSet(
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Grant],
):
    """Grants to groups: the owner's regisseur grants and decides on the accounts; the group's
    managers and the owner's regisseurs read them."""

    serializer_class = GrantSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[Grant]:
        if getattr(self, "swagger_fake_view", False):
            return Grant.objects.none()
        grants = selectors.grants_visible_to(self.request.user).order_by("-starts_on", "-id")
        group = self.request.query_params.get("group", "")
        return grants.filter(group_id=int(group)) if group.isdigit() else grants

    @extend_schema(request=GrantInputSerializer, responses={201: GrantSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = GrantInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        group = get_object_or_404(Group.objects.select_related("location"), pk=fields.pop("group"))
        grant = services.grant_create(group=group, by=request.user, **fields)
        return Response(self.get_serializer(self.get_queryset().get(pk=grant.pk)).data, status=status.HTTP_201_CREATED)

    def _decide(self, request: Request, *, approve: bool) -> Response:
        data = DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        grant = self.get_object()
        services.accounts_decide(grant=grant, by=request.user, approve=approve, reason=data.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=grant.pk)).data)

    @extend_schema(
        description=gettext_lazy(
            "Keur de verantwoording goed (de regisseur van de eigenaar, vanaf de laatste dag van de periode): de "
            "periode sluit."
        ),
        request=DecisionInputSerializer,
        responses={200: GrantSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve the accounts (the owner's regisseur, from the period's last day): the period closes."""
        return self._decide(request, approve=True)

    @extend_schema(
        description=gettext_lazy("Stuur de verantwoording terug met een `reason` (de regisseur van de eigenaar)."),
        request=DecisionInputSerializer,
        responses={200: GrantSerializer},
        operation_id="budgets_grants_return",
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_accounts(self, request: Request, pk: str | None = None) -> Response:
        """Return the accounts with a `reason` (the owner's regisseur)."""
        return self._decide(request, approve=False)

    @extend_schema(
        description=gettext_lazy(
            "Elke budget- en uitgaveregel op de grond van de eigenaar als CSV, voor de financiële afdeling."
        ),
        parameters=[OpenApiParameter("owner", str, required=True, description=gettext_lazy("de slug van de eigenaar"))],
        responses={(200, "text/csv"): str},
    )
    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> HttpResponse:
        """Every grant and expense row on the owner's ground as CSV, for its finance department."""
        owner = Owner.objects.filter(slug=request.query_params.get("owner", "")).first()
        if owner is None:
            raise NotFound()
        if owner.pk not in request.user.directed_owner_ids():  # type: ignore[union-attr]
            raise PermissionDenied()
        return export_response(owner)


def export_response(owner: Owner) -> HttpResponse:
    body = rows_text([selectors.export_header(), *selectors.export_rows(owner=owner)])
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="budgetten-{owner.slug}.csv"'
    return response


def receipt_response(expense: Expense) -> FileResponse:
    """The receipt with the content type we detected ourselves; a PDF is always a download."""
    content_type = expense.receipt_content_type
    extension = (expense.receipt.name or "").rsplit(".", 1)[-1]
    response = FileResponse(
        expense.receipt.open("rb"),
        content_type=content_type,
        as_attachment=content_type == "application/pdf",
        filename=f"bon-{expense.pk}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@extend_schema(
    description=gettext_lazy(
        "Uitgaven uit budgetten, vastgelegd door de beheerders van de groep met een bon; nooit gewijzigd, een "
        "vergissing herstel je met een nieuwe regel."
    ),
    parameters=[OpenApiParameter("grant", int, description=gettext_lazy("alleen de regels van dit budget"))],
)
class ExpenseViewSet(
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Expense],
):
    """Expenses against grants, recorded by the group's managers with a receipt; never changed, a
    mistake is reversed by a new row."""

    serializer_class = ExpenseSerializer
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [parsers.MultiPartParser, parsers.FormParser, parsers.JSONParser]

    def get_queryset(self) -> QuerySet[Expense]:
        if getattr(self, "swagger_fake_view", False):
            return Expense.objects.none()
        expenses = selectors.expenses_visible_to(self.request.user)
        grant = self.request.query_params.get("grant", "")
        return expenses.filter(grant_id=int(grant)) if grant.isdigit() else expenses

    @extend_schema(request={"multipart/form-data": ExpenseInputSerializer}, responses={201: ExpenseSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ExpenseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        grant = get_object_or_404(selectors.grants_visible_to(request.user), pk=fields.pop("grant"))
        expense = services.expense_record(grant=grant, by=request.user, **fields)
        return Response(self.get_serializer(expense).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        description=gettext_lazy(
            "Herstel een vergissing: een nieuwe regel geeft het bedrag van de uitgave terug, met de `reason`."
        ),
        request=ReverseInputSerializer,
        responses={201: ExpenseSerializer},
    )
    @action(detail=True, methods=["post"])
    def reverse(self, request: Request, pk: str | None = None) -> Response:
        """Correct a mistake: a new row gives the expense's amount back, with the `reason`."""
        data = ReverseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reversal = services.expense_reverse(expense=self.get_object(), by=request.user, **data.validated_data)
        return Response(self.get_serializer(reversal).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        description=gettext_lazy("De bon, alleen voor de beheerders van de groep en de regisseurs van de eigenaar."),
        responses={(200, "application/octet-stream"): bytes},
    )
    @action(detail=True, methods=["get"])
    def receipt(self, request: Request, pk: str | None = None) -> FileResponse:
        """The receipt, for the group's managers and the owner's regisseurs only."""
        expense = self.get_object()
        if not expense.receipt:
            raise NotFound()
        return receipt_response(expense)
