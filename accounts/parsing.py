"""What people type, read one way everywhere: amounts of money, personal ids and names.

Every form and service that reads an invoice total, a person's NIF/NIE/passport or a person's name calls these,
so the same input means the same thing in the customer area, the call center and the services behind them.

Amounts (``parse_amount``) are read as Spanish, Catalan and English users write them:

- ``.`` and ``,`` may each be the decimal separator; ``.``, ``,`` or a space may group thousands;
- with both ``.`` and ``,``, the last one is the decimal separator: ``1.234,56`` and ``1,234.56`` are 1234.56;
- a separator that appears more than once groups thousands: ``1.234.567`` is 1234567;
- a single ``.`` or ``,`` followed by exactly three digits groups thousands (an amount in euros has at most two
  decimals, so ``1.234`` and ``1,234`` are both 1234, never 1.234); with one or two digits after it, it is the
  decimal separator (``120,5`` is 120.50);
- thousands groups have exactly three digits after a first group of one to three (``12.34`` is 12.34, but
  ``12.34.56`` is malformed);
- an optional ``€`` before or after the number, with or without a space.

Refused, each with its code (``InvalidAmount.code``): empty input, a negative amount, more than two decimals,
non-finite values (NaN, infinity), more than twelve digits before the decimals, letters and any other shape. The result always has two decimals.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .identifiers import CompanyIdentifier, InvalidIdentifier, parse_personal_id

AMOUNT_MAX_LENGTH = 20
MALFORMED_AMOUNT = _("Enter an amount such as 123,45.")
MALFORMED_PERSONAL_ID = _("Format de NIF, NIE o passaport incorrecte")
CIF_NOT_ALLOWED = _(
    "This is a company's CIF. Log in with the personal NIF, NIE or passport of the company's representative."
)
#: Shown on the login page, and as the error when an e-mail address is typed as one's own NIF.
NO_CIF_OR_EMAIL_LOGIN = _(
    "From now on you cannot log in with a CIF (a legal person's NIF) or with a managers' e-mail address"
)

_CENT = Decimal("0.01")
_MAX_WHOLE_DIGITS = 12  # far above any invoice, far below what Decimal's default precision holds
_CURRENCY = "€"
_MINUS = ("-", "\u2212")
_NON_FINITE = {"nan", "snan", "inf", "infinity"}
_AMOUNT_CHARACTERS = re.compile(r"[0-9 .,]+")


class InvalidAmount(ValueError):
    """The text is not an amount of money. ``code`` says why: empty, negative, too_many_decimals,
    not_finite, too_large or malformed."""

    def __init__(self, code: str, text: str = ""):
        super().__init__(f"{code}: {text!r}")
        self.code = code


def parse_amount(text: str | None) -> Decimal:
    """The non-negative amount of money ``text`` means, with two decimals; InvalidAmount otherwise (see the module)."""
    # NFKC turns no-break and narrow no-break spaces (as in "1 234,56") into plain spaces and full-width digits into ASCII.
    body = unicodedata.normalize("NFKC", text or "").strip()
    if body.startswith(_CURRENCY):
        body = body[len(_CURRENCY) :].lstrip()
    elif body.endswith(_CURRENCY):
        body = body[: -len(_CURRENCY)].rstrip()
    if not body:
        raise InvalidAmount("empty", text or "")
    if body.startswith(_MINUS):
        raise InvalidAmount("negative", text)
    if body.lstrip("+").casefold() in _NON_FINITE:
        raise InvalidAmount("not_finite", text)
    if not _AMOUNT_CHARACTERS.fullmatch(body) or not body[0].isdigit() or not body[-1].isdigit():
        raise InvalidAmount("malformed", text)

    whole, fraction = body, ""
    decimal_at = _decimal_separator_position(body)
    if decimal_at is not None:
        whole, fraction = body[:decimal_at], body[decimal_at + 1 :]
        if not fraction.isdigit():
            raise InvalidAmount("malformed", text)
        if len(fraction) > 2:
            raise InvalidAmount("too_many_decimals", text)
    digits = _ungrouped(whole)
    if digits is None:
        raise InvalidAmount("malformed", text)
    if len(digits.lstrip("0")) > _MAX_WHOLE_DIGITS:
        raise InvalidAmount("too_large", text)
    return Decimal(f"{digits}.{fraction or '0'}").quantize(_CENT)


def _decimal_separator_position(body: str) -> int | None:
    """Where the decimal separator is in ``body`` (digits and separators, a digit at each end), or None for a whole amount."""
    separators = [character for character in body if not character.isdigit()]
    if not separators:
        return None
    last = separators[-1]
    if last == " " or separators.count(last) > 1:
        return None  # "1 234", "1.234.567": only thousands groups
    position = body.rindex(last)
    if set(separators) != {last}:
        return position  # "1.234,56", "1 234,56": the last one, different from the grouping one
    head, tail = body[:position], body[position + 1 :]
    if len(tail) == 3 and 1 <= len(head) <= 3 and head[0] != "0":
        return None  # "1.234", "1,234": thousands, since an amount in euros has at most two decimals
    return position


def _ungrouped(whole: str) -> str | None:
    """The digits of the whole part, if it is plain digits or correctly grouped in thousands by one separator."""
    if whole.isdigit():
        return whole
    separators = {character for character in whole if not character.isdigit()}
    if len(separators) != 1:
        return None
    group = re.escape(separators.pop())
    if not re.fullmatch(rf"[1-9][0-9]{{0,2}}(?:{group}[0-9]{{3}})+", whole):
        return None
    return re.sub(r"[^0-9]", "", whole)


def normalise_name(raw: str | None) -> str:
    """A person's or firm's name as stored and compared: Unicode NFC, runs of white space made one space, no ends."""
    return " ".join(unicodedata.normalize("NFC", raw or "").split())


# -- for forms: the same parsers, refusing with the user's message ---------------------------------------------------------


def clean_amount(raw: str | None) -> Decimal:
    """``parse_amount`` for a form field: a ValidationError in the user's language, with the parser's code."""
    try:
        return parse_amount(raw)
    except InvalidAmount as error:
        raise ValidationError(MALFORMED_AMOUNT, code=error.code) from None


def clean_personal_id(raw: str, *, own: bool = False) -> str:
    """``parse_personal_id`` for a form field. ``own``: the person's own id, typed to log in or register, so a CIF
    gets the advice to use the representative's personal id and an e-mail address the notice that it no longer
    logs in; about someone else a CIF is just malformed."""
    if own and "@" in (raw or ""):
        raise ValidationError(NO_CIF_OR_EMAIL_LOGIN, code="email")
    try:
        return parse_personal_id(raw).value
    except CompanyIdentifier:
        if own:
            raise ValidationError(CIF_NOT_ALLOWED, code="cif") from None
        raise ValidationError(MALFORMED_PERSONAL_ID, code="malformed") from None
    except InvalidIdentifier:
        raise ValidationError(MALFORMED_PERSONAL_ID, code="malformed") from None
