"""Group rules in the services: who may post, take and finish what."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from gis_service.accounts.models import User
from gis_service.groups import services
from gis_service.groups.models import Follower, Group, GroupMember, NewsPost, Task


@pytest.mark.django_db
def test_creating_a_group_makes_its_managers_members_and_followers(group: Group, manager: User) -> None:
    assert GroupMember.objects.get(group=group, user=manager).role == GroupMember.Role.MANAGER
    assert Follower.objects.filter(group=group, user=manager).exists()


@pytest.mark.django_db
def test_anyone_logged_in_can_follow_and_unfollow(group: Group, outsider: User) -> None:
    services.group_follow(group=group, user=outsider)
    services.group_follow(group=group, user=outsider)  # twice is still once
    assert Follower.objects.filter(group=group, user=outsider).count() == 1
    services.group_unfollow(group=group, user=outsider)
    assert not Follower.objects.filter(group=group, user=outsider).exists()


@pytest.mark.django_db
def test_anonymous_visitors_cannot_follow(group: Group) -> None:
    with pytest.raises(PermissionDenied):
        services.group_follow(group=group, user=AnonymousUser())


@pytest.mark.django_db
def test_joining_makes_a_volunteer_but_a_manager_stays_manager(group: Group, manager: User, volunteer: User) -> None:
    assert GroupMember.objects.get(group=group, user=volunteer).role == GroupMember.Role.VOLUNTEER
    services.group_join(group=group, user=manager)
    assert GroupMember.objects.get(group=group, user=manager).role == GroupMember.Role.MANAGER


@pytest.mark.django_db
def test_only_managers_post_news(group: Group, manager: User, volunteer: User, outsider: User) -> None:
    services.news_post(group=group, author=manager, title="Eerste plantdag", body="Zaterdag om tien uur.")
    for user in (volunteer, outsider, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.news_post(group=group, author=user, title="Spam", body="Spam")
    assert list(NewsPost.objects.values_list("title", flat=True)) == ["Eerste plantdag"]


@pytest.mark.django_db
def test_only_managers_plan_meetings_and_tasks(group: Group, manager: User, volunteer: User) -> None:
    services.agenda_add(group=group, user=manager, title="Overleg", starts_at=timezone.now() + timedelta(days=3))
    services.task_add(group=group, user=manager, title="Onkruid wieden")
    with pytest.raises(PermissionDenied):
        services.task_add(group=group, user=volunteer, title="Zelf bedacht")
    with pytest.raises(PermissionDenied):
        services.agenda_add(group=group, user=volunteer, title="Feest", starts_at=timezone.now())
    assert group.tasks.count() == 1 and group.agenda.count() == 1


@pytest.mark.django_db
def test_a_volunteer_takes_a_task_and_marks_it_done(group: Group, manager: User, volunteer: User) -> None:
    task = services.task_add(group=group, user=manager, title="Bladeren harken")
    task = services.task_take(task=task, user=volunteer)
    assert (task.status, task.taken_by) == (Task.Status.TAKEN, volunteer)
    task = services.task_finish(task=task, user=volunteer)
    assert task.status == Task.Status.DONE and task.done_at is not None


@pytest.mark.django_db
def test_someone_else_cannot_finish_a_task_taken_by_another_volunteer(
    group: Group, manager: User, volunteer: User, resident: User
) -> None:
    services.group_join(group=group, user=resident)
    task = services.task_take(task=services.task_add(group=group, user=manager, title="Snoeien"), user=volunteer)
    with pytest.raises(PermissionDenied):
        services.task_finish(task=task, user=resident)
    assert services.task_finish(task=task, user=manager).status == Task.Status.DONE  # a manager may close it


@pytest.mark.django_db
def test_only_members_take_tasks(group: Group, manager: User, outsider: User) -> None:
    task = services.task_add(group=group, user=manager, title="Water geven")
    with pytest.raises(PermissionDenied):
        services.task_take(task=task, user=outsider)
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


@pytest.mark.django_db
def test_a_taken_task_cannot_be_taken_again(group: Group, manager: User, volunteer: User) -> None:
    task = services.task_add(group=group, user=manager, title="Water geven")
    services.task_take(task=task, user=volunteer)
    with pytest.raises(ValidationError):
        services.task_take(task=task, user=manager)
    task.refresh_from_db()
    assert task.taken_by == volunteer


@pytest.mark.django_db(transaction=True)
def test_two_volunteers_taking_one_task_at_once_leave_one_taker(group: Group, manager: User) -> None:
    task = services.task_add(group=group, user=manager, title="Bankje schilderen")
    helpers = []
    for n in range(8):
        user = User.objects.create_user(username=f"helper{n}", password="x")
        services.group_join(group=group, user=user)
        helpers.append(user)
    barrier = threading.Barrier(len(helpers))
    outcomes: list[str] = []

    def take(user: User) -> None:
        try:
            barrier.wait()
            services.task_take(task=Task.objects.select_related("group").get(pk=task.pk), user=user)
            outcomes.append("taken")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(user,)) for user in helpers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 7 + ["taken"]
    task.refresh_from_db()
    assert task.taken_by in helpers


@pytest.mark.django_db
def test_logged_in_residents_post_in_the_forum_but_not_anonymous(group: Group, outsider: User) -> None:
    thread = services.forum_thread_start(group=group, author=outsider, title="Wie heeft een kruiwagen?", body="?")
    services.forum_reply(thread=thread, author=outsider, body="Ik!")
    with pytest.raises(PermissionDenied):
        services.forum_reply(thread=thread, author=AnonymousUser(), body="anoniem")
    assert thread.posts.count() == 2


@pytest.mark.django_db
def test_a_closed_group_takes_no_new_posts(group: Group, manager: User) -> None:
    Group.objects.filter(pk=group.pk).update(is_open=False)
    group.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.news_post(group=group, author=manager, title="Nog één", body="…")


@pytest.mark.django_db
def test_empty_titles_are_refused(group: Group, manager: User) -> None:
    with pytest.raises(ValidationError):
        services.news_post(group=group, author=manager, title="   ", body="tekst")


@pytest.mark.django_db
def test_nobody_takes_a_task_in_a_closed_group(group: Group, manager: User, volunteer: User) -> None:
    """The project ended: the group is read-only, its tasks included."""
    task = services.task_add(group=group, user=manager, title="Bladeren harken")
    Group.objects.filter(pk=group.pk).update(is_open=False)
    task = Task.objects.select_related("group").get(pk=task.pk)
    with pytest.raises(PermissionDenied):
        services.task_take(task=task, user=volunteer)
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN and task.taken_by is None
