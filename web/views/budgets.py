"""Budgets and accounts: the group's budget page (managers record expenses with a receipt), the
regisseur's page (grant, approve or return the accounts, export), and the receipts themselves.

Every write is a POST with CSRF that calls one service; a refused permission answers 403, a
refused input re-renders the page with the errors beside the fields (400).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gis_service.budgets import permissions, selectors, services
from gis_service.budgets.api import export_response, receipt_response
from gis_service.budgets.models import Expense, Grant
from gis_service.groups.models import Group
from gis_service.groups.permissions import is_manager
from gis_service.support.selectors import groups_directed_by
from web.budget_forms import DecisionForm, ExpenseForm, GrantForm, ReverseForm
from web.forms import add_service_error
from web.views.access import directed_owner, directed_owners
from web.views.methods import require_form_page


def _group(request: HttpRequest, group_id: int) -> Group:
    group = Group.objects.select_related("location").filter(pk=group_id).first()
    if group is None:
        raise Http404(_("Deze groep bestaat niet."))
    if not permissions.can_see_budget(group, request.user):
        raise PermissionDenied(_("Alleen de beheerders van de groep en de regisseur zien het budget."))
    return group


def _render_group(request: HttpRequest, group: Group, *, refused: dict[str, Any] | None = None) -> HttpResponse:
    refused = dict(refused or {})
    grants = list(selectors.group_grants(group=group))
    can_record = is_manager(group, request.user)
    for grant in grants:
        grant.rows = list(selectors.expenses(grant=grant))  # type: ignore[attr-defined]
        reversed_ids = {row.reverses_id for row in grant.rows}  # type: ignore[attr-defined]
        for row in grant.rows:  # type: ignore[attr-defined]
            row.is_reversed = row.pk in reversed_ids
            row.reverse_form = ReverseForm(auto_id=f"id_reverse{row.pk}_%s")
        grant.last_decision = selectors.last_decision(grant=grant)  # type: ignore[attr-defined]
        if refused.get("grant_id") == grant.pk:
            grant.form = refused.pop("expense_form")  # type: ignore[attr-defined]
        else:
            initial = {"spent_on": min(timezone.localdate(), grant.ends_on)}
            grant.form = ExpenseForm(auto_id=f"id_expense{grant.pk}_%s", initial=initial)  # type: ignore[attr-defined]
    context = {"group": group, "grants": grants, "can_record": can_record, **refused}
    return render(request, "web/budget_group.html", context, status=400 if refused else 200)


@login_required
@require_form_page
def group_budget(request: HttpRequest, group_id: int) -> HttpResponse:
    """The group's grants, their balance and expenses; managers add an expense with its receipt."""
    group = _group(request, group_id)
    if request.method != "POST":
        return _render_group(request, group)
    grant = get_object_or_404(Grant, pk=request.POST.get("grant", "0") or 0, group=group)
    form = ExpenseForm(request.POST, request.FILES, auto_id=f"id_expense{grant.pk}_%s")
    if form.is_valid():
        try:
            services.expense_record(grant=grant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De uitgave is geboekt."))
            return redirect("web:group-budget", group.pk)
    return _render_group(request, group, refused={"expense_form": form, "grant_id": grant.pk})


@login_required
@require_POST
def expense_reverse(request: HttpRequest, group_id: int, expense_id: int) -> HttpResponse:
    """A manager corrects a mistake with a new row that gives the amount back."""
    group = _group(request, group_id)
    expense = get_object_or_404(Expense.objects.select_related("grant__group"), pk=expense_id, grant__group=group)
    form = ReverseForm(request.POST, auto_id=f"id_reverse{expense.pk}_%s")
    if form.is_valid():
        try:
            services.expense_reverse(expense=expense, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Hersteld: het bedrag staat weer op het budget."))
            return redirect("web:group-budget", group.pk)
    return _render_group(request, group, refused={"reverse_form": form, "reverse_id": expense.pk})


@login_required
@require_GET
def receipt(request: HttpRequest, expense_id: int) -> FileResponse:
    """A receipt, for the group's managers and the owner's regisseur; anyone else a 404."""
    expense = Expense.objects.select_related("grant__group__location").filter(pk=expense_id).first()
    if expense is None or not expense.receipt or not permissions.can_see_budget(expense.grant.group, request.user):
        raise Http404(_("Deze bon bestaat niet."))
    return receipt_response(expense)


def _directed_owners(request: HttpRequest) -> Any:
    return directed_owners(request, refusal=_("Alleen regisseurs beheren budgetten."))


def _render_regisseur(request: HttpRequest, owners: Any, *, refused: dict[str, Any] | None = None) -> HttpResponse:
    grants = list(selectors.grants_directed_by(request.user).order_by("ends_on", "id"))
    refused = dict(refused or {})
    for grant in grants:
        grant.last_decision = selectors.last_decision(grant=grant)  # type: ignore[attr-defined]
        grant.decidable = timezone.localdate() >= grant.ends_on and not grant.approved  # type: ignore[attr-defined]
        if refused.get("grant_id") == grant.pk:
            grant.form = refused.pop("decision_form")  # type: ignore[attr-defined]
        else:
            grant.form = DecisionForm(auto_id=f"id_decision{grant.pk}_%s")  # type: ignore[attr-defined]
    context = {
        "owners": owners,
        "grants": grants,
        "grant_form": GrantForm(groups=groups_directed_by(request.user)),
        **refused,
    }
    return render(request, "web/budget_regisseur.html", context, status=400 if refused else 200)


@login_required
@require_form_page
def regisseur_budgets(request: HttpRequest) -> HttpResponse:
    """Grant a budget to a group; the grants with their balance and the accounts to decide."""
    owners = _directed_owners(request)
    if request.method != "POST":
        return _render_regisseur(request, owners)
    form = GrantForm(request.POST, groups=groups_directed_by(request.user))
    valid = form.is_valid()
    posted = request.POST.get("group", "")
    # The choices hold only the user's own groups: one that exists but is not theirs is forbidden.
    if not valid and "group" in form.errors and posted.isdigit() and Group.objects.filter(pk=int(posted)).exists():
        raise PermissionDenied(_("Alleen een regisseur van de eigenaar kent een budget toe."))
    if valid:
        try:
            services.grant_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Het budget is toegekend."))
            return redirect("web:regisseur-budgets")
    return _render_regisseur(request, owners, refused={"grant_form": form})


@login_required
@require_POST
def regisseur_decide(request: HttpRequest, grant_id: int) -> HttpResponse:
    owners = _directed_owners(request)
    grant = get_object_or_404(selectors.grants_directed_by(request.user), pk=grant_id)
    form = DecisionForm(request.POST, auto_id=f"id_decision{grant.pk}_%s")
    if form.is_valid():
        approve = request.POST.get("approve") == "1"
        try:
            services.accounts_decide(grant=grant, by=request.user, approve=approve, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Goedgekeurd: de periode is gesloten.") if approve else _("Teruggestuurd."))
            return redirect("web:regisseur-budgets")
    return _render_regisseur(request, owners, refused={"decision_form": form, "grant_id": grant.pk})


@login_required
@require_GET
def regisseur_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The owner's grants and expenses as CSV, for its finance department."""
    owner = directed_owner(request, slug, refusal=_("Alleen een regisseur van deze eigenaar mag dit."))
    return export_response(owner)
