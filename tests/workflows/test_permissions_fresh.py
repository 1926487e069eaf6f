"""Right after the first ``migrate`` of an empty database, supervisors may retry a failed step and nobody else may.

The retry ("Revive") page and Viewflow's other process-management pages ask the flow's ``has_manage_permission``,
which reads the ``manage_<process>`` permissions that only exist once the flows are loaded; this asks it in a
database that has had one ``migrate`` and nothing else (the empty database and the command come from
``test_first_migrate``).
"""

import json

import pytest

from .test_first_migrate import _manage, empty_database_url  # noqa: F401 -- the fixture, used by name

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

GATE = """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from workflows.flows import ExternalManager, RepresentativeChange
User = get_user_model()
gates = {}
for name in ("supervisors", "verifiers", "callcenter_agents"):
    user = User.objects.create(username="fresh-" + name, is_staff=True)
    user.groups.add(Group.objects.get(name=name))
    user = User.objects.get(pk=user.pk)
    gates[name] = [flow.instance.has_manage_permission(user) for flow in (RepresentativeChange, ExternalManager)]
print(json.dumps(gates))
"""


def test_after_one_migrate_only_supervisors_may_retry_a_failed_step(empty_database_url):  # noqa: F811
    _manage(empty_database_url, "migrate", "--no-input", "-v", "0")
    gates = json.loads(_manage(empty_database_url, "shell", "-v", "0", "-c", GATE).strip().splitlines()[-1])
    assert gates == {
        "supervisors": [True, True],
        "verifiers": [False, False],
        "callcenter_agents": [False, False],
    }
