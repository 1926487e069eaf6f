"""Steps of a call through the console, as an agent's browser would do them."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from accounts.models import Customer, Person
from callcenter.models import Interaction

REP_FORM = {
    "rc-new_id_number": "12345678Z",
    "rc-new_name": "Marta Puig Soler",
    "rc-new_email": "marta@example.com",
    "rc-outgoing": "authorised_full",
    "rc-contact_email": "caller@example.com",
    "rc-language": "es",
}


def url(name: str, *args) -> str:
    return reverse(f"staff:callcenter:{name}", args=args)


def logged_in(user, client: Client | None = None) -> Client:
    client = client or Client()
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def html(response) -> str:
    return response.content.decode()


def take_call(client: Client, customer: Customer) -> Interaction:
    response = client.post(url("take_call", customer.pk))
    assert response.status_code == 302, response.status_code
    interaction = Interaction.objects.filter(customer=customer).order_by("-pk").first()
    assert response["Location"] == url("call", interaction.pk)
    return interaction


def last4(customer: Customer) -> str:
    return customer.contracts.exclude(iban_last4="").values_list("iban_last4", flat=True).first()


def wrong_last4(customer: Customer) -> str:
    return f"{(int(last4(customer)) + 1) % 10000:04d}"


def verify(
    client: Client,
    interaction: Interaction,
    caller: Person | None,
    *,
    id_number: str | None = None,
    name: str = "",
    bank_last4: str | None = None,
    invoice_total: str | None = None,
):
    """Check ``caller``, picked from the customer's known people, who tells their own NIF/NIE (or ``id_number``);
    ``caller=None``: an unknown caller who tells ``id_number`` and ``name``. The right proof unless one is given."""
    data = {
        "caller": str(caller.pk) if caller else "unknown",
        "caller_id_number": id_number or caller.id_number,
        "caller_name": name,
    }
    if invoice_total is not None:
        data["invoice_total"] = invoice_total
    else:
        data["bank_last4"] = bank_last4 if bank_last4 is not None else last4(interaction.customer)
    return client.post(url("verify", interaction.pk), data)


def verified_call(client: Client, customer: Customer, caller: Person | None, **unknown) -> Interaction:
    """A call with a verified caller: ``caller`` from the known people, or None and ``id_number``/``name`` for an unknown one."""
    interaction = take_call(client, customer)
    response = verify(client, interaction, caller, **unknown)
    assert response.status_code == 302, html(response)
    interaction.refresh_from_db()
    assert interaction.verification == Interaction.Verification.VERIFIED
    return interaction
