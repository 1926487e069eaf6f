"""Staff logins, for operators (``manage.py create_staff_user``): who may be created in which staff group.

Here rather than in ``accounts``: a staff group is one holding a staff permission of ``authority``, which itself
reads the account store.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

import authority
from accounts import audit
from accounts.audit import Actor
from accounts.models import User


class StaffUserError(Exception):
    """A staff user that cannot be created as asked; ``code`` says why, the message is for the operator."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _staff_group(name: str) -> Group | None:
    """The group called ``name`` if it is a staff group: one that holds a staff permission (``authority``)."""
    group = Group.objects.filter(name=name).first()
    if group is None:
        return None
    held = {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list("content_type__app_label", "codename")
    }
    return group if held & {authority.VERIFY, authority.SUPERVISE, authority.START_ON_BEHALF} else None


def check_new_staff_user(*, username: str, email: str, group: str) -> Group:
    """The staff group for a new staff user ``username``, or StaffUserError (bad name or address, a name taken
    already -- compared as staff log in, case-insensitively --, or a group that is not a staff group)."""
    try:
        User.username_validator(username)
    except ValidationError as error:
        raise StaffUserError("invalid_username", " ".join(error.messages)) from None
    try:
        validate_email(email)
    except ValidationError:
        raise StaffUserError("invalid_email", f"{email!r} is not an e-mail address") from None
    if User.objects.filter(username__iexact=username).exists():
        raise StaffUserError("username_taken", f"a user named {username!r} exists already")
    staff_group = _staff_group(group)
    if staff_group is None:
        raise StaffUserError("unknown_group", f"{group!r} is not a staff group (the staff groups exist after migrate)")
    return staff_group


@transaction.atomic
def create_staff_user(
    *, username: str, email: str, group: str, password: str, first_name: str = "", last_name: str = "", actor: Actor
) -> User:
    """A staff login in the staff group ``group``, with a password Django's validators accept. It has no second
    factor yet: the user enrols a TOTP device at first login (``accounts.mfa``). Audited as ``staff_user.create``."""
    username, email = username.strip(), email.strip()
    staff_group = check_new_staff_user(username=username, email=email, group=group)
    user = User(
        username=username, email=email, first_name=first_name.strip(), last_name=last_name.strip(), is_staff=True
    )
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise StaffUserError("weak_password", " ".join(error.messages)) from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # created meanwhile
        raise StaffUserError("username_taken", f"a user named {username!r} exists already") from None
    user.groups.add(staff_group)
    audit.record(
        actor=actor,
        action="staff_user.create",
        target=user,
        before=None,
        after={"username": username, "email": email, "group": staff_group.name},
        reason="staff user created",
    )
    return user
