import logging

from celery import shared_task
from oauth2_provider.models import clear_expired

logger = logging.getLogger(__name__)


@shared_task
def purge_expired_oauth_tokens() -> None:
    """Daily: delete expired authorization codes and access tokens, and refresh tokens past their lifetime
    (django-oauth-toolkit's own purge, in batches; revoked refresh tokens stay until they expire, so that the reuse
    of a rotated one is still caught)."""
    clear_expired()
