"""Small fixes to text built from a translation and a name: what a translator cannot write in the catalogue.

Catalan elides "de" before a word that starts with a vowel or an h ("d'Oriol", "en nom d'Arnau", "d'Helena"),
but the name is only known once the placeholder is filled in; and a name that ends with a full stop ("Acme,
S.L.") at the end of a sentence must not get a second one ("S.L.."). Pages use the ``elide`` template filter
(``portal/templatetags/wording.py``), e-mails get it when they are rendered (``accounts.notifications``).
"""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

# "de" before a vowel or h, but not before the semivowels of "iogurt", "hiena", "Huelva" (i/u/hi/hu + vowel).
_CATALAN_DE = re.compile(
    r"\b([Dd])e (?=(?!h?[iuIU][aeiouàèéíòóú])[aeiouàèéíïòóúüAEIOUÀÈÉÍÏÒÓÚÜ]|[Hh](?![iuIU][aeiouàèéíòóú]))"
)
_DOUBLE_STOP = re.compile(r"(?<=[A-Za-zÀ-ÿ]\.)\.(?!\.)")


def elide(text: str, language: str | None = None) -> str:
    """``text`` with Catalan's elision of "de" before names (in Catalan only) and no doubled full stop."""
    language = (language or translation.get_language() or "").split("-")[0]
    result = _DOUBLE_STOP.sub("", str(text))
    if language == "ca":
        result = _CATALAN_DE.sub(r"\1'", result)
    return mark_safe(result) if isinstance(text, SafeString) else result
