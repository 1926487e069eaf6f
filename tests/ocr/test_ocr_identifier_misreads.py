"""Identifier misreads seen on photos and rotated scans: a control letter read as a bracket after the dash, an NIE's
Z read as a 7.  Each repair only counts as corrected and never makes another person's identifier."""

import pytest

from ocr.identifiers import find_identifiers


def values(text: str, corrected: bool | None = None) -> list[str]:
    return [c.value for c in find_identifiers(text) if corrected is None or c.corrected == corrected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("DNI/NIE Y-9118970-)", "Y9118970J"),  # NIE, J read as ")" after the dash
        ("DNI 77448649-)", "77448649J"),  # DNI, the same
        ("DNI 77448649-|,", "77448649J"),
    ],
)
def test_a_control_letter_read_as_a_bracket_after_the_dash_is_recomputed_as_a_correction(text, expected):
    assert expected in values(text, corrected=True)
    assert expected not in values(text, corrected=False)


def test_a_bracket_after_a_dash_with_no_identifier_before_it_makes_nothing():
    assert values("Tomo 1234-) folio") == []


def test_an_nie_whose_z_was_read_as_7_is_repaired_against_its_printed_control_letter():
    assert "Z1593796Q" in values("amb DNI/NIE 71593796 Q, que", corrected=True)
    # with the control letter unreadable too, a 7 is not taken for a Z: any DNI opening with 7 would read as an NIE
    assert not any(v.startswith("Z") for v in values("DNI 77448649-)"))
    # a valid DNI opening with 7 stays a DNI and yields no NIE
    assert values("DNI 77448649J") == ["77448649J"]
