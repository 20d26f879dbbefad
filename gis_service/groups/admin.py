from typing import Any

from django.contrib import admin
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gis_service.groups import services
from gis_service.groups.models import (
    AgendaItem,
    Follower,
    ForumPost,
    ForumThread,
    Group,
    GroupMember,
    HourEntry,
    MembershipPeriod,
    NewsPost,
    Photo,
    StatusUpdate,
    Task,
)


class MemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0
    raw_id_fields = ["user"]


class MembershipPeriodInline(admin.TabularInline):
    """Who was a member when: history the services write (value report), shown and never edited."""

    model = MembershipPeriod
    extra = 0
    fields = ("user", "role", "started_at", "ended_at")
    readonly_fields = fields
    ordering = ["-started_at", "-id"]
    verbose_name_plural = _("lidmaatschapsgeschiedenis")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "location", "is_open", "created_at"]
    list_filter = ["is_open"]
    search_fields = ["name", "location__name"]
    raw_id_fields = ["location"]
    inlines = [MemberInline, MembershipPeriodInline]

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool) -> None:
        """Members through the groups' services, so every change of who is in the group is kept in
        its membership history."""
        if formset.model is not GroupMember:
            super().save_formset(request, form, formset, change)
            return
        group = form.instance
        members = formset.save(commit=False)  # also collects formset.deleted_objects
        for member in formset.deleted_objects:
            services.member_remove(group=group, user=member.user)
        for member in members:
            if member.pk is not None:
                before = GroupMember.objects.get(pk=member.pk)
                if before.user_id != member.user_id:  # the row now names someone else: the first one left
                    services.member_remove(group=group, user=before.user)
            services.member_set(group=group, user=member.user, role=member.role)


@admin.register(NewsPost)
class NewsPostAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "author", "created_at"]
    raw_id_fields = ["group", "author"]


class ForumPostInline(admin.TabularInline):
    model = ForumPost
    extra = 0
    raw_id_fields = ["author"]


@admin.register(ForumThread)
class ForumThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "author", "created_at"]
    raw_id_fields = ["group", "author"]
    inlines = [ForumPostInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "starts_at", "place"]
    raw_id_fields = ["group", "created_by"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "status", "taken_by"]
    list_filter = ["status"]
    raw_id_fields = ["group", "created_by", "taken_by"]


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    readonly_fields = ["file", "content_type", "width", "height", "size"]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(admin.ModelAdmin):
    list_display = ["group", "author", "created_at"]
    raw_id_fields = ["group", "author"]
    inlines = [PhotoInline]


@admin.register(Follower)
class FollowerAdmin(admin.ModelAdmin):
    list_select_related = ["user", "group"]  # a follower is named by both: two queries per row without
    raw_id_fields = ["group", "user"]


@admin.register(HourEntry)
class HourEntryAdmin(admin.ModelAdmin):
    list_display = ["worked_on", "group", "user", "hours", "task", "agenda_item"]
    list_filter = ["worked_on"]
    search_fields = ["group__name", "note"]
    raw_id_fields = ["group", "user", "task", "agenda_item"]
    list_select_related = ["group", "user", "task", "agenda_item"]
