from django.contrib import admin

from gis_service.groups.models import (
    AgendaItem,
    Follower,
    ForumPost,
    ForumThread,
    Group,
    GroupMember,
    HourEntry,
    NewsPost,
    Photo,
    StatusUpdate,
    Task,
)


class MemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "location", "is_open", "created_at"]
    list_filter = ["is_open"]
    search_fields = ["name", "location__name"]
    raw_id_fields = ["location"]
    inlines = [MemberInline]


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
