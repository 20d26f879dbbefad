"""A real QGIS of 3.32 or newer (Debian 13 has 3.40) filters through the feed on the server (CQL2) and
edits through it (Part 4). Skipped where the QGIS found is older: 3.22 sends no filter and cannot edit.
`QGIS_PYTHON` names another Python with QGIS (README, *Tests*)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from rest_framework.authtoken.models import Token

from gis_service.accounts.models import Membership, User
from gis_service.locations.models import Location
from tests.ogc.conftest import Feed
from tests.ogc.qgis_client import QGIS_EDITS, QGIS_PYTHON, qgis_env, qgis_version
from tests.ogc.test_clients import live_feed, names, run

__all__ = ["live_feed"]
pytestmark = [pytest.mark.slow]

# What QGIS asks for, recorded by QGIS itself (method, URL, the Authorization header it sent).
QGIS_PRELUDE = """
import json, sys
from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsNetworkAccessManager, QgsVectorLayer
QgsApplication.setPrefixPath("/usr", True)
app = QgsApplication([], False)
app.initQgis()
sent = []
def record(request, reply):
    verb = request.attribute(request.CustomVerbAttribute)
    methods = {2: "GET", 3: "PUT", 4: "POST", 5: "DELETE"}
    method = bytes(verb).decode() if verb else methods.get(int(reply.operation()), "?")
    sent.append([method, request.url().toString(), bytes(request.rawHeader(b"Authorization")).decode()])
QgsNetworkAccessManager.setReplyPreprocessor(record)
def layer_of(base, token=""):
    uri = f"url='{base}' typename='locations' pagingEnabled='true' pageSize='3' version='OGC_API_FEATURES'"
    if token:  # QGIS's OAPIF provider sends headers only through an auth config (APIHeader), not the URI
        manager = QgsApplication.authManager()
        manager.setMasterPassword("test", True)
        config = QgsAuthMethodConfig("APIHeader")
        config.setName("zelfbeheer")
        config.setConfig("Authorization", f"Token {token}")
        manager.storeAuthenticationConfig(config)
        uri += f" authcfg='{config.id()}'"
    return QgsVectorLayer(uri, "locations", "OAPIF")
"""

QGIS_FILTER_SCRIPT = QGIS_PRELUDE + textwrap.dedent(
    """
    loaded = {}
    for name, subset in json.loads(sys.argv[2]).items():
        sent.clear()
        layer = layer_of(sys.argv[1])
        layer.setSubsetString(subset)
        found = [f["name"] for f in layer.getFeatures()] if layer.isValid() else []
        loaded[name] = {"valid": layer.isValid(), "names": found, "count": layer.featureCount(), "sent": list(sent)}
    print(json.dumps(loaded))
    """
)


def require_editing_qgis() -> None:
    version = qgis_version()
    if version < QGIS_EDITS:
        found = f"{version // 10000}.{version // 100 % 100}.{version % 100}"
        pytest.skip(f"QGIS {found} at {QGIS_PYTHON} neither sends CQL2 filters nor edits: 3.32 or newer does")


def test_qgis_filters_on_the_server_with_cql2_and_gets_exactly_the_matches(
    live_feed: tuple[str, Feed], tmp_path: Path
) -> None:
    require_editing_qgis()
    base, feed = live_feed
    cases = {
        "type": "\"type\" = 'gras'",
        "in_and_not_like": "\"type\" IN ('gras', 'haag') AND NOT \"name\" LIKE 'Plantsoen 0%'",
        "area": '"area_m2" > 500',
    }
    result = run(str(QGIS_PYTHON), "-c", QGIS_FILTER_SCRIPT, base, json.dumps(cases), env=qgis_env(tmp_path))
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    expected = {
        "type": [loc for loc in feed.current if loc.type == "gras"],
        "in_and_not_like": [
            loc for loc in feed.current if loc.type in ("gras", "haag") and not loc.name.startswith("Plantsoen 0")
        ],
        "area": [loc for loc in feed.current if loc.area_m2 > 500],
    }
    for name, locations in expected.items():
        layer = loaded[name]
        assert layer["valid"], name
        assert sorted(layer["names"]) == names(locations), name
        assert layer["count"] == len(locations), name
        items = [url for method, url, _auth in layer["sent"] if method == "GET" and "/items?" in url]
        filtered = [url for url in items if "filter=" in url]
        # every page after the first (limit=10, which reads the fields) carries the filter, in CQL2 text
        assert filtered and all("filter-lang=cql2-text" in url for url in filtered), layer["sent"]
        # pageSize 3: the pages of matches were followed by their next links, the server's cursor
        assert any("cursor=" in url for url in filtered) == (len(locations) > 3), layer["sent"]
    assert any("filter=(type %3D 'gras')" in url for _m, url, _a in loaded["type"]["sent"]), loaded["type"]["sent"]


QGIS_EDIT_SCRIPT = QGIS_PRELUDE + textwrap.dedent(
    """
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsFeature, QgsGeometry, QgsProject
    from qgis.core import QgsVectorDataProvider as Provider
    base, sessions = sys.argv[1], json.loads(sys.argv[2])
    def square(layer, x, y, size):  # drawn in RD, given to QGIS in the layer's CRS
        geometry = QgsGeometry.fromWkt(f"POLYGON(({x} {y},{x+size} {y},{x+size} {y+size},{x} {y+size},{x} {y}))")
        rd = QgsCoordinateReferenceSystem("EPSG:28992")
        geometry.transform(QgsCoordinateTransform(rd, layer.crs(), QgsProject.instance()))
        return geometry
    done = []
    for session in sessions:
        sent.clear()
        layer = layer_of(base, session["token"])
        by_name = {f["name"]: f.id() for f in layer.getFeatures()}
        editing = (Provider.AddFeatures | Provider.DeleteFeatures | Provider.ChangeAttributeValues
                   | Provider.ChangeGeometries)
        report = {"editable": layer.dataProvider().capabilities() & editing == editing, "crs": layer.crs().authid()}
        if report["editable"]:
            layer.startEditing()
            for step in session["steps"]:
                if step[0] == "add":
                    feature = QgsFeature(layer.fields())
                    for name, value in step[1].items():
                        feature.setAttribute(name, value)
                    feature.setGeometry(square(layer, *step[2]))
                    assert layer.addFeature(feature)
                elif step[0] == "rename":
                    assert layer.changeAttributeValue(by_name[step[1]], layer.fields().indexOf("name"), step[2])
                elif step[0] == "reshape":
                    assert layer.changeGeometry(by_name[step[1]], square(layer, *step[2]))
                elif step[0] == "delete":
                    assert layer.deleteFeature(by_name[step[1]])
            report["committed"] = layer.commitChanges()
            report["errors"] = layer.commitErrors()
            if not report["committed"]:
                layer.rollBack()
        report["sent"] = [[method, url] for method, url, _auth in sent if method != "GET"]
        report["authorized"] = all(auth == f"Token {session['token']}" for _m, _u, auth in sent)
        done.append(report)
    print(json.dumps(done))
    """
)


def _state(exclude: set[int]) -> dict[int, tuple[Any, ...]]:
    return {
        location.pk: (location.name, location.type, location.owner_id, location.withdrawn_at, location.geometry.wkb)
        for location in Location.objects.order_by("pk")
        if location.pk not in exclude
    }


def test_qgis_adds_changes_and_deletes_locations_through_the_feed_as_the_platform_allows(
    live_feed: tuple[str, Feed], tmp_path: Path
) -> None:
    """A regisseur's edit session in QGIS (add; change a name; change a shape; delete) lands in the
    database exactly; what the API refuses (another owner's location, a location under contract) QGIS
    cannot commit either; a resident's token gets no editing at all."""
    require_editing_qgis()
    base, feed = live_feed
    regisseur = User.objects.create_user(username="regisseur_a", email="ra@example.org")
    Membership.objects.create(user=regisseur, owner=feed.owner_a, role=Membership.Role.REGISSEUR)
    resident = User.objects.create_user(username="bewoner_twee", email="b2@example.org")
    token, resident_token = (Token.objects.create(user=user).key for user in (regisseur, resident))
    renamed, reshaped, deleted = feed.locations_a[3], feed.locations_a[4], feed.locations_a[2]
    assert not deleted.contracts.exists()
    under_contract = feed.contracts[1].location  # Plantsoen 07
    untouched = _state(exclude={renamed.pk, reshaped.pk, deleted.pk})
    sessions = [
        {"token": token, "steps": [
            ["add", {"name": "Nieuw perk", "type": "gras"}, [141000, 471000, 10]],
            ["rename", renamed.name, "Plantsoen drie"],
            ["reshape", reshaped.name, [140400, 470000, 30]],
            ["delete", deleted.name],
        ]},
        {"token": token, "steps": [["rename", feed.locations_b[0].name, "Van een ander"]]},  # 403
        {"token": token, "steps": [["delete", under_contract.name]]},  # 409
        {"token": resident_token, "steps": []},
    ]  # fmt: skip
    result = run(str(QGIS_PYTHON), "-c", QGIS_EDIT_SCRIPT, base, json.dumps(sessions), env=qgis_env(tmp_path))
    edited, other_owner, contracted, by_resident = json.loads(result.stdout.strip().splitlines()[-1])

    assert edited["editable"] and edited["authorized"], edited
    assert edited["committed"], edited["errors"]
    items = f"{base}/collections/locations/items"
    assert sorted(edited["sent"]) == sorted([
        ["OPTIONS", items], ["OPTIONS", f"{items}/{feed.locations_a[0].pk}"],  # QGIS asks what it may do
        ["POST", items],
        ["PATCH", f"{items}/{renamed.pk}"],  # {"properties": {"name": …}}, a JSON merge patch
        ["PATCH", f"{items}/{reshaped.pk}"],  # {"geometry": …}, with Content-Crs
        ["DELETE", f"{items}/{deleted.pk}"],
    ]), edited["sent"]  # fmt: skip
    added = Location.objects.exclude(pk__in=untouched).exclude(pk__in=(renamed.pk, reshaped.pk))
    assert [(location.name, location.type, location.owner) for location in added] == [
        ("Nieuw perk", "gras", feed.owner_a)
    ]
    assert added[0].area_m2 == pytest.approx(100) and added[0].status == Location.NEW_STATUS
    assert added[0].geometry.extent == pytest.approx((141000, 471000, 141010, 471010), abs=0.001)
    after_rename = Location.objects.get(pk=renamed.pk)
    assert (after_rename.name, after_rename.type) == ("Plantsoen drie", renamed.type)
    assert after_rename.geometry.equals_exact(renamed.geometry, 0.001)
    after_reshape = Location.objects.get(pk=reshaped.pk)
    assert (after_reshape.name, after_reshape.type) == (reshaped.name, reshaped.type)
    assert after_reshape.geometry.extent == pytest.approx((140400, 470000, 140430, 470030), abs=0.001)
    assert not Location.objects.filter(pk=deleted.pk).exists()
    # Nothing else changed, including the refused sessions below.
    assert _state(exclude={renamed.pk, reshaped.pk, deleted.pk, added[0].pk}) == untouched

    # The API's rules hold for QGIS: another owner's location (403) and one under contract (409).
    assert not other_owner["committed"] and other_owner["sent"][-1] == ["PATCH", f"{items}/{feed.locations_b[0].pk}"]
    assert not contracted["committed"] and contracted["sent"][-1] == ["DELETE", f"{items}/{under_contract.pk}"]
    # A resident's token: OPTIONS offers no writing, so QGIS offers no editing and sends no write.
    assert not by_resident["editable"] and by_resident["authorized"], by_resident
    assert {method for method, _url in by_resident["sent"]} == {"OPTIONS"}, by_resident
