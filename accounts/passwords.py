"""Password rules for the customer area, with our own wording (formal, in ca/es/en).

Django's validators do the checking; only their texts are ours, because Django's
Catalan catalogue is informal and misses the current minimum-length message.
"""

import re

from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short: it must have at least %(min_length)d character.",
            "This password is too short: it must have at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return ngettext(
            "At least %(min_length)d character.", "At least %(min_length)d characters.", self.min_length
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("The password is too similar to your personal details.")

    def get_help_text(self):
        return _("Not similar to your name, e-mail or identity number.")

    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(self.get_error_message(), code="password_too_similar") from None


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("This password is too common.")

    def get_help_text(self):
        return _("Not a commonly used password.")


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("This password is entirely numeric.")

    def get_help_text(self):
        return _("Not made of digits only.")


class CharacterClassValidator:
    def validate(self, password: str, user=None) -> None:
        classes = [r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9]"]
        if not all(re.search(pattern, password) for pattern in classes):
            raise ValidationError(
                _("The password must contain upper-case and lower-case letters, a digit and a symbol."),
                code="password_classes",
            )

    def get_help_text(self) -> str:
        return _("Upper-case and lower-case letters, a digit and a symbol.")
