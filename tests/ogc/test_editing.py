"""Part 4: regisseurs edit their own owner's locations with their token; nobody else writes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from gis_service.accounts.models import User
from gis_service.locations.models import Location
from tests.ogc.conftest import Feed

ITEMS = "/ogc/collections/locations/items"
RD = "http://www.opengis.net/def/crs/EPSG/0/28992"

pytestmark = pytest.mark.django_db


def square_feature(x: float, y: float, size: float = 10, **properties: Any) -> str:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return json.dumps(
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": properties}
    )


def send(
    method: str,
    path: str,
    body: str | None = None,
    token: str | None = None,
    content_type: str = "application/geo+json",
    **headers: str,
) -> Any:
    client = Client(HTTP_HOST="127.0.0.1")
    if token:
        headers["Authorization"] = f"Token {token}"
    kwargs: dict[str, Any] = {"headers": headers}
    if body is not None:
        kwargs.update(data=body, content_type=content_type)
    return getattr(client, method.lower())(path, **kwargs)


def token_of(user: User) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def test_a_regisseur_creates_replaces_updates_and_deletes_a_location(regisseur_a: User, feed: Feed) -> None:
    token = token_of(regisseur_a)
    created = send(
        "POST",
        ITEMS,
        square_feature(141000, 471000, name="Nieuw perk", type="gras"),
        token,
        **{"Content-Crs": f"<{RD}>"},
    )
    assert created.status_code == 201, created.content
    location = Location.objects.get(pk=int(created["Location"].rsplit("/", 1)[1]))
    assert (location.name, location.owner, location.area_m2) == ("Nieuw perk", feed.owner_a, pytest.approx(100))

    # The status follows from offering and contracts: a body that sets another is refused, not ignored.
    refused = send(
        "PUT",
        f"{ITEMS}/{location.pk}",
        square_feature(141000, 471000, 20, name="Groter perk", status="in beheer"),
        token,
        **{"Content-Crs": f"<{RD}>"},
    )
    assert refused.status_code == 400 and "De status volgt uit het aanbod" in refused.json()["description"]
    replaced = send(
        "PUT",
        f"{ITEMS}/{location.pk}",
        square_feature(141000, 471000, 20, name="Groter perk"),
        token,
        **{"Content-Crs": f"<{RD}>"},
    )
    assert replaced.status_code == 204, replaced.content
    location.refresh_from_db()
    assert (location.name, location.type, location.status) == ("Groter perk", "", Location.Status.UNAVAILABLE)
    assert location.area_m2 == pytest.approx(400)

    patched = send(
        "PATCH",
        f"{ITEMS}/{location.pk}",
        json.dumps({"type": "Feature", "geometry": None, "properties": {"type": "haag"}}),
        token,
    )
    assert patched.status_code == 204, patched.content
    location.refresh_from_db()
    assert (location.name, location.type) == ("Groter perk", "haag")

    deleted = send("DELETE", f"{ITEMS}/{location.pk}", token=token)
    assert deleted.status_code == 200
    assert not Location.objects.filter(pk=location.pk).exists()


def test_geometry_in_crs84_is_stored_in_rd(regisseur_a: User, feed: Feed) -> None:
    import pyproj

    lon, lat = pyproj.Transformer.from_crs(28992, 4326, always_xy=True).transform(141000, 471000)
    created = send("POST", ITEMS, square_feature(lon, lat, 0.0001, name="In graden"), token_of(regisseur_a))
    assert created.status_code == 201, created.content
    location = Location.objects.get(name="In graden")
    assert location.geometry.srid == 28992
    assert abs(location.geometry.extent[0] - 141000) < 1


def test_a_json_merge_patch_as_qgis_sends_it_changes_only_what_it_names(regisseur_a: User, feed: Feed) -> None:
    """QGIS 3.32+ PATCHes a merge patch (RFC 7396) without `"type"`: `{"properties": {...}}` for changed
    attributes, `{"geometry": ...}` with a Content-Crs for a changed shape (tests/ogc/test_qgis_filter_and_edit.py)."""
    token, location = token_of(regisseur_a), feed.locations_a[3]
    merge_patch = "application/merge-patch+json"
    renamed = send("PATCH", f"{ITEMS}/{location.pk}", json.dumps({"properties": {"name": "Plantsoen drie"}}), token,
                   merge_patch)  # fmt: skip
    assert renamed.status_code == 204, renamed.content
    ring = [[140300, 470000], [140330, 470000], [140330, 470030], [140300, 470030], [140300, 470000]]
    shape = json.dumps({"geometry": {"type": "Polygon", "coordinates": [ring]}})
    reshaped = send("PATCH", f"{ITEMS}/{location.pk}", shape, token, merge_patch, **{"Content-Crs": RD})
    assert reshaped.status_code == 204, reshaped.content
    location.refresh_from_db()
    assert (location.name, location.type, location.area_m2) == ("Plantsoen drie", "haag", pytest.approx(900))
    # A replacement (PUT) is still a whole Feature, and a PATCH that says it is something else is refused.
    assert send("PUT", f"{ITEMS}/{location.pk}", shape, token, **{"Content-Crs": RD}).status_code == 400
    collection = json.dumps({"type": "FeatureCollection", "properties": {"name": "x"}})
    assert send("PATCH", f"{ITEMS}/{location.pk}", collection, token, merge_patch).status_code == 400
    assert Location.objects.get(pk=location.pk).name == "Plantsoen drie"


def test_a_new_feature_with_every_field_null_but_its_own_is_created_as_qgis_sends_it(
    regisseur_a: User, feed: Feed
) -> None:
    """QGIS sends every field of a new feature, null where nothing was entered, the derived ones too."""
    fields = dict.fromkeys(("status", "owner", "area_m2", "offered_from", "external_id", "url", "updated"))
    created = send("POST", ITEMS, square_feature(141000, 471000, name="Nieuw perk", type="gras", **fields),
                   token_of(regisseur_a), **{"Content-Crs": RD})  # fmt: skip
    assert created.status_code == 201, created.content
    location = Location.objects.get(name="Nieuw perk")
    assert (location.owner, location.status) == (feed.owner_a, Location.NEW_STATUS)
    refused = send("POST", ITEMS, square_feature(141000, 471000, name="Ander perk", status="in beheer"),
                   token_of(regisseur_a), **{"Content-Crs": RD})  # fmt: skip
    assert refused.status_code == 400 and not Location.objects.filter(name="Ander perk").exists()


def test_anonymous_writes_answer_401(feed: Feed) -> None:
    pk = feed.locations_a[0].pk
    assert send("POST", ITEMS, square_feature(141000, 471000)).status_code == 401
    assert send("PUT", f"{ITEMS}/{pk}", square_feature(141000, 471000)).status_code == 401
    assert send("DELETE", f"{ITEMS}/{pk}").status_code == 401
    assert send("DELETE", f"{ITEMS}/{pk}", token="not-a-real-token").status_code == 401
    assert Location.objects.filter(pk=pk).exists()


def test_residents_and_other_owners_regisseurs_answer_403(
    resident: User, regisseur_b: User, gis_admin_a: User, feed: Feed
) -> None:
    location = feed.locations_a[0]
    for user in (resident, regisseur_b, gis_admin_a):
        token = token_of(user)
        assert (
            send(
                "PUT", f"{ITEMS}/{location.pk}", square_feature(1, 1, name="weg"), token, **{"Content-Crs": f"<{RD}>"}
            ).status_code
            == 403
        )
        assert send("DELETE", f"{ITEMS}/{location.pk}", token=token).status_code == 403
    assert (
        send(
            "POST", ITEMS, square_feature(1, 1, owner="aadorp"), token_of(regisseur_b), **{"Content-Crs": f"<{RD}>"}
        ).status_code
        == 403
    )
    location.refresh_from_db()
    assert location.name == "Plantsoen 00"


def test_bad_features_answer_400_and_change_nothing(regisseur_a: User, feed: Feed) -> None:
    token = token_of(regisseur_a)
    pk = feed.locations_a[0].pk
    point = json.dumps({"type": "Feature", "geometry": {"type": "Point", "coordinates": [5, 52]}, "properties": {}})
    for body in ("not json", point, square_feature(1, 1, status="verboden"), square_feature(1, 1, name=["x"])):
        assert send("PUT", f"{ITEMS}/{pk}", body, token).status_code == 400, body
    assert Location.objects.get(pk=pk).name == "Plantsoen 00"


def test_options_offers_editing_only_to_regisseurs(regisseur_a: User, resident: User, feed: Feed) -> None:
    anonymous = send("OPTIONS", ITEMS)
    assert "POST" not in anonymous["Allow"]
    editor = send("OPTIONS", ITEMS, token=token_of(regisseur_a))
    assert "POST" in editor["Allow"]
    item = send("OPTIONS", f"{ITEMS}/{feed.locations_a[0].pk}", token=token_of(regisseur_a))
    assert "PUT" in item["Allow"] and "DELETE" in item["Allow"]
    assert "POST" not in send("OPTIONS", ITEMS, token=token_of(resident))["Allow"]


def test_new_ground_edited_under_a_contract_is_flagged_and_the_regisseur_told(
    regisseur_a: User, resident: User, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.contracts.factories import active_contract

    contract = active_contract(owner=regisseur_a.memberships.get().owner, regisseur=regisseur_a, manager=resident,
                               x=141000, y=471000)  # fmt: skip
    signed = contract.geometry
    with django_capture_on_commit_callbacks() as sent:
        response = send(
            "PATCH", f"{ITEMS}/{contract.location_id}", square_feature(141000, 471000, 35), token_of(regisseur_a),
            **{"Content-Crs": f"<{RD}>"},
        )  # fmt: skip
    assert response.status_code == 204, response.content
    location = Location.objects.get(pk=contract.location_id)
    assert location.ground_changed_at is not None and location.area_m2 == pytest.approx(35 * 35)
    contract.refresh_from_db()
    assert contract.geometry.equals(signed)  # the contract keeps the ground it was signed for
    assert len(sent) == 1  # the regisseurs' e-mail, enqueued after commit


def test_an_edit_that_keeps_the_ground_flags_nothing(regisseur_a: User, resident: User) -> None:
    from tests.contracts.factories import active_contract

    contract = active_contract(owner=regisseur_a.memberships.get().owner, regisseur=regisseur_a, manager=resident,
                               x=141000, y=471000)  # fmt: skip
    body = json.dumps({"type": "Feature", "geometry": None, "properties": {"name": "Nieuwe naam"}})
    assert send("PATCH", f"{ITEMS}/{contract.location_id}", body, token_of(regisseur_a)).status_code == 204
    assert Location.objects.get(pk=contract.location_id).ground_changed_at is None
