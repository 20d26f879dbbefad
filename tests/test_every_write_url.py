"""Every write of every URL the resolver knows (pages, API, feed, admin), so that a URL added later
cannot slip by: refused to an anonymous visitor, refused to a logged-in session without its CSRF
token, and in both cases nothing written to the database. What each role may do is the matrices'
work (tests/api/test_*_permissions.py); test_every_api_write_is_in_a_matrix keeps them complete."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from gis_service.accounts.models import User
from gis_service.budgets.models import Expense, Grant
from gis_service.contracts.models import Contract, ManagerSignup, TermsVersion
from gis_service.groups.models import (
    AgendaItem,
    ForumPost,
    ForumThread,
    Group,
    HourEntry,
    NewsPost,
    Photo,
    StatusUpdate,
    Task,
)
from gis_service.initiatives.models import HelpOffer, Initiative, InitiativePost
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from gis_service.support.models import LedgerEntry, Supporter, SupporterApplication, SupportRequest
from importers.models import ImportRun, Source

WRITES = ("post", "put", "patch", "delete")

# Routes anyone may write to, each with why; an anonymous visitor gets their own answer there
# (a form with its errors, a 400), but still nothing is written for an empty request.
ANYONE = {
    "accounts/login/": "logging in",
    "accounts/password_reset/": "asking for a new password",
    "accounts/reset/<uidb64>/<token>/": "setting it by the mailed link",
    "account/aanmaken/": "registering",
    "account/bevestigen/<str:token>/": "confirming by the mailed link",
    "account/e-mailadres/<str:token>/": "confirming a new address by the mailed link",
    "i18n/setlang/": "the language switch",
    "groepen/afmelden/<str:token>/": "one-click unsubscribe: the signed link is the proof (RFC 8058)",
    "api/unsubscribe/": "the same over the API",
    "api/overlap-check/": "the public map's overlap check",
    "api/initiatives/check/": "checking a drawn area before logging in",
    "ogc/collections/<str:collection_id>/items": "a CQL2 JSON query is a POST that reads",
    "admin/login/": "the admin's log-in",
    "accounts/logout/": "logging out",
    "admin/logout/": "the admin's logging out",
}

# Routes without CSRF protection, each with why: a session alone may not write there either.
NO_CSRF = {
    "groepen/afmelden/<str:token>/": "mail clients post the signed link without a session or token",
    "api/unsubscribe/": "the same over the API",
    "ogc/collections/<str:collection_id>/items": "CQL2 JSON queries; Part 4 writes by token only",
    "ogc/collections/<str:collection_id>/items/<str:item_id>": "Part 4 writes by token only",
    "api/overlap-check/": "reads only; a logged-in browser checks as anyone does",
    "api/initiatives/check/": "the same check for a drawn initiative",
}


def _routes(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry, prefix + str(entry.pattern))
        else:
            yield (prefix + str(entry.pattern)).replace("^", "").replace("$", ""), entry


def _format_suffix(route: str) -> bool:
    """A route DRF adds for a format suffix (`.json`): the same view as the route without it."""
    return "(?P<format>" in route or "<drf_format_suffix:" in route


def _write_routes() -> list[str]:
    """Every route the resolver knows, format suffixes aside."""
    return sorted({route for route, _ in _routes(get_resolver()) if not _format_suffix(route)})


def _ids() -> dict[str, Any]:
    """An existing object of the demo for every kind of id in a route; an API `pk` by its prefix."""
    group = Group.objects.filter(threads__isnull=False).order_by("pk").first() or Group.objects.first()
    assert group is not None

    def first(model: Any, **lookups: Any) -> str:
        row = model.objects.filter(**lookups).order_by("pk").first()
        return str(row.pk if row is not None else 1)

    owner = Owner.objects.order_by("pk").first()
    assert owner is not None
    return {
        "location_id": first(Location, offering__isnull=False),
        "group_id": str(group.pk),
        "thread_id": first(ForumThread, group=group),
        "task_id": first(Task, group=group),
        "photo_id": first(Photo),
        "initiative_id": first(Initiative),
        "post_id": first(InitiativePost),
        "forum_post_id": first(ForumPost, thread__group=group),
        "update_id": first(StatusUpdate, group=group),
        "contract_id": first(Contract),
        "owner_id": str(owner.pk),
        "user_id": first(User, username="vrijwilliger"),
        "slug": owner.slug,
        "request_id": first(SupportRequest),
        "application_id": first(SupporterApplication),
        "expense_id": first(Expense),
        "grant_id": first(Grant),
        "paper": "a4",
        "token": "niet-ondertekend",
        "uidb64": "MQ",
        "collection_id": "locations",
        "item_id": first(Location),
        "tile_matrix_set_id": "WebMercatorQuad",
        "level": "10",
        "row": "337",
        "col": "526",
        "tilematrixset_id": "WebMercatorQuad",
        "app_label": "locations",
        "object_id": first(Location),
        "id": first(User),
        "content_type_id": "1",
        "url": "x",
        "section": "locaties",
        "number": "0",
        "api": {
            "locations": first(Location),
            "terms": first(TermsVersion),
            "signups": first(ManagerSignup),
            "contracts": first(Contract),
            "initiatives": first(Initiative),
            "initiative-posts": first(InitiativePost),
            "help-offers": first(HelpOffer),
            "supporters": first(Supporter),
            "support-requests": first(SupportRequest),
            "vouchers": first(LedgerEntry),
            "grants": first(Grant),
            "expenses": first(Expense),
            "groups": str(group.pk),
            "news": first(NewsPost),
            "forum-threads": first(ForumThread),
            "forum-posts": first(ForumPost),
            "agenda": first(AgendaItem),
            "tasks": first(Task),
            "hours": first(HourEntry),
            "status-updates": first(StatusUpdate),
            "sources": first(Source),
            "runs": first(ImportRun),
        },
    }


def _path(route: str, ids: dict[str, Any]) -> str:
    """The route with its parameters filled in; an id the test does not know fails it, so that a
    new kind of URL is added here rather than skipped."""

    def value(name: str) -> str:
        if name == "pk" and route.startswith("admin/"):
            # the admin's own extra pages (an import run's diff): /admin/<app>/<model>/<pk>/…
            _admin, app_label, model_name = route.split("/")[:3]
            row = apps.get_model(app_label, model_name).objects.order_by("pk").first()
            return str(row.pk if row is not None else 1)
        if name == "pk":
            prefix = route.split("/")[1]
            assert prefix in ids["api"], f"no {prefix} id for {route}: add it to _ids()"
            return str(ids["api"][prefix])
        assert name in ids, f"no value for <{name}> in {route}: add it to _ids()"
        return str(ids[name])

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value(m.group(1)), route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), path)
    return "/" + path


def _rows_written() -> dict[str, int]:
    """Rows inserted, updated or deleted per table so far in this test's transaction, sessions aside."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
            " WHERE relname <> 'django_session'"
        )
        return {table: count for table, count in cursor.fetchall() if count}


def _send(client: Client, method: str, path: str) -> tuple[int, str, dict[str, int]]:
    """The answer's status and Location, and the rows the request wrote."""
    before = _rows_written()
    if method == "post":
        response = client.post(path, {})
    else:
        response = getattr(client, method)(path, "{}", content_type="application/json")
    after = _rows_written()
    written = {table: count - before.get(table, 0) for table, count in after.items() if count != before.get(table, 0)}
    return response.status_code, response.get("Location", ""), written


@pytest.fixture
def demo(db: None) -> dict[str, Any]:
    call_command("load_demo")
    return _ids()


def _refused_anonymously(status: int, location: str) -> bool:
    to_log_in = status == 302 and "login" in location
    return to_log_in or status in (401, 403, 404, 405)


@pytest.mark.slow
def test_no_write_url_lets_an_anonymous_visitor_change_anything(demo: dict[str, Any]) -> None:
    # CSRF checks off: this is about the view's own refusal, the next test about the token.
    client = Client()
    wrong = []
    for route in _write_routes():
        path = _path(route, demo)
        for method in WRITES:
            status, location, written = _send(client, method, path)
            if written or (route not in ANYONE and not _refused_anonymously(status, location)):
                wrong.append(f"{method.upper()} {path}: {status} {location} wrote {written}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.slow
def test_no_write_url_takes_a_session_without_its_csrf_token(demo: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="beheerder"))
    wrong = []
    for route in _write_routes():
        path = _path(route, demo)
        for method in WRITES:
            status, _location, written = _send(client, method, path)
            if written or (route not in NO_CSRF and status not in (403, 405)):
                wrong.append(f"{method.upper()} {path}: {status} wrote {written}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.slow
def test_no_page_answers_a_method_it_does_not_handle(demo: dict[str, Any]) -> None:
    """The site's own pages (web/urls.py) take GET and HEAD, and POST where a form is sent; anything
    else is a 405 naming what is allowed, to whoever asks: a PUT or DELETE answered with the page,
    as if it had done something, said nothing of what happened to the request."""
    client = Client()  # no CSRF check: the method is refused before anything else looks at it
    client.force_login(User.objects.get(username="regisseur"))
    wrong = []
    for route, pattern in _routes(get_resolver()):
        if getattr(pattern, "name", None) is None or route.startswith(("api/", "ogc", "admin/", "accounts/")):
            continue
        if resolve(_path(route, demo)).namespace != "web":
            continue
        path = _path(route, demo)
        for method in ("put", "patch", "delete"):
            status, _location, written = _send(client, method, path)
            if written or status != 405:
                wrong.append(f"{method.upper()} {path}: {status} wrote {written}")
    assert not wrong, "\n".join(wrong)


def test_every_exception_names_a_route_that_exists() -> None:
    routes = set(_write_routes())
    assert set(ANYONE) - routes == set() and set(NO_CSRF) - routes == set()


# Writes of the API that anyone, or any logged-in resident, may make: no role to refuse.
API_WRITES_FOR_EVERYONE = {
    ("post", "api/overlap-check/"),
    ("post", "api/initiatives/check/"),
    ("post", "api/initiatives/"),
}
MATRICES = [
    "tests.api.test_permissions",
    "tests.api.test_group_permissions",
    "tests.api.test_initiative_permissions",
    "tests.api.test_support_permissions",
    "tests.api.test_budget_permissions",
]


def _api_writes() -> set[tuple[str, str]]:
    """(method, route) of every write the API's views answer."""
    writes = set()
    for route, pattern in _routes(get_resolver()):
        if not route.startswith("api/") or _format_suffix(route):
            continue
        actions = getattr(pattern.callback, "actions", None)
        view = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)
        methods = list(actions) if actions else [m for m in WRITES if hasattr(view, m)]
        writes |= {(method, route) for method in methods if method in WRITES}
    return writes


def test_every_api_write_is_in_a_matrix() -> None:
    in_matrices = set()
    for name in MATRICES:
        for method, url, _body, _allowed in importlib.import_module(name).ACTIONS.values():
            if method in WRITES:
                path = re.sub(r"\{\w+\}", "1", url).split("?")[0]
                in_matrices.add((method, resolve(path).route.replace("^", "").replace("$", "")))
    assert _api_writes() - in_matrices - API_WRITES_FOR_EVERYONE == set()
    assert API_WRITES_FOR_EVERYONE - _api_writes() == set()
