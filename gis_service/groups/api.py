"""REST endpoints of a group's tools: news, forum, agenda, tasks (take, finish, recurrence), hours and
status updates with photos (before/after); and what a resident does for themself: follow a group's
news or stop, join as volunteer or stop, unsubscribe by a mail's signed link, and their personal
calendar URL.

Views parse and call one service; the services check who may act (403). What the group page shows to
anyone is readable by anyone here; hours entries only by the group's members (anything else is a 404).
No answer names a person: `mine` tells the caller what is theirs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gis_service.api.errors import ServiceErrorsMixin
from gis_service.core import limits
from gis_service.groups import selectors, services
from gis_service.groups.models import (
    AgendaItem,
    ForumPost,
    ForumThread,
    Group,
    GroupMember,
    HourEntry,
    NewsPost,
    Photo,
    RepeatUnit,
    StatusUpdate,
    Task,
)

if TYPE_CHECKING:  # django-stubs' alias; only the type checker needs it
    from django_stubs_ext import StrOrPromise


class MineMixin(serializers.Serializer[Any]):
    """`mine`: whether the caller wrote (or, for a task, took) the row; instead of naming anyone."""

    mine_field = "author_id"
    mine = serializers.SerializerMethodField(help_text=gettext_lazy("de regel is van jou"))

    def get_mine(self, row: Model) -> bool:
        request = self.context.get("request")
        user_id = getattr(getattr(request, "user", None), "pk", None)
        return user_id is not None and getattr(row, self.mine_field) == user_id


class GroupSerializer(serializers.ModelSerializer[Group]):
    volunteer_count = serializers.IntegerField(read_only=True)
    hours_total = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = Group
        fields = ["id", "name", "description", "location", "is_open", "created_at", "volunteer_count",
                  "hours_total"]  # fmt: skip


@extend_schema_serializer(
    description=gettext_lazy("Je eigen plek in een groep, nadat je die veranderde; nooit die van iemand anders.")
)
class MyPlaceSerializer(serializers.Serializer[Any]):
    """The caller's own place in a group, after they changed it; never anyone else's."""

    group = serializers.IntegerField(source="group.pk")
    following = serializers.BooleanField(help_text=gettext_lazy("je krijgt het nieuws van de groep per e-mail"))
    role = serializers.ChoiceField(
        choices=GroupMember.Role.choices,
        allow_null=True,
        help_text=gettext_lazy("je rol in de groep, als je er een hebt"),
    )


class NewsPostSerializer(MineMixin, serializers.ModelSerializer[NewsPost]):
    class Meta:
        model = NewsPost
        fields = ["id", "group", "title", "body", "created_at", "mine"]


class NewsInputSerializer(serializers.Serializer[Any]):
    group = serializers.IntegerField()
    title = serializers.CharField(max_length=limits.TITLE)
    body = serializers.CharField(max_length=limits.MESSAGE)


class ThreadSerializer(MineMixin, serializers.ModelSerializer[ForumThread]):
    post_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ForumThread
        fields = ["id", "group", "title", "created_at", "post_count", "mine"]


@extend_schema_serializer(description=gettext_lazy("Het onderwerp en het eerste bericht."))
class ThreadInputSerializer(NewsInputSerializer):
    """The subject and its first post."""


class ForumPostSerializer(MineMixin, serializers.ModelSerializer[ForumPost]):
    # A post a manager hid has no body here: hidden is hidden, on the page and through the API.
    body = serializers.SerializerMethodField()
    hidden = serializers.SerializerMethodField()

    class Meta:
        model = ForumPost
        fields = ["id", "thread", "body", "hidden", "created_at", "mine"]

    def get_body(self, post: ForumPost) -> str:
        return "" if post.hidden_at is not None else post.body

    def get_hidden(self, post: ForumPost) -> bool:
        return post.hidden_at is not None


class ReplyInputSerializer(serializers.Serializer[Any]):
    thread = serializers.IntegerField()
    body = serializers.CharField(max_length=limits.MESSAGE)


class AgendaItemSerializer(MineMixin, serializers.ModelSerializer[AgendaItem]):
    mine_field = "created_by_id"

    class Meta:
        model = AgendaItem
        fields = ["id", "group", "title", "starts_at", "place", "description", "mine"]


class AgendaInputSerializer(serializers.Serializer[Any]):
    group = serializers.IntegerField()
    title = serializers.CharField(max_length=limits.TITLE)
    starts_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=limits.TITLE, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=limits.MESSAGE, required=False, allow_blank=True, default="")


class TaskSerializer(MineMixin, serializers.ModelSerializer[Task]):
    mine_field = "taken_by_id"
    mine = serializers.SerializerMethodField(help_text=gettext_lazy("jij pakte de taak op"))
    next_task = serializers.SerializerMethodField(
        help_text=gettext_lazy("de volgende beurt van een herhalende taak, zodra die er is")
    )

    class Meta:
        model = Task
        fields = ["id", "group", "title", "description", "status", "due_on", "repeat_every", "repeat_unit",
                  "follows", "next_task", "taken_at", "done_at", "created_at", "mine"]  # fmt: skip

    def get_next_task(self, task: Task) -> int | None:
        following = getattr(task, "next_task", None)
        return following.pk if following is not None else None


class TaskInputSerializer(serializers.Serializer[Any]):
    group = serializers.IntegerField()
    title = serializers.CharField(max_length=limits.TITLE)
    description = serializers.CharField(max_length=limits.MESSAGE, required=False, allow_blank=True, default="")
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    repeat_every = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=366,
        help_text=gettext_lazy("komt elke N eenheden terug"),
    )
    repeat_unit = serializers.ChoiceField(
        choices=RepeatUnit.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("dagen of weken"),
    )


class HourEntrySerializer(MineMixin, serializers.ModelSerializer[HourEntry]):
    mine_field = "user_id"

    class Meta:
        model = HourEntry
        fields = ["id", "group", "task", "agenda_item", "worked_on", "hours", "note", "created_at", "mine"]


class HoursInputSerializer(serializers.Serializer[Any]):
    group = serializers.IntegerField()
    worked_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=2, help_text=gettext_lazy("in kwartieren, 0–24"))
    task = serializers.IntegerField(required=False, allow_null=True, default=None)
    agenda_item = serializers.IntegerField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PhotoSerializer(serializers.ModelSerializer[Photo]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = ["id", "kind", "url", "content_type", "width", "height"]

    def get_url(self, photo: Photo) -> str:
        return reverse("web:photo", args=[photo.pk])


class StatusUpdateSerializer(MineMixin, serializers.ModelSerializer[StatusUpdate]):
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = StatusUpdate
        fields = ["id", "group", "body", "created_at", "photos", "mine"]


def _files(help_text: StrOrPromise) -> serializers.ListField:
    return serializers.ListField(child=serializers.FileField(), required=False, default=list, help_text=help_text)


class UpdateInputSerializer(serializers.Serializer[Any]):
    group = serializers.IntegerField()
    body = serializers.CharField(max_length=limits.MESSAGE, required=False, allow_blank=True, default="")
    photos = _files(gettext_lazy("foto's (JPEG, PNG, WebP), gecontroleerd op hun inhoud"))
    before = _files(gettext_lazy("foto's van voor het werk"))
    after = _files(gettext_lazy("foto's van na het werk"))


def _group(group_id: int) -> Group:
    return get_object_or_404(Group.objects.select_related("location"), pk=group_id)


def _group_param(request: Request) -> int | None:
    value = request.query_params.get("group", "")
    return int(value) if value.isdigit() else None


GROUP_FILTER = OpenApiParameter("group", int, description=gettext_lazy("alleen de regels van deze groep"))


class GroupToolViewSet(
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Any],
):
    """Readable by anyone (as on the group page); writing is a POST the service allows or refuses."""

    def _created(self, row: Model) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=row.pk)).data, status=status.HTTP_201_CREATED)


@extend_schema(
    description=gettext_lazy(
        "Zelfbeheergroepen, met de totalen die hun pagina toont; als ingelogde bewoner volg je ze, doe je mee en "
        "stop je hier, net als op de groepspagina (dezelfde services, dus dezelfde regels)."
    ),
    tags=["groups"],
)
class GroupViewSet(
    ServiceErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Group]
):
    """Zelfbeheergroepen, with the sums their page shows; a logged-in resident follows, joins and leaves
    them here as on the group page (the same services, so the same rules)."""

    serializer_class = GroupSerializer

    def get_queryset(self) -> QuerySet[Group]:
        return selectors.groups_list().order_by("-created_at", "-id")

    def _my_place(self, request: Request, group: Group) -> Response:
        return Response(MyPlaceSerializer(selectors.my_place_in(group=group, user=request.user)).data)

    @extend_schema(
        description=gettext_lazy(
            "Krijg het nieuws van de groep per e-mail (iedereen die is ingelogd); twee keer volgen is geen fout."
        ),
        request=None,
        responses={200: MyPlaceSerializer},
    )
    @action(detail=True, methods=["post"])
    def follow(self, request: Request, pk: str | None = None) -> Response:
        """Get the group's news by e-mail (anyone logged in); following twice is no error."""
        group = self.get_object()
        services.group_follow(group=group, user=request.user)
        return self._my_place(request, group)

    @extend_schema(
        description=gettext_lazy("Geen nieuws meer per e-mail; een lid blijft lid."),
        request=None,
        responses={200: MyPlaceSerializer},
    )
    @action(detail=True, methods=["post"])
    def unfollow(self, request: Request, pk: str | None = None) -> Response:
        """No more news by e-mail; a member stays a member."""
        group = self.get_object()
        services.group_unfollow(group=group, user=request.user)
        return self._my_place(request, group)

    @extend_schema(
        description=gettext_lazy(
            "Doe mee met een open groep als vrijwilliger, waarmee je ook haar nieuws volgt; een beheerder blijft "
            "beheerder."
        ),
        request=None,
        responses={200: MyPlaceSerializer},
    )
    @action(detail=True, methods=["post"])
    def join(self, request: Request, pk: str | None = None) -> Response:
        """Join an open group as volunteer, which also follows its news; a manager stays manager."""
        group = self.get_object()
        services.group_join(group=group, user=request.user)
        return self._my_place(request, group)

    @extend_schema(
        description=gettext_lazy(
            "Stop als vrijwilliger van een open groep: opgepakte taken die niet klaar zijn, staan weer open; uren "
            "blijven. Beheerders trekken zich in plaats daarvan terug uit het contract (403)."
        ),
        request=None,
        responses={200: MyPlaceSerializer},
    )
    @action(detail=True, methods=["post"])
    def leave(self, request: Request, pk: str | None = None) -> Response:
        """Stop as volunteer of an open group: tasks taken and not done are open again, hours stay.
        Managers withdraw from the contract instead (403)."""
        group = self.get_object()
        services.group_leave(group=group, user=request.user)
        return self._my_place(request, group)


class UnsubscribeInputSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(
        max_length=500, help_text=gettext_lazy("het ondertekende token van de afmeldlink in een nieuwsmail")
    )


class UnsubscribedSerializer(serializers.Serializer[Any]):
    group = serializers.IntegerField(
        help_text=gettext_lazy("de groep waarvan de lezer van de link geen nieuws meer krijgt")
    )


@extend_schema(
    description=gettext_lazy(
        "Stop het nieuws van een groep met de ondertekende link uit een van haar mails, zoals de pagina van de link "
        "doet.\n\nHet token is het bewijs: geen inloggen, en dus geen sessie of CSRF-token (een app geeft de link "
        "door die ze kreeg). Een token dat wij niet ondertekenden, of een veranderd token, is een 400; twee keer "
        "afmelden is geen fout."
    ),
    tags=["groups"],
    request=UnsubscribeInputSerializer,
    responses={
        200: UnsubscribedSerializer,
        400: OpenApiResponse(description=gettext_lazy("een token dat wij niet ondertekenden")),
    },
)
class UnsubscribeView(ServiceErrorsMixin, APIView):
    """Stop a group's news by the signed link of one of its mails, as the link's page does.

    The token is the proof: no log-in, and so no session nor CSRF token (an app hands on the link it
    received). A token we did not sign, or one altered, is a 400; unsubscribing twice is no error.
    """

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    def post(self, request: Request) -> Response:
        data = UnsubscribeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        group = services.group_unsubscribe(token=data.validated_data["token"])
        return Response(UnsubscribedSerializer({"group": group.pk}).data)


class CalendarKeySerializer(serializers.Serializer[Any]):
    url = serializers.URLField(help_text=gettext_lazy("je geheime iCal-URL: alles op de agenda's van je groepen"))


def _calendar_answer(token: str, *, status_code: int = status.HTTP_200_OK) -> Response:
    url = settings.SITE_URL + reverse("web:my-calendar", args=[token])
    response = Response(CalendarKeySerializer({"url": url}).data, status=status_code)
    add_never_cache_headers(response)  # the URL is a secret: no cache keeps it
    return response


@extend_schema(tags=["groups"])
class CalendarKeyView(APIView):
    """The caller's personal calendar URL (the group page's *Mijn agendalink*): read, make, or stop it.

    Only ever the caller's own: there is no id to name someone else's.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        description=gettext_lazy("De URL, als je er een hebt gemaakt (anders 404)."),
        responses={200: CalendarKeySerializer},
    )
    def get(self, request: Request) -> Response:
        """The URL, when the caller has made one (404 otherwise)."""
        user_id = request.user.pk
        assert user_id is not None  # IsAuthenticated let only a logged-in user through
        token = selectors.calendar_key_of(user_id)
        if token is None:
            raise NotFound(_("Je hebt nog geen persoonlijke agendalink."))
        return _calendar_answer(token)

    @extend_schema(
        description=gettext_lazy("Maak de URL; een eerder gemaakte komt ongewijzigd terug."),
        request=None,
        responses={200: CalendarKeySerializer},
    )
    def post(self, request: Request) -> Response:
        """Make the URL; one made before is returned unchanged."""
        return _calendar_answer(services.calendar_key_get(user=request.user).token)

    @extend_schema(
        description=gettext_lazy("Stop de URL: agenda's die haar lezen krijgen vanaf nu een 404."),
        request=None,
        responses={204: None},
    )
    def delete(self, request: Request) -> Response:
        """Stop the URL: calendars that read it get a 404 from now on."""
        services.calendar_key_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    description=gettext_lazy(
        "Een nieuwe geheime URL in plaats van de oude, die meteen niet meer werkt (per ongeluk gedeeld)."
    ),
    tags=["groups"],
    request=None,
    responses={200: CalendarKeySerializer},
)
class CalendarKeyRotateView(APIView):
    """A new secret URL in place of the old one, which stops working at once (shared by mistake)."""

    permission_classes = [IsAuthenticated]

    def post(self, request: Request) -> Response:
        return _calendar_answer(services.calendar_key_renew(user=request.user).token)


@extend_schema(
    description=gettext_lazy(
        "Het nieuws van een groep; de beheerders plaatsen het en de volgers krijgen het per e-mail."
    ),
    tags=["groups"],
    parameters=[GROUP_FILTER],
)
class NewsPostViewSet(GroupToolViewSet):
    """A group's news; its managers post it, and the followers get it by e-mail."""

    serializer_class = NewsPostSerializer

    def get_queryset(self) -> QuerySet[NewsPost]:
        return selectors.news_list(group_id=_group_param(self.request)).order_by("-created_at", "-id")

    @extend_schema(request=NewsInputSerializer, responses={201: NewsPostSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = NewsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        return self._created(services.news_post(group=_group(fields.pop("group")), author=request.user, **fields))


@extend_schema(
    description=gettext_lazy(
        "De forumonderwerpen van een groep; iedereen die is ingelogd begint er een, met het eerste bericht."
    ),
    tags=["groups"],
    parameters=[GROUP_FILTER],
)
class ForumThreadViewSet(GroupToolViewSet):
    """A group's forum subjects; anyone logged in starts one, with its first post."""

    serializer_class = ThreadSerializer

    def get_queryset(self) -> QuerySet[ForumThread]:
        return selectors.threads_list(group_id=_group_param(self.request)).order_by("-created_at", "-id")

    @extend_schema(request=ThreadInputSerializer, responses={201: ThreadSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ThreadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        group = _group(fields.pop("group"))
        return self._created(services.forum_thread_start(group=group, author=request.user, **fields))


@extend_schema(
    description=gettext_lazy("Berichten in het forum, oudste eerst; iedereen die is ingelogd reageert."),
    tags=["groups"],
    parameters=[OpenApiParameter("thread", int, description=gettext_lazy("alleen de berichten van dit onderwerp"))],
)
class ForumPostViewSet(GroupToolViewSet):
    """Posts in the forum, oldest first; anyone logged in replies."""

    serializer_class = ForumPostSerializer

    def get_queryset(self) -> QuerySet[ForumPost]:
        thread = self.request.query_params.get("thread", "")
        return selectors.forum_posts_list(thread_id=int(thread) if thread.isdigit() else None).order_by(
            "created_at", "id"
        )

    @extend_schema(request=ReplyInputSerializer, responses={201: ForumPostSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ReplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        thread = get_object_or_404(ForumThread.objects.select_related("group"), pk=data.validated_data["thread"])
        return self._created(services.forum_reply(thread=thread, author=request.user, body=data.validated_data["body"]))


@extend_schema(
    description=gettext_lazy(
        "Bijeenkomsten en werkdagen; de beheerders plannen ze (ook als iCal-feed op de groepspagina)."
    ),
    tags=["groups"],
    parameters=[GROUP_FILTER],
)
class AgendaItemViewSet(GroupToolViewSet):
    """Meetings and work days; the managers plan them (also as an iCal feed on the group page)."""

    serializer_class = AgendaItemSerializer

    def get_queryset(self) -> QuerySet[AgendaItem]:
        return selectors.agenda_list(group_id=_group_param(self.request)).order_by("starts_at", "id")

    @extend_schema(request=AgendaInputSerializer, responses={201: AgendaItemSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = AgendaInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        return self._created(services.agenda_add(group=_group(fields.pop("group")), user=request.user, **fields))


@extend_schema(
    description=gettext_lazy(
        "Taken: de beheerders zetten ze uit (eenmalig of herhalend), leden pakken ze op en melden ze klaar; de "
        "volgende beurt van een herhalende taak komt er als ze klaar is of haar dag voorbij is."
    ),
    tags=["groups"],
    parameters=[GROUP_FILTER],
)
class TaskViewSet(GroupToolViewSet):
    """Tasks: the managers set them (once or recurring), members take them and mark them done; a
    recurring task's next turn is made when it is done or its day passes."""

    serializer_class = TaskSerializer

    def get_queryset(self) -> QuerySet[Task]:
        return (
            selectors.tasks_list(group_id=_group_param(self.request))
            .select_related("next_task")
            .order_by("created_at", "id")
        )

    @extend_schema(request=TaskInputSerializer, responses={201: TaskSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = TaskInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        return self._created(services.task_add(group=_group(fields.pop("group")), user=request.user, **fields))

    @extend_schema(
        description=gettext_lazy(
            "Pak een open taak op (als lid van de groep); een taak die iemand anders eerder oppakte is een 400."
        ),
        request=None,
        responses={200: TaskSerializer},
    )
    @action(detail=True, methods=["post"])
    def take(self, request: Request, pk: str | None = None) -> Response:
        """Take an open task (a member of the group); a task someone else took first is a 400."""
        task = services.task_take(task=self.get_object(), user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)

    @extend_schema(
        description=gettext_lazy(
            "Meld een opgepakte taak klaar (wie haar oppakte, of een beheerder); een herhalende krijgt haar volgende "
            "beurt."
        ),
        request=None,
        responses={200: TaskSerializer},
    )
    @action(detail=True, methods=["post"])
    def finish(self, request: Request, pk: str | None = None) -> Response:
        """Mark a taken task done (who took it, or a manager); a recurring one gets its next turn."""
        task = services.task_finish(task=self.get_object(), user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)


@extend_schema(
    description=gettext_lazy(
        "Uren gegeven aan de groep, voor haar leden; het totaal van de groep is openbaar op /api/groups/."
    ),
    tags=["groups"],
    parameters=[GROUP_FILTER],
)
class HourEntryViewSet(GroupToolViewSet):
    """Hours given to the group, for its members; the group's total is public on /api/groups/."""

    serializer_class = HourEntrySerializer

    def get_queryset(self) -> QuerySet[HourEntry]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI document is built without a request
            return HourEntry.objects.none()
        return selectors.hours_visible_to(self.request.user, group_id=_group_param(self.request)).order_by(
            "-worked_on", "-id"
        )

    @extend_schema(request=HoursInputSerializer, responses={201: HourEntrySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = HoursInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        group = _group(fields.pop("group"))
        # Unknown ids are the service's refusal ("not of this group"), not a 404 that tells them apart.
        task_id, item_id = fields.pop("task"), fields.pop("agenda_item")
        task = Task.objects.filter(pk=task_id).first() if task_id is not None else None
        item = AgendaItem.objects.filter(pk=item_id).first() if item_id is not None else None
        if task_id is not None and task is None:
            raise serializers.ValidationError({"task": [_("Deze taak hoort niet bij deze groep.")]})
        if item_id is not None and item is None:
            raise serializers.ValidationError({"agenda_item": [_("Deze werkdag hoort niet bij deze groep.")]})
        entry = services.hours_log(group=group, user=request.user, task=task, agenda_item=item, **fields)
        return self._created(entry)


@extend_schema(
    description=gettext_lazy(
        "Hoe het project ervoor staat, met foto's; leden plaatsen ze, foto's gemarkeerd als van voor of na het werk."
    ),
    tags=["groups"],
    parameters=[GROUP_FILTER],
)
class StatusUpdateViewSet(GroupToolViewSet):
    """How the project is doing, with photos; members post them, photos marked before or after the work."""

    serializer_class = StatusUpdateSerializer
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    def get_queryset(self) -> QuerySet[StatusUpdate]:
        return selectors.updates_list(group_id=_group_param(self.request)).order_by("-created_at", "-id")

    @extend_schema(request={"multipart/form-data": UpdateInputSerializer}, responses={201: StatusUpdateSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = UpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        update = services.status_update_post(group=_group(fields.pop("group")), author=request.user, **fields)
        return self._created(update)
