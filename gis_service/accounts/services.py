"""Writes of accounts: registering, confirming an address, changing details, deleting an account.

A registered account waits, inactive, until its e-mail address is confirmed by the link we mail
(accounts.tokens); it cannot log in before. Deleting an account removes the person's data but
keeps the row, anonymised: proofs that rest on it (terms acceptances, contracts decided, posts)
stay, without the person's name.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.authtoken.models import Token

from gis_service.accounts import selectors, tokens
from gis_service.accounts.models import Membership, User
from gis_service.contracts.services.signup import manager_signups_withdraw_all
from gis_service.core import limits
from gis_service.core.links import site_url
from gis_service.core.mail import send_after_commit
from gis_service.groups.services import member_leave_all
from gis_service.owners.models import Owner
from gis_service.support.services import supporter_leave


def email_taken_message() -> str:
    # Says that the address has an account, which the form cannot hide, and nothing about it.
    return _("Er is al een account met dit e-mailadres. Log in, of vraag een nieuw wachtwoord aan.")


@transaction.atomic
def user_ensure(
    *,
    username: str,
    password: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> tuple[User, bool]:
    """The user with this username, created with these details when missing.

    An existing user is left as it is, so a changed demo password is never reset.
    """
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    user.set_password(password)
    user.save()
    return user, True


def membership_ensure(*, user: User, owner: Owner, role: str) -> Membership:
    membership, _created = Membership.objects.get_or_create(user=user, owner=owner, role=role)
    return membership


def _require_regisseur_of(owner: Owner, by: User) -> None:
    if not (by.is_authenticated and by.directs(owner.pk)):
        raise PermissionDenied(_("Alleen een regisseur van deze eigenaar mag dit."))


def professional_grant(*, owner: Owner, by: User, email: str) -> Membership:
    """The owner's regisseur makes the account with this address a professional of the owner (a
    wijkregisseur, groenadviseur, a corporation's consultant): they may offer help on its initiatives."""
    _require_regisseur_of(owner, by)
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first() if email.strip() else None
    if user is None:
        raise ValidationError(
            {"email": _("Er is geen account met dit e-mailadres; vraag de professional er een aan te maken.")}
        )
    return membership_ensure(user=user, owner=owner, role=Membership.Role.PROFESSIONAL)


def professional_revoke(*, owner: Owner, by: User, user_id: int) -> None:
    """Takes the professional role away; help already offered stays on the initiatives."""
    _require_regisseur_of(owner, by)
    Membership.objects.filter(user_id=user_id, owner=owner, role=Membership.Role.PROFESSIONAL).delete()


def _new_username() -> str:
    """A user name nobody sees or types: residents log in with their e-mail address."""
    return f"bewoner-{secrets.token_hex(6)}"


def _registration_expired(user: User) -> bool:
    assert user.pending_since is not None
    return user.pending_since < timezone.now() - timedelta(seconds=settings.ACCOUNT_CONFIRMATION_SECONDS)


def _hours(hours: int) -> str:
    # Dutch says "1 uur" and "48 uur" alike; English needs the plural.
    return ngettext("%(hours)d uur", "%(hours)d uur", hours) % {"hours": hours}


def _send_registration_mail(*, user: User, next_url: str) -> None:
    assert user.pending_since is not None
    token = tokens.registration_token(user_id=user.pk, pending_since=user.pending_since.isoformat(), next_url=next_url)
    link = site_url("web:register-confirm", token)
    hours = settings.ACCOUNT_CONFIRMATION_SECONDS // 3600
    with translation.override(user.mail_language):
        send_after_commit(
            to=[user.email],
            subject=_("Bevestig je e-mailadres voor Zelfbeheer"),
            body=_(
                "Hallo %(name)s,\n\n"
                "Je hebt een account aangemaakt op Zelfbeheer. Bevestig je e-mailadres met deze link:\n\n"
                "%(link)s\n\n"
                "De link werkt %(duration)s en één keer. Daarna log je in met je e-mailadres en wachtwoord.\n\n"
                "Heb je dit niet zelf gedaan? Dan kun je deze mail negeren; zonder bevestiging wordt er niets "
                "met je adres gedaan.\n"
            )
            % {"name": user.get_full_name() or user.email, "link": link, "duration": _hours(hours)},
        )


def _checked_details(*, name: str, email: str, phone: str = "") -> tuple[str, str, str]:
    """Address, name and phone stripped, each refused by a message naming its column's limit when
    longer (the API and commands reach the services without the forms' checks)."""
    field_length = {
        column: cast("CharField[str, str]", User._meta.get_field(column)).max_length or 0
        for column in ("first_name", "email", "phone")
    }
    return (
        limits.check_length(User.objects.normalize_email(email.strip()), "email", field_length["email"]),
        limits.check_length(name.strip(), "name", field_length["first_name"]),
        limits.check_length(phone.strip(), "phone", field_length["phone"]),
    )


@transaction.atomic
def account_register(
    *,
    name: str,
    email: str,
    password: str,
    next_url: str = "",
    send_mail: bool = True,
    language: str | None = None,
) -> User:
    """Registers a resident: an inactive account that waits for its address to be confirmed by link.

    `language` (the site's and the mail's) is by default the one the registration page was read in.

    An address of a confirmed account is refused (ValidationError on `email`). An address still
    waiting for its confirmation gets the link again and keeps the details first given (a second
    registrant must not set the password of an account the mailbox owner then confirms); one whose
    link has expired is registered anew. `send_mail` False (a mail limit was reached) registers
    without sending.
    """
    email, name, _phone = _checked_details(name=name, email=email)
    language = _checked_language(language if language is not None else _active_language())
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is not None and existing.pending_since is None:
        raise ValidationError({"email": email_taken_message()})
    if existing is not None and not _registration_expired(existing):
        if send_mail:
            _send_registration_mail(user=existing, next_url=next_url)
        return existing
    user = existing or User(username=_new_username())
    user.first_name, user.last_name, user.email = name, "", email
    user.language = language
    user.is_active = False
    user.pending_since = timezone.now()
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # registered at the same moment by another request (user_email_unique_ci)
        raise ValidationError({"email": email_taken_message()}) from None
    if send_mail:
        _send_registration_mail(user=user, next_url=next_url)
    return user


@transaction.atomic
def registration_confirm(*, token: str) -> tuple[User, str]:
    """Activates the account a registration link is for; the user and where they came from.

    Raises tokens.BadLink for a forged, expired or used link.
    """
    user, next_url = selectors.user_for_registration(token)
    # Two clicks on the link at once: the second waits here and then finds it used.
    user = User.objects.select_for_update().get(pk=user.pk)
    user, next_url = selectors.user_for_registration(token)
    user.is_active = True
    user.pending_since = None
    user.save(update_fields=["is_active", "pending_since"])
    return user, next_url


def _send_email_change_mail(*, user: User, new_email: str) -> None:
    token = tokens.email_change_token(user_id=user.pk, old_email=user.email, new_email=new_email)
    link = site_url("web:email-confirm", token)
    hours = settings.ACCOUNT_CONFIRMATION_SECONDS // 3600
    with translation.override(user.mail_language):
        send_after_commit(
            to=[new_email],
            subject=_("Bevestig je nieuwe e-mailadres voor Zelfbeheer"),
            body=_(
                "Hallo %(name)s,\n\n"
                "Je wilt dit adres gebruiken voor je account op Zelfbeheer. Bevestig het met deze link:\n\n"
                "%(link)s\n\n"
                "De link werkt %(duration)s en één keer. Tot je hem volgt, blijft je oude adres in gebruik.\n\n"
                "Heb je dit niet zelf gevraagd? Dan kun je deze mail negeren.\n"
            )
            % {"name": user.get_full_name() or new_email, "link": link, "duration": _hours(hours)},
        )


def _active_language() -> str:
    """The language of this request (LocaleMiddleware chose it), as one of LANGUAGES ("en-gb" is "en")."""
    try:
        return translation.get_supported_language_variant(translation.get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def _checked_language(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Kies een van de talen van de site.")})
    return language


def account_language_set(*, user: User, language: str) -> None:
    """Remembers the language `user` chose (the language switch): the site's and their mail's."""
    language = _checked_language(language)
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language


@transaction.atomic
def account_update(
    *,
    user: User,
    name: str,
    email: str,
    phone: str,
    share_phone: bool = False,
    send_mail: bool = True,
    language: str | None = None,
) -> bool:
    """Saves the name, phone number, whether co-managers may see it and the language (None: unchanged)
    at once; a new e-mail address only once confirmed by the link mailed to it. Whether such a
    confirmation is now awaited. ValidationError on `email` when another account has the address."""
    email, name, phone = _checked_details(name=name, email=email, phone=phone)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.first_name, user.last_name, user.phone = name, "", phone
    user.share_phone = share_phone
    if language is not None:
        user.language = _checked_language(language)
    user.save(update_fields=["first_name", "last_name", "phone", "share_phone", "language"])
    if email.lower() == user.email.lower():
        return False
    if selectors.email_taken(email, except_user_id=user.pk):
        raise ValidationError({"email": email_taken_message()})
    if send_mail:
        _send_email_change_mail(user=user, new_email=email)
    return True


@transaction.atomic
def email_change_confirm(*, token: str) -> User:
    """Sets the new address an e-mail-change link confirms. Raises tokens.BadLink for a forged,
    expired or used link, ValidationError when the address was taken by another account since."""
    user, _email = selectors.user_for_email_change(token)
    user = User.objects.select_for_update().get(pk=user.pk)  # two clicks at once: the second finds it used
    user, email = selectors.user_for_email_change(token)
    if selectors.email_taken(email, except_user_id=user.pk):
        raise ValidationError({"email": email_taken_message()})
    user.email = email
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError:  # taken at this very moment (user_email_unique_ci)
        raise ValidationError({"email": email_taken_message()}) from None
    return user


@transaction.atomic
def account_delete(*, user: User, password: str) -> None:
    """Deletes a resident's account on their own request, after asking their password again.

    The person's data go: name, e-mail address, phone, password (unusable), user name (an
    anonymous value), roles at owners, groups joined and followed, API token, current sign-ups
    as manager. The row itself stays, anonymised, because proofs rest on it that must outlive the
    person's wish (contracts.TermsAcceptance is append-only in the database): they now show who
    accepted what only as an anonymous account.
    """
    if not password or not user.check_password(password):
        raise ValidationError({"password": _("Dit wachtwoord klopt niet.")})
    user = User.objects.select_for_update().get(pk=user.pk)
    manager_signups_withdraw_all(user=user)
    member_leave_all(user=user)
    supporter_leave(user=user)
    Membership.objects.filter(user=user).delete()
    Token.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.username = f"verwijderd-{secrets.token_hex(8)}"
    user.first_name = user.last_name = user.email = user.phone = ""
    user.set_unusable_password()  # also ends the person's sessions elsewhere (the session hash changes)
    user.is_active = user.is_staff = user.is_superuser = False
    user.pending_since = None
    user.last_login = None
    user.save()
