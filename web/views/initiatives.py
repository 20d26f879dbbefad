"""Drawing an initiative, joining one by the invite link an initiator shared, and its public page:
the discussion (residents write, the owner's regisseur hides), professionals' help offers and the
initiators' requests for support from the pool.

Every write is a POST with CSRF that calls one service; a refused permission answers 403, refused
input comes back on the page with the reason beside its field (400), too many posts 429."""

from __future__ import annotations

import uuid
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST, require_safe

from gis_service.accounts import names
from gis_service.accounts import selectors as account_selectors
from gis_service.accounts import services as account_services
from gis_service.initiatives import permissions, selectors, services
from gis_service.initiatives.models import DESCRIPTION_MAX_CHARS, Initiative, InitiativePost
from gis_service.initiatives.throttles import InitiativePostThrottle
from gis_service.owners.models import Owner
from gis_service.support import permissions as support_permissions
from gis_service.support import selectors as support_selectors
from gis_service.support import services as support_services
from web import og, og_image
from web import selectors as web_selectors
from web.forms import ReplyForm, add_service_error
from web.initiative_forms import HelpOfferForm, HideForm, ProfessionalForm
from web.support_forms import AskForm
from web.views.access import directed_owners
from web.views.locations import list_in_view
from web.views.methods import require_form_page


@require_safe
def initiative_new(request: HttpRequest) -> HttpResponse:
    """Draw an area and describe the plan; checking needs no log-in, submitting does.

    Each showing of the form gets a fresh submission key: sending it twice (a double tap, a retry)
    makes one initiative (initiatives.services.initiative_submit)."""
    return render(
        request,
        "web/initiative.html",
        {
            "description": request.GET.get("description", ""),
            "submission_key": uuid.uuid4(),
            "description_max": DESCRIPTION_MAX_CHARS,
            "og": og.for_initiative_form(),
            # Where the locations are, as on the public map: the page opens there and reads the tiles.
            "extent": web_selectors.map_extent(),
            "list_max_degrees": settings.MAP_VIEW_MAX_DEGREES,
        },
    )


@require_GET
def initiative_pick_list(request: HttpRequest) -> HttpResponse:
    """The locations in the drawing map's view as checkboxes, a page at a time: the public map's
    list in view (same parameters, same selector), for picking without a mouse."""
    return list_in_view(request, "web/_pick_list.html")


@login_required
@require_form_page
def initiative_join(request: HttpRequest, initiative_id: int, token: str) -> HttpResponse:
    """The invite link: shows the plan, and on POST the resident joins as co-initiator."""
    initiative = get_object_or_404(Initiative.objects.waiting().select_related("owner"), pk=initiative_id)
    if not selectors.invite_matches(initiative=initiative, token=token):
        raise Http404  # the same answer as an unknown id: the link is the only way in
    if request.method == "POST":
        try:
            services.initiative_join(initiative=initiative, user=request.user, token=token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Je doet mee met dit bewonersinitiatief."))
        return redirect("web:mine")
    joined = initiative.initiators.filter(pk=cast(int, request.user.pk)).exists()  # login_required
    return render(request, "web/initiative_join.html", {"initiative": initiative, "token": token, "joined": joined})


def _open_initiative(initiative_id: int) -> Initiative:
    try:
        return selectors.initiative_public(initiative_id)
    except Initiative.DoesNotExist:
        raise Http404(_("Dit initiatief bestaat niet of is gesloten.")) from None


@require_safe
def initiative_image(request: HttpRequest, initiative_id: int) -> HttpResponse:
    """A public initiative's link preview picture: its area on a small map."""
    return HttpResponse(og_image.initiative_png(_open_initiative(initiative_id)), content_type="image/png")


def _page_url(initiative: Initiative, anchor: str) -> str:
    return reverse("web:initiative", args=[initiative.pk]) + f"#{anchor}"


@require_safe
def initiative_list(request: HttpRequest) -> HttpResponse:
    """Open initiatives, newest first: what neighbours plan, to discuss and to help with."""
    return render(request, "web/initiative_list.html", {"initiatives": selectors.public_initiatives()[:100]})


@require_safe
def initiative_page(request: HttpRequest, initiative_id: int) -> HttpResponse:
    return _render_page(request, _open_initiative(initiative_id))


def _render_page(
    request: HttpRequest, initiative: Initiative, *, refused: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    """The public page; `refused` holds a posted form that was refused, shown with its errors."""
    user = request.user
    refused = dict(refused or {})
    moderates = permissions.directs_owner(initiative, user)
    posts = list(selectors.posts_visible_to(user=user, initiative_id=initiative.pk))
    if moderates:
        hide_post_id = getattr(refused.get("hide_form"), "post_id", None)
        for post in posts:
            post.hide_form = (  # type: ignore[attr-defined]
                refused.pop("hide_form") if post.pk == hide_post_id else HideForm(auto_id=f"id_hide{post.pk}_%s")
            )
    sees_support = support_permissions.can_see_initiative_support(initiative, user)
    can_ask = support_permissions.can_ask_for_initiative(initiative, user)
    supporters = support_selectors.allowed_supporters(owner_id=initiative.owner_id)
    context = {
        "initiative": initiative,
        "og": og.for_initiative(initiative),
        "posts": posts,
        "help_offers": selectors.public_help_offers(initiative_id=initiative.pk),
        "post_form": ReplyForm(auto_id="id_post_%s"),
        "help_form": HelpOfferForm(),
        "ask_form": AskForm(supporters=supporters, auto_id="id_ask_%s"),
        "can_post": permissions.can_post(initiative, user),
        "moderates": moderates,
        "sees_full_names": names.sees_full_names(user, owner_id=initiative.owner_id),
        "can_offer_help": permissions.can_offer_help(initiative, user),
        "sees_support": sees_support,
        "can_ask": can_ask and supporters.exists(),
        "support_requests": support_selectors.initiative_requests(initiative_id=initiative.pk) if sees_support else [],
        **refused,
    }
    return render(request, "web/initiative_page.html", context, status=status)


def _refused(request: HttpRequest, initiative: Initiative, key: str, form: Form, status: int) -> HttpResponse:
    return _render_page(request, initiative, refused={key: form}, status=status)


@login_required
@require_POST
def initiative_post(request: HttpRequest, initiative_id: int) -> HttpResponse:
    """A resident writes in the discussion; the API's throttle counts these posts too."""
    initiative = _open_initiative(initiative_id)
    form = ReplyForm(request.POST, auto_id="id_post_%s")
    throttle = InitiativePostThrottle()
    if not throttle.allow_request(request, None):
        minutes = max(1, round((throttle.wait() or 0) / 60))
        form.add_error(
            None,
            ngettext(
                "Je plaatste veel berichten kort na elkaar. Probeer het over %(minutes)d minuut opnieuw.",
                "Je plaatste veel berichten kort na elkaar. Probeer het over %(minutes)d minuten opnieuw.",
                minutes,
            )
            % {"minutes": minutes},
        )
        return _refused(request, initiative, "post_form", form, 429)
    if form.is_valid():
        try:
            post = services.initiative_post_create(
                initiative=initiative, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Je bericht is geplaatst."))
            return redirect(_page_url(initiative, f"post-{post.pk}"))
    return _refused(request, initiative, "post_form", form, 400)


@login_required
@require_POST
def initiative_post_hide(request: HttpRequest, initiative_id: int, post_id: int) -> HttpResponse:
    """The regisseur of the initiative's owner hides a post with a reason."""
    initiative = _open_initiative(initiative_id)
    post = get_object_or_404(InitiativePost, pk=post_id, initiative=initiative)
    if not permissions.directs_owner(initiative, request.user):
        raise PermissionDenied(_("Alleen een regisseur van deze eigenaar mag berichten verbergen."))
    if post.hidden_at is not None:  # another regisseur was first (or a second tap)
        messages.info(request, _("Dit bericht is al verborgen."))
        return redirect(_page_url(initiative, f"post-{post.pk}"))
    form = HideForm(request.POST, auto_id=f"id_hide{post.pk}_%s")
    form.post_id = post.pk  # type: ignore[attr-defined]
    if form.is_valid():
        try:
            services.initiative_post_hide(post=post, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Het bericht is verborgen."))
            return redirect(_page_url(initiative, f"post-{post.pk}"))
    return _refused(request, initiative, "hide_form", form, 400)


@login_required
@require_POST
def initiative_help(request: HttpRequest, initiative_id: int) -> HttpResponse:
    """A professional of the initiative's owner offers help."""
    initiative = _open_initiative(initiative_id)
    form = HelpOfferForm(request.POST)
    if form.is_valid():
        try:
            offer = services.help_offer_create(initiative=initiative, professional=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Je hulpaanbod staat bij het initiatief. De initiatiefnemers krijgen een e-mail.")
            )
            return redirect(_page_url(initiative, f"help-{offer.pk}"))
    return _refused(request, initiative, "help_form", form, 400)


@login_required
@require_POST
def initiative_support(request: HttpRequest, initiative_id: int) -> HttpResponse:
    """An initiator asks a supporter of the owner's allow-list."""
    initiative = _open_initiative(initiative_id)
    supporters = support_selectors.allowed_supporters(owner_id=initiative.owner_id)
    form = AskForm(request.POST, supporters=supporters, auto_id="id_ask_%s")
    if form.is_valid():
        try:
            support_services.support_ask_for_initiative(initiative=initiative, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Je verzoek is verstuurd. De ondersteuner krijgt een e-mail."))
            return redirect(_page_url(initiative, "support"))
    return _refused(request, initiative, "ask_form", form, 400)


@login_required
@require_form_page
def regisseur_professionals(request: HttpRequest) -> HttpResponse:
    """The regisseur's professionals: grant the role by e-mail address, or take it back."""
    owners = directed_owners(request, refusal=_("Alleen regisseurs van een eigenaar zien dit overzicht."))
    form = ProfessionalForm(request.POST or None, owners=owners)
    if request.method == "POST":
        posted_owner = request.POST.get("owner", "")
        if "owner" in form.errors and posted_owner.isdigit() and Owner.objects.filter(pk=int(posted_owner)).exists():
            raise PermissionDenied(_("Alleen een regisseur van deze eigenaar mag dit."))
        if form.is_valid():
            try:
                account_services.professional_grant(by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("De professional kan nu hulp aanbieden bij jullie initiatieven."))
                return redirect("web:regisseur-professionals")
    context = {
        "form": form,
        "professionals": account_selectors.professionals(owner_ids={owner.pk for owner in owners}),
    }
    return render(request, "web/regisseur_professionals.html", context, status=400 if form.is_bound else 200)


@login_required
@require_POST
def regisseur_professional_revoke(request: HttpRequest, owner_id: int, user_id: int) -> HttpResponse:
    owner = get_object_or_404(Owner, pk=owner_id)
    account_services.professional_revoke(owner=owner, by=request.user, user_id=user_id)  # type: ignore[arg-type]
    messages.success(request, _("De rol van professional is ingetrokken."))
    return redirect("web:regisseur-professionals")
