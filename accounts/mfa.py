"""Staff second factor (django-otp): one TOTP device per staff account, and one-time recovery codes.

A staff user enrols on first login: an unconfirmed TOTP device is made, its secret shown, and a right
code confirms it; the recovery codes are then made and shown once. Afterwards every login asks for a
current TOTP code or an unused recovery code. Guessing is limited by ``accounts.throttle`` (secret
``staff_otp``), which the views call around these functions; django-otp's own back-off is off.
"""

from __future__ import annotations

import logging
from base64 import b32encode
from dataclasses import dataclass

import django_otp
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import User

logger = logging.getLogger("security")

RECOVERY_CODES = 10


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    recovery_codes: list[str]  # in clear only here: shown once, stored by django-otp


def has_confirmed_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed TOTP device the user is enrolling (made on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="staff", confirmed=False)


def shown_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it typed in: base32, in groups of four."""
    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def confirm_enrolment(*, user: User, token: str, actor: audit.Actor) -> Enrolment | None:
    """Confirm the pending TOTP device with a current ``token``. On success the user's recovery codes are made
    afresh (earlier ones stop working), the enrolment is audited, and the device and codes are returned (the
    codes to be shown once); a wrong code returns None."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        if device is None or not device.verify_token(_digits(token)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        StaticDevice.objects.filter(user=user).delete()
        recovery = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
        audit.record(
            actor=actor,
            action="staff_mfa.enrol",
            target=user,
            customer=None,
            before=None,
            after={"totp_device": device.persistent_id, "recovery_codes": RECOVERY_CODES},
            reason="first staff login",
        )
    logger.info("staff MFA enrolled: user %s", user.pk)
    return Enrolment(device=device, recovery_codes=codes)


def verified_device(*, user: User, token: str):
    """The user's confirmed device that accepts ``token`` (a TOTP code, or a recovery code, which is then used
    up), or None. Each device is checked under a row lock (django-otp), so a code is accepted once."""
    candidates = [(device, _digits(token)) for device in TOTPDevice.objects.filter(user=user, confirmed=True)]
    candidates += [(device, _recovery(token)) for device in StaticDevice.objects.filter(user=user, confirmed=True)]
    for device, candidate in candidates:
        if candidate and django_otp.verify_token(user, device.persistent_id, candidate):
            if isinstance(device, StaticDevice):
                logger.warning("staff MFA: recovery code used by user %s (%d left)", user.pk, device.token_set.count())
            return device
    return None


def _digits(token: str) -> str:
    return "".join((token or "").split())


def _recovery(token: str) -> str:
    return "".join((token or "").split()).replace("-", "").lower()
