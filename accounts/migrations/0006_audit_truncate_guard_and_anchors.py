"""TRUNCATE of the audit log is refused on PostgreSQL (it fires no row trigger, so 0004's guard missed it).

The guard is a statement trigger that fires AFTER the truncation, while it can still be rolled back,
so that it can tell a truncation of the audit log alone -- refused -- from a reset of the whole
database, which also empties the users and customers the events are about (Django's ``flush``, as
run between transactional tests). A reset loses the anchored head, which ``verify_audit_chain``
then reports like any other loss (``accounts.audit``, anchors).

SQLite has no TRUNCATE; its DELETE trigger (0004) already covers ``DELETE FROM`` without WHERE.
The anchors themselves live outside the database (``settings.AUDIT_ANCHOR_SINK``): no table.
"""

from django.db import migrations

POSTGRES_INSTALL = """
CREATE OR REPLACE FUNCTION accounts_audit_no_truncate() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM accounts_user) OR EXISTS (SELECT 1 FROM accounts_customer) THEN
    RAISE EXCEPTION 'the audit log is append-only: it cannot be truncated'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_audit_no_truncate AFTER TRUNCATE ON accounts_auditevent
  FOR EACH STATEMENT EXECUTE FUNCTION accounts_audit_no_truncate();
"""

POSTGRES_UNINSTALL = """
DROP TRIGGER IF EXISTS accounts_audit_no_truncate ON accounts_auditevent;
DROP FUNCTION IF EXISTS accounts_audit_no_truncate();
"""


def install_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_INSTALL, None)


def drop_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_UNINSTALL, None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_identity_and_scope")]

    operations = [migrations.RunPython(install_guard, drop_guard)]
