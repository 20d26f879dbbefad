"""The admin's door and rights follow from roles at owners (accounts/roles.py), never from flags
or permissions set by hand: a GIS admin gets the importer screens, a regisseur nothing there."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gis_service.accounts.models import Membership, User
from gis_service.owners.models import Owner
from importers.models import ImportRun, Source
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db

IMPORTER_PERMISSIONS = {
    "importers.view_source",
    "importers.add_source",
    "importers.change_source",
    "importers.view_importrun",
}


def test_a_gis_admin_holds_exactly_the_importer_screens_permissions(gis_admin_a: User) -> None:
    assert not gis_admin_a.is_staff and not gis_admin_a.user_permissions.exists()
    assert gis_admin_a.get_all_permissions() == IMPORTER_PERMISSIONS
    assert gis_admin_a.has_module_perms("importers")
    assert not gis_admin_a.has_module_perms("locations")
    assert not gis_admin_a.has_perm("importers.delete_source")


def test_a_gis_admin_enters_the_admin_by_the_membership_alone(gis_admin_a: User) -> None:
    client = logged_in(gis_admin_a)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    page = index.content.decode()
    assert reverse("admin:importers_source_changelist") in page
    assert reverse("admin:locations_location_changelist") not in page
    assert client.get(reverse("admin:importers_source_add")).status_code == 200
    assert client.get(reverse("admin:importers_importrun_changelist")).status_code == 200
    # Nothing beyond the importer screens: users, roles, owners and locations stay closed.
    for name in ("accounts_user", "accounts_membership", "owners_owner", "locations_location"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403, name


def test_a_gis_admin_may_not_delete_a_source(gis_admin_a: User, owner_a: Owner) -> None:
    source = Source.objects.create(owner=owner_a, name="bron", kind="file", location="/a.gpkg")
    response = logged_in(gis_admin_a).post(reverse("admin:importers_source_delete", args=[source.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Source.objects.filter(pk=source.pk).exists()


def test_removing_the_membership_closes_the_admin(gis_admin_a: User) -> None:
    client = logged_in(gis_admin_a)
    assert client.get(reverse("admin:index")).status_code == 200
    Membership.objects.filter(user=gis_admin_a).delete()
    response = client.get(reverse("admin:importers_source_changelist"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    assert User.objects.get(pk=gis_admin_a.pk).get_all_permissions() == set()


def test_a_regisseur_and_a_resident_are_not_let_in(regisseur_a: User, resident: User) -> None:
    for user in (regisseur_a, resident):
        response = logged_in(user).get(reverse("admin:index"))
        assert response.status_code == 302 and reverse("admin:login") in response["Location"], user
        assert user.get_all_permissions() == set()


def test_an_inactive_gis_admin_is_not_let_in(gis_admin_a: User) -> None:
    client = logged_in(gis_admin_a)
    User.objects.filter(pk=gis_admin_a.pk).update(is_active=False)
    assert client.get(reverse("admin:index")).status_code == 302
    assert User.objects.get(pk=gis_admin_a.pk).get_all_permissions() == set()


def test_the_admin_login_page_lets_in_a_gis_admin_and_refuses_a_regisseur(gis_admin_a: User, regisseur_a: User) -> None:
    client = Client()
    assert 'name="next" value="/admin/"' in client.get(reverse("admin:login")).content.decode()
    response = client.post(
        reverse("admin:login"),
        {"username": gis_admin_a.username, "password": "pw-" + gis_admin_a.username * 2, "next": "/admin/"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200
    refused = Client().post(
        reverse("admin:login"), {"username": regisseur_a.username, "password": "pw-" + regisseur_a.username * 2}
    )
    assert refused.status_code == 200
    assert "_auth_user_id" not in refused.wsgi_request.session


def test_the_header_links_the_admin_for_who_may_use_it(gis_admin_a: User, regisseur_a: User) -> None:
    link = f'href="{reverse("admin:index")}"'
    assert link in logged_in(gis_admin_a).get("/").content.decode()
    assert (
        link
        in logged_in(User.objects.create_superuser("ops", "ops@example.org", "ops-password")).get("/").content.decode()
    )
    assert link not in logged_in(regisseur_a).get("/").content.decode()
    assert link not in Client().get("/").content.decode()


def test_a_run_s_progress_report_and_diff_need_the_view_permission(owner_a: Owner) -> None:
    """Staff without the importer permissions enter the admin, but not a run's own pages."""
    staff = User.objects.create_user("medewerker", password="pw-medewerker", is_staff=True)
    source = Source.objects.create(owner=owner_a, name="bron", kind="file", location="/a.gpkg")
    run = ImportRun.objects.create(source=source, status=ImportRun.Status.SUCCEEDED)
    client = logged_in(staff)
    for name in ("progress", "issues", "diff"):
        assert client.get(reverse(f"admin:importers_importrun_{name}", args=[run.pk])).status_code == 403, name
