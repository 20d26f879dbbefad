"""The feed decides what is public: no resident's name, e-mail address or phone number in any response."""

from __future__ import annotations

import pytest

from gis_service.accounts.models import Membership, User
from tests.ogc.conftest import Feed, OgcClient, add_workflow

SECRETS = ["Zwanette", "Quirijnsma", "zwanette.q@geheim.example", "0699887766", "Xandrijn", "xandrijn@geheim.example"]


@pytest.mark.django_db
def test_no_personal_data_in_any_collection_item_or_format(ogc: OgcClient, feed: Feed) -> None:
    resident = User.objects.create_user(
        username="zwanette", first_name="Zwanette", last_name="Quirijnsma",
        email="zwanette.q@geheim.example", phone="0699887766", password="x-" * 8,
    )  # fmt: skip
    regisseur = User.objects.create_user(
        username="xandrijn", first_name="Xandrijn", email="xandrijn@geheim.example", phone="0611223344"
    )
    Membership.objects.create(user=regisseur, owner=feed.owner_a, role=Membership.Role.REGISSEUR)
    feed.owner_a.contact_email = "xandrijn@geheim.example"
    feed.owner_a.save()
    add_workflow(feed, resident)
    location = feed.locations_a[0]
    location.attributes = {"beheerder": "Zwanette Quirijnsma", "telefoon": "0699887766"}
    location.save()
    assert resident.pk and regisseur.pk

    bodies: list[bytes] = []
    for fmt in ("json", "html", "jsonld"):
        for path in ("/", "/collections", "/openapi", "/conformance"):
            bodies.append(ogc.get(path, {"f": fmt}).content)
        collections = ogc.json("/collections", {"f": "json"})["collections"]
        for collection in collections:
            cid = collection["id"]
            for path in (f"/collections/{cid}", f"/collections/{cid}/queryables", f"/collections/{cid}/schema"):
                bodies.append(ogc.get(path, {"f": fmt}).content)
            items = ogc.get(f"/collections/{cid}/items", {"f": fmt, "limit": 10000})
            assert items.status_code == 200
            bodies.append(items.content)
            for feature in ogc.json(f"/collections/{cid}/items", {"f": "json", "limit": 10000})["features"]:
                bodies.append(ogc.get(f"/collections/{cid}/items/{feature['id']}", {"f": fmt}).content)
    text = b"\n".join(bodies).decode()
    assert "Plantsoen 00" in text and "Moestuin" in text and "Groep Plantsoen 00" in text  # the walk reached them
    for secret in SECRETS:
        assert secret not in text, f"{secret} is published"
