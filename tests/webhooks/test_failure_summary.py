"""A failed delivery's attempt says what went wrong in the owner's language, the technical detail beside it."""

import pytest
from django.utils import translation

from webhooks.models import Attempt


@pytest.mark.parametrize(
    ("error", "english", "catalan"),
    [
        (
            "refused: the address is not allowed (private)",
            "Not sent: the address is not a public one.",
            "no és pública",
        ),
        (
            "could not resolve hooks.example: [Errno -2]",
            "The address's host name could not be found.",
            "No s'ha trobat",
        ),
        ("no answer within 10 s", "The endpoint did not answer in time.", "no ha respost a temps"),
        (
            "ConnectionRefusedError: [Errno 111] Connection refused",
            "The connection to the endpoint failed.",
            "ha fallat",
        ),
    ],
)
def test_each_kind_of_failure_reads_in_the_owners_language(error, english, catalan):
    attempt = Attempt(error=error)
    with translation.override("en"):
        assert attempt.failure_summary == english
    with translation.override("ca"):
        assert catalan in attempt.failure_summary


def test_an_attempt_that_did_not_fail_has_no_summary():
    assert Attempt(error="", status_code=200).failure_summary == ""
