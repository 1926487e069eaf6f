"""`make run` keeps its Celery worker alive: backoffice/supervise.py restarts a worker that dies and says so
(terminal and var/log/worker.log), and stops it with a warm shutdown on Ctrl-C / SIGTERM."""

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from benchmarks import broker_stress

ROOT = Path(__file__).resolve().parents[2]
SUPERVISE = str(ROOT / "backoffice" / "supervise.py")


#: the supervisor started as a terminal starts a foreground job, whatever this pytest worker inherited: no signal
#: blocked, Ctrl-C and SIGTERM at their defaults (exec keeps both), then the script itself
_AS_FROM_A_TERMINAL = (
    "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); "
    "[signal.signal(s, signal.SIG_DFL) for s in (signal.SIGINT, signal.SIGTERM)]; "
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
)


class Supervised:
    """The supervisor as `make run` starts it; its terminal output read line by line."""

    def __init__(self, command, log, env=None):
        self.log = log
        # what this test process inherited (an earlier test in the same pytest worker may have left a signal
        # blocked or ignored): said when a stop is not seen
        self.inherited = (
            f"SIGINT {signal.getsignal(signal.SIGINT)}, blocked {signal.pthread_sigmask(signal.SIG_BLOCK, [])}"
        )
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _AS_FROM_A_TERMINAL,
                SUPERVISE,
                "--name",
                "worker",
                "--log",
                str(log),
                "--",
                *command,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines, self.seen = queue.Queue(), []
        threading.Thread(
            target=lambda: [self.lines.put(line.rstrip()) for line in self.proc.stdout], daemon=True
        ).start()

    def expect(self, pattern, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(line)
            if match := re.search(pattern, line):
                return match
        pytest.fail(
            f"no {pattern!r} on the terminal within {timeout} s: {self.seen}\n"
            f"test process: {self.inherited}\nlog:\n{self.log_text()}"
        )

    def log_text(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def close(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def _wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
def test_a_killed_worker_comes_back_and_ctrl_c_is_a_warm_shutdown(tmp_path):
    """A real Celery worker (the stress test's small app on the embedded broker), killed with SIGKILL."""
    state = tmp_path / "state"
    broker_stress._prepare("safefs://", state)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DJANGO_"))}
    env |= {"BROKER_STRESS_DIR": str(state), "BROKER_STRESS_URL": "safefs://", "PYTHONPATH": str(ROOT)}
    log = tmp_path / "log" / "worker.log"
    worker = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "benchmarks.broker_stress",
        "worker",
        "-Q",
        broker_stress.QUEUE,
        "-c",
        "1",
        "-l",
        "info",
    ]
    supervised = Supervised(worker, log, env)
    try:
        first = int(supervised.expect(r"worker started \(pid (\d+)\)").group(1))
        assert _wait_for(lambda: "ready." in supervised.log_text()), supervised.log_text()
        os.kill(first, signal.SIGKILL)
        second = int(supervised.expect(r"worker died \(exit -9, SIGKILL\), restarted after 1 s \(pid (\d+)\)").group(1))
        assert second != first and _alive(second)
        assert "worker died (exit -9, SIGKILL), restarted" in supervised.log_text()  # in var/log/worker.log too
        # The new worker does the work.
        subprocess.run(
            [sys.executable, "-m", "benchmarks.broker_stress", "--produce", "0", "5", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=60,
        )
        assert _wait_for(lambda: len(os.listdir(state / "effects")) == 5), supervised.log_text()
        # Ctrl-C (the supervisor's own process group only, as a terminal would send it)
        supervised.proc.send_signal(signal.SIGINT)
        supervised.expect(r"worker stopped \(exit 0\)")
        assert supervised.proc.wait(30) == 0
        assert "Warm shutdown" in supervised.log_text() and not _alive(second)
    finally:
        supervised.close()


def test_a_worker_that_keeps_dying_is_restarted_with_back_off_and_sigterm_stops_the_supervisor(tmp_path):
    log = tmp_path / "worker.log"
    supervised = Supervised([sys.executable, "-c", "import sys; print('boom'); sys.exit(3)"], log)
    try:
        supervised.expect(r"worker started")
        supervised.expect(r"worker died \(exit 3\), restarted after 1 s", timeout=10)
        supervised.expect(r"worker died \(exit 3\), restarted after 2 s", timeout=10)
        assert _wait_for(lambda: log.read_text().count("boom") == 3, timeout=10)
        time.sleep(0.5)  # the third run has exited: the supervisor waits 4 s before the next one
        supervised.proc.send_signal(signal.SIGTERM)
        supervised.expect(r"worker died \(exit 3\), not restarted: stopping", timeout=10)
        assert supervised.proc.wait(10) == 0
        assert log.read_text().count("boom") == 3
    finally:
        supervised.close()


def test_make_run_starts_the_worker_under_the_supervisor():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nrun: ", 1)[1].split("\n\n", 1)[0]
    assert "backoffice/supervise.py --name worker --log var/log/worker.log" in recipe
    assert "celery -A backoffice worker -l info -Q celery,ocr,mail" in recipe
    assert "wait' EXIT INT TERM" in recipe  # Ctrl-C waits for the warm shutdown
