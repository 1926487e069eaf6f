"""Spanish identifiers: normalise and classify with python-stdnum, never by hand."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.es import cif as es_cif
from stdnum.es import cups as es_cups
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.es import nif as es_nif

NIF = "nif"
NIE = "nie"
PASSPORT = "passport"
CIF = "cif"

_SEPARATORS = re.compile(r"[\s.\-/]")
_NIF_SHAPE = re.compile(r"^[0-9]{8}[A-Z]$")
_NIE_SHAPE = re.compile(r"^[XYZ][0-9]{7}[A-Z]$")
_CIF_SHAPE = re.compile(r"^[ABCDEFGHJNPQRSUVW][0-9]{7}[0-9A-Z]$")
_PASSPORT_SHAPE = re.compile(r"^(?=.*[0-9])[A-Z0-9]{6,9}$")


class InvalidIdentifier(ValueError):
    """The text is not a well-formed identifier of the expected kind."""


class CompanyIdentifier(InvalidIdentifier):
    """A CIF was given where a personal identifier is required."""


@dataclass(frozen=True)
class Identifier:
    kind: str
    value: str


def compact(raw: str) -> str:
    return _SEPARATORS.sub("", raw or "").upper()


def parse_personal_id(raw: str) -> Identifier:
    """A person's NIF, NIE or passport number, normalised.

    Raises CompanyIdentifier for a CIF and InvalidIdentifier for anything else
    that is not a valid personal identifier (a NIF or NIE with a wrong check
    letter is malformed, not a passport).
    """
    value = compact(raw)
    if _NIF_SHAPE.match(value):
        if es_dni.is_valid(value):
            return Identifier(NIF, value)
        raise InvalidIdentifier(value)
    if _NIE_SHAPE.match(value):
        if es_nie.is_valid(value):
            return Identifier(NIE, value)
        raise InvalidIdentifier(value)
    if value[:1] in "KLM" and es_nif.is_valid(value):
        return Identifier(NIF, value)
    if _CIF_SHAPE.match(value):
        if es_cif.is_valid(value):
            raise CompanyIdentifier(value)
        raise InvalidIdentifier(value)
    if _PASSPORT_SHAPE.match(value):
        return Identifier(PASSPORT, value)
    raise InvalidIdentifier(value)


def parse_holder_id(raw: str) -> Identifier:
    """A contract holder's tax id: a company's CIF or a person's NIF/NIE."""
    value = compact(raw)
    if es_cif.is_valid(value) and _CIF_SHAPE.match(value):
        return Identifier(CIF, value)
    if es_dni.is_valid(value) and _NIF_SHAPE.match(value):
        return Identifier(NIF, value)
    if es_nie.is_valid(value) and _NIE_SHAPE.match(value):
        return Identifier(NIE, value)
    raise InvalidIdentifier(value)


def parse_cups(raw: str) -> str:
    value = compact(raw)
    if not es_cups.is_valid(value):
        raise InvalidIdentifier(value)
    return es_cups.compact(value)


def mask_id_number(value: str) -> str:
    """An id number as shown to people who may not see it whole: only its last three characters."""
    value = value or ""
    return "•" * max(len(value) - 3, 0) + value[-3:]


def mask_email(value: str) -> str:
    """An e-mail address as told to someone who may not read it whole: its first letter and its domain."""
    local, _, domain = (value or "").partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "•••"
