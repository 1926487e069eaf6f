"""The audit chain is built at COMMIT instead of at each event.

Each event now carries ``content_hash`` (sha256 of its own content, without any chain field) from
the moment it is recorded. Its place in the chain -- ``chain_seq`` (1, 2, 3... in commit order),
``prev_hash`` and ``hash = sha256(prev_hash || content_hash)`` -- is set once, when it is sealed:

- PostgreSQL: the deferred constraint trigger ``accounts_audit_seal`` fires at COMMIT for every
  event the transaction inserted (in insertion order), takes the chain's advisory lock (so it is
  held from then until the commit ends, not from the first event on) and links the event to the
  last sealed one. Rolled-back events and savepoints never reach it, so they leave no gap.
  ``accounts_audit_append_only`` keeps refusing UPDATE and DELETE, except that one sealing UPDATE,
  made from inside the sealing trigger, of a row whose chain fields were empty and which changes
  nothing else; it also refuses an INSERT that brings its own chain fields.
- SQLite (one writer): ``accounts.audit.record`` seals in Python at insert; triggers refuse any
  UPDATE or DELETE (as before) and any INSERT that is not sealed.

Existing events get their ``content_hash`` and are re-chained in id order (the old chain order),
after checking that the old chain holds: a broken chain is refused rather than laundered. The
reverse migration re-chains them the old way, in id order.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations, models

GENESIS_HASH = "0" * 64
CHAIN_LOCK_KEY = 0x617564697431  # accounts.audit._CHAIN_LOCK_KEY

POSTGRES_INSTALL = f"""
CREATE OR REPLACE FUNCTION accounts_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.chain_seq IS NOT NULL OR NEW.prev_hash IS NOT NULL OR NEW.hash IS NOT NULL THEN
      RAISE EXCEPTION 'audit events are sealed into the chain at commit, not inserted sealed'
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
  END IF;
  -- The one update allowed: accounts_audit_seal() sealing a row once, touching nothing else.
  IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1
     AND OLD.chain_seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
     AND NEW.chain_seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
     AND to_jsonb(NEW) - '{{prev_hash,hash,chain_seq}}'::text[] = to_jsonb(OLD) - '{{prev_hash,hash,chain_seq}}'::text[]
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_audit_append_only BEFORE INSERT OR UPDATE OR DELETE ON accounts_auditevent
  FOR EACH ROW EXECUTE FUNCTION accounts_audit_append_only();

CREATE OR REPLACE FUNCTION accounts_audit_seal() RETURNS trigger AS $$
DECLARE
  last_seq bigint;
  last_hash varchar(64);
BEGIN
  -- Held from here to the end of the COMMIT: the next sealer must see this chain link.
  PERFORM pg_advisory_xact_lock({CHAIN_LOCK_KEY});
  SELECT chain_seq, hash INTO last_seq, last_hash FROM accounts_auditevent
    WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
  IF NOT FOUND THEN
    last_seq := 0;
    last_hash := '{GENESIS_HASH}';
  END IF;
  UPDATE accounts_auditevent
     SET chain_seq = last_seq + 1,
         prev_hash = last_hash,
         hash = encode(sha256(convert_to(last_hash || content_hash, 'UTF8')), 'hex')
   WHERE id = NEW.id AND chain_seq IS NULL;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit event % is missing or already sealed', NEW.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER accounts_audit_seal AFTER INSERT ON accounts_auditevent
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accounts_audit_seal();
"""

POSTGRES_UNINSTALL = """
DROP TRIGGER IF EXISTS accounts_audit_seal ON accounts_auditevent;
DROP FUNCTION IF EXISTS accounts_audit_seal();
DROP TRIGGER IF EXISTS accounts_audit_append_only ON accounts_auditevent;
DROP FUNCTION IF EXISTS accounts_audit_append_only();
"""

# As created by 0002.
POSTGRES_OLD_GUARD = """
CREATE OR REPLACE FUNCTION accounts_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_audit_append_only BEFORE UPDATE OR DELETE ON accounts_auditevent
  FOR EACH ROW EXECUTE FUNCTION accounts_audit_append_only();
"""

# As created by 0002 (SQLite drops a table's triggers when Django rebuilds the table to alter it).
SQLITE_OLD_GUARD = [
    """CREATE TRIGGER accounts_audit_no_update BEFORE UPDATE ON accounts_auditevent
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
    """CREATE TRIGGER accounts_audit_no_delete BEFORE DELETE ON accounts_auditevent
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
]
SQLITE_INSTALL = SQLITE_OLD_GUARD + [
    """CREATE TRIGGER accounts_audit_insert_sealed BEFORE INSERT ON accounts_auditevent
    WHEN NEW.chain_seq IS NULL OR NEW.prev_hash IS NULL OR NEW.hash IS NULL
    BEGIN SELECT RAISE(ABORT, 'audit events must be sealed into the chain when inserted'); END;""",
]
SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {name};"
    for name in ("accounts_audit_no_update", "accounts_audit_no_delete", "accounts_audit_insert_sealed")
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, None)


def _vendor(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"no audit triggers for {vendor}")
    return vendor


def drop_guards(apps, schema_editor):
    _run(schema_editor, [POSTGRES_UNINSTALL] if _vendor(schema_editor) == "postgresql" else SQLITE_UNINSTALL)


def install_guards(apps, schema_editor):
    _run(schema_editor, [POSTGRES_INSTALL] if _vendor(schema_editor) == "postgresql" else SQLITE_INSTALL)


def install_old_guards(apps, schema_editor):
    _run(schema_editor, [POSTGRES_OLD_GUARD] if _vendor(schema_editor) == "postgresql" else SQLITE_OLD_GUARD)


# Frozen copies of the hash functions, so later changes to the model do not change this migration.
def _content(event, *, with_prev_hash):
    payload = {
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": str(event.target_id),
        "customer": event.customer_id,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "request_ref": event.request_ref,
        "ip": event.ip,
    }
    if with_prev_hash:
        payload["prev_hash"] = event.prev_hash
    return json.dumps(payload, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))


def _sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def _old_hash(event):  # 0001-0003: sha256 of the content and prev_hash; chain in id order
    return _sha256(_content(event, with_prev_hash=True))


def _new_hash(event):  # 0004: sha256(prev_hash || content_hash); chain in chain_seq order
    return _sha256(event.prev_hash + event.content_hash)


REWRITE_NEW = "UPDATE accounts_auditevent SET content_hash = %s, chain_seq = %s, prev_hash = %s, hash = %s WHERE id = %s"
REWRITE_OLD = "UPDATE accounts_auditevent SET prev_hash = %s, hash = %s WHERE id = %s"


def _write(schema_editor, sql, rows):
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def rechain_at_commit(apps, schema_editor):
    """Old chain (id order) -> content_hash + chain_seq chain, in the same order."""
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    db = schema_editor.connection.alias
    old_previous, new_previous, rows = GENESIS_HASH, GENESIS_HASH, []
    for seq, event in enumerate(AuditEvent.objects.using(db).order_by("id").iterator(chunk_size=2000), start=1):
        if event.prev_hash != old_previous or _old_hash(event) != event.hash:
            raise RuntimeError(
                f"the audit chain is already broken at event {event.pk} (see manage.py verify_audit_chain "
                "before this migration); refusing to re-chain it, which would hide the break")
        old_previous = event.hash
        event.content_hash = _sha256(_content(event, with_prev_hash=False))
        event.prev_hash = new_previous
        new_previous = _new_hash(event)
        rows.append((event.content_hash, seq, event.prev_hash, new_previous, event.pk))
        if len(rows) >= 2000:
            _write(schema_editor, REWRITE_NEW, rows)
            rows = []
    if rows:
        _write(schema_editor, REWRITE_NEW, rows)


def rechain_in_id_order(apps, schema_editor):
    """chain_seq chain -> the old chain (sha256 of content and prev_hash) in id order."""
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    db = schema_editor.connection.alias
    events = AuditEvent.objects.using(db)
    previous, seq = GENESIS_HASH, 0
    for event in events.order_by("chain_seq").iterator(chunk_size=2000):
        seq += 1
        if (event.chain_seq != seq or event.prev_hash != previous or _new_hash(event) != event.hash
                or _sha256(_content(event, with_prev_hash=False)) != event.content_hash):
            raise RuntimeError(f"the audit chain is broken at event {event.pk}; refusing to re-chain it, which would hide the break")
        previous = event.hash
    previous, rows = GENESIS_HASH, []
    for event in events.order_by("id").iterator(chunk_size=2000):
        event.prev_hash = previous
        previous = _old_hash(event)
        rows.append((event.prev_hash, previous, event.pk))
        if len(rows) >= 2000:
            _write(schema_editor, REWRITE_OLD, rows)
            rows = []
    if rows:
        _write(schema_editor, REWRITE_OLD, rows)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_person_persons_email_upper")]

    operations = [
        migrations.RunPython(drop_guards, install_old_guards),
        migrations.AddField(
            model_name="auditevent",
            name="content_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain_seq",
            field=models.BigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(rechain_at_commit, rechain_in_id_order),
        migrations.RunPython(install_guards, drop_guards),
    ]
