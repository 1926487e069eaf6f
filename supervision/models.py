"""Heartbeats: each queue's last sign of a working consumer, and beat's last send (``/readyz``, ``/metrics``)."""

from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """``queue:<name>``: the last heartbeat task run from one queue (when beat sent it, when a worker ran it);
    ``worker:<name>``: the last time a worker consuming that queue said it was alive (both times the same)."""

    name = models.CharField(max_length=60, unique=True)
    sent_at = models.DateTimeField()
    ran_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} ran at {self.ran_at:%Y-%m-%d %H:%M:%S}"
