"""Users and their roles.

Every user is a resident (bewoner). Roles tied to an owner organisation — regisseur,
GIS admin — are Memberships, so one person can direct for a gemeente and administer
GIS data for a woningcorporatie. Manager and volunteer are roles in a contract's group
and live with the contracts.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    phone = models.CharField(_("telefoon"), max_length=32, blank=True)
    # Whether co-managers of an approved contract may see the phone number; the owner's regisseurs
    # always may. Off unless the person turns it on: a number is more private than an address.
    share_phone = models.BooleanField(_("telefoon delen met medebeheerders"), default=False)
    # Set when a resident registers and cleared when they confirm their e-mail address by the
    # link we sent; until then the account is inactive and cannot log in (accounts.services).
    pending_since = models.DateTimeField(_("wacht op bevestiging sinds"), null=True, blank=True)
    # The language of the site once logged in and of every mail to this user (docs/i18n.md). Set at
    # registration to the language the page was read in, and by the language switch or the account
    # page; empty for older accounts, which then follow the browser and get mail in LANGUAGE_CODE.
    language = models.CharField(_("taal"), max_length=8, choices=settings.LANGUAGES, blank=True, default="")

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [
            # One account per mailbox, whatever the case: residents log in with their address,
            # and two registrations at once must not both get it.
            models.UniqueConstraint(Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"),
        ]

    @property
    def mail_language(self) -> str:
        """The language mail to this user is written in: their own, or the site's."""
        return self.language or settings.LANGUAGE_CODE

    def sees_every_owner(self) -> bool:
        """Platform staff read every owner's contracts, initiatives and the people in them.

        Platform staff are superusers, or staff (the flag set by a superuser) without an owner
        role; staff holding an owner role see what that role sees.
        """
        return self.is_superuser or (self.is_staff and not self.memberships.exists())

    def may_use_admin(self) -> bool:
        """Whether the admin lets this user in: platform staff, or the holder of a role that is
        granted screens there (a GIS admin: the importer screens; accounts/roles.py)."""
        from gis_service.accounts.roles import admin_roles

        if not self.is_active:
            return False
        return self.is_staff or self.memberships.filter(role__in=admin_roles()).exists()

    def owner_ids_with_role(self, role: str) -> set[int]:
        return set(self.memberships.filter(role=role).values_list("owner_id", flat=True))

    # Acting for an owner — deciding, offering, editing its locations in the feed — is holding
    # its regisseur role: the one rule, asked by services, the feed's editing and the pages.
    # Superusers get no implicit right; they give themselves the role in the admin, which shows.
    def directed_owner_ids(self) -> set[int]:
        """The owners this user acts for as regisseur."""
        return set(Membership.objects.directed_by(self).values_list("owner_id", flat=True))

    def directs(self, owner_id: int) -> bool:
        return Membership.objects.directed_by(self).filter(owner_id=owner_id).exists()

    def is_gis_admin_of(self, owner_id: int) -> bool:
        return self.memberships.filter(owner_id=owner_id, role=Membership.Role.GIS_ADMIN).exists()


class MembershipQuerySet(models.QuerySet["Membership"]):
    def directed_by(self, user: User) -> MembershipQuerySet:
        """The regisseur roles of `user`: the owners they act for (also as a subquery of owner ids)."""
        return self.filter(user=user, role=Membership.Role.REGISSEUR)


class Membership(models.Model):
    class Role(models.TextChoices):
        REGISSEUR = "regisseur", _("regisseur")
        GIS_ADMIN = "gis_admin", _("GIS-beheerder")
        # A wijkregisseur, groenadviseur or a corporation's consultant who offers help on the
        # owner's initiatives (initiatives.services.help_offer); the regisseur grants it.
        PROFESSIONAL = "professional", _("professional")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("gebruiker"))
    owner = models.ForeignKey(
        "owners.Owner", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("eigenaar")
    )
    role = models.CharField(_("rol"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("rol bij eigenaar")
        verbose_name_plural = _("rollen bij eigenaren")
        constraints = [
            models.UniqueConstraint(fields=["user", "owner", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return gettext("%(user)s — %(role)s van %(owner)s") % {
            "user": self.user,
            "role": self.get_role_display(),
            "owner": self.owner,
        }
