"""The group page over HTTP: what each persona sees and may post, with CSRF on every form."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from gis_service.accounts.models import User
from gis_service.groups import services
from gis_service.groups.models import ForumThread, Group, NewsPost, Task


def logged_in(user: User, *, enforce_csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_anyone_reads_the_group_page_with_its_news_and_tasks(group: Group, manager: User) -> None:
    services.news_post(group=group, author=manager, title="Bollen geplant", body="200 krokussen")
    services.task_add(group=group, user=manager, title="Zwerfvuil prikken")
    text = Client().get(f"/groepen/{group.pk}/").content.decode()
    for expected in ("Speelveldje groen", "Bollen geplant", "Zwerfvuil prikken", 'href="/locaties/'):
        assert expected in text
    assert "Nieuwsbericht plaatsen" not in text


@pytest.mark.django_db
def test_the_news_form_is_shown_only_to_managers(group: Group, manager: User, volunteer: User) -> None:
    assert "Nieuwsbericht plaatsen" in logged_in(manager).get(f"/groepen/{group.pk}/").content.decode()
    assert "Nieuwsbericht plaatsen" not in logged_in(volunteer).get(f"/groepen/{group.pk}/").content.decode()


@pytest.mark.django_db
def test_a_volunteer_posting_news_gets_403_and_nothing_is_stored(group: Group, volunteer: User) -> None:
    response = logged_in(volunteer).post(f"/groepen/{group.pk}/nieuws/", {"title": "x", "body": "y"})
    assert response.status_code == 403
    assert not NewsPost.objects.exists()


@pytest.mark.django_db
def test_an_anonymous_post_is_sent_to_log_in_and_stores_nothing(group: Group) -> None:
    for path in ("nieuws/", "forum/", "meedoen/", "volgen/", "taken/", "agenda/", "updates/"):
        response = Client().post(f"/groepen/{group.pk}/{path}", {"title": "x", "body": "y"})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), path
    assert not NewsPost.objects.exists() and not ForumThread.objects.exists()
    assert group.members.count() == 1  # only the manager


@pytest.mark.django_db
def test_every_form_needs_the_csrf_token(group: Group, manager: User) -> None:
    client = logged_in(manager, enforce_csrf=True)
    response = client.post(f"/groepen/{group.pk}/nieuws/", {"title": "x", "body": "y"})
    assert response.status_code == 403
    assert not NewsPost.objects.exists()
    page = client.get(f"/groepen/{group.pk}/").content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= page.count('method="post"') > 0


@pytest.mark.django_db
def test_a_manager_posts_news_and_plans_a_task(group: Group, manager: User) -> None:
    client = logged_in(manager)
    client.post(f"/groepen/{group.pk}/nieuws/", {"title": "Plantdag", "body": "Zaterdag"})
    client.post(f"/groepen/{group.pk}/taken/", {"title": "Gieter kopen", "description": ""})
    client.post(
        f"/groepen/{group.pk}/agenda/", {"title": "Overleg", "starts_at": "2030-05-01T19:30", "place": "Buurthuis"}
    )
    text = client.get(f"/groepen/{group.pk}/").content.decode()
    assert "Plantdag" in text and "Gieter kopen" in text and "Buurthuis" in text


@pytest.mark.django_db
def test_a_resident_joins_takes_a_task_and_marks_it_done(group: Group, manager: User, resident: User) -> None:
    task = services.task_add(group=group, user=manager, title="Bankje schuren")
    client = logged_in(resident)
    assert client.post(f"/groepen/{group.pk}/taken/{task.pk}/oppakken/").status_code == 403  # not yet a member
    client.post(f"/groepen/{group.pk}/meedoen/")
    client.post(f"/groepen/{group.pk}/taken/{task.pk}/oppakken/")
    task.refresh_from_db()
    assert task.taken_by == resident
    client.post(f"/groepen/{group.pk}/taken/{task.pk}/klaar/")
    task.refresh_from_db()
    assert task.status == Task.Status.DONE


@pytest.mark.django_db
def test_a_volunteer_stops_and_the_task_they_took_is_open_again(group: Group, manager: User, volunteer: User) -> None:
    task = services.task_add(group=group, user=manager, title="Bankje schuren")
    services.task_take(task=task, user=volunteer)
    client = logged_in(volunteer)
    assert "Stoppen als vrijwilliger" in client.get(f"/groepen/{group.pk}/").content.decode()
    page = client.post(f"/groepen/{group.pk}/stoppen/", follow=True).content.decode()
    assert "Je doet niet meer mee als vrijwilliger." in page and "Doe mee als vrijwilliger" in page
    task.refresh_from_db()
    assert (task.status, task.taken_by) == (Task.Status.OPEN, None)
    assert not group.members.filter(user=volunteer).exists()
    assert "Stoppen als vrijwilliger" not in logged_in(manager).get(f"/groepen/{group.pk}/").content.decode()


@pytest.mark.django_db
def test_a_visitor_sent_to_log_in_is_told_and_back_on_the_group_pointed_at_the_button(
    group: Group, outsider: User
) -> None:
    # A walk tapped "Volg het nieuws" logged out: the log-in page said nothing, and back on the group
    # after logging in nothing had happened, without a word.
    client = Client()
    login_page = client.post(f"/groepen/{group.pk}/volgen/", follow=True)
    assert "om dat te doen bij Speelveldje groen" in login_page.content.decode()
    (url, _status), *_ = login_page.redirect_chain
    back = f"/groepen/{group.pk}/?na-inloggen=volgen#meedoen"
    answer = client.post(url, {"username": outsider.email, "password": "pw-outsideroutsider"})
    assert answer.status_code == 302 and answer["Location"] == back
    page = client.get(back).content.decode()
    assert "Tik op ‘Volg het nieuws’" in page
    assert not group.followers.filter(user=outsider).exists()  # logging in does not press the button
    client.post(f"/groepen/{group.pk}/volgen/")
    assert "Tik op ‘Volg het nieuws’" not in client.get(back).content.decode()  # done: no more pointing


@pytest.mark.django_db
def test_following_is_one_click_for_a_logged_in_resident(group: Group, outsider: User) -> None:
    client = logged_in(outsider)
    response = client.post(f"/groepen/{group.pk}/volgen/", follow=True)
    assert "Niet meer volgen" in response.content.decode()
    assert group.followers.filter(user=outsider).exists()


@pytest.mark.django_db
def test_a_forum_thread_and_reply_by_a_logged_in_resident(group: Group, outsider: User) -> None:
    client = logged_in(outsider)
    response = client.post(f"/groepen/{group.pk}/forum/", {"title": "Schoffel lenen?", "body": "Wie heeft er een?"})
    thread = ForumThread.objects.get()
    assert response["Location"] == f"/groepen/{group.pk}/forum/{thread.pk}/"
    client.post(response["Location"], {"body": "Ik heb er een."})
    text = Client().get(response["Location"]).content.decode()
    assert "Wie heeft er een?" in text and "Ik heb er een." in text


@pytest.mark.django_db
def test_a_member_uploads_a_photo_that_is_served_with_its_detected_type(
    group: Group,
    volunteer: User,
    settings,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    settings.MEDIA_ROOT = tmp_path
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 200, 10)).save(out, "PNG")
    upload = SimpleUploadedFile("tuin.gif", out.getvalue(), content_type="image/gif")
    logged_in(volunteer).post(f"/groepen/{group.pk}/updates/", {"body": "Kijk!", "photos": [upload]})
    photo = group.updates.get().photos.get()
    response = Client().get(f"/fotos/{photo.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert f'src="/fotos/{photo.pk}/"' in Client().get(f"/groepen/{group.pk}/").content.decode()


@pytest.mark.django_db
def test_a_refused_photo_is_reported_on_the_page(group: Group, volunteer: User) -> None:
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = logged_in(volunteer).post(f"/groepen/{group.pk}/updates/", {"body": "", "photos": [fake]}, follow=True)
    assert "geen foto" in response.content.decode()
    assert not group.updates.exists()


@pytest.mark.django_db
def test_unknown_groups_answer_404(client: Client) -> None:
    assert client.get("/groepen/987654/").status_code == 404
