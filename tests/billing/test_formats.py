"""billing.formats: the pieces of a row read on their own."""

from __future__ import annotations

from decimal import Decimal

import pytest

from billing.formats import RowError, file_kind, signed_amount
from tests.billing import files


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1234,5", "1234.50"),
        ("-10,00", "-10.00"),
        ("€ 12", "12.00"),
        (7, "7.00"),
    ],
)
def test_amounts_are_read_by_the_one_money_parser_with_a_sign_for_discounts(text, amount):
    assert signed_amount(text, what="total") == Decimal(amount)


@pytest.mark.parametrize("text", ["", "1,2,3.456", "12.345", "abc", "100000000", None, True, "--1"])
def test_what_is_not_an_amount_is_refused_with_a_code(text):
    if text == "12.345":  # thousands, as the money parser reads it: 12345.00
        assert signed_amount(text, what="x") == Decimal("12345.00")
        return
    with pytest.raises(RowError) as refused:
        signed_amount(text, what="x")
    assert refused.value.code == "invalid_amount"


def test_files_are_told_by_suffix_and_header(tmp_path):
    contract = files.contract()
    assert file_kind(files.write_contracts_csv(tmp_path / "x.csv", [contract], delimiter=";")) == "contract"
    assert file_kind(files.write_invoices_csv(tmp_path / "y.csv", [files.invoice(contract)])) == "invoice"
    assert file_kind(files.write_jsonl(tmp_path / "z.ndjson", [contract])) == "jsonl"
    (tmp_path / "w.txt").write_text("hello")
    assert file_kind(tmp_path / "w.txt") == ""
