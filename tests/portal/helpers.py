from django.conf import settings

from tests import factories as f


def login_as(client, person) -> None:
    client.force_login(person.user)


def use_language(client, language: str) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


def page_errors(response) -> str:
    return response.content.decode()


__all__ = ["f", "login_as", "use_language", "page_errors"]
