"""Stress test of the embedded Celery broker: are tasks lost or run twice while workers restart?

P producer processes publish T tasks each while W worker processes (prefork, C children each) consume
them and are restarted every few seconds: SIGTERM to the main process (warm shutdown) or SIGKILL to the
whole worker (a crash). Every task writes a side effect keyed by its id (a file ``effects/<id>``,
created idempotently) and logs each execution (``runs/<id>~<uuid>``), so the figures are:

* lost: ids whose side effect never appeared;
* duplicated: executions beyond the first (how many side effects a non-idempotent task would repeat);
* crashes: worker exits this harness did not cause (e.g. upstream's "Unrecoverable error: JSONDecodeError");
* publish errors: producers that died on a broker error (tasks counts only what was published).

Usage (from the repository root; needs no server unless ``redis`` is listed)::

    .venv/bin/python -m benchmarks.broker_stress                       # 4 x 1000, filesystem and safefs, TERM and KILL
    .venv/bin/python -m benchmarks.broker_stress --transports filesystem,safefs,redis --signals TERM

A small Celery app of its own (this module: one task, ``broker_stress.work``), not the product's tasks.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from celery import Celery

import backoffice.broker  # noqa: F401  (registers safefs://)

ROOT = Path(__file__).resolve().parent.parent
QUEUE = "stress"
DEFAULT_REDIS = "redis://127.0.0.1:6379/11"

app = Celery("broker_stress", set_as_current=False)  # importing it (the tests do) must not replace the product's app
_STATE = os.environ.get("BROKER_STRESS_DIR")


def broker_config(url: str, state: Path) -> dict:
    options = {}
    if url.split("://")[0] in ("filesystem", "safefs"):
        broker = state / "broker"
        options = {
            "data_folder_in": str(broker / "queue"),
            "data_folder_out": str(broker / "queue"),
            "processed_folder": str(broker / "processed"),
            "control_folder": str(broker / "control"),
            "store_processed": False,
            "polling_interval": 0.1,
        }
    return {
        "broker_url": url,
        "broker_transport_options": options,
        "task_acks_late": True,
        "worker_prefetch_multiplier": 1,
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_default_queue": QUEUE,
        "broker_connection_retry_on_startup": True,
        "task_ignore_result": True,
        "worker_hijack_root_logger": True,
    }


if _STATE:
    app.conf.update(broker_config(os.environ["BROKER_STRESS_URL"], Path(_STATE)))


@app.task(name="broker_stress.work")
def work(task_id: str, delay: float, padding: str = "") -> None:
    time.sleep(delay)
    state = Path(_STATE)
    (state / "runs" / f"{task_id}~{uuid.uuid4().hex}").touch()
    # The side effect, idempotent: created once whatever the number of runs.
    try:
        os.close(os.open(state / "effects" / task_id, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        pass


def produce(first: int, count: int, mean_delay: float, payload: int = 0, rate: float = 0) -> None:
    rng, padding, published = random.Random(first), "x" * payload, 0
    try:
        with app.connection_for_write() as conn:
            for n in range(first, first + count):
                work.apply_async(args=(f"t{n:06d}", rng.uniform(0, 2 * mean_delay), padding), connection=conn)
                published += 1
                if rate:
                    time.sleep(rng.uniform(0, 2 / rate))
    finally:  # what a producer that failed did publish: the rest is not "lost" by the broker
        (Path(_STATE) / "published" / str(first)).write_text(str(published))


def _prepare(url: str, state: Path) -> None:
    if url.startswith("redis://"):
        import redis

        redis.Redis.from_url(url).flushdb()
    for sub in ("runs", "effects", "published", "systmp", "broker/queue", "broker/processed", "broker/control"):
        (state / sub).mkdir(parents=True, exist_ok=True)


@dataclass
class Result:
    transport: str
    signal: str
    tasks: int
    lost: int = 0
    duplicated: int = 0
    publish_errors: int = 0
    restarts: int = 0
    crashes: int = 0
    quarantined: int = 0
    wall: float = 0.0
    crash_lines: list[str] = field(default_factory=list)

    def row(self) -> str:
        return (
            f"{self.transport:<11} {self.signal:<5} {self.tasks:>6} {self.lost:>6} {self.duplicated:>11} "
            f"{self.restarts:>9} {self.crashes:>8} {self.publish_errors:>15} {self.quarantined:>12} {self.wall:>8.1f}"
        )


HEADER = (
    f"{'transport':<11} {'kill':<5} {'tasks':>6} {'lost':>6} {'duplicated':>11} {'restarts':>9} {'crashes':>8} "
    f"{'publish errors':>15} {'quarantined':>12} {'wall s':>8}"
)


class Worker:
    def __init__(self, index: int, env: dict, state: Path, concurrency: int):
        self.index, self.env, self.state, self.concurrency = index, env, state, concurrency
        self.generation, self.proc, self.log = 0, None, None

    def start(self) -> None:
        self.generation += 1
        self.log = self.state / f"worker{self.index}.{self.generation}.log"
        cmd = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "benchmarks.broker_stress",
            "worker",
            "-Q",
            QUEUE,
            "-c",
            str(self.concurrency),
            "-n",
            f"stress{self.index}@%h",
            "-l",
            "warning",
        ]
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def stop(self, sig: str, grace: float = 60) -> None:
        """TERM: warm shutdown of the main process. KILL: the main process and its pool children at once."""
        if sig == "KILL":
            _killpg(self.proc.pid, signal.SIGKILL)
        else:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            _killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        _killpg(self.proc.pid, signal.SIGKILL)  # pool children left behind, if any

    def crash_line(self) -> str:
        text = self.log.read_text(errors="replace") if self.log and self.log.exists() else ""
        lines = [line for line in text.splitlines() if "Unrecoverable error" in line] or text.strip().splitlines()[-1:]
        return (lines or ["(no output)"])[-1].split("] ", 1)[-1][:160]


def _killpg(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def run(
    transport: str,
    sig: str,
    *,
    producers: int = 4,
    tasks: int = 1000,
    workers: int = 2,
    concurrency: int = 2,
    restart_every: float = 3.0,
    mean_delay: float = 0.01,
    payload: int = 0,
    rate: float = 0,
    idle_timeout: float = 30.0,
    timeout: float = 600.0,
    redis_url: str = DEFAULT_REDIS,
    state: Path | None = None,
    verbose: bool = False,
    min_restarts: int = 3,
) -> Result:
    """One stress run; returns its figures. ``transport``: filesystem, safefs or redis."""
    url = {"filesystem": "filesystem://", "safefs": "safefs://", "redis": redis_url}[transport]
    own_state = state is None
    state = Path(tempfile.mkdtemp(prefix=f"broker-stress-{transport}-")) if own_state else state
    _prepare(url, state)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DJANGO_"))}
    env |= {
        "BROKER_STRESS_DIR": str(state),
        "BROKER_STRESS_URL": url,
        "TMPDIR": str(state / "systmp"),
        "PYTHONPATH": str(ROOT),
    }
    total = producers * tasks
    result = Result(transport, sig, total)
    pool = [Worker(i, env, state, concurrency) for i in range(workers)]
    started = time.monotonic()
    for w in pool:
        w.start()
    maker_logs = [open(state / f"producer{i}.log", "w") for i in range(producers)]
    makers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.broker_stress",
                "--produce",
                str(i * tasks),
                str(tasks),
                str(mean_delay),
                str(payload),
                str(rate),
            ],
            cwd=ROOT,
            env=env,
            stderr=maker_logs[i],
        )
        for i in range(producers)
    ]
    effects = state / "effects"
    next_restart, turn, done, last_progress, last_done = started + restart_every, 0, 0, started, -1
    try:
        while True:
            time.sleep(0.2)
            now = time.monotonic()
            done = len(os.listdir(effects))
            if done != last_done:
                last_done, last_progress = done, now
            producing = any(m.poll() is None for m in makers)
            if done >= total or (not producing and now - last_progress > idle_timeout) or now - started > timeout:
                break
            for w in pool:  # a worker that died on its own: count it, restart it
                if w.proc.poll() is not None:
                    result.crashes += 1
                    result.crash_lines.append(f"exit {w.proc.returncode}: {w.crash_line()}")
                    w.start()
            # workers are restarted while the producers publish (and at least min_restarts times); then they drain
            # undisturbed (on a machine so busy that a worker takes longer to start than the interval, they would
            # otherwise never finish, and what they did not run would count as lost)
            if now >= next_restart and (producing or result.restarts < min_restarts):
                w = pool[turn % workers]
                turn += 1
                w.stop(sig)
                result.restarts += 1
                w.start()
                next_restart = time.monotonic() + restart_every
            if verbose:
                print(f"\r{transport} {sig}: {done}/{total} done, {result.restarts} restarts", end="", flush=True)
        result.wall = (last_progress if done else time.monotonic()) - started
    finally:
        for m in makers:
            if m.poll() is None:
                m.kill()
        for w in pool:
            w.stop("TERM", grace=30)
        if verbose:
            print()
    # A producer that died on a broker error (upstream: JSONDecodeError on a half-written exchange file) is
    # counted apart: what it did not publish is not lost by the broker.
    result.publish_errors = sum(1 for m in makers if m.returncode)
    for i, m in enumerate(makers):
        maker_logs[i].close()
        if m.returncode:
            last = (state / f"producer{i}.log").read_text(errors="replace").strip().splitlines()[-1:] or ["(no output)"]
            result.crash_lines.append(f"producer exit {m.returncode}: {last[0][:160]}")
    published = {
        f"t{n:06d}"
        for p in (state / "published").iterdir()
        for n in range(int(p.name), int(p.name) + int(p.read_text() or 0))
    }
    result.tasks = len(published)
    ran = set(os.listdir(effects))
    runs = [name.split("~")[0] for name in os.listdir(state / "runs")]
    result.lost = len(published - ran)
    result.duplicated = len(runs) - len(set(runs))
    quarantine = state / "broker" / "quarantine"
    result.quarantined = len(os.listdir(quarantine)) if quarantine.exists() else 0
    if own_state:
        shutil.rmtree(state, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--produce", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--transports", default="filesystem,safefs", help="comma-separated: filesystem, safefs, redis")
    parser.add_argument("--signals", default="TERM,KILL", help="how workers are restarted: TERM (warm), KILL")
    parser.add_argument("--producers", type=int, default=4)
    parser.add_argument("--tasks", type=int, default=1000, help="tasks per producer")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2, help="pool processes per worker")
    parser.add_argument("--restart-every", type=float, default=3.0, help="seconds between worker restarts")
    parser.add_argument("--delay", type=float, default=0.01, help="mean task duration, seconds")
    parser.add_argument("--payload", type=int, default=0, help="bytes of padding per message (widens upstream's race)")
    parser.add_argument(
        "--rate",
        type=float,
        default=0,
        help="messages per second per producer (0: at once); with a"
        " short queue workers read the newest file, where upstream's half-written-file race is",
    )
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--keep", action="store_true", help="keep each run's folder (logs, broker files)")
    args = parser.parse_args(argv)
    if args.produce:
        first, count, delay, payload, rate = (args.produce + ["0", "0"])[:5]
        produce(int(first), int(count), float(delay), int(payload), float(rate))
        return
    print(
        f"{args.producers} producers x {args.tasks} tasks, {args.workers} workers x {args.concurrency} processes, "
        f"a worker restarted every {args.restart_every:g} s, tasks of ~{args.delay * 1000:g} ms, {args.payload} bytes of padding, "
        f"{f'{args.rate:g} messages/s per producer' if args.rate else 'published at once'}"
    )
    results = []
    for transport in args.transports.split(","):
        for sig in args.signals.split(","):
            state = Path(tempfile.mkdtemp(prefix=f"broker-stress-{transport}-{sig}-")) if args.keep else None
            r = run(
                transport,
                sig.upper(),
                producers=args.producers,
                tasks=args.tasks,
                workers=args.workers,
                concurrency=args.concurrency,
                restart_every=args.restart_every,
                mean_delay=args.delay,
                payload=args.payload,
                rate=args.rate,
                redis_url=args.redis_url,
                state=state,
                verbose=sys.stdout.isatty(),
            )
            results.append(r)
            print(HEADER if len(results) == 1 else "", end="\n" if len(results) == 1 else "")
            print(r.row(), flush=True)
            for line in sorted(set(r.crash_lines))[:3]:
                print(f"    crash: {line}")
            if state:
                print(f"    files: {state}")


if __name__ == "__main__":
    main()
