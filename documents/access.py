"""Who may read a document's contents. Views call this through ``settings.DOCUMENTS_ACCESS_POLICY``.

Staff in "verifiers" or "supervisors" read everything; other staff (call-center
agents) may know a document exists but not read it. On the customer side, a
person reads the documents of a set whose customer they hold an active grant on
as representative, authorised (full) or external manager. Everyone else: no.
"""

from __future__ import annotations

from accounts.selectors import capabilities

READER_GROUPS = ("verifiers", "supervisors")


def may_read(user, document) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff:
        return user.groups.filter(name__in=READER_GROUPS).exists()
    person = getattr(user, "person", None)
    customer_id = document.document_set.customer_id
    if person is None or customer_id is None:
        return False
    return capabilities(person, customer_id).can_request_changes
