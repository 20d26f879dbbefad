"""A group's pages and writes.

Every write is a POST with CSRF; a refused permission answers 403 (PermissionDenied), a
refused input goes back to the group page with the reason as a message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import etag, require_POST, require_safe

from gis_service.accounts import names
from gis_service.groups import permissions
from gis_service.groups import selectors as group_selectors
from gis_service.groups import services as group_services
from gis_service.groups.calendar import agenda_ical
from gis_service.groups.models import ForumPost, ForumThread, Group, Photo, StatusUpdate, Task
from web import forms, og
from web.views.methods import require_form_page


def _group_or_404(group_id: int) -> Group:
    try:
        return group_selectors.group_get(group_id)
    except Group.DoesNotExist:
        raise Http404(_("Deze groep bestaat niet.")) from None


def _group_url(group: Group, anchor: str = "") -> str:
    return reverse("web:group", args=[group.pk]) + (f"#{anchor}" if anchor else "")


@require_safe
def group_page(request: HttpRequest, group_id: int) -> HttpResponse:
    return _render_group(request, _group_or_404(group_id))


def _render_group(request: HttpRequest, group: Group, *, refused: dict[str, Form] | None = None) -> HttpResponse:
    """The group page; `refused` holds a posted form that was refused, shown with its errors beside
    the fields and the typed text kept (400), in place of the empty one."""
    user = request.user
    page = group_selectors.group_page(group)
    role = permissions.role_in(group, user)
    context = {
        "news_form": forms.NewsForm(),
        "thread_form": forms.ThreadForm(),
        "agenda_form": forms.AgendaForm(),
        "task_form": forms.TaskForm(),
        "update_form": forms.StatusUpdateForm(),
        "hours_form": forms.HoursForm(group=group, initial={"worked_on": timezone.localdate()}),
        **(refused or {}),
    }
    return render(
        request,
        "web/group.html",
        {
            "group": group,
            "page": page,
            "og": og.for_group(group, volunteers=page.volunteer_count),
            "done_tasks": group_selectors.done_tasks(group),
            "role": role,
            # A member (the role above) reads full names; else only the owner's regisseurs do.
            "sees_full_names": role is not None or names.sees_full_names(user, owner_id=group.location.owner_id),
            "public_url": settings.SITE_URL + _group_url(group),
            "is_follower": user.is_authenticated and group.followers.filter(user_id=user.pk).exists(),
            "after_log_in": request.GET.get("na-inloggen") if user.is_authenticated else None,
            "can_leave": permissions.can_leave(group, user),
            "can_post_news": permissions.can_post_news(group, user),
            "can_plan": permissions.can_plan(group, user),
            "can_post_in_forum": permissions.can_post_in_forum(group, user),
            "can_post_update": permissions.can_post_update(group, user),
            "can_log_hours": permissions.can_log_hours(group, user),
            # Only a group's managers see who its volunteers are by name, with a button to take one out.
            "volunteers": (
                group_selectors.volunteers_of(group) if permissions.can_remove_volunteers(group, user) else None
            ),
            "hours": group_selectors.group_hours(group, user_id=user.pk if user.is_authenticated else None),
            "calendar_url": settings.SITE_URL + reverse("web:group-calendar", args=[group.pk]),
            "my_calendar_url": _my_calendar_url(request),
            **context,
        },
        status=400 if refused else 200,
    )


def _sees_full_names(request: HttpRequest, group: Group) -> bool:
    """The group's members and its owner's regisseurs read full names; anyone else public ones."""
    return names.sees_full_names(request.user, group_id=group.pk, owner_id=group.location.owner_id)


def _my_calendar_url(request: HttpRequest) -> str | None:
    """The user's personal feed URL, when they have made one (the group page offers to make it)."""
    if not request.user.is_authenticated:
        return None
    key = group_selectors.calendar_key_of(request.user.pk)
    return settings.SITE_URL + reverse("web:my-calendar", args=[key]) if key else None


def _after(request: HttpRequest, group: Group, anchor: str, ok: str, error: ValidationError | None) -> HttpResponse:
    if error is None:
        messages.success(request, ok)
    else:
        messages.error(request, " ".join(error.messages))
    return redirect(_group_url(group, anchor))


def _logged_in_post(
    request: HttpRequest, group_id: int, *, wanted: str = ""
) -> tuple[Group, HttpResponseRedirect | None]:
    """The group for a write; an anonymous visitor is sent to log in and back to the group, told
    so: their tap did nothing yet (it was silent: back on the group, nothing had happened). What
    they wanted (`wanted`, as `?na-inloggen=` on the way back) makes the group page point at its
    button; logging in does not press it for them."""
    group = _group_or_404(group_id)
    if not request.user.is_authenticated:
        messages.info(
            request,
            _("Log in of maak een account om dat te doen bij %(group)s. Daarna kom je terug bij de groep.")
            % {"group": group.name},
        )
        back = reverse("web:group", args=[group.pk]) + (f"?na-inloggen={wanted}#meedoen" if wanted else "")
        return group, redirect_to_login(back)
    return group, None


@require_POST
def group_follow(request: HttpRequest, group_id: int) -> HttpResponse:
    group, login = _logged_in_post(request, group_id, wanted="volgen")
    if login:
        return login
    if request.POST.get("unfollow"):
        group_services.group_unfollow(group=group, user=request.user)
        return _after(request, group, "", _("Je volgt deze groep niet meer."), None)
    group_services.group_follow(group=group, user=request.user)
    return _after(request, group, "", _("Je volgt nu het nieuws van deze groep."), None)


@require_POST
def group_join(request: HttpRequest, group_id: int) -> HttpResponse:
    group, login = _logged_in_post(request, group_id, wanted="meedoen")
    if login:
        return login
    group_services.group_join(group=group, user=request.user)
    return _after(request, group, "taken", _("Welkom! Je doet mee als vrijwilliger."), None)


@require_POST
def group_leave(request: HttpRequest, group_id: int) -> HttpResponse:
    group, login = _logged_in_post(request, group_id)
    if login:
        return login
    group_services.group_leave(group=group, user=request.user)
    return _after(request, group, "meedoen", _("Je doet niet meer mee als vrijwilliger."), None)


@require_POST
def volunteer_remove(request: HttpRequest, group_id: int, user_id: int) -> HttpResponse:
    """A manager takes a volunteer out of the group; anyone else is refused before anything is read."""
    group, login = _logged_in_post(request, group_id)
    if login:
        return login
    if not permissions.can_remove_volunteers(group, request.user):
        raise PermissionDenied(_("Alleen beheerders halen vrijwilligers uit de groep."))
    removed = group_services.volunteer_remove(group=group, by=request.user, user_id=user_id)
    if not removed:
        raise Http404(_("Deze vrijwilliger hoort niet (meer) bij de groep."))
    return _after(request, group, "leden", _("De vrijwilliger doet niet meer mee en heeft een e-mail gekregen."), None)


def _group_form_post(
    request: HttpRequest,
    group_id: int,
    *,
    form_class: type[Form],
    form_key: str,
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
    if form.is_valid():
        try:
            create(group, request.user, form.cleaned_data)
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            return _after(request, group, anchor, done, None)
    return _render_group(request, group, refused={form_key: form})


@require_POST
def news_create(request: HttpRequest, group_id: int) -> HttpResponse:
    return _group_form_post(
        request,
        group_id,
        form_class=forms.NewsForm,
        form_key="news_form",
        may=permissions.can_post_news,
        refusal=_("Alleen beheerders plaatsen nieuws."),
        create=lambda group, user, data: group_services.news_post(group=group, author=user, **data),
        anchor="nieuws",
        done=_("Nieuwsbericht geplaatst."),
    )


@require_POST
def thread_create(request: HttpRequest, group_id: int) -> HttpResponse:
    group, login = _logged_in_post(request, group_id)
    if login:
        return login
    form = forms.ThreadForm(request.POST)
    if form.is_valid():
        try:
            thread = group_services.forum_thread_start(group=group, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            messages.success(request, _("Onderwerp geplaatst."))
            return redirect("web:thread", group_id=group.pk, thread_id=thread.pk)
    return _render_group(request, group, refused={"thread_form": form})


@require_form_page
def thread_page(request: HttpRequest, group_id: int, thread_id: int) -> HttpResponse:
    group = _group_or_404(group_id)
    try:
        thread = group_selectors.thread_get(group, thread_id)
    except ForumThread.DoesNotExist:
        raise Http404(_("Dit onderwerp bestaat niet.")) from None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        form = forms.ReplyForm(request.POST)
        if form.is_valid():
            try:
                group_services.forum_reply(thread=thread, author=request.user, body=form.cleaned_data["body"])
            except ValidationError as error:
                forms.add_service_error(form, error)
            else:
                messages.success(request, _("Reactie geplaatst."))
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
            "can_moderate": permissions.can_moderate_forum(group, request.user),
            "sees_full_names": _sees_full_names(request, group),
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def forum_post_hide(request: HttpRequest, group_id: int, thread_id: int, forum_post_id: int) -> HttpResponse:
    """A manager hides a forum post (or, with `show`, shows it again); back to the thread."""
    group, login = _logged_in_post(request, group_id)
    if login:
        return login
    if not permissions.can_moderate_forum(group, request.user):
        raise PermissionDenied(_("Alleen beheerders kunnen berichten verbergen."))
    post = get_object_or_404(
        ForumPost.objects.select_related("thread__group"), pk=forum_post_id, thread_id=thread_id, thread__group=group
    )
    show = bool(request.POST.get("show"))
    group_services.forum_post_hide(post=post, by=request.user, hidden=not show)
    messages.success(request, _("Het bericht is weer zichtbaar.") if show else _("Het bericht is verborgen."))
    return redirect(reverse("web:thread", args=[group.pk, thread_id]) + f"#post-{post.pk}")


@require_POST
def agenda_create(request: HttpRequest, group_id: int) -> HttpResponse:
    return _group_form_post(
        request,
        group_id,
        form_class=forms.AgendaForm,
        form_key="agenda_form",
        may=permissions.can_plan,
        refusal=_("Alleen beheerders plannen bijeenkomsten."),
        create=lambda group, user, data: group_services.agenda_add(group=group, user=user, **data),
        anchor="agenda",
        done=_("Bijeenkomst op de agenda gezet."),
    )


@require_POST
def task_create(request: HttpRequest, group_id: int) -> HttpResponse:
    return _group_form_post(
        request,
        group_id,
        form_class=forms.TaskForm,
        form_key="task_form",
        may=permissions.can_plan,
        refusal=_("Alleen beheerders zetten taken klaar."),
        create=lambda group, user, data: group_services.task_add(group=group, user=user, **data),
        anchor="taken",
        done=_("Taak toegevoegd."),
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
    return _after(request, group, "taken", _("Je hebt ‘%(task)s’ opgepakt. Dank je!") % {"task": task.title}, None)


@require_POST
def task_finish(request: HttpRequest, group_id: int, task_id: int) -> HttpResponse:
    group, login = _logged_in_post(request, group_id)
    if login:
        return login
    task = _task(group, task_id)
    group_services.task_finish(task=task, user=request.user)
    return _after(request, group, "taken", _("‘%(task)s’ is klaar.") % {"task": task.title}, None)


@require_POST
def update_create(request: HttpRequest, group_id: int) -> HttpResponse:
    group, login = _logged_in_post(request, group_id)
    if login:
        return login
    if not permissions.can_post_update(group, request.user):
        raise PermissionDenied(_("Alleen groepsleden plaatsen updates en foto's."))
    form = forms.StatusUpdateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            group_services.status_update_post(
                group=group,
                author=request.user,
                body=form.cleaned_data["body"],
                photos=request.FILES.getlist("photos"),
                before=request.FILES.getlist("before"),
                after=request.FILES.getlist("after"),
            )
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            return _after(request, group, "updates", _("Update geplaatst."), None)
    return _render_group(request, group, refused={"update_form": form})


@require_POST
def update_delete(request: HttpRequest, group_id: int, update_id: int) -> HttpResponse:
    """The author or a manager deletes a status update and its photos."""
    group, login = _logged_in_post(request, group_id)
    if login:
        return login
    update = get_object_or_404(StatusUpdate.objects.select_related("group"), pk=update_id, group=group)
    if not permissions.can_delete_update(update, request.user):
        raise PermissionDenied(_("Alleen wie de update plaatste of een beheerder van de groep kan hem verwijderen."))
    group_services.status_update_delete(update=update, by=request.user)
    return _after(request, group, "updates", _("De update en de foto's erbij zijn verwijderd."), None)


# A photo may be taken down (its author or a manager deletes the update: a neighbour's child, a front
# door), so shared caches keep it five minutes, not a day, and then ask again: the ETag names the
# photo's stored file (never changed under one id), answered with 304 while the photo exists and with
# 404 once it is gone. Docs: docs/security.md, *Photos*.
PHOTO_CACHE_SECONDS = 300


def _photo_etag(request: HttpRequest, photo_id: int) -> str | None:
    name = Photo.objects.filter(pk=photo_id).values_list("file", flat=True).first()
    return hashlib.sha256(name.encode()).hexdigest()[:32] if name else None


@require_safe
@cache_control(max_age=PHOTO_CACHE_SECONDS, public=True)
@etag(_photo_etag)
def photo(request: HttpRequest, photo_id: int) -> FileResponse:
    """A group photo, with the content type we detected ourselves, never one from the upload."""
    item = get_object_or_404(Photo, pk=photo_id)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def hours_create(request: HttpRequest, group_id: int) -> HttpResponse:
    group, login = _logged_in_post(request, group_id)
    if login:
        return login
    if not permissions.can_log_hours(group, request.user):
        raise PermissionDenied(_("Alleen vrijwilligers en beheerders van de groep schrijven uren."))
    form = forms.HoursForm(request.POST, group=group)
    if form.is_valid():
        try:
            entry = group_services.hours_log(group=group, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            message = _("%(hours)s uur genoteerd. Dank je!") % {"hours": number_format(entry.hours)}
            return _after(request, group, "uren", message, None)
    return _render_group(request, group, refused={"hours_form": form})


def _ical(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
@cache_control(max_age=900, public=True)
def group_calendar(request: HttpRequest, group_id: int) -> HttpResponse:
    """The group's agenda as an iCalendar feed; public, as the agenda on the group page is."""
    group = _group_or_404(group_id)
    items = group_selectors.calendar_items_of_group(group)
    return _ical(agenda_ical(name=group.name, items=items), f"groep-{group.pk}.ics")


@require_safe
@cache_control(max_age=900, private=True)
def my_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """Everything on the agendas of a user's groups; the secret URL is the log-in (clients have no session)."""
    user_id = group_selectors.calendar_key_user_id(token)
    if user_id is None:
        raise Http404(_("Deze agendalink bestaat niet (meer)."))
    items = group_selectors.calendar_items_of_user(user_id)
    response = _ical(agenda_ical(name=_("Mijn zelfbeheer"), items=items), "mijn-zelfbeheer.ics")
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
def my_calendar_link(request: HttpRequest) -> HttpResponse:
    """Make (or, with `renew`, replace; with `stop`, end) the personal calendar URL; back to the page
    it was asked on."""
    back = request.POST.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("web:mine")
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    if request.POST.get("stop"):
        group_services.calendar_key_revoke(user=request.user)
        messages.success(request, _("Je persoonlijke agendalink werkt niet meer."))
    elif request.POST.get("renew"):
        group_services.calendar_key_renew(user=request.user)
        messages.success(request, _("Je hebt een nieuwe agendalink; de oude werkt niet meer."))
    else:
        group_services.calendar_key_get(user=request.user)
        messages.success(request, _("Je persoonlijke agendalink staat klaar."))
    return redirect(back)


@csrf_exempt  # RFC 8058: mail clients post the signed link without a session or token; the signature is the proof.
@never_cache
@require_form_page
def group_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET and HEAD ask to confirm (a link scanner must not unsubscribe anyone); POST unsubscribes."""
    if request.method != "POST":
        try:
            target = group_selectors.unsubscribe_target(token)
        except ValidationError as error:
            return render(request, "web/unsubscribe.html", {"error": " ".join(error.messages)}, status=400)
        return render(request, "web/unsubscribe.html", {"group": target.group, "confirm": True})
    try:
        group = group_services.group_unsubscribe(token=token)
    except ValidationError as error:
        return render(request, "web/unsubscribe.html", {"error": " ".join(error.messages)}, status=400)
    return render(request, "web/unsubscribe.html", {"group": group, "done": True})
