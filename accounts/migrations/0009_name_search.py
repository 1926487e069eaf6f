"""Search by person or company name (the call-center console): trigram indexes, accents and case ignored.

PostgreSQL only: ``pg_trgm`` and ``unaccent``, an IMMUTABLE wrapper around ``unaccent`` (the extension's own
function is only STABLE, so it cannot be indexed), and a GIN ``gin_trgm_ops`` index on the unaccented
``accounts_person.name`` and ``accounts_customer.name``. ``accounts.name_search`` writes the same expression in its
queries, so the planner uses these indexes. Trigrams are case-insensitive by themselves. On SQLite (the embedded
default) nothing is created and the search falls back to ``icontains``.
"""

from django.db import migrations

FUNCTION = "accounts_unaccent"

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # The function and its dictionary are named with the extension's schema ({schema}, looked up when this runs), so
    # the result does not depend on search_path: pg_restore rebuilds the indexes with an empty one.
    f"""CREATE OR REPLACE FUNCTION {FUNCTION}(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT {{schema}}.unaccent('{{schema}}.unaccent'::regdictionary, $1) $$""",
    f"CREATE INDEX IF NOT EXISTS persons_name_trgm ON accounts_person USING gin ({FUNCTION}(name) gin_trgm_ops)",
    f"CREATE INDEX IF NOT EXISTS customers_name_trgm ON accounts_customer USING gin ({FUNCTION}(name) gin_trgm_ops)",
]
REVERSE = [
    "DROP INDEX IF EXISTS customers_name_trgm",
    "DROP INDEX IF EXISTS persons_name_trgm",
    f"DROP FUNCTION IF EXISTS {FUNCTION}(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema = None
        for statement in statements:
            if "{schema}" in statement:
                if schema is None:
                    with schema_editor.connection.cursor() as cursor:
                        cursor.execute(
                            "SELECT quote_ident(n.nspname) FROM pg_extension e"
                            " JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'"
                        )
                        schema = cursor.fetchone()[0]
                statement = statement.replace("{schema}", schema)
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_collaborator_batch"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(REVERSE), elidable=False),
    ]
