"""Catalan elides "de" before a name that starts with a vowel or h; no name doubles a sentence's full stop."""

from __future__ import annotations

import pytest

from accounts.notifications import render
from outbox.models import Email
from wording import elide


@pytest.mark.parametrize(
    ("text", "catalan"),
    [
        ("en nom de Arnau", "en nom d'Arnau"),
        ("l'autorització de Oriol.", "l'autorització d'Oriol."),
        ("de Helena", "d'Helena"),
        ("De Úrsula", "D'Úrsula"),
        ("de Pere", "de Pere"),
        ("de Iolanda", "de Iolanda"),  # a semivowel: no elision
        ("de Huelva", "de Huelva"),
        ("de 11 empreses", "de 11 empreses"),
        ("representant de Acme S.L..", "representant d'Acme S.L."),
        ("Espera...", "Espera..."),
    ],
)
def test_catalan_elision_and_single_full_stop(text, catalan):
    assert elide(text, "ca") == catalan


def test_spanish_keeps_de_but_loses_the_double_stop():
    assert elide("en nombre de Arnau, de Acme S.L..", "es") == "en nombre de Arnau, de Acme S.L."


def test_emails_are_elided_when_rendered():
    email = Email(
        template="access_ended",
        language="ca",
        context={"name": "Ona", "customer": "Oliveres S.L.", "because_of": "Arnau Gestor"},
    )
    subject, body = render(email)
    assert "d'Oliveres S.L." not in subject  # "a Oliveres": only "de" elides
    assert "del d'Arnau Gestor" in body and "de Arnau" not in body
