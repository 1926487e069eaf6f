"""One ``migrate`` of an empty database is enough: the staff groups hold every permission of GROUP_PERMISSIONS.

Viewflow's "manage_<process>" permissions are created by a post_migrate handler connected after ours
(workflows.receivers.ensure_staff_groups); this runs the real command on a new, empty database.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from workflows.rules import GROUP_PERMISSIONS

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

REPORT = """
import json
from django.contrib.auth.models import Group
print(json.dumps({g.name: sorted(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}))
"""


@pytest.fixture
def empty_database_url(tmp_path):
    """A DATABASE_URL naming a new, empty database of the same kind as the test database; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'first.sqlite3'}"
        return
    if connection.vendor != "postgresql":
        pytest.skip(f"no empty {connection.vendor} database to make")
    name = f"first_migrate_{uuid.uuid4().hex[:12]}"
    db = connection.settings_dict
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    credentials = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
    yield f"postgres://{credentials}{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _manage(database_url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "backoffice.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_one_migrate_gives_every_staff_group_all_its_permissions(empty_database_url):
    _manage(empty_database_url, "migrate", "--no-input", "-v", "0")
    groups = json.loads(_manage(empty_database_url, "shell", "-v", "0", "-c", REPORT).strip().splitlines()[-1])
    for name, codenames in GROUP_PERMISSIONS.items():
        assert set(codenames) <= set(groups[name]), name
