"""A strong password: letters in both cases, digits and a symbol, on top of Django's validators."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    def validate(self, password: str, user=None) -> None:
        classes = [r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9]"]
        if not all(re.search(pattern, password) for pattern in classes):
            raise ValidationError(
                _("The password must contain upper-case and lower-case letters, a digit and a symbol."),
                code="password_classes",
            )

    def get_help_text(self) -> str:
        return _("Use upper-case and lower-case letters, a digit and a symbol.")
