"""accounts/parsing.py: one reading of amounts, personal ids and names, and every form that reads an invoice total agrees."""

import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.parsing import InvalidAmount, clean_amount, clean_personal_id, normalise_name, parse_amount
from backoffice.demo import make_cif, make_nif
from callcenter.forms import UNKNOWN_CALLER, VerifyForm
from portal.forms import HolderProofForm

AMOUNTS = [
    ("1.234,56", "1234.56"),
    ("1234,56", "1234.56"),
    ("1,234.56", "1234.56"),
    ("1234.56", "1234.56"),
    ("1 234,56", "1234.56"),
    ("1\u00a0234,56", "1234.56"),  # no-break space, as spreadsheets and phones write it
    ("1\u202f234,56", "1234.56"),  # narrow no-break space
    ("1 234.56", "1234.56"),
    ("1.234.567,89", "1234567.89"),
    ("1,234,567.89", "1234567.89"),
    ("1.234.567", "1234567"),
    ("120,5", "120.50"),
    ("120.5", "120.50"),
    ("120", "120.00"),
    ("€ 120,50", "120.50"),
    ("€120,50", "120.50"),
    ("120,50 €", "120.50"),
    ("120.50€", "120.50"),
    ("  70,25  ", "70.25"),
    ("0,99", "0.99"),
    ("0", "0.00"),
    ("12.34", "12.34"),
    # a single separator followed by exactly three digits groups thousands: euros have two decimals
    ("1.234", "1234.00"),
    ("1,234", "1234.00"),
    ("999,999", "999999.00"),
    ("１２０,５０", "120.50"),  # full-width digits
]

REFUSED = [
    ("", "empty"),
    ("   ", "empty"),
    ("€", "empty"),
    (None, "empty"),
    ("-120,50", "negative"),
    ("\u2212120,50", "negative"),
    ("€ -5", "negative"),
    ("-0,01 €", "negative"),
    ("1,234.567", "too_many_decimals"),
    ("1234,567", "too_many_decimals"),
    ("0,123", "too_many_decimals"),
    ("120,5055", "too_many_decimals"),
    ("1.2345", "too_many_decimals"),
    ("NaN", "not_finite"),
    ("inf", "not_finite"),
    ("Infinity", "not_finite"),
    ("abc", "malformed"),
    ("12a,50", "malformed"),
    ("120 EUR", "malformed"),
    ("1e3", "malformed"),
    ("+120", "malformed"),
    ("120.", "malformed"),
    (",50", "malformed"),
    ("1.2.3", "malformed"),
    ("12 34", "malformed"),
    ("1.234 567", "malformed"),
    ("12,34,567", "malformed"),
    ("1,23.45", "malformed"),
    ("0.123.456", "malformed"),
    ("€ 120 €", "malformed"),
    ("1234567890123", "too_large"),
]


@pytest.mark.parametrize("text, amount", AMOUNTS)
def test_parse_amount_reads_what_people_type(text, amount):
    value = parse_amount(text)
    assert value == Decimal(amount) and value.as_tuple().exponent == -2


@pytest.mark.parametrize("text, code", REFUSED)
def test_parse_amount_refuses_with_a_code(text, code):
    with pytest.raises(InvalidAmount) as refused:
        parse_amount(text)
    assert refused.value.code == code
    assert isinstance(refused.value, ValueError)


def _spanish(cents: int, *, thousands: str, decimal: str) -> str:
    whole, fraction = divmod(cents, 100)
    return f"{whole:,}".replace(",", thousands) + f"{decimal}{fraction:02d}"


def test_parse_amount_reads_every_format_of_the_same_amount_the_same():
    rng = random.Random(20240612)
    for _ in range(500):
        cents = rng.randrange(0, 10**11)
        expected = Decimal(cents) / 100
        written = [
            _spanish(cents, thousands=".", decimal=","),
            _spanish(cents, thousands=",", decimal="."),
            _spanish(cents, thousands=" ", decimal=","),
            _spanish(cents, thousands="", decimal=","),
            _spanish(cents, thousands="", decimal="."),
        ]
        for text in written + [f"€ {written[0]}", f"{written[1]} €"]:
            assert parse_amount(text) == expected, text


def test_clean_amount_refuses_in_the_users_language_with_the_parsers_code():
    with translation.override("es"):
        with pytest.raises(ValidationError) as refused:
            clean_amount("1,234.567")
        assert refused.value.code == "too_many_decimals"
        assert str(refused.value.messages[0]) == "Introduce un importe como 123,45."


# -- both forms that read an invoice total ---------------------------------------------------------------------------------


def _through_the_customer_area(text: str):
    form = HolderProofForm({"holder_id": make_cif("B", 1_234_567), "proof": "invoice", "invoice_total": text})
    assert form.is_valid() or set(form.errors) == {"invoice_total"}, form.errors
    return form.cleaned_data["invoice_total"] if form.is_valid() else [str(m) for m in form.errors["invoice_total"]]


def _through_the_call_center(text: str):
    form = VerifyForm(
        {
            "caller": UNKNOWN_CALLER,
            "caller_id_number": make_nif(12_345_678),
            "caller_name": "Anna Puig Soler",
            "invoice_total": text,
        },
        direct_debit=False,
        people=[],
    )
    assert form.is_valid() or set(form.errors) == {"invoice_total"}, form.errors
    return form.cleaned_data["invoice_total"] if form.is_valid() else [str(m) for m in form.errors["invoice_total"]]


@pytest.mark.parametrize("text, amount", AMOUNTS)
def test_both_forms_read_the_same_amount(text, amount):
    assert _through_the_customer_area(text) == _through_the_call_center(text) == Decimal(amount)


@pytest.mark.parametrize("text", [text for text, _ in REFUSED if text and text.strip() and len(text) <= 20])
@pytest.mark.parametrize(
    "language, message",
    [
        ("ca", "Introdueix un import com ara 123,45."),
        ("es", "Introduce un importe como 123,45."),
        ("en", "Enter an amount such as 123,45."),
    ],
)
def test_both_forms_refuse_the_same_amounts_with_the_same_message(text, language, message):
    with translation.override(language):
        assert _through_the_customer_area(text) == _through_the_call_center(text) == [message]


def test_1_234_56_is_one_thousand_two_hundred_and_thirty_four_euros_in_both_forms():
    assert _through_the_customer_area("1,234.56") == _through_the_call_center("1,234.56") == Decimal("1234.56")
    assert _through_the_customer_area("1.234") == _through_the_call_center("1.234") == Decimal("1234.00")


def test_an_over_long_amount_gets_the_amount_message_in_both_forms():
    text = "1" * 21
    with translation.override("en"):
        assert _through_the_customer_area(text) == _through_the_call_center(text) == ["Enter an amount such as 123,45."]


# -- personal ids and names ----------------------------------------------------------------------------------------------


def test_clean_personal_id_normalises_and_refuses_with_codes():
    nif = make_nif(12_345_678)
    assert clean_personal_id(f" {nif[:4]}.{nif[4:8]}-{nif[8].lower()} ") == nif
    with pytest.raises(ValidationError) as refused:
        clean_personal_id("12345678A" if nif[-1] != "A" else "12345678B")
    assert refused.value.code == "malformed"


def test_a_cif_gets_the_log_in_advice_only_as_ones_own_id():
    cif = make_cif("B", 1_234_567)
    with pytest.raises(ValidationError) as own:
        clean_personal_id(cif, own=True)
    with pytest.raises(ValidationError) as someone_else:
        clean_personal_id(cif)
    assert (own.value.code, someone_else.value.code) == ("cif", "malformed")


@pytest.mark.parametrize(
    "raw, name",
    [
        ("  Anna   Puig\tSoler \n", "Anna Puig Soler"),
        ("Nu\u0301ria Ferre\u0301", "Núria Ferré"),  # combining accents compose: the same name compares equal
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_name(raw, name):
    assert normalise_name(raw) == name
