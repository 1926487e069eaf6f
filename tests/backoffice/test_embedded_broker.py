"""The embedded broker (safefs://, backoffice/broker.py): nothing lost or run twice across warm worker restarts,
an unreadable message file is quarantined instead of killing the worker, and kombu's internals it builds on
have not moved. The full figures: ``python -m benchmarks.broker_stress``."""

import hashlib
import importlib
import inspect
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import kombu
import pytest

from backoffice import broker
from benchmarks import broker_stress

ROOT = Path(__file__).resolve().parents[2]

# sha256 (first 16 hex digits) of the source of what backoffice/broker.py subclasses or relies on, in kombu 5.7.0.
KOMBU_SOURCES = {
    "kombu.transport.filesystem:Channel": "3ba6c9ba643b11cb",
    "kombu.transport.filesystem:Transport": "f22c670083df641b",
    "kombu.transport.virtual.base:Channel.__init__": "23f2698043e10a95",
    "kombu.transport.virtual.base:Channel.basic_consume": "0fec962694938b61",
    "kombu.transport.virtual.base:Channel.basic_cancel": "1beb5cf96c9a2cb4",
    "kombu.transport.virtual.base:Channel.basic_get": "ba4884c15b6bed6d",
    "kombu.transport.virtual.base:Channel.basic_ack": "3b4278c757b44675",
    "kombu.transport.virtual.base:Channel.basic_reject": "d49bbd211da77d0d",
    "kombu.transport.virtual.base:Channel._restore": "809ac6f344d0b079",
    "kombu.transport.virtual.base:Channel._restore_at_beginning": "73d13c9f934f1113",
    "kombu.transport.virtual.base:Channel.basic_publish": "83825b6758712705",
    "kombu.transport.virtual.base:QoS.ack": "0714292b916fecb2",
    "kombu.transport.virtual.base:QoS.reject": "ae08291027f37509",
    "kombu.transport.virtual.base:QoS.restore_unacked": "42decbef03d576d3",
    "kombu.transport.virtual.base:Transport.__init__": "15c3eeb81a7640c4",
    "kombu.transport.virtual.base:Transport.drain_events": "dc55900aa0d2f4e8",
}


def test_kombu_internals_the_embedded_broker_relies_on_have_not_changed():
    assert kombu.__version__ == broker.KOMBU_PINNED, (
        f"kombu is {kombu.__version__}, backoffice/broker.py is pinned against {broker.KOMBU_PINNED}: re-read "
        "kombu/transport/filesystem.py and virtual/base.py against it, rerun python -m benchmarks.broker_stress, "
        "then update KOMBU_PINNED and KOMBU_SOURCES"
    )
    changed = []
    for target, expected in KOMBU_SOURCES.items():
        module, attr = target.split(":")
        obj = importlib.import_module(module)
        for part in attr.split("."):
            obj = getattr(obj, part)
        if hashlib.sha256(inspect.getsource(obj).encode()).hexdigest()[:16] != expected:
            changed.append(target)
    assert not changed, f"kombu code backoffice/broker.py overrides or relies on has changed: {changed}"


def _connection(tmp_path):
    folder = tmp_path / "broker"
    for sub in ("queue", "control", "processed"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return kombu.Connection(
        "safefs://",
        transport_options={
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "control_folder": str(folder / "control"),
            "processed_folder": str(folder / "processed"),
        },
    )


def test_safefs_is_the_registered_embedded_transport(tmp_path):
    with _connection(tmp_path) as conn:
        assert conn.transport_cls is broker.Transport or isinstance(conn.transport, broker.Transport)
    code = "from django.conf import settings as s; import kombu; print(s.CELERY_BROKER_URL, type(kombu.Connection(s.CELERY_BROKER_URL).transport).__module__)"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "CELERY_BROKER_URL") and not k.startswith("DJANGO_")
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env | {"BACKOFFICE_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split()[-2:] == ["safefs://", "backoffice.broker"], result.stdout + result.stderr
    assert {p.name for p in (tmp_path / "broker").iterdir()} >= {
        "queue",
        "control",
        "processed",
        "tmp",
        "claimed",
        "quarantine",
    }


def test_publish_is_atomic_and_a_message_stays_claimed_until_acknowledged(tmp_path):
    queue_dir, claimed = tmp_path / "broker" / "queue", tmp_path / "broker" / "claimed"
    with _connection(tmp_path) as conn, conn.SimpleQueue("q") as q:
        q.put({"n": 1})
        [name] = os.listdir(queue_dir)
        assert name.endswith(".q.msg") and not os.listdir(tmp_path / "broker" / "tmp")  # nothing left half-way
        message = q.get(timeout=2)
        assert message.payload == {"n": 1} and not os.listdir(queue_dir)
        assert [p.name for p in claimed.rglob("*.msg")] == [name]
        message.ack()
        assert not list(claimed.rglob("*.msg"))


def test_garbage_and_half_written_files_are_quarantined_not_fatal(tmp_path, caplog):
    queue_dir = tmp_path / "broker" / "queue"
    with _connection(tmp_path) as conn, conn.SimpleQueue("q") as q:
        (queue_dir / "0_1garbage.q.msg").write_bytes(b"\x00not json")
        (queue_dir / "0_2empty.q.msg").write_bytes(b"")  # what upstream's reader met: created, not written yet
        (queue_dir / "0_3cut.q.msg").write_text('{"body": "eyJu')
        q.put({"n": 2})
        message = q.get(timeout=2)
        assert message.payload == {"n": 2}
        message.ack()
    assert sorted(os.listdir(tmp_path / "broker" / "quarantine")) == [
        "0_1garbage.q.msg",
        "0_2empty.q.msg",
        "0_3cut.q.msg",
    ]
    assert "Unreadable broker message" in caplog.text


def test_a_file_an_upstream_producer_is_still_writing_is_read_once_written(tmp_path):
    import fcntl

    queue_dir = tmp_path / "broker" / "queue"
    with _connection(tmp_path) as conn, conn.SimpleQueue("q") as q:
        q.put({"n": 3})
        [name] = os.listdir(queue_dir)
        whole = (queue_dir / name).read_bytes()
        (queue_dir / name).unlink()
        with open(queue_dir / name, "wb", buffering=0) as writer:  # as kombu's filesystem._put does
            fcntl.flock(writer, fcntl.LOCK_EX)
            writer.write(whole[:20])
            with pytest.raises(q.Empty):
                q.get(timeout=0.3)
            writer.write(whole[20:])
            fcntl.flock(writer, fcntl.LOCK_UN)
        message = q.get(timeout=2)
        assert message.payload == {"n": 3}
        message.ack()
    assert not os.listdir(tmp_path / "broker" / "quarantine")


def test_an_exchange_file_another_process_has_just_created_is_no_error(tmp_path):
    with _connection(tmp_path) as conn:
        (tmp_path / "broker" / "control" / "q.exchange").write_bytes(b"")  # created, not written yet (upstream's race)
        with conn.SimpleQueue("q") as q:
            q.put({"n": 5})
            message = q.get(timeout=2)
            assert message.payload == {"n": 5}
            message.ack()
    assert json.loads((tmp_path / "broker" / "control" / "q.exchange").read_text()) == [["q", "", "q"]]


CONSUME_THEN_DIE = """
import os, signal, sys, kombu
import backoffice.broker
conn = kombu.Connection("safefs://", transport_options=dict(data_folder_in=sys.argv[1], data_folder_out=sys.argv[1],
                        control_folder=sys.argv[2]))
message = conn.SimpleQueue("q").get(timeout=5)
print(message.payload["n"], flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # before the ack
"""


def test_a_message_taken_by_a_process_that_died_goes_back_to_the_queue(tmp_path):
    with _connection(tmp_path) as conn, conn.SimpleQueue("q") as q:
        q.put({"n": 4})
        folder = tmp_path / "broker"
        died = subprocess.run(
            [sys.executable, "-c", CONSUME_THEN_DIE, str(folder / "queue"), str(folder / "control")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert died.returncode == -signal.SIGKILL and died.stdout.strip() == "4", died.stderr
        [owner] = os.listdir(folder / "claimed")
        assert owner.startswith(socket.gethostname() + "-") and os.listdir(folder / "claimed" / owner)
        message = q.get(timeout=2)  # a new consumer puts back what the dead one held, then reads it
        assert message.payload == {"n": 4}
        message.ack()
        assert not os.path.exists(folder / "claimed" / owner)


@pytest.mark.slow
def test_a_worker_survives_unreadable_message_files(tmp_path):
    state = tmp_path / "state"
    broker_stress._prepare("safefs://", state)
    queue_dir = state / "broker" / "queue"
    (queue_dir / "0_1garbage.stress.msg").write_bytes(b"garbage")
    (queue_dir / "0_2empty.stress.msg").write_bytes(b"")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DJANGO_"))}
    env |= {"BROKER_STRESS_DIR": str(state), "BROKER_STRESS_URL": "safefs://", "PYTHONPATH": str(ROOT)}
    worker = broker_stress.Worker(0, env, state, concurrency=1)
    worker.start()
    try:
        subprocess.run(
            [sys.executable, "-m", "benchmarks.broker_stress", "--produce", "0", "20", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=60,
        )
        deadline = time.monotonic() + 60
        while len(os.listdir(state / "effects")) < 20 and worker.proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert worker.proc.poll() is None, worker.log.read_text()
        assert len(os.listdir(state / "effects")) == 20, worker.log.read_text()
        assert sorted(os.listdir(state / "broker" / "quarantine")) == ["0_1garbage.stress.msg", "0_2empty.stress.msg"]
        assert "Unreadable broker message" in worker.log.read_text()
    finally:
        worker.stop("TERM")


@pytest.mark.slow
def test_warm_worker_restarts_lose_and_duplicate_nothing(tmp_path):
    result = broker_stress.run("safefs", "TERM", producers=4, tasks=250, restart_every=2.0, state=tmp_path)
    figures = json.dumps(result.__dict__)
    assert result.restarts >= 3, figures
    assert (result.tasks, result.publish_errors, result.crashes, result.quarantined) == (1000, 0, 0, 0), figures
    assert (result.lost, result.duplicated) == (0, 0), figures


@pytest.mark.slow
def test_killed_workers_lose_nothing(tmp_path):
    """SIGKILL: what the dead worker had taken is put back when a worker starts; a task that had finished but
    was not yet acknowledged runs again (at least once), so duplicates are allowed here, losses are not."""
    result = broker_stress.run("safefs", "KILL", producers=4, tasks=100, restart_every=2.0, state=tmp_path)
    figures = json.dumps(result.__dict__)
    assert result.restarts >= 3, figures
    assert (result.tasks, result.publish_errors, result.crashes, result.quarantined) == (400, 0, 0, 0), figures
    assert result.lost == 0, figures
