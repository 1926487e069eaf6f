"""Finding people and customers by name, accents and case ignored.

On PostgreSQL: trigram word similarity (``pg_trgm``'s ``%>``) on the unaccented name, answered by the GIN indexes
of ``accounts/migrations/0009_name_search.py`` -- the query must write the indexed expression exactly. An unaccent
function in the query, rather than a normalised copy of each name in its own column, keeps one place where a name
is written (no column that every service, import and admin form must keep in step) and still uses the index.
On SQLite (the embedded default, no such extensions) a plain ``icontains``.
"""

from __future__ import annotations

import re

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import F, Func, Q, Value
from django.db.models.fields import CharField, FloatField

UNACCENT = "accounts_unaccent"  # created by the migration
MIN_LETTERS = 3


def _unaccented(expression):
    return Func(expression, function=UNACCENT, output_field=CharField())


def normalised_name(raw: str) -> str:
    """The query as typed, with runs of spaces collapsed; empty when it holds fewer than three letters."""
    text = " ".join((raw or "").split())
    return text if len(re.findall(r"[^\W\d_]", text)) >= MIN_LETTERS else ""


def name_matches(field: str, query: str) -> Q | TrigramWordSimilar:
    """A filter: ``field`` (a name, possibly across a relation) resembles ``query``, accents and case ignored."""
    if connection.vendor != "postgresql":
        return Q(**{f"{field}__icontains": query})
    return TrigramWordSimilar(_unaccented(F(field)), _unaccented(Value(query)))


def name_similarity(field: str, query: str):
    """How well ``field`` matches ``query`` (0..1), for ordering; a constant where trigrams are not available."""
    if connection.vendor != "postgresql":
        return Value(1.0, output_field=FloatField())
    return TrigramWordSimilarity(_unaccented(Value(query)), _unaccented(F(field)))
