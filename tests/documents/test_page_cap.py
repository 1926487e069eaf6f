"""The active documents of one request hold at most DOCUMENTS_MAX_PAGES_PER_REQUEST pages together."""

from __future__ import annotations

import pytest
from django.utils import translation

from documents import services

from . import samples


@pytest.fixture
def add(document_set, actor):
    def add(pages: int, text: str):
        return services.add_document(
            document_set=document_set, uploaded=samples.pdf(pages, text=text), original_name="p.pdf", actor=actor
        )

    return add


def test_a_file_that_would_pass_the_page_cap_is_refused_and_nothing_is_stored(
    add, document_set, settings, stored_local
):
    settings.DOCUMENTS_MAX_PAGES_PER_REQUEST = 5
    add(3, "one")
    before = stored_local()
    with pytest.raises(services.TooManyPages) as caught:
        add(3, "two")
    with translation.override("en"):
        assert str(caught.value.message) == (
            "A request holds at most 5 pages in all and its documents already have 3; "
            "remove a document or upload a file with fewer pages."
        )
    assert stored_local() == before and document_set.documents.count() == 1


def test_a_file_that_fills_the_page_cap_exactly_is_accepted(add, document_set, settings):
    settings.DOCUMENTS_MAX_PAGES_PER_REQUEST = 5
    add(3, "one")
    add(2, "two")
    assert sum(document_set.documents.values_list("page_count", flat=True)) == 5


def test_a_full_request_is_refused_before_the_file_is_parsed(add, settings, monkeypatch):
    settings.DOCUMENTS_MAX_PAGES_PER_REQUEST = 2
    add(2, "one")
    monkeypatch.setattr(services, "validate", lambda uploaded: pytest.fail("the file was parsed"))
    with pytest.raises(services.TooManyPages):
        add(1, "two")


def test_removed_documents_do_not_count_toward_the_page_cap(add, actor, settings):
    settings.DOCUMENTS_MAX_PAGES_PER_REQUEST = 4
    first = add(3, "one")
    with pytest.raises(services.TooManyPages):
        add(2, "two")
    services.remove_document(document=first, actor=actor)
    add(2, "two")


def test_the_page_cap_defaults_to_60(settings):
    del settings.DOCUMENTS_MAX_PAGES_PER_REQUEST
    assert services.max_pages_per_request() == 60


@pytest.mark.parametrize("language, words", [("ca", "pàgines"), ("es", "páginas")])
def test_the_page_cap_message_is_translated(add, settings, language, words):
    settings.DOCUMENTS_MAX_PAGES_PER_REQUEST = 1
    add(1, "one")
    with pytest.raises(services.TooManyPages) as caught:
        add(1, "two")
    with translation.override(language):
        assert words in str(caught.value.message)
