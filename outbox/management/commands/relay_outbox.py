"""Offer the outbox's waiting messages to the broker until it takes them (one loop; run one or more)."""

from __future__ import annotations

import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from faults import backoff, is_transient
from outbox import services

logger = logging.getLogger("outbox.relay")


class Command(BaseCommand):
    help = "Relay the outbox's messages to the broker (stops on SIGTERM or Ctrl-C)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="relay what is due once and exit")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between rounds when idle")

    def handle(self, *args, once: bool = False, interval: float = 1.0, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        failures = 0
        while not stopping:
            try:
                close_old_connections()
                relayed = services.relay_pending()
                failures = 0
            except Exception as exc:
                if not is_transient(exc):
                    raise
                failures += 1
                logger.warning("outbox relay: %r; trying again", exc)
                relayed = 0
                time.sleep(backoff(failures, base=1, cap=30))
            if relayed:
                logger.info("outbox relay: %s message(s) relayed", relayed)
            if once:
                return
            if not relayed:
                time.sleep(interval)
