"""Keep one process running for ``make run``: restart it with back-off when it exits, and say so.

    python backoffice/supervise.py --name worker --log var/log/worker.log -- celery -A backoffice worker ...

The command's output goes to the log file; the supervisor's own lines ("worker died (exit -9, SIGKILL),
restarted after 1 s (pid 1234)") go to the log file and to the terminal. The command runs in its own
process group, so a Ctrl-C in the terminal does not reach it: the supervisor, on SIGTERM (or on SIGINT when
it runs in the foreground; a shell's background job ignores SIGINT, and so does the supervisor then), sends
SIGTERM to the command's main process (for a Celery worker: warm shutdown, tasks in progress finish) and
waits for it. A second signal sends SIGQUIT (Celery: cold shutdown). Back-off between restarts: 1, 2, 4 ...
60 s, back to 1 s after a run of a minute. Standard library only: runs before anything is set up.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

BACKOFF = (1, 2, 4, 8, 16, 30, 60)  # seconds before each restart in a row
HEALTHY_AFTER = 60  # a run this long resets the back-off


class Supervisor:
    def __init__(self, name: str, command: list[str], log_path: str):
        self.name, self.command, self.log_path = name, command, log_path
        self.proc: subprocess.Popen | None = None
        self.stopping = 0

    def say(self, message: str) -> None:
        line = f"[{time.strftime('%Y-%m-%d %H:%M:%S')}: supervisor] {message}"
        with open(self.log_path, "a") as log:
            log.write(line + "\n")
        print(line, flush=True)

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                self.command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def on_signal(self, signum, frame) -> None:
        self.stopping += 1
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM if self.stopping == 1 else signal.SIGQUIT)
            except ProcessLookupError:
                pass

    def run(self) -> int:
        for sig in (signal.SIGINT, signal.SIGTERM):
            if signal.getsignal(sig) is not signal.SIG_IGN:  # a shell's background job ignores Ctrl-C: keep it so
                signal.signal(sig, self.on_signal)
        self.start()
        self.say(f"{self.name} started (pid {self.proc.pid}), output in {self.log_path}")
        failures = 0
        while True:
            started = time.monotonic()
            code = self.proc.wait()
            if self.stopping:
                self.say(f"{self.name} stopped (exit {code})")
                return 0
            failures = 0 if time.monotonic() - started >= HEALTHY_AFTER else failures
            delay = BACKOFF[min(failures, len(BACKOFF) - 1)]
            failures += 1
            how = f"exit {code}, {signal.Signals(-code).name}" if code < 0 else f"exit {code}"
            deadline = time.monotonic() + delay
            while time.monotonic() < deadline and not self.stopping:
                time.sleep(0.1)
            verb = "exited" if code == 0 else "died"
            if self.stopping:
                self.say(f"{self.name} {verb} ({how}), not restarted: stopping")
                return 0
            self.start()
            if self.stopping:  # a stop request that came while it was starting
                self.proc.send_signal(signal.SIGTERM)
            self.say(f"{self.name} {verb} ({how}), restarted after {delay} s (pid {self.proc.pid})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Restart a command when it exits; stop it cleanly on Ctrl-C.")
    parser.add_argument("--name", default="worker")
    parser.add_argument("--log", required=True, help="file for the command's output and the supervisor's lines")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- command and arguments")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    os.makedirs(os.path.dirname(os.path.abspath(args.log)), exist_ok=True)
    return Supervisor(args.name, command, args.log).run()


if __name__ == "__main__":
    sys.exit(main())
