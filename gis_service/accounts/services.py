from __future__ import annotations

from django.db import transaction

from gis_service.accounts.models import Membership, User
from gis_service.owners.models import Owner


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
    membership, _ = Membership.objects.get_or_create(user=user, owner=owner, role=role)
    return membership
