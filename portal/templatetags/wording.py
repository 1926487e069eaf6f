"""The ``elide`` filter: Catalan's "d'" before a name and no doubled full stop (``wording.elide``)."""

from __future__ import annotations

from django import template

from wording import elide

register = template.Library()


@register.filter(name="elide")
def elide_filter(text: str) -> str:
    return elide(text)
