"""Identifier extraction: separators, OCR confusions, check digits, safety."""

import random

import pytest
from stdnum.es import cif, nie, nif

from ocr.identifiers import compact, find_identifiers, find_mrz_identifiers, kind_of
from tests.ocr import corpus


def values(text, corrected=None):
    return [c.value for c in find_identifiers(text) if corrected is None or c.corrected == corrected]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("con DNI 12345678Z,", "12345678Z"),
        ("con D.N.I. 12.345.678-Z y", "12345678Z"),
        ("NIF: 12 345 678 Z.", "12345678Z"),
        ("DNI12345678Z", "12345678Z"),
        ("NIE X-1234567-L", "X1234567L"),
        ("NIE Y 1234567 X", "Y1234567X"),
        ("CIF B-12345674", "B12345674"),
        ("CIF: B12.345.674", "B12345674"),
        ("NIF ESB12345674", "B12345674"),
        ("dni 1234567L", "01234567L"),
    ],
)
def test_separators_and_forms(text, expected):
    assert expected in values(text, corrected=False)


@pytest.mark.parametrize(
    "ocr_text,expected",
    [
        ("1234567BZ", "12345678Z"),  # B read for 8
        ("I2345678Z", "12345678Z"),  # I for 1
        ("l2345678Z", "12345678Z"),  # l for 1
        ("123456782", "12345678Z"),  # 2 for Z in the letter position
        ("12345678]", "12345678Z"),  # ']' for J-like glyph -> recomputed letter
        ("X123456ZL", "X1234562L"),  # Z for 2 (valid only after correction)
        ("8-12345674", "B12345674"),  # 8 for B in CIF
        ("B1234S674", "B12345674"),  # S for 5
        ("BI2345674", "B12345674"),
        ("B12O45674", "B12045674"),  # O for 0
    ],
)
def test_ocr_confusions_are_corrected(ocr_text, expected):
    found = {c.value: c for c in find_identifiers(f"DNI {ocr_text} x")}
    if expected not in found:
        # only when the corrected value is actually valid
        assert kind_of(expected) is None
        return
    assert found[expected].corrected


def test_corrected_candidates_are_always_valid():
    rng = random.Random(5)
    alphabet = "0123456789OISBZGlXYZBJ .-"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(8, 14)))
        for c in find_identifiers(text):
            assert kind_of(c.value), (text, c)


def test_one_digit_off_is_never_found():
    rng = random.Random(1)
    for _ in range(300):
        good = corpus.make_dni(rng)
        bad = corpus.one_digit_off(good, rng)
        assert not nif.is_valid(bad)
        assert bad not in values(f"con DNI {bad} y")
        assert good not in values(f"con DNI {bad} y")  # digits differ: correction cannot reach it
        c = corpus.make_cif(rng)
        badc = corpus.one_digit_off(c, rng)
        assert badc not in values(f"CIF {badc}") and c not in values(f"CIF {badc}")


def test_generated_identifiers_validate():
    rng = random.Random(2)
    for _ in range(200):
        assert nif.is_valid(corpus.make_dni(rng))
        assert nie.is_valid(corpus.make_nie(rng))
        assert cif.is_valid(corpus.make_cif(rng))


def test_nested_digits_of_a_nie_are_not_a_dni():
    # X1234567L and 01234567L share the check letter: the DNI must not be invented
    assert values("NIE X-1234567-L") == ["X1234567L"]


def test_compact_and_kind():
    assert compact(" 12.345.678-z ") == "12345678Z"
    assert compact("1234567-L") == "01234567L"
    assert kind_of("12345678Z") == "nif"
    assert kind_of("X1234567L") == "nie"
    assert kind_of("B12345674") == "cif"
    assert kind_of("12345679Z") is None
    assert kind_of("") is None


def test_mrz():
    found = find_mrz_identifiers("IDESPBAA000589599999999R<<<<<<")
    assert [c.value for c in found] == ["99999999R"]


def test_phone_numbers_and_ibans_are_not_raw_identifiers():
    assert values("Tel. 612 345 678 / 93 123 45 67", corrected=False) == []
    assert values("IBAN ES91 2100 0418 4502 0005 1332", corrected=False) == []


def test_ocr_spacing_and_wrapping_of_printed_identifiers():
    # a dot read as a comma, a separator followed by a space, a control letter wrapped to the next line
    assert values("amb DNI/NIE 75,443.171-C, que actua", corrected=False) == ["75443171C"]
    assert values("amb NIF\nB94. 288. 321.", corrected=False) == ["B94288321"]
    assert values("con DNI/NIE Y6559228\nX, como mandatario", corrected=False) == ["Y6559228X"]
    # a line break joins only a lone control letter: two numbers on two lines stay apart
    assert values("tel 12345678\n93 1234567", corrected=False) == []


def test_a_control_letter_misread_as_another_letter_is_recomputed_from_the_body_as_corrected():
    # "X" printed, "K" read: the body read as printed decides; only ever a corrected candidate
    text = "provista del D.N.I. núm. 41029388-K, vecina de Huesca"
    assert "41029388X" in values(text, corrected=True)
    assert values(text, corrected=False) == []
    # a body that needed look-alike repairs too is not rescued twice
    assert "41029388X" not in values("D.N.I. 41O2938B-K")


def test_a_seven_read_as_a_slash_inside_an_identifier_is_corrected():
    text = "la mercantil con C.I.F. A-281/5362 y domicilio en Reus"
    assert "A28175362" in values(text, corrected=True)
    assert "A28175362" not in values(text, corrected=False)
    assert values("fecha 12/03/2015 y 28/07/2019") == []


def test_an_nie_letter_split_into_letter_and_digit_is_the_nie_not_a_dni():
    # "Y" read as "Y1": the digits after it happen to validate as a DNI (Y counts as 1), but they are no DNI
    text = "titular del permís de residència Y14810266Z, amb domicili a Lleida"
    assert "Y4810266Z" in values(text, corrected=True)
    assert "14810266Z" not in values(text, corrected=False)


def test_an_nie_z_and_a_dni_2_are_each_also_read_as_the_other_as_a_correction():
    """Z stands for 2 in an NIE's check letter, and the two look alike in some typefaces: both are valid."""
    from ocr.identifiers import find_identifiers

    assert [(c.value, c.corrected) for c in find_identifiers("NIE Z5206396Y")] == [
        ("Z5206396Y", False),
        ("25206396Y", True),
    ]
    assert [(c.value, c.corrected) for c in find_identifiers("DNI 25206396-Y")] == [
        ("25206396Y", False),
        ("Z5206396Y", True),
    ]
    assert [c.value for c in find_identifiers("DNI 36601686S")] == ["36601686S"]  # no twin for other digits
