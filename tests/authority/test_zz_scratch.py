import pytest
import authority
from tests.authority import test_property as tp
from hypothesis import event

pytestmark = pytest.mark.django_db

def test_mutant_collaborator_scope(client, monkeypatch):
    monkeypatch.setattr(authority, "_chain", lambda grant: grant if grant.delegated_from_id is None or grant.delegated_from.revoked_at is None else None)
    tp.test_pages_and_authority_allow_exactly_what_the_grant_chain_allows(client)

def test_mutant_empty_scope_everything(client, monkeypatch):
    orig = authority._scope_ids
    monkeypatch.setattr(authority, "_scope_ids", lambda grants: {k: v for k, v in orig(grants).items() if v})
    tp.test_pages_and_authority_allow_exactly_what_the_grant_chain_allows(client)

def test_mutant_collaborator_may_add(client, monkeypatch):
    monkeypatch.setattr(authority, "COLLABORATOR_ACTIONS", authority.COLLABORATOR_ACTIONS | {authority.Action.MANAGE_COLLABORATORS})
    tp.test_pages_and_authority_allow_exactly_what_the_grant_chain_allows(client)
