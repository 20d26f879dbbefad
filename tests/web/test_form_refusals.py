"""Journey 8 without a browser: bad input in every web form gets a Dutch message beside its field,
the typed text stays, nothing is stored, and no database or framework text reaches the page.

The browser test (test_journey_bad_input.py) drives a few of these forms as people do; this file
covers the long tail of fields, one case each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from django.utils.timezone import localdate

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract, ManagerSignup, Offering, TermsVersion
from gis_service.contracts.services.decisions import contract_approve
from gis_service.core import limits
from gis_service.groups.models import AgendaItem, ForumPost, ForumThread, Group, NewsPost, StatusUpdate, Task
from gis_service.groups.services import agenda_add, forum_thread_start, news_post, status_update_post, task_add
from gis_service.locations.models import Location
from gis_service.locations.services import location_change
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.contracts.factories import offered_location, sign_up
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db

# What must never reach a user: database and framework texts, Django's English defaults.
LEAKS = (
    "DETAIL:",
    "IntegrityError",
    "DataError",
    "Traceback",
    "violates check constraint",
    "value too long",
    "This field is required",
    "Enter a valid",
    "Ensure this value",
    "Select a valid choice",
    "Dit veld is verplicht. Dit veld is verplicht.",
)


def too_long(limit: int, word: str = "Lavendel") -> str:
    """A text one character over `limit`, recognisable in the page."""
    return (word + " ") * (limit // (len(word) + 1)) + "x" * (limit % (len(word) + 1) + 1)


def over(limit: int) -> str:
    return limits.too_long_message(limit, limit + 1)


@dataclass
class World:
    """Everything the forms act on, with the personas allowed to post each."""

    users: dict[str, User]
    offered: Location  # offered, a resident may sign up
    plain: Location  # of owner_a, not offered yet
    contract: Contract  # running, `resident` manages it
    flagged: Location  # ground changed under a running contract
    group: Group
    thread: ForumThread

    def client(self, persona: str) -> Client:
        return Client() if persona == "anonymous" else logged_in(self.users[persona])


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(owner_a: Owner, regisseur_a: User, resident: User, resident_two: User) -> World:
    offered = offered_location(owner=owner_a, regisseur=regisseur_a, x=1000, y=1000)
    plain = Location.objects.create(owner=owner_a, name="Nog niet aangeboden", geometry=rd_square(3000, 3000, 20))
    running = offered_location(owner=owner_a, regisseur=regisseur_a, x=0, y=0, managers_needed=1)
    contract = contract_approve(
        contract=sign_up(running, resident), by=regisseur_a,
        starts_on=localdate() - dt.timedelta(days=30), ends_on=localdate() + dt.timedelta(days=300),
    )  # fmt: skip
    flagged_location = offered_location(owner=owner_a, regisseur=regisseur_a, x=2000, y=2000, managers_needed=1)
    flagged_contract = contract_approve(contract=sign_up(flagged_location, resident_two), by=regisseur_a)
    location_change(location=flagged_contract.location, geometry=rd_square(2000, 2000, 30))
    group = Group.objects.get(contract=contract)  # made by the approval (contracts.signals)
    thread = forum_thread_start(group=group, author=resident, title="Bankje", body="Waar komt het?")
    # One row in each group table, for the database test.
    news_post(group=group, author=resident, title="Welkom", body="Fijn dat je meedoet.")
    agenda_add(
        group=group, user=resident, title="Snoeidag", starts_at=timezone.now(), description="Neem handschoenen mee."
    )
    task_add(group=group, user=resident, title="Water geven", description="Twee gieters.")
    status_update_post(group=group, author=resident, body="Het groeit.")
    users = {"resident": resident, "resident_two": resident_two, "regisseur": regisseur_a}
    return World(users, offered, plain, contract, flagged_location, group, thread)


@dataclass
class Case:
    """One form posted with bad input. `url` and `data` may depend on the world."""

    id: str
    persona: str
    url: Callable[[World], str]
    data: Callable[[World], dict[str, Any]]
    field: str  # the control's name whose neighbourhood must hold the message
    message: str
    typed: dict[str, str] = field(default_factory=dict)  # control name → text that must still be there
    stored: Callable[[World], int] | None = None  # rows that must not change
    status: int = 200
    form: str = ""  # the form's id, where a page has several forms with the same field names


LONG_MESSAGE = too_long(limits.MESSAGE)
LONG_TERMS = too_long(limits.TERMS, "Voorwaarde")
LONG_TITLE = too_long(limits.TITLE, "Titel")
OFFER = {
    "conditions": "Geen gif.",
    "offered_from": "2026-01-01",
    "offered_until": "2030-12-31",
    "budget_eur": "",
    "reward": "",
    "support_notes": "",
    "managers_needed": "3",
    "contract_months": "12",
    "terms_text": "Versie 1.",
}


def _signup_data(world: World, **extra: Any) -> dict[str, Any]:
    terms = Offering.objects.get(location=world.offered).current_terms()
    assert terms is not None
    return {"terms_version": terms.pk, "plan": "Bloemen", "accept_terms": "on", **extra}


def _signups(world: World) -> int:
    return ManagerSignup.objects.count()


def _offerings(world: World) -> int:
    return Offering.objects.count() + TermsVersion.objects.count()


def _group_rows(world: World) -> int:
    return sum(model.objects.count() for model in (NewsPost, ForumThread, ForumPost, AgendaItem, Task, StatusUpdate))


def _g(world: World, path: str) -> str:
    return f"/groepen/{world.group.pk}/{path}"


CASES = [
    # --- accounts -------------------------------------------------------------------------------
    Case("register-name-too-long", "anonymous", lambda w: "/account/aanmaken/",
         lambda w: {"name": "N" * 151, "email": "nieuw@example.org", "password": "een-goed-wachtwoord-9"},
         "name", "Gebruik hoogstens 150 tekens.", {"name": "N" * 151, "email": "nieuw@example.org"}),
    Case("register-email-invalid", "anonymous", lambda w: "/account/aanmaken/",
         lambda w: {"name": "Nel", "email": "nel-at-example", "password": "een-goed-wachtwoord-9"},
         "email", "Dit is geen geldig e-mailadres.", {"name": "Nel", "email": "nel-at-example"}),
    Case("register-password-empty", "anonymous", lambda w: "/account/aanmaken/",
         lambda w: {"name": "Nel", "email": "nel@example.org", "password": ""},
         "password", "Kies een wachtwoord.", {"name": "Nel", "email": "nel@example.org"}),
    Case("login-empty", "anonymous", lambda w: "/accounts/login/", lambda w: {"username": "riet", "password": ""},
         "password", "Dit veld is vereist.", {"username": "riet"}),
    Case("password-reset-email-invalid", "anonymous", lambda w: "/accounts/password_reset/",
         lambda w: {"email": "geen-adres"}, "email", "e-mailadres", {"email": "geen-adres"}),
    Case("account-name-too-long", "resident", lambda w: "/account/",
         lambda w: {"name": "N" * 151, "email": "resident_one@example.org", "phone": "06 1234"},
         "name", "Gebruik hoogstens 150 tekens.", {"name": "N" * 151, "phone": "06 1234"}),
    Case("account-phone-too-long", "resident", lambda w: "/account/",
         lambda w: {"name": "Riet", "email": "resident_one@example.org", "phone": "0" * 33},
         "phone", "Gebruik hoogstens 32 tekens.", {"name": "Riet", "phone": "0" * 33}),
    Case("password-change-wrong-old", "resident", lambda w: "/account/wachtwoord/",
         lambda w: {"old_password": "fout", "new_password1": "een-goed-wachtwoord-9",
                    "new_password2": "een-goed-wachtwoord-9"},
         "old_password", "wachtwoord"),
    Case("account-delete-empty", "resident", lambda w: "/account/verwijderen/", lambda w: {"password": ""},
         "password", "Vul je wachtwoord in"),
    # --- sign-up and terms ----------------------------------------------------------------------
    Case("signup-plan-too-long", "resident_two", lambda w: f"/locaties/{w.offered.pk}/aanmelden/",
         lambda w: _signup_data(w, plan=LONG_MESSAGE), "plan", over(limits.MESSAGE),
         {"plan": LONG_MESSAGE}, _signups),
    Case("signup-plan-empty", "resident_two", lambda w: f"/locaties/{w.offered.pk}/aanmelden/",
         lambda w: _signup_data(w, plan="  "), "plan", "Vertel wat je op deze plek wilt doen.", {}, _signups),
    Case("signup-terms-not-accepted", "resident_two", lambda w: f"/locaties/{w.offered.pk}/aanmelden/",
         lambda w: {k: v for k, v in _signup_data(w, plan="Bankje").items() if k != "accept_terms"},
         "accept_terms", "Vink aan dat je akkoord gaat", {"plan": "Bankje"}, _signups),
    # --- the regisseur's offering pages ---------------------------------------------------------
    Case("offer-conditions-too-long", "regisseur", lambda w: f"/locaties/{w.plain.pk}/aanbieden/",
         lambda w: {**OFFER, "conditions": LONG_TERMS}, "conditions", over(limits.TERMS),
         {"conditions": LONG_TERMS}, _offerings),
    Case("offer-terms-too-long", "regisseur", lambda w: f"/locaties/{w.plain.pk}/aanbieden/",
         lambda w: {**OFFER, "terms_text": LONG_TERMS}, "terms_text", over(limits.TERMS),
         {"terms_text": LONG_TERMS}, _offerings),
    Case("offer-period-reversed", "regisseur", lambda w: f"/locaties/{w.plain.pk}/aanbieden/",
         lambda w: {**OFFER, "offered_from": "2027-05-01", "offered_until": "2027-04-01"}, "offered_until",
         "Het einde van de aanbiedingsperiode ligt vóór het begin.", {"conditions": "Geen gif."}, _offerings),
    Case("offer-budget-not-a-number", "regisseur", lambda w: f"/locaties/{w.plain.pk}/aanbieden/",
         lambda w: {**OFFER, "budget_eur": "veel"}, "budget_eur", "Voer een getal in.", {"budget_eur": "veel"},
         _offerings),
    Case("offer-date-not-a-date", "regisseur", lambda w: f"/locaties/{w.plain.pk}/aanbieden/",
         lambda w: {**OFFER, "offered_from": "volgende week"}, "offered_from", "Voer een geldige datum in.",
         {"offered_from": "volgende week"}, _offerings),
    Case("offer-no-managers", "regisseur", lambda w: f"/locaties/{w.plain.pk}/aanbieden/",
         lambda w: {**OFFER, "managers_needed": "0"}, "managers_needed", "1", {}, _offerings),
    Case("offer-edit-reward-too-long", "regisseur", lambda w: f"/locaties/{w.offered.pk}/aanbod/",
         lambda w: {**OFFER, "reward": "R" * 256}, "reward", over(limits.REWARD), {"reward": "R" * 256}),
    Case("offer-edit-support-notes-too-long", "regisseur", lambda w: f"/locaties/{w.offered.pk}/aanbod/",
         lambda w: {**OFFER, "support_notes": LONG_MESSAGE}, "support_notes", over(limits.MESSAGE),
         {"support_notes": LONG_MESSAGE}),
    Case("new-terms-too-long", "regisseur", lambda w: f"/locaties/{w.offered.pk}/aanbod/voorwaarden/",
         lambda w: {"text": LONG_TERMS}, "text", over(limits.TERMS), {"text": LONG_TERMS}, _offerings),
    Case("new-terms-empty", "regisseur", lambda w: f"/locaties/{w.offered.pk}/aanbod/voorwaarden/",
         lambda w: {"text": ""}, "text", "Dit veld is vereist.", {}, _offerings),
    Case("stop-reason-too-long", "regisseur", lambda w: f"/locaties/{w.offered.pk}/aanbod/stoppen/",
         lambda w: {"reason": LONG_MESSAGE}, "reason", over(limits.MESSAGE), {"reason": LONG_MESSAGE}),
    # --- contracts ------------------------------------------------------------------------------
    Case("contract-end-reason-too-long", "resident", lambda w: f"/contracten/{w.contract.pk}/beeindigen/",
         lambda w: {"reason": LONG_MESSAGE}, "reason", over(limits.MESSAGE), {"reason": LONG_MESSAGE}),
    Case("contract-end-reason-empty", "regisseur", lambda w: f"/contracten/{w.contract.pk}/beeindigen/",
         lambda w: {"reason": " "}, "reason", "Geef een reden voor het beëindigen."),
    Case("contract-renew-not-a-date", "regisseur", lambda w: f"/contracten/{w.contract.pk}/verlengen/",
         lambda w: {"ends_on": "31-02-2030"}, "ends_on", "Voer een geldige datum in.", {"ends_on": "31-02-2030"}),
    Case("ground-end-reason-too-long", "regisseur", lambda w: f"/regisseur/grond/{w.flagged.pk}/",
         lambda w: {"resolution": "end", "reason": LONG_MESSAGE}, "reason", over(limits.MESSAGE),
         {"reason": LONG_MESSAGE}, status=400),
    Case("ground-end-reason-empty", "regisseur", lambda w: f"/regisseur/grond/{w.flagged.pk}/",
         lambda w: {"resolution": "end", "reason": ""}, "reason", "Geef een reden voor het beëindigen.",
         status=400),
    # --- the group ------------------------------------------------------------------------------
    Case("news-title-too-long", "resident", lambda w: _g(w, "nieuws/"),
         lambda w: {"title": LONG_TITLE, "body": "Het bankje staat er."}, "title", over(limits.TITLE),
         {"title": LONG_TITLE, "body": "Het bankje staat er."}, _group_rows, 400, "news-form"),
    Case("news-body-too-long", "resident", lambda w: _g(w, "nieuws/"),
         lambda w: {"title": "Bankje", "body": LONG_MESSAGE}, "body", over(limits.MESSAGE),
         {"title": "Bankje", "body": LONG_MESSAGE}, _group_rows, 400, "news-form"),
    Case("news-body-empty", "resident", lambda w: _g(w, "nieuws/"),
         lambda w: {"title": "Bankje", "body": ""}, "body", "Dit veld is vereist.", {"title": "Bankje"},
         _group_rows, 400, "news-form"),
    Case("thread-title-too-long", "resident_two", lambda w: _g(w, "forum/"),
         lambda w: {"title": LONG_TITLE, "body": "Vraag"}, "title", over(limits.TITLE),
         {"title": LONG_TITLE, "body": "Vraag"}, _group_rows, 400, "thread-form"),
    Case("reply-too-long", "resident_two", lambda w: _g(w, f"forum/{w.thread.pk}/"),
         lambda w: {"body": LONG_MESSAGE}, "body", over(limits.MESSAGE), {"body": LONG_MESSAGE},
         _group_rows, 400, "reply-form"),
    Case("agenda-not-a-moment", "resident", lambda w: _g(w, "agenda/"),
         lambda w: {"title": "Snoeidag", "starts_at": "zaterdag", "place": "Bij de bank"}, "starts_at",
         "Voer een geldige datum/tijd in.", {"title": "Snoeidag", "starts_at": "zaterdag", "place": "Bij de bank"},
         _group_rows, 400, "agenda-form"),
    Case("agenda-place-too-long", "resident", lambda w: _g(w, "agenda/"),
         lambda w: {"title": "Snoeidag", "starts_at": "2030-05-01T10:00", "place": LONG_TITLE}, "place",
         over(limits.TITLE), {"title": "Snoeidag", "place": LONG_TITLE}, _group_rows, 400, "agenda-form"),
    Case("task-description-too-long", "resident", lambda w: _g(w, "taken/"),
         lambda w: {"title": "Snoeien", "description": LONG_MESSAGE}, "description", over(limits.MESSAGE),
         {"title": "Snoeien", "description": LONG_MESSAGE}, _group_rows, 400, "task-form"),
    Case("update-body-too-long", "resident", lambda w: _g(w, "updates/"),
         lambda w: {"body": LONG_MESSAGE}, "body", over(limits.MESSAGE), {"body": LONG_MESSAGE},
         _group_rows, 400, "update-form"),
    Case("update-not-a-photo", "resident", lambda w: _g(w, "updates/"),
         lambda w: {"body": "Kijk!", "photos": SimpleUploadedFile("foto.jpg", b"%PDF-1.4 geen foto", "image/jpeg")},
         "photos", "Dit bestand is geen foto", {"body": "Kijk!"}, _group_rows, 400, "update-form"),
    Case("update-empty", "resident", lambda w: _g(w, "updates/"),
         lambda w: {"body": ""}, "body", "Schrijf iets of voeg een foto toe.", {}, _group_rows, 400, "update-form"),
]  # fmt: skip


def _control(document: Any, form: str, name: str) -> Any:
    scope = f"//form[@id='{form}']" if form else "//form"
    (control,) = document.xpath(f"{scope}//*[@name='{name}']")
    return control


def control_text(document: Any, form: str, name: str) -> str:
    control = _control(document, form, name)
    return (control.text or "") if control.tag == "textarea" else control.get("value", "")


def message_beside(document: Any, form: str, name: str, message: str) -> bool:
    """Whether `message` is in the control's own block: its parent or grandparent, never the whole form."""
    control = _control(document, form, name)
    block = control.getparent()
    for _ in range(2):
        if block is None or block.tag == "form":
            return False
        if message in block.text_content():
            return True
        block = block.getparent()
    return False


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_refused_beside_the_field_with_the_text_kept(case: Case, world: World) -> None:
    before = case.stored(world) if case.stored else None
    response = world.client(case.persona).post(case.url(world), case.data(world))
    assert response.status_code == case.status, response.content.decode()[:2000]
    page = response.content.decode()
    assert 'lang="nl"' in page
    for leak in LEAKS:
        assert leak not in page, leak
    document = lxml.html.fromstring(page)
    assert message_beside(document, case.form, case.field, case.message), (case.message, page[:3000])
    for name, text in case.typed.items():
        assert control_text(document, case.form, name).strip() == text.strip(), name
    if case.stored:
        assert case.stored(world) == before


def test_line_breaks_count_once_as_the_browser_counts_them(world: World) -> None:
    """A textarea posts CRLF; a text at the limit as the browser counted it is accepted."""
    body = "regel\r\n" * (limits.MESSAGE // 6 - 1) + "!"
    assert len(body.replace("\r\n", "\n")) <= limits.MESSAGE < len(body)
    response = world.client("resident").post(_g(world, "updates/"), {"body": body})
    assert response.status_code == 302
    assert StatusUpdate.objects.latest("id").body == body.replace("\r\n", "\n").strip()


def test_every_free_text_field_of_the_web_forms_has_a_limit() -> None:
    """A new text field without max_length would take megabytes again."""
    from django import forms as django_forms

    from gis_service.accounts import forms as account_forms
    from web import forms as web_forms

    unlimited = []
    for module in (web_forms, account_forms):
        for name, form in vars(module).items():
            if not (isinstance(form, type) and issubclass(form, django_forms.Form)):
                continue
            for field_name, form_field in form.base_fields.items():
                kind = type(form_field)
                is_text = kind in (django_forms.CharField, web_forms.TextField, django_forms.EmailField)
                if is_text and form_field.max_length is None and "password" not in field_name:
                    unlimited.append(f"{name}.{field_name}")
    assert unlimited == []


# --- the dashboard's decisions go through the API ---------------------------------------------


def test_a_too_long_rejection_reason_is_refused_by_field_in_dutch(
    owner_a: Owner, regisseur_a: User, resident: User
) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a, x=5000, y=5000, managers_needed=1)
    contract = sign_up(location, resident)
    response = logged_in(regisseur_a).post(
        f"/api/contracts/{contract.pk}/reject/", {"reason": LONG_MESSAGE}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"reason": [over(limits.MESSAGE)]}
    assert Contract.objects.get(pk=contract.pk).status == Contract.Status.OPEN


# --- the database holds the same limits -------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column", "limit"),
    [
        ("contracts_offering", "conditions", limits.TERMS),
        ("contracts_offering", "support_notes", limits.MESSAGE),
        ("contracts_contract", "end_reason", limits.MESSAGE),
        ("contracts_contract", "rejection_reason", limits.MESSAGE),
        ("contracts_managersignup", "plan", limits.MESSAGE),
        ("groups_newspost", "body", limits.MESSAGE),
        ("groups_forumpost", "body", limits.MESSAGE),
        ("groups_agendaitem", "description", limits.MESSAGE),
        ("groups_task", "description", limits.MESSAGE),
        ("groups_statusupdate", "body", limits.MESSAGE),
        ("groups_group", "description", limits.MESSAGE),
    ],
)
def test_the_database_refuses_what_the_services_refuse(world: World, table: str, column: str, limit: int) -> None:
    """Bulk SQL or a future path around the services still cannot store more."""
    from django.db import IntegrityError, transaction

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} LIMIT 1")  # noqa: S608 - names from the list above
        row = cursor.fetchone()
        assert row is not None, table
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", ["x" * limit, row[0]])  # noqa: S608
        with pytest.raises(IntegrityError, match="length"), transaction.atomic():
            cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", ["x" * (limit + 1), row[0]])  # noqa: S608


# --- the GIS admin's source form in the admin ---------------------------------------------------

SOURCE = {
    "owner": "",
    "name": "Groen",
    "kind": "file",
    "location": "",
    "layer": "",
    "crs": "",
    "id_field": "guid",
    "name_field": "",
    "type_field": "",
    "keep_fields": "[]",
    "where": "",
    "sync_interval_minutes": "",
}


@pytest.mark.parametrize(
    ("changes", "field", "message", "kept"),
    [
        ({}, "location", "Geef een pad of URL, of upload een bestand.", {"name": "Groen", "id_field": "guid"}),
        ({"name": "G" * 101}, "name", "niet meer dan 100 tekens", {"name": "G" * 101}),
        ({"sync_interval_minutes": "elk uur"}, "sync_interval_minutes", "Voer een geheel getal in.",
         {"sync_interval_minutes": "elk uur", "name": "Groen"}),
        ({"upload": SimpleUploadedFile("groen.zip", b"geen zip", "application/zip")}, "upload", "zip",
         {"name": "Groen", "id_field": "guid"}),
    ],
    ids=["nothing-to-read", "name-too-long", "interval-not-a-number", "not-a-zip"],
)  # fmt: skip
def test_the_source_form_refuses_bad_input_beside_the_field(
    gis_admin_a: User, owner_a: Owner, changes: dict[str, Any], field: str, message: str, kept: dict[str, str]
) -> None:
    from importers.models import Source

    response = logged_in(gis_admin_a).post("/admin/importers/source/add/", {**SOURCE, "owner": owner_a.pk, **changes})
    assert response.status_code == 200
    page = response.content.decode()
    for leak in LEAKS:
        assert leak not in page, leak
    document = lxml.html.fromstring(page)
    (row,) = document.xpath(f"//*[contains(concat(' ', @class, ' '), ' field-{field} ')]")
    errors = " ".join(e.text_content() for e in row.xpath(".//*[contains(@class, 'errorlist')]"))
    assert message in errors, (errors, page[:3000])
    for name, text in kept.items():
        (control,) = document.xpath(f"//form//*[@name='{name}']")
        assert control.get("value", "") == text, name
    assert not Source.objects.exists()
    # Every label is Dutch: the owner's was Django's "Owner" from the field name.
    labels = [label.text_content().strip() for label in document.xpath("//form//label")]
    assert "Eigenaar:" in labels and not any(label.startswith("Owner") for label in labels)


def test_setting_a_new_password_refuses_two_different_ones_beside_the_field(resident: User) -> None:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    client = Client()
    uid = urlsafe_base64_encode(force_bytes(resident.pk))
    link = client.get(f"/accounts/reset/{uid}/{default_token_generator.make_token(resident)}/")
    assert link.status_code == 302  # Django moves the token into the session first
    response = client.post(link["Location"], {"new_password1": "een-goed-wachtwoord-9", "new_password2": "anders-9"})
    assert response.status_code == 200
    page = response.content.decode()
    for leak in LEAKS:
        assert leak not in page, leak
    assert message_beside(
        lxml.html.fromstring(page), "", "new_password2", "De twee wachtwoordvelden komen niet overeen."
    )
    resident.refresh_from_db()
    assert resident.check_password("pw-" + resident.username * 2)


def test_accepting_new_terms_without_the_box_is_refused_beside_it(world: World, regisseur_a: User) -> None:
    from gis_service.contracts.services.offering import terms_publish

    offering = Offering.objects.get(location=world.contract.location)
    version = terms_publish(offering=offering, text="Versie 2: ook de haag.", by=regisseur_a)
    client = world.client("resident")
    response = client.post(f"/locaties/{world.contract.location_id}/voorwaarden/", {"terms_version": version.pk})
    page = response.content.decode()
    assert response.status_code == 200
    for leak in LEAKS:
        assert leak not in page, leak
    assert message_beside(lxml.html.fromstring(page), "", "accept_terms", "Vink aan dat je akkoord gaat")
    assert not version.acceptances.exists()
