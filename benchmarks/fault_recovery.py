"""Time to recover from each fault: from the part coming back to the end state being reached.

Runs a subset of the fault tests (tests/faults: private Redis, real workers, moto S3, small mail servers, a
private PostgreSQL stopped under the workers) and prints what each noted with ``tests.faults.parts.recovered``.
Needs PostgreSQL, as the tests do:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/faultsbench CELERY_BROKER_URL=redis://127.0.0.1:6379/11 \\
        .venv/bin/python benchmarks/fault_recovery.py [-k EXPRESSION]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SUBSET = (
    "broker_down or restarted_broker or hanging_broker or pool_child or killed_mid or storage_down or mail_server_down "
    "or database_that_is_down"
)


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(BASE_DIR))
    from tests.faults.parts import RECOVERY_REPORT_ENV

    selection = argv[argv.index("-k") + 1] if "-k" in argv else SUBSET
    with tempfile.NamedTemporaryFile("r", suffix=".tsv") as report:
        env = os.environ | {RECOVERY_REPORT_ENV: report.name}
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests/faults", "-k", selection],
            cwd=BASE_DIR,
            env=env,
        )
        rows = [line.rstrip("\n").split("\t") for line in report if line.strip()]
    print(f"\n{'fault':<52} time to recover")
    for fault, seconds in rows:
        print(f"{fault:<52} {float(seconds):6.1f} s")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
