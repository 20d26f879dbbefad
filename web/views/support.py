"""Self-chosen support: the public pool, a group's support page, the supporter's inbox and the
regisseur's page (allow-list, new supporters, vouchers).

Every write is a POST with CSRF that calls one service; a refused permission answers 403, a
refused input re-renders the page with the errors beside the fields (400).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from gis_service.accounts.models import Membership
from gis_service.groups.models import Group
from gis_service.owners.models import Owner
from gis_service.support import permissions, selectors, services
from gis_service.support.models import PriceKind, SupporterApplication, SupportKind, SupportRequest, Unit
from web.forms import add_service_error
from web.support_forms import (
    AllowForm,
    AnswerForm,
    ApplyForm,
    AskForm,
    DecideApplicationForm,
    IssueForm,
    SpendForm,
    SupporterForm,
)
from web.views.access import directed_owners
from web.views.methods import require_form_page


def _refuse_foreign_choice(form: Form, field: str, model: Any, posted: str | None) -> None:
    """The choice lists hold only the user's own owners or groups; one that exists but is not
    theirs is a forbidden action (403), not a typing error to show beside the field."""
    if field in form.errors and posted and posted.isdigit() and model.objects.filter(pk=int(posted)).exists():
        raise PermissionDenied(_("Alleen een regisseur van deze eigenaar mag dit."))


@require_safe
def pool_page(request: HttpRequest) -> HttpResponse:
    """The public pool: supporters' cards (never a contact detail), by kind and area."""
    kind = request.GET.get("soort", "")
    kind = kind if kind in SupportKind.values else ""
    owner = Owner.objects.filter(slug=request.GET.get("gebied", "")).first()
    context = {
        "supporters": selectors.pool(kind=kind, owner=owner),
        "kinds": SupportKind.choices,
        "owners": selectors.pool_owners(),
        "kind": kind,
        "owner": owner,
        "is_supporter": permissions.supporter_of(request.user) is not None,
    }
    return render(request, "web/support_pool.html", context)


def _group(request: HttpRequest, group_id: int) -> Group:
    group = Group.objects.select_related("location").filter(pk=group_id).first()
    if group is None:
        raise Http404(_("Deze groep bestaat niet."))
    if not permissions.can_see_group_support(group, request.user):
        raise PermissionDenied(_("Alleen de beheerders van de groep en de regisseur zien de ondersteuning."))
    return group


def _render_group(request: HttpRequest, group: Group, *, refused: dict[str, Any] | None = None) -> HttpResponse:
    supporters = selectors.allowed_supporters(owner_id=group.location.owner_id)
    status = 400 if refused else 200
    refused = dict(refused or {})
    requests = list(selectors.group_requests(group=group))
    for support_request in requests:
        # Each accepted request its own form (own field ids); a refused one comes back with its errors.
        if refused.get("spend_request_id") == support_request.pk:
            support_request.spend_form = refused.pop("spend_form")  # type: ignore[attr-defined]
        else:
            support_request.spend_form = SpendForm(auto_id=f"id_spend{support_request.pk}_%s")  # type: ignore[attr-defined]
        if support_request.supporter.price_kind == PriceKind.PER_JOB and not support_request.spend_form.is_bound:  # type: ignore[attr-defined]
            # A job is paid its price (or vouchers): hours would change nothing, so none are asked
            # (a refused post keeps what it sent, with the error beside it).
            support_request.spend_form.fields.pop("hours", None)  # type: ignore[attr-defined]
    can_ask = permissions.can_ask(group, request.user)  # the managers: they ask, and they pay
    context = {
        "group": group,
        "requests": requests,
        "balances": selectors.balances(group=group),
        "ledger": selectors.ledger(group=group),
        "supporters": supporters,
        "can_ask": can_ask,
        "can_manage": can_ask,
        "ask_form": AskForm(supporters=supporters),
        **refused,
    }
    return render(request, "web/support_group.html", context, status=status)


@login_required
@require_form_page
def group_support(request: HttpRequest, group_id: int) -> HttpResponse:
    """The group's support: ask (managers), the requests and their state, the balance."""
    group = _group(request, group_id)
    if request.method != "POST":
        return _render_group(request, group)
    form = AskForm(request.POST, supporters=selectors.allowed_supporters(owner_id=group.location.owner_id))
    if form.is_valid():
        try:
            services.support_ask(group=group, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Je verzoek is verstuurd. De ondersteuner krijgt een e-mail."))
            return redirect("web:group-support", group.pk)
    return _render_group(request, group, refused={"ask_form": form})


@login_required
@require_POST
def support_spend(request: HttpRequest, group_id: int, request_id: int) -> HttpResponse:
    group = _group(request, group_id)
    support_request = get_object_or_404(SupportRequest.objects.select_related("supporter"), pk=request_id, group=group)
    form = SpendForm(request.POST, auto_id=f"id_spend{support_request.pk}_%s")
    if form.is_valid():
        try:
            services.support_spend(
                request=support_request, by=request.user,
                vouchers=form.cleaned_data["vouchers"], hours=form.cleaned_data["hours"],
            )  # fmt: skip
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Betaald. Het saldo is bijgewerkt."))
            return redirect("web:group-support", group.pk)
    return _render_group(request, group, refused={"spend_form": form, "spend_request_id": support_request.pk})


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """The supporter's requests, to accept or decline."""
    supporter = permissions.supporter_of(request.user)
    if supporter is None:
        raise PermissionDenied(_("Alleen ondersteuners hebben een postvak."))
    return render(
        request,
        "web/support_inbox.html",
        {"supporter": supporter, "requests": selectors.inbox(supporter=supporter), "answer_form": AnswerForm()},
    )


@login_required
@require_POST
def answer(request: HttpRequest, request_id: int) -> HttpResponse:
    support_request = get_object_or_404(SupportRequest.objects.select_related("supporter", "group"), pk=request_id)
    if not permissions.can_see_request(support_request, request.user):
        raise Http404(_("Dit verzoek bestaat niet."))
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("web:support-inbox")
    try:
        services.support_answer(
            request=support_request, by=request.user, accept=request.POST.get("accept") == "1",
            answer=form.cleaned_data["answer"],
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Je antwoord is verstuurd naar de beheerders."))
    return redirect("web:support-inbox")


def _directed_owners(request: HttpRequest) -> Any:
    return directed_owners(request, refusal=_("Alleen regisseurs beheren de ondersteuning."))


def _render_regisseur(request: HttpRequest, owners: Any, *, refused: dict[str, Form] | None = None) -> HttpResponse:
    groups = selectors.groups_directed_by(request.user)
    applications = list(selectors.open_applications(owner_ids=[owner.pk for owner in owners]))
    for application in applications:
        # Each its own form (own field ids on one page).
        application.decide_form = DecideApplicationForm(auto_id=f"id_application{application.pk}_%s")  # type: ignore[attr-defined]
    context = {
        "owners": [(owner, selectors.allow_list(owner=owner)) for owner in owners],
        "groups": [(group, selectors.balances(group=group)) for group in groups],
        "supporter_form": SupporterForm(owners=owners),
        "allow_form": AllowForm(owners=owners),
        "issue_form": IssueForm(groups=groups),
        "applications": applications,
        "units": dict(Unit.choices),
        **(refused or {}),
    }
    return render(request, "web/support_regisseur.html", context, status=400 if refused else 200)


@login_required
@require_safe
def regisseur_support(request: HttpRequest) -> HttpResponse:
    return _render_regisseur(request, _directed_owners(request))


@login_required
@require_POST
def regisseur_supporter_new(request: HttpRequest) -> HttpResponse:
    owners = _directed_owners(request)
    form = SupporterForm(request.POST, owners=owners)
    _refuse_foreign_choice(form, "owner", Owner, request.POST.get("owner"))
    if form.is_valid():
        try:
            services.supporter_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De ondersteuner staat in de pool."))
            return redirect("web:regisseur-support")
    return _render_regisseur(request, owners, refused={"supporter_form": form})


@login_required
@require_POST
def regisseur_allow(request: HttpRequest) -> HttpResponse:
    owners = _directed_owners(request)
    form = AllowForm(request.POST, owners=owners)
    _refuse_foreign_choice(form, "owner", Owner, request.POST.get("owner"))
    if not form.is_valid():
        return _render_regisseur(request, owners, refused={"allow_form": form})
    if request.POST.get("remove") == "1":
        services.allow_list_remove(by=request.user, **form.cleaned_data)
        messages.success(request, _("Van de lijst gehaald."))
    else:
        services.allow_list_add(by=request.user, **form.cleaned_data)
        messages.success(request, _("Op de lijst gezet."))
    return redirect("web:regisseur-support")


@login_required
@require_POST
def regisseur_issue(request: HttpRequest) -> HttpResponse:
    owners = _directed_owners(request)
    form = IssueForm(request.POST, groups=selectors.groups_directed_by(request.user))
    _refuse_foreign_choice(form, "group", Group, request.POST.get("group"))
    if form.is_valid():
        try:
            services.vouchers_issue(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Uitgegeven."))
            return redirect("web:regisseur-support")
    return _render_regisseur(request, owners, refused={"issue_form": form})


def _applying_owners() -> Any:
    """The owners one may apply to: those with a regisseur to decide."""
    with_regisseur = Membership.objects.filter(role=Membership.Role.REGISSEUR).values("owner_id")
    return Owner.objects.filter(pk__in=with_regisseur).order_by("name")


@login_required
@require_form_page
def apply(request: HttpRequest) -> HttpResponse:
    """Join the pool: ask an owner, whose regisseur accepts or declines; the own applications' state."""
    owners = _applying_owners()
    form = ApplyForm(owners=owners, initial={"name": request.user.get_full_name()})  # type: ignore[union-attr]
    status = 200
    if request.method == "POST":
        form = ApplyForm(request.POST, owners=owners)
        if form.is_valid():
            try:
                services.supporter_apply(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Je aanmelding is verstuurd. De regisseur krijgt een e-mail."))
                return redirect("web:support-apply")
        status = 400
    context = {
        "form": form,
        "applications": selectors.applications_of(request.user),
        "supporter": permissions.supporter_of(request.user),
    }
    return render(request, "web/support_apply.html", context, status=status)


@login_required
@require_POST
def regisseur_decide_application(request: HttpRequest, application_id: int) -> HttpResponse:
    owners = _directed_owners(request)
    # Another owner's application is not there for this regisseur (404, as a request not theirs).
    application = get_object_or_404(
        SupporterApplication.objects.select_related("user", "owner"), pk=application_id, owner__in=owners
    )
    form = DecideApplicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("web:regisseur-support")
    try:
        services.supporter_application_decide(
            application=application, by=request.user, accept=request.POST.get("accept") == "1",
            reason=form.cleaned_data["reason"],
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Besluit verstuurd naar de aanmelder."))
    return redirect("web:regisseur-support")
