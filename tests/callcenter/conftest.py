"""The call-center console's tests: an agent logged in, reading the pages in English."""

import pytest

from tests.workflows.paperwork import staff


@pytest.fixture
def agent(db):
    user = staff("callcenter_agents", "agent")
    user.first_name, user.last_name = "Anna", "Agent"
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture
def console(client, agent):
    """The test client, logged in as the agent, in English."""
    client.force_login(agent)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
