"""Pages residents see. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from gis_service.accounts.models import Membership
from gis_service.contracts import services as contract_services
from gis_service.groups import permissions
from gis_service.groups import selectors as group_selectors
from gis_service.groups import services as group_services
from gis_service.groups.models import ForumThread, Group, Photo, Task
from gis_service.locations.models import Location
from web import forms, marker, selectors

MAP_LIST_LIMIT = 500


def map_page(request: HttpRequest) -> HttpResponse:
    """The public map of zelfbeheer locations, with the same locations as a list."""
    locations, location_count = selectors.map_list(limit=MAP_LIST_LIMIT)
    return render(
        request,
        "web/map.html",
        {"locations": locations, "location_count": location_count, "statuses": Location.Status.choices},
    )


def _location_or_404(location_id: int) -> Location:
    try:
        return selectors.location_for_page(location_id)
    except Location.DoesNotExist:
        raise Http404("Deze locatie bestaat niet.") from None


def location_page(request: HttpRequest, location_id: int) -> HttpResponse:
    """What a resident reads after scanning the marker: info, conditions, sign-up, group, share."""
    location = _location_or_404(location_id)
    return render(
        request,
        "web/location.html",
        {
            "location": location,
            "geojson": selectors.location_geojson(location),
            "group": group_selectors.group_for_location(location.pk),
            "offer": selectors.location_offer(location),
            "mine": selectors.my_contract(location, request.user),
            "public_url": marker.location_public_url(location),
        },
    )


@require_GET
@cache_control(max_age=3600, public=True)
def marker_svg(request: HttpRequest, location_id: int) -> HttpResponse:
    """The QR code of the marker as an SVG file, for the sign maker."""
    location = _location_or_404(location_id)
    response = HttpResponse(marker.marker_qr_svg(location), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="bord-locatie-{location.pk}.svg"'
    return response


def marker_page(request: HttpRequest, location_id: int) -> HttpResponse:
    """A printable A4 marker: 'Beheerd door bewoners', the name and the QR code."""
    location = _location_or_404(location_id)
    return render(
        request,
        "web/marker.html",
        {
            "location": location,
            "qr_svg": marker.marker_qr_svg(location, scale=12),
            "public_url": marker.location_public_url(location),
        },
    )


# --- groups -----------------------------------------------------------------------------------
# Every write is a POST with CSRF; a refused permission answers 403 (PermissionDenied), a
# refused input goes back to the group page with the reason as a message.


def _group_or_404(group_id: int) -> Group:
    try:
        return group_selectors.group_get(group_id)
    except Group.DoesNotExist:
        raise Http404("Deze groep bestaat niet.") from None


def _group_url(group: Group, anchor: str = "") -> str:
    return reverse("web:group", args=[group.pk]) + (f"#{anchor}" if anchor else "")


def group_page(request: HttpRequest, group_id: int) -> HttpResponse:
    group = _group_or_404(group_id)
    user = request.user
    return render(
        request,
        "web/group.html",
        {
            "group": group,
            "page": group_selectors.group_page(group),
            "done_tasks": group_selectors.done_tasks(group),
            "role": permissions.role_in(group, user),
            "public_url": settings.SITE_URL + _group_url(group),
            "is_follower": user.is_authenticated and group.followers.filter(user_id=user.pk).exists(),
            "can_post_news": permissions.can_post_news(group, user),
            "can_plan": permissions.can_plan(group, user),
            "can_post_in_forum": permissions.can_post_in_forum(group, user),
            "can_post_update": permissions.can_post_update(group, user),
            "news_form": forms.NewsForm(),
            "thread_form": forms.ThreadForm(),
            "agenda_form": forms.AgendaForm(),
            "task_form": forms.TaskForm(),
            "update_form": forms.StatusUpdateForm(),
        },
    )


def _form_errors(form: Form) -> str:
    return "; ".join(
        f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
        if name in form.fields
        else " ".join(str(e) for e in errors)
        for name, errors in form.errors.items()
    )


def _after(request: HttpRequest, group: Group, anchor: str, ok: str, error: ValidationError | None) -> HttpResponse:
    if error is None:
        messages.success(request, ok)
    else:
        messages.error(request, " ".join(error.messages))
    return redirect(_group_url(group, anchor))


def _logged_in_post(request: HttpRequest, group_id: int) -> tuple[Group, HttpResponseRedirect | None]:
    """The group for a write; an anonymous visitor is sent to log in and back to the group."""
    group = _group_or_404(group_id)
    if not request.user.is_authenticated:
        return group, redirect_to_login(_group_url(group))
    return group, None


@require_POST
def group_follow(request: HttpRequest, group_id: int) -> HttpResponse:
    group, login = _logged_in_post(request, group_id)
    if login:
        return login
    if request.POST.get("unfollow"):
        group_services.group_unfollow(group=group, user=request.user)
        return _after(request, group, "", "Je volgt deze groep niet meer.", None)
    group_services.group_follow(group=group, user=request.user)
    return _after(request, group, "", "Je volgt nu het nieuws van deze groep.", None)


@require_POST
def group_join(request: HttpRequest, group_id: int) -> HttpResponse:
    group, login = _logged_in_post(request, group_id)
    if login:
        return login
    group_services.group_join(group=group, user=request.user)
    return _after(request, group, "taken", "Welkom! Je doet mee als vrijwilliger.", None)


def _group_form_post(
    request: HttpRequest,
    group_id: int,
    *,
    form_class: type[Form],
    may: Callable[[Group, permissions.AnyUser], bool],
    refusal: str,
    create: Callable[..., object],
    anchor: str,
    done: str,
) -> HttpResponse:
    """A post only some members may make: log-in, permission, form, service, message."""
    group, login = _logged_in_post(request, group_id)
    if login:
        return login
    # Refused before the form is read, so an outsider learns nothing from its errors.
    if not may(group, request.user):
        raise PermissionDenied(refusal)
    form = form_class(request.POST)
    if not form.is_valid():
        return _after(request, group, anchor, "", ValidationError(_form_errors(form)))
    create(group, request.user, form.cleaned_data)
    return _after(request, group, anchor, done, None)


@require_POST
def news_create(request: HttpRequest, group_id: int) -> HttpResponse:
    return _group_form_post(
        request,
        group_id,
        form_class=forms.NewsForm,
        may=permissions.can_post_news,
        refusal="Alleen beheerders plaatsen nieuws.",
        create=lambda group, user, data: group_services.news_post(group=group, author=user, **data),
        anchor="nieuws",
        done="Nieuwsbericht geplaatst.",
    )


@require_POST
def thread_create(request: HttpRequest, group_id: int) -> HttpResponse:
    group, login = _logged_in_post(request, group_id)
    if login:
        return login
    form = forms.ThreadForm(request.POST)
    if not form.is_valid():
        return _after(request, group, "forum", "", ValidationError(_form_errors(form)))
    thread = group_services.forum_thread_start(group=group, author=request.user, **form.cleaned_data)
    messages.success(request, "Onderwerp geplaatst.")
    return redirect("web:thread", group_id=group.pk, thread_id=thread.pk)


def thread_page(request: HttpRequest, group_id: int, thread_id: int) -> HttpResponse:
    group = _group_or_404(group_id)
    try:
        thread = group_selectors.thread_get(group, thread_id)
    except ForumThread.DoesNotExist:
        raise Http404("Dit onderwerp bestaat niet.") from None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        form = forms.ReplyForm(request.POST)
        if form.is_valid():
            group_services.forum_reply(thread=thread, author=request.user, body=form.cleaned_data["body"])
            messages.success(request, "Reactie geplaatst.")
            return redirect("web:thread", group_id=group.pk, thread_id=thread.pk)
    else:
        form = forms.ReplyForm()
    return render(
        request,
        "web/thread.html",
        {
            "group": group,
            "thread": thread,
            "posts": thread.posts.select_related("author"),
            "form": form,
            "can_post_in_forum": permissions.can_post_in_forum(group, request.user),
        },
    )


@require_POST
def agenda_create(request: HttpRequest, group_id: int) -> HttpResponse:
    return _group_form_post(
        request,
        group_id,
        form_class=forms.AgendaForm,
        may=permissions.can_plan,
        refusal="Alleen beheerders plannen bijeenkomsten.",
        create=lambda group, user, data: group_services.agenda_add(group=group, user=user, **data),
        anchor="agenda",
        done="Bijeenkomst op de agenda gezet.",
    )


@require_POST
def task_create(request: HttpRequest, group_id: int) -> HttpResponse:
    return _group_form_post(
        request,
        group_id,
        form_class=forms.TaskForm,
        may=permissions.can_plan,
        refusal="Alleen beheerders zetten taken klaar.",
        create=lambda group, user, data: group_services.task_add(group=group, user=user, **data),
        anchor="taken",
        done="Taak toegevoegd.",
    )


def _task(group: Group, task_id: int) -> Task:
    return get_object_or_404(Task.objects.select_related("group"), pk=task_id, group=group)


@require_POST
def task_take(request: HttpRequest, group_id: int, task_id: int) -> HttpResponse:
    group, login = _logged_in_post(request, group_id)
    if login:
        return login
    task = _task(group, task_id)
    try:
        group_services.task_take(task=task, user=request.user)
    except ValidationError as error:
        return _after(request, group, "taken", "", error)
    return _after(request, group, "taken", f"Je hebt ‘{task.title}’ opgepakt. Dank je!", None)


@require_POST
def task_finish(request: HttpRequest, group_id: int, task_id: int) -> HttpResponse:
    group, login = _logged_in_post(request, group_id)
    if login:
        return login
    task = _task(group, task_id)
    group_services.task_finish(task=task, user=request.user)
    return _after(request, group, "taken", f"‘{task.title}’ is klaar.", None)


@require_POST
def update_create(request: HttpRequest, group_id: int) -> HttpResponse:
    group, login = _logged_in_post(request, group_id)
    if login:
        return login
    if not permissions.can_post_update(group, request.user):
        raise PermissionDenied("Alleen groepsleden plaatsen updates en foto's.")
    form = forms.StatusUpdateForm(request.POST, request.FILES)
    if not form.is_valid():
        return _after(request, group, "updates", "", ValidationError(_form_errors(form)))
    try:
        group_services.status_update_post(
            group=group, author=request.user, body=form.cleaned_data["body"], photos=request.FILES.getlist("photos")
        )
    except ValidationError as error:
        return _after(request, group, "updates", "", error)
    return _after(request, group, "updates", "Update geplaatst.", None)


@require_GET
@cache_control(max_age=86400, public=True)
def photo(request: HttpRequest, photo_id: int) -> FileResponse:
    """A group photo, with the content type we detected ourselves, never one from the upload."""
    item = get_object_or_404(Photo, pk=photo_id)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- initiatives and the regisseur ----------------------------------------------------------


def initiative_new(request: HttpRequest) -> HttpResponse:
    """Draw an area and describe the plan; checking needs no log-in, submitting does."""
    return render(request, "web/initiative.html", {"description": request.GET.get("description", "")})


@login_required
def regisseur_dashboard(request: HttpRequest) -> HttpResponse:
    """Waiting initiatives, thresholds reached and their conflicts, for the owners the user directs."""
    owner_ids = request.user.owner_ids_with_role(Membership.Role.REGISSEUR)  # type: ignore[union-attr]
    if not owner_ids:
        raise PermissionDenied("Alleen regisseurs van een eigenaar zien dit overzicht.")
    dashboard = selectors.regisseur_dashboard(owner_ids=owner_ids)
    return render(request, "web/regisseur.html", {"dashboard": dashboard, "map_data": dashboard.map_data()})


@login_required
def location_signup(request: HttpRequest, location_id: int) -> HttpResponse:
    """Sign up as manager of a location: read the terms, accept them explicitly, give a plan."""
    location = _location_or_404(location_id)
    offer = selectors.location_offer(location)
    if not offer.can_sign_up or offer.terms is None:
        messages.error(request, "Aanmelden als beheerder kan hier nu niet.")
        return redirect("web:location", location_id=location.pk)
    form = forms.SignupForm(
        request.POST or None, initial={"terms_version": offer.terms.pk}, offering_id=offer.terms.offering_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            contract_services.manager_sign_up(
                location=location,
                user=request.user,
                terms_version=form.cleaned_data["terms_version"],
                plan=form.cleaned_data["plan"],
                accept_terms=form.cleaned_data["accept_terms"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Je bent aangemeld als beheerder. De regisseur hoort het zodra er genoeg zijn.")
            return redirect("web:location", location_id=location.pk)
    return render(request, "web/signup.html", {"location": location, "offer": offer, "form": form})


@require_POST
@login_required
def location_withdraw(request: HttpRequest, location_id: int) -> HttpResponse:
    """A manager withdraws their sign-up before the contract starts."""
    location = _location_or_404(location_id)
    signup = selectors.my_signup(location, request.user)
    if signup is None:
        raise Http404("Je bent hier niet aangemeld.")
    try:
        contract_services.manager_withdraw(signup=signup, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Je bent afgemeld als beheerder.")
    return redirect("web:location", location_id=location.pk)


@login_required
def location_terms(request: HttpRequest, location_id: int) -> HttpResponse:
    """Changed terms of a running contract: read them, accept explicitly; who has and who has not."""
    location = _location_or_404(location_id)
    mine = selectors.my_contract(location, request.user)
    if mine is None:
        raise Http404("Je bent hier geen beheerder.")
    terms = mine.contract.terms_version
    form = forms.SignupForm(
        request.POST or None,
        initial={"terms_version": terms.pk, "plan": mine.signup.plan},
        offering_id=terms.offering_id,
    )
    form.fields["plan"].required = False
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["terms_version"]
        try:
            contract_services.contract_terms_accept(
                contract=mine.contract, user=request.user, terms_version=chosen, accept_terms=True
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Je hebt versie {chosen.number} van de voorwaarden geaccepteerd.")
            return redirect("web:location", location_id=location.pk)
    return render(request, "web/terms.html", {"location": location, "mine": mine, "terms": terms, "form": form})
