"""The cluster test (issue 15): scripts/cluster.py starts a production-shaped deployment on this machine -- two
gunicorn nodes behind haproxy (TLS), RabbitMQ, a Celery worker per queue, beat, the outbox relay, a fresh
PostgreSQL database, moto's S3 -- from the image's settings (DJANGO_DEBUG=false), and drives 50 paperwork requests
end to end through HTTP while one web node and the ocr worker are SIGKILLed and restarted. Its report lists every
problem it found (see the script's docstring); this test fails with that report and the processes' logs.

Runs in the normal suite. Skipped only when haproxy or RabbitMQ is absent from the machine."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.cluster, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 50
THREADS = 5


def _cluster_module():
    spec = importlib.util.spec_from_file_location("cluster_script", ROOT / "scripts" / "cluster.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _absent(broker_url: str) -> list[str]:
    missing = []
    if shutil.which("haproxy") is None:
        missing.append("haproxy (apt-get install haproxy)")
    broker = urlsplit(broker_url)
    try:
        socket.create_connection((broker.hostname or "127.0.0.1", broker.port or 5672), timeout=3).close()
    except OSError:
        missing.append(f"RabbitMQ at {broker.hostname}:{broker.port or 5672} (apt-get install rabbitmq-server)")
    return missing


def _postgres_server_url() -> str | None:
    """The suite's PostgreSQL server (DATABASE_URL), its maintenance database: the cluster's own database goes beside
    the test database."""
    url = os.environ.get("CLUSTER_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    return urlsplit(url)._replace(path="/postgres").geturl()


def test_fifty_requests_through_a_production_shaped_cluster_with_a_web_node_and_the_ocr_worker_killed():
    cluster_script = _cluster_module()
    missing = _absent(cluster_script.DEFAULT_BROKER)
    if missing:
        pytest.skip("the cluster test needs " + " and ".join(missing))
    postgres = _postgres_server_url() or cluster_script.DEFAULT_POSTGRES

    cluster = cluster_script.Cluster(requests=REQUESTS, threads=THREADS, postgres_url=postgres)
    try:
        cluster.up()
        report = cluster.drive(chaos=True)
        summary = report.summary()
        print(summary)
        logs = "\n".join(
            part.tail(30)
            for name, part in cluster.parts.items()
            if name in ("haproxy", "web1", "web2", "worker-celery", "worker-ocr", "worker-mail", "beat", "relay")
        )
        assert not report.problems, f"{summary}\n{logs}"
        # What "no problems" stands on: every request applied and checked, both faults made and recovered from.
        assert len(report.outcomes) == REQUESTS and all(not o.error and o.reference for o in report.outcomes), summary
        assert len(report.check["requests"]) == REQUESTS, summary
        assert all(row["outcome"] == "applied" and len(row["documents"]) == 1 for row in report.check["requests"])
        assert {fault.part for fault in report.faults if fault.killed_at and fault.recovered_at} == {
            "web1",
            "worker-ocr",
        }, summary
        assert len(report.decisions) == REQUESTS, summary
        assert report.check["audit_chain"]["returncode"] == 0, summary
    finally:
        cluster.down()
    # Nothing left behind: the run's folder, its database, its processes.
    assert not Path(cluster.run_dir).exists()
    import psycopg

    with psycopg.connect(postgres, autocommit=True) as conn:
        assert conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cluster.state.database]).fetchone() is None
    for pgid in cluster.state.groups.values():
        with pytest.raises(ProcessLookupError):
            os.killpg(pgid, 0)
