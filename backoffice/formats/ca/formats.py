# Django's Catalan dates ("j E \d\e Y") take the month from the "alt. month" names, which its own catalogue gives
# bare ("7 desembre de 2026"). Catalan writes the preposition, elided before a vowel: "7 de desembre", "7 d'abril".
# Our catalogue holds those names; naming them here keeps them in it.
from django.utils.translation import pgettext_lazy

MONTHS_WITH_PREPOSITION = [
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
]
