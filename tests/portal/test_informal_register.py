"""The customer area speaks to people informally (tu / tú), as the page it was built from does.

The compiled ca/es catalogues are read entry by entry; an entry is customer-facing when one of its source
references (the "#:" lines of the .po file) is a customer page, form, service message or e-mail. Its compiled
translation must not use the formal register: a word list of vostè/usted forms, possessives of address and the
formal imperatives our texts used. Staff-only entries may stay neutral and are not checked.
"""

from __future__ import annotations

import gettext
import re

import pytest

from tests.portal.test_i18n import po_path, read_po

CUSTOMER_SOURCES = (
    "portal/",
    "templates/portal/",
    "templates/403.html",
    "templates/404.html",
    "templates/500.html",
    "templates/errors/",
    "accounts/templates/accounts/email/",
    "billing/templates/accounts/email/",
    "accounts/parsing.py",
    "accounts/passwords.py",
    "accounts/services.py",
    "documents/",
    "backoffice/errors.py",
    "workflows/services.py",
    "workflows/rules.py",
)

FORMAL = {
    "ca": (
        "vostè",
        "vostès",
        "vosaltres",
        "vostre",
        "vostra",
        "introduïu",
        "podeu",
        "desitja",
        "el seu compte",
        "ha oblidat",
        "introdueixi",
        "iniciï",
        "truqui'ns",
        "torni-ho",
        "torni a carregar",
        "torni a fer",
        "torni a obrir",
        "triï",
        "pugi",
        "pugi'ls",
        "obri",
        "consulti",
        "confirmi",
        "escrigui",
        "indiqui",
        "indiqui'ns",
        "utilitzi",
        "demani",
        "comprovi",
        "ignori",
        "registri's",
        "sol·liciti'n",
        "enviï'ls",
        "afegeixi",
        "repeteixi",
        "deixi'ls",
        "li n'enviï",
    ),
    "es": (
        "usted",
        "ustedes",
        "vosotros",
        "vuestro",
        "vuestra",
        "desea",
        "su cuenta",
        "ha olvidado",
        "introduzca",
        "inicie",
        "llámenos",
        "elija",
        "suba",
        "súbalos",
        "vuelva a intentarlo",
        "vuelva a cargar",
        "vuelva a abrir",
        "vuelva a registrarse",
        "compruebe",
        "indíquenos",
        "regístrese",
        "inténtelo",
        "consulte",
        "utilice",
        "pida",
        "solicite",
        "ignore",
        "abra",
        "envíelos",
        "añada",
        "repita",
        "déjelos",
        "confirme",
        "escriba",
    ),
}


def formal_words(text: str, language: str) -> list[str]:
    """The formal-register words of ``language`` that ``text`` uses (whole words, any case)."""
    folded = text.casefold()
    return [word for word in FORMAL[language] if re.search(rf"(?<![\w·'-]){re.escape(word)}(?![\w·'-])", folded)]


def customer_facing_translations(language: str) -> dict[str, str]:
    """msgid -> the compiled translation (plural forms joined), for the customer-facing entries."""
    with open(po_path(language).with_suffix(".mo"), "rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    compiled: dict[str, list[str]] = {}
    for key, value in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        compiled.setdefault(msgid, []).append(value)
    found = {}
    for entry in read_po(po_path(language)):
        if any(ref.startswith(CUSTOMER_SOURCES) for ref in entry.references):
            key = f"{entry.context}\x04{entry.msgid}" if entry.context else entry.msgid
            found[entry.msgid] = " ".join(compiled.get(key, []))
    return found


@pytest.mark.parametrize(
    ("language", "formal", "informal"),
    [
        (
            "ca",
            "Si no ho ha sol·licitat vostè, ignori aquest missatge. Ha oblidat la contrasenya? Truqui'ns.",
            "Si no ho has demanat tu, ignora aquest missatge. Has oblidat la contrasenya? Truca'ns.",
        ),
        (
            "es",
            "Si no lo ha solicitado usted, ignore este mensaje. ¿Ha olvidado su contraseña? Llámenos.",
            "Si no lo has pedido tú, ignora este mensaje. ¿Has olvidado la contraseña? Llámanos.",
        ),
    ],
)
def test_the_checker_catches_formal_text_and_passes_informal_text(language, formal, informal):
    assert len(formal_words(formal, language)) >= 3
    assert formal_words(informal, language) == []


def test_the_checker_reads_customer_facing_entries_from_the_compiled_catalogue():
    catalan = customer_facing_translations("ca")
    assert len(catalan) > 300
    assert catalan["Forgot your password?"] == "Has oblidat la contrasenya?"
    assert catalan["Log in to the customer area"] == "Accedeix a la teva Àrea Clients"
    # Staff-only entries are not part of the check.
    assert "Second approval" not in catalan


@pytest.mark.parametrize("language", ["ca", "es"])
def test_customer_facing_catalogue_entries_use_the_informal_register(language):
    offenders = {
        msgid: (translation, words)
        for msgid, translation in customer_facing_translations(language).items()
        if (words := formal_words(translation, language))
    }
    assert offenders == {}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ca", "L'usuari o la contrasenya no són correctes."),
        ("es", "El usuario o la contraseña no son correctos."),
    ],
)
def test_the_wrong_credentials_message_is_the_seeds(language, expected):
    assert (
        customer_facing_translations(language)["The NIF, NIE or passport or the password is not correct."] == expected
    )
