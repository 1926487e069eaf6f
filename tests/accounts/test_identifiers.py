import pytest

from accounts.identifiers import (
    CIF,
    NIE,
    NIF,
    PASSPORT,
    CompanyIdentifier,
    InvalidIdentifier,
    parse_cups,
    parse_holder_id,
    parse_personal_id,
)


@pytest.mark.parametrize(
    "raw, kind, value",
    [
        ("12345678Z", NIF, "12345678Z"),
        ("12.345.678-z", NIF, "12345678Z"),
        (" x1234567l ", NIE, "X1234567L"),
        ("PAA123456", PASSPORT, "PAA123456"),
        ("K1234567L", NIF, "K1234567L"),
    ],
)
def test_personal_ids_are_normalised(raw, kind, value):
    parsed = parse_personal_id(raw)
    assert (parsed.kind, parsed.value) == (kind, value)


@pytest.mark.parametrize("raw", ["12345678A", "X1234567A", "", "ABC", "12345", "!!!!!!!", "B1234567X"])
def test_malformed_personal_ids_are_refused(raw):
    with pytest.raises(InvalidIdentifier):
        parse_personal_id(raw)


def test_a_cif_is_refused_as_personal_id_with_its_own_error():
    with pytest.raises(CompanyIdentifier):
        parse_personal_id("B12345674")


def test_holder_id_accepts_cif_and_nif():
    assert parse_holder_id("b-12345674").kind == CIF
    assert parse_holder_id("12345678Z").kind == NIF
    with pytest.raises(InvalidIdentifier):
        parse_holder_id("B12345675")


def test_cups_check_letters():
    from backoffice.demo import make_cups

    good = make_cups(42)
    assert parse_cups(good.lower()) == good
    with pytest.raises(InvalidIdentifier):
        parse_cups(good[:-2] + ("AA" if good[-2:] != "AA" else "BB"))
