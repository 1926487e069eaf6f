"""Invariants that span rows, kept by the database itself.

- a collaborator's grant is active only while the manager grant it was delegated
  from is active, on the same customer (the services revoke collaborators first,
  so each revocation is audited; these triggers refuse anything that skips that);
- the audit log refuses UPDATE and DELETE.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION accounts_grant_delegation_guard() RETURNS trigger AS $$
DECLARE parent RECORD;
BEGIN
  IF NEW.delegated_from_id IS NOT NULL AND NEW.revoked_at IS NULL THEN
    SELECT customer_id, revoked_at, role INTO parent FROM accounts_grant WHERE id = NEW.delegated_from_id;
    IF parent.revoked_at IS NOT NULL OR parent.customer_id <> NEW.customer_id OR parent.role <> 'external_manager' THEN
      RAISE EXCEPTION 'collaborator grant must hang from an active external-manager grant on the same customer'
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS NULL THEN
    IF EXISTS (SELECT 1 FROM accounts_grant WHERE delegated_from_id = NEW.id AND revoked_at IS NULL) THEN
      RAISE EXCEPTION 'revoke the collaborator grants delegated from grant % first', NEW.id
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_grant_delegation_guard BEFORE INSERT OR UPDATE ON accounts_grant
  FOR EACH ROW EXECUTE FUNCTION accounts_grant_delegation_guard();

CREATE OR REPLACE FUNCTION accounts_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_audit_append_only BEFORE UPDATE OR DELETE ON accounts_auditevent
  FOR EACH ROW EXECUTE FUNCTION accounts_audit_append_only();
"""

POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS accounts_grant_delegation_guard ON accounts_grant;
DROP FUNCTION IF EXISTS accounts_grant_delegation_guard();
DROP TRIGGER IF EXISTS accounts_audit_append_only ON accounts_auditevent;
DROP FUNCTION IF EXISTS accounts_audit_append_only();
"""

_SQLITE_BAD_PARENT = """
SELECT RAISE(ABORT, 'collaborator grant must hang from an active external-manager grant on the same customer')
WHERE EXISTS (SELECT 1 FROM accounts_grant p WHERE p.id = NEW.delegated_from_id
  AND (p.revoked_at IS NOT NULL OR p.customer_id <> NEW.customer_id OR p.role <> 'external_manager'));
"""

SQLITE_FORWARD = [
    f"""CREATE TRIGGER accounts_grant_delegation_insert BEFORE INSERT ON accounts_grant
    WHEN NEW.delegated_from_id IS NOT NULL AND NEW.revoked_at IS NULL BEGIN {_SQLITE_BAD_PARENT} END;""",
    f"""CREATE TRIGGER accounts_grant_delegation_update BEFORE UPDATE ON accounts_grant
    WHEN NEW.delegated_from_id IS NOT NULL AND NEW.revoked_at IS NULL BEGIN {_SQLITE_BAD_PARENT} END;""",
    """CREATE TRIGGER accounts_grant_parent_revoke BEFORE UPDATE OF revoked_at ON accounts_grant
    WHEN NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS NULL BEGIN
      SELECT RAISE(ABORT, 'revoke the collaborator grants delegated from this grant first')
      WHERE EXISTS (SELECT 1 FROM accounts_grant c WHERE c.delegated_from_id = NEW.id AND c.revoked_at IS NULL);
    END;""",
    """CREATE TRIGGER accounts_audit_no_update BEFORE UPDATE ON accounts_auditevent
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
    """CREATE TRIGGER accounts_audit_no_delete BEFORE DELETE ON accounts_auditevent
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
]

SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {name};"
    for name in (
        "accounts_grant_delegation_insert",
        "accounts_grant_delegation_update",
        "accounts_grant_parent_revoke",
        "accounts_audit_no_update",
        "accounts_audit_no_delete",
    )
]


def forward(apps, schema_editor):
    statements = {"postgresql": [POSTGRES_FORWARD], "sqlite": SQLITE_FORWARD}.get(schema_editor.connection.vendor)
    if statements is None:
        raise NotImplementedError(f"no integrity triggers for {schema_editor.connection.vendor}")
    for statement in statements:
        schema_editor.execute(statement, None)


def reverse(apps, schema_editor):
    statements = {"postgresql": [POSTGRES_REVERSE], "sqlite": SQLITE_REVERSE}[schema_editor.connection.vendor]
    for statement in statements:
        schema_editor.execute(statement, None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
