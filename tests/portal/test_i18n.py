"""The customer area speaks Catalan (default), Spanish and English.

Every customer-facing page is rendered in each language, chosen either with the
language cookie or with Accept-Language, and checked for:

* ``<html lang>`` naming the language;
* no msgid (of two words or more) from the project's own catalogue in the
  visible text, unless it is translated to itself in that language: an
  untranslated English string on a Catalan or Spanish page, or the deliberately
  Catalan msgid on a Spanish or English page;
* no common English function words on the Catalan and Spanish pages (catches
  hard-coded English that never reached the catalogue);
* the page's translated heading.

The catalogues themselves must be complete for ca and es, free of fuzzy
entries, keep every placeholder, and match the compiled .mo files.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import trans_real

from accounts import services
from accounts.audit import Actor
from accounts.models import Grant
from backoffice.demo import make_nif
from tests import factories, mailbox

LANGS = ("ca", "es", "en")
LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
BAD_NIF = "12345678A"  # right shape, wrong check letter: "malformed"
MALFORMED_NIF_ERROR = {
    "ca": "Format de NIF, NIE o passaport incorrecte",
    "es": "Formato de NIF, NIE o pasaporte incorrecto",
    "en": "Incorrect NIF, NIE or passport format",
}
# Words that never occur in our Catalan or Spanish text (formal vostè/usted style).
ENGLISH_WORDS = re.compile(
    r"\b(the|The|your|Your|you|You|and|with|this|This|is|are|to|of|for|have|not|please|Please)\b"
)


# -- a minimal .po reader ---------------------------------------------------------------------


@dataclass
class PoEntry:
    msgid: str
    msgstr: str
    flags: set[str]
    line: int
    context: str = ""  # msgctxt: the compiled catalogue keys the entry as "context\x04msgid"
    references: tuple[str, ...] = ()  # "#:" source paths, without line numbers


def _unquote(text: str) -> str:
    body = text.strip()
    assert body.startswith('"') and body.endswith('"'), text
    return re.sub(
        r"\\(.)", lambda m: {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(m.group(1), m.group(0)), body[1:-1]
    )


def read_po(path: Path) -> list[PoEntry]:
    """Entries of a .po file (obsolete ``#~`` entries skipped; plural forms joined with NUL)."""
    entries: list[PoEntry] = []
    flags: set[str] = set()
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None
    context: list[str] = [""]
    references: list[str] = []
    start = 0

    def flush() -> None:
        nonlocal flags, msgid, msgstr, current, context, references
        if msgid is not None:
            entries.append(
                PoEntry("".join(msgid), "\0".join(msgstr or []), flags, start, context[0], tuple(references))
            )
        flags, msgid, msgstr, current, context, references = set(), None, None, None, [""], []

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if msgstr is not None:
                flush()
            flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#") or not line:
            if msgstr is not None:
                flush()
            if line.startswith("#:"):
                references += [ref.rsplit(":", 1)[0] for ref in line[2:].split()]
        elif line.startswith("msgctxt "):
            if msgstr is not None:
                flush()
            context = [_unquote(line[8:])]
            current = context
        elif line.startswith("msgid_plural "):
            current = [""]  # nor the plural msgid
        elif line.startswith("msgid "):
            if msgstr is not None:
                flush()
            msgid, start = [_unquote(line[6:])], number
            current = msgid
        elif line.startswith("msgstr["):
            msgstr = (msgstr or []) + [_unquote(line.split("]", 1)[1])]
            current = msgstr
        elif line.startswith("msgstr "):
            msgstr = [_unquote(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current[-1] += _unquote(line)
    flush()
    return [entry for entry in entries if entry.msgid]


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sd]|%[sd]")
TAG = re.compile(r"<[^>]+>")


def _words(msgid: str) -> int:
    return len(TAG.sub(" ", PLACEHOLDER.sub(" ", msgid)).split())


def _pattern(msgid: str) -> re.Pattern:
    """A msgid as it appears in visible text: tags gone, placeholders match anything, spaces collapsed."""
    text = " ".join(TAG.sub("", msgid).split())
    parts = PLACEHOLDER.split(text)
    return re.compile(r".+?".join(re.escape(part) for part in parts))


@functools.cache
def foreign_msgids(lang: str) -> dict[str, re.Pattern]:
    """Project msgids (2+ words) that must not be seen on a page in ``lang``.

    In Catalan and Spanish: every msgid not translated to itself (an empty or fuzzy one
    counts as not translated). In English, which reads most msgids as they are: those
    given a different translation.
    """
    result = {}
    for entry in read_po(po_path(lang)):
        translated = bool(entry.msgstr) and "fuzzy" not in entry.flags
        if _words(entry.msgid) < 2 or (translated and entry.msgstr == entry.msgid):
            continue
        if lang == "en" and not translated:
            continue
        result[entry.msgid] = _pattern(entry.msgid)
    return result


# -- visible text -----------------------------------------------------------------------------


class _Page(HTMLParser):
    VISIBLE_ATTRS = ("aria-label", "title", "alt", "placeholder")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.headings: list[str] = []
        self.html_lang: str | None = None
        self._skip = 0
        self._heading: list[str] | None = None

    # Inline markup (strong, a, span, code...) joins text as it reads; other tags separate words.
    INLINE = {"a", "abbr", "b", "code", "em", "i", "small", "span", "strong"}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in self.INLINE:
            self.chunks.append(" ")
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "h1":
            self._heading = []
        for name in self.VISIBLE_ATTRS:
            if attrs.get(name):
                self.chunks.append(f" {attrs[name]} ")
        if tag in ("button", "input") and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.chunks.append(f" {attrs['value']} ")

    def handle_endtag(self, tag):
        if tag not in self.INLINE:
            self.chunks.append(" ")
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "h1" and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None

    def handle_data(self, data):
        if self._skip:
            return
        self.chunks.append(data)
        if self._heading is not None:
            self._heading.append(data)


@dataclass
class Rendered:
    lang: str
    html_lang: str | None
    text: str
    h1: list[str]


def parse(content: bytes, lang: str) -> Rendered:
    page = _Page()
    page.feed(content.decode("utf-8"))
    page.close()
    return Rendered(lang=lang, html_lang=page.html_lang, text=" ".join("".join(page.chunks).split()), h1=page.headings)


def tr(lang: str, msgid: str) -> str:
    with translation.override(lang):
        return translation.gettext(msgid)


# -- data and clients -------------------------------------------------------------------------


@dataclass
class World:
    customer: object
    representative: object
    readonly: object
    unregistered_customer: object
    unregistered_rep: object
    invitation_token: str


@pytest.fixture
def world(db, django_capture_on_commit_callbacks) -> World:
    customer = factories.customer(name="Forns Puig S.L.")
    representative = factories.person(login=True, name="Marta Vila")
    readonly = factories.person(login=True, name="Jordi Soler")
    full = factories.person(login=True, name="Laia Roca")
    manager = factories.person(login=True, name="Pere Font")
    collaborator = factories.person(login=True, name="Núria Mas")
    firm = factories.firm()
    rep_grant = factories.grant(customer=customer, person=representative, role=Grant.Role.REPRESENTATIVE)
    factories.grant(customer=customer, person=full, role=Grant.Role.AUTHORISED_FULL)
    factories.grant(customer=customer, person=readonly, role=Grant.Role.AUTHORISED_READONLY)
    manager_grant = factories.grant(customer=customer, person=manager, role=Grant.Role.EXTERNAL_MANAGER, firm=firm)
    factories.grant(
        customer=customer, person=collaborator, role=Grant.Role.AUTHORISED_FULL, delegated_from=manager_grant
    )
    # An invited contact who has no login yet.
    with django_capture_on_commit_callbacks(execute=True):
        services.authorise_contact(
            customer=customer,
            id_number=make_nif(48_123_456),
            name="Anna Ferrer",
            email="anna.ferrer@example.com",
            role=Grant.Role.AUTHORISED_READONLY,
            actor=Actor.system("test"),
            by_grant=rep_grant,
            reason="test",
        )
    token = mailbox.token("anna.ferrer@example.com", "/invitation/")
    # A holder whose representative has not registered yet: the registration path.
    unregistered_customer = factories.customer(name="Tallers Riera S.L.")
    unregistered_rep = factories.person(name="Pau Riera")
    factories.grant(customer=unregistered_customer, person=unregistered_rep, role=Grant.Role.REPRESENTATIVE)
    return World(customer, representative, readonly, unregistered_customer, unregistered_rep, token)


def make_client(lang: str, how: str) -> Client:
    if how == "cookie":
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        return client
    return Client(HTTP_ACCEPT_LANGUAGE=f"{lang},en;q=0.3" if lang != "en" else "en")


def _ok(response, status: int = 200):
    assert response.status_code == status, (response.status_code, response.get("Location"))
    return response


def _register_step1(client: Client, world: World):
    contract = world.unregistered_customer.contracts.get()
    return client.post(
        reverse("portal:register"),
        {
            "holder_id": world.unregistered_customer.tax_id,
            "proof": "bank",
            "bank_last4": contract.iban_last4,
            "invoice_total": "",
        },
    )


def _register_step2(client: Client, world: World):
    _ok(_register_step1(client, world), 302)
    rep = world.unregistered_rep
    return client.post(
        reverse("portal:register_contact"),
        {"id_number": rep.id_number, "name": rep.name, "email": "pau@example.com", "phone": "600 111 222"},
    )


def page_login(client, world):
    return _ok(client.get(reverse("portal:login"))), "Log in to the customer area"


def page_login_malformed_nif(client, world):
    return _ok(
        client.post(reverse("portal:login"), {"id_number": BAD_NIF, "password": ""})
    ), "Log in to the customer area"


def page_login_wrong_password(client, world):
    response = client.post(
        reverse("portal:login"), {"id_number": world.representative.id_number, "password": "Wrong-pass-123"}
    )
    return _ok(response), "Log in to the customer area"


def page_forgot_password(client, world):
    return _ok(client.get(reverse("portal:forgot_password"))), "Forgot your password?"


def page_forgot_password_sent(client, world):
    response = client.post(reverse("portal:forgot_password"), {"id_number": world.representative.id_number})
    return _ok(response), "Forgot your password?"


def page_register_step1(client, world):
    return _ok(client.get(reverse("portal:register"))), "Register"


def page_register_step1_errors(client, world):
    response = client.post(
        reverse("portal:register"), {"holder_id": "X", "proof": "invoice", "bank_last4": "", "invoice_total": "abc"}
    )
    return _ok(response), "Register"


def page_register_step1_wrong_proof(client, world):
    response = client.post(
        reverse("portal:register"),
        {"holder_id": world.unregistered_customer.tax_id, "proof": "bank", "bank_last4": "0000", "invoice_total": ""},
    )
    return _ok(response), "Register"


def page_register_step2_without_state(client, world):
    return _ok(client.get(reverse("portal:register_contact"), follow=True)), "Register"


def page_register_step2(client, world):
    _ok(_register_step1(client, world), 302)
    return _ok(client.get(reverse("portal:register_contact"))), "Register"


def page_register_step2_errors(client, world):
    _ok(_register_step1(client, world), 302)
    response = client.post(
        reverse("portal:register_contact"), {"id_number": "B12345674", "name": "x", "email": "no", "phone": "12"}
    )
    return _ok(response), "Register"


def page_register_step3(client, world):
    _ok(_register_step2(client, world), 302)
    return _ok(client.get(reverse("portal:register_password"))), "Register"


def page_register_step3_errors(client, world):
    _ok(_register_step2(client, world), 302)
    response = client.post(reverse("portal:register_password"), {"password1": "abc", "password2": "abc"})
    return _ok(response), "Register"


def page_register_sent(client, world):
    _ok(_register_step2(client, world), 302)
    response = client.post(
        reverse("portal:register_password"), {"password1": factories.PASSWORD, "password2": factories.PASSWORD}
    )
    return _ok(response), "Check your e-mail"


def page_register_confirm(client, world):
    return _ok(client.get(reverse("portal:register_confirm", args=["some-token"]))), "Confirm your registration"


def page_register_confirm_invalid(client, world):
    return _ok(client.post(reverse("portal:register_confirm", args=["some-token"])), 400), "Registration"


def page_invitation(client, world):
    return _ok(client.get(reverse("portal:invitation", args=[world.invitation_token]))), "Create your login"


def page_invitation_invalid(client, world):
    return _ok(client.get(reverse("portal:invitation", args=["not-a-token"])), 400), "Invitation"


def page_supplies(client, world):
    client.force_login(world.representative.user)
    return _ok(client.get(reverse("portal:supplies"))), "My supplies"


def page_contacts_representative(client, world):
    client.force_login(world.representative.user)
    return _ok(client.get(reverse("portal:contacts", args=[world.customer.pk]))), "Authorised contacts"


def page_contacts_representative_errors(client, world):
    client.force_login(world.representative.user)
    response = client.post(
        reverse("portal:contacts", args=[world.customer.pk]),
        {"name": "", "email": "x", "id_number": "B12345674", "role": "boss"},
    )
    return _ok(response, 400), "Authorised contacts"


def page_contacts_readonly(client, world):
    client.force_login(world.readonly.user)
    return _ok(client.get(reverse("portal:contacts", args=[world.customer.pk]))), "Authorised contacts"


def page_password_reset_invalid_link(client, world):
    return _ok(client.get(reverse("portal:password_reset_confirm", args=["MQ", "bad-token"]))), "Choose a new password"


def page_password_reset_form(client, world):
    user = world.representative.user
    link = reverse(
        "portal:password_reset_confirm",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)],
    )
    response = _ok(client.get(link, follow=True))
    assert response.context["validlink"]
    return response, "Choose a new password"


def page_password_reset_done(client, world):
    return _ok(client.get(reverse("portal:password_reset_done"))), "Password changed"


# Known untranslated text outside the project's catalogue; strict, so a fix shows up as XPASS and fails.

PAGES: dict[str, Callable] = {
    name[5:]: function for name, function in dict(globals()).items() if name.startswith("page_")
}


# -- the checks -------------------------------------------------------------------------------


def check_page(page: Rendered, expected_heading: str) -> None:
    lang = page.lang
    assert page.html_lang == lang, f"<html lang={page.html_lang!r}>, expected {lang!r}"
    leaked = [msgid for msgid, pattern in foreign_msgids(lang).items() if pattern.search(page.text)]
    assert not leaked, f"untranslated for {lang}: {leaked}\n--- page text ---\n{page.text}"
    if lang != "en":
        english = sorted(set(ENGLISH_WORDS.findall(page.text)))
        assert not english, f"English words on the {lang} page: {english}\n--- page text ---\n{page.text}"
    heading = tr(lang, expected_heading)
    if lang != "en":
        assert heading != expected_heading, f"{expected_heading!r} has no {lang} translation"
    assert any(heading in h1 for h1 in page.h1), f"{heading!r} not in the <h1> {page.h1}"


@pytest.mark.parametrize("how", ["cookie", "accept-language"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_is_in_the_chosen_language(request, world, name, lang, how):
    client = make_client(lang, how)
    response, heading = PAGES[name](client, world)
    check_page(parse(response.content, lang), heading)


def test_catalan_is_the_default_language(world):
    page = parse(_ok(Client().get(reverse("portal:login"))).content, "ca")
    check_page(page, "Log in to the customer area")


@pytest.mark.parametrize("lang", LANGS)
def test_malformed_nif_error_is_translated(db, lang):
    """The one msgid written in Catalan must read right in all three languages."""
    response = make_client(lang, "cookie").post(reverse("portal:login"), {"id_number": BAD_NIF, "password": "x"})
    page = parse(_ok(response).content, lang)
    assert MALFORMED_NIF_ERROR[lang] in page.text
    for other in set(LANGS) - {lang}:
        if MALFORMED_NIF_ERROR[other] != MALFORMED_NIF_ERROR[lang]:
            assert MALFORMED_NIF_ERROR[other] not in page.text


@pytest.mark.parametrize("lang", ["ca", "es"])
def test_role_labels_and_django_messages_are_translated(world, lang):
    """Role names (model choices), energy, and Django's own password help text."""
    client = make_client(lang, "cookie")
    client.force_login(world.representative.user)
    page = parse(_ok(client.get(reverse("portal:contacts", args=[world.customer.pk]))).content, lang)
    for label in (
        "Representative",
        "Authorised (read only)",
        "Authorised (full access)",
        "External manager",
        "Collaborator (full access)",
    ):
        assert tr(lang, label) in page.text
    supplies = parse(_ok(client.get(reverse("portal:supplies"))).content, lang)
    assert tr(lang, "Electricity") in supplies.text
    client = make_client(lang, "cookie")
    _ok(_register_step2(client, world), 302)
    step3 = parse(_ok(client.get(reverse("portal:register_password"))).content, lang)
    assert "Your password must contain at least" not in step3.text
    assert tr(lang, "Upper-case and lower-case letters, a digit and a symbol.") in step3.text


EMAIL_CONTEXT = {"name": "Anna Ferrer", "customer": "Forns Puig S.L.", "link": "/x/", "site_url": "https://example.com"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("template", ["authorised", "confirm_registration", "invitation", "password_reset"])
def test_emails_are_in_the_recipients_language(template, lang):
    with translation.override(lang):
        text = render_to_string(
            f"accounts/email/{template}.txt", EMAIL_CONTEXT | {"role": translation.gettext("Authorised (full access)")}
        )
    text = " ".join(text.split())
    leaked = [msgid for msgid, pattern in foreign_msgids(lang).items() if pattern.search(text)]
    assert not leaked, f"untranslated for {lang}: {leaked}\n{text}"
    if lang != "en":
        assert not ENGLISH_WORDS.findall(text), text
    assert tr(lang, "Hello %(name)s,") % {"name": "Anna Ferrer"} in text


def test_plain_text_emails_do_not_html_escape_names():
    context = EMAIL_CONTEXT | {"name": "Jaume O'Neill", "customer": "Forns & Fills S.L.", "role": "x"}
    with translation.override("ca"):
        text = render_to_string("accounts/email/invitation.txt", context)
    assert "Jaume O'Neill" in text and "Forns & Fills S.L." in text, text


# -- the catalogues ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_po_file_has_no_fuzzy_entries(lang):
    text = po_path(lang).read_text(encoding="utf-8")
    fuzzy = [number for number, line in enumerate(text.splitlines(), 1) if line.startswith("#,") and "fuzzy" in line]
    assert not fuzzy, f"{po_path(lang)}: fuzzy entries at lines {fuzzy}"


@pytest.mark.parametrize("lang", ["ca", "es"])
def test_po_file_is_complete(lang):
    entries = read_po(po_path(lang))
    assert len(entries) > 50
    empty = [entry.msgid for entry in entries if not all(entry.msgstr.split("\0"))]
    assert not empty, f"{po_path(lang)}: untranslated: {empty}"


def test_english_only_translates_msgids_not_in_english():
    """Msgids are English, so en translates only the deliberate exceptions (add new ones here)."""
    translated = {entry.msgid: entry.msgstr for entry in read_po(po_path("en")) if entry.msgstr.strip("\0")}
    assert translated == {
        MALFORMED_NIF_ERROR["ca"]: MALFORMED_NIF_ERROR["en"],
        # Viewflow's message after "Retry" (its revive): our staff never read "revived"
        "Task {task} has been revived.": "Task {task} has been retried.",
    }


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_placeholders_and_markup(lang):
    problems = []
    for entry in read_po(po_path(lang)):
        if not entry.msgstr.strip("\0"):
            continue
        # Each plural form carries the singular msgid's placeholders.
        if any(
            sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(form))
            for form in entry.msgstr.split("\0")
        ):
            problems.append(("placeholders", entry.msgid, entry.msgstr))
        if any(sorted(TAG.findall(entry.msgid)) != sorted(TAG.findall(form)) for form in entry.msgstr.split("\0")):
            problems.append(("markup", entry.msgid, entry.msgstr))
    assert not problems


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalogue_matches_po_file(lang):
    """The .mo in use is the one compiled from the .po (run ``make messages`` after editing)."""
    catalog = trans_real.translation(lang)._catalog
    stale = [
        entry.msgid
        for entry in read_po(po_path(lang))
        if entry.msgstr
        and "\0" not in entry.msgstr
        and catalog.get(f"{entry.context}\x04{entry.msgid}" if entry.context else entry.msgid) != entry.msgstr
    ]
    assert not stale, f"{lang}: compiled catalogue out of date for {stale}"
