"""The embedded Celery broker (``safefs://``): kombu's filesystem transport made safe for several processes.

Pinned against kombu 5.7.0 (``kombu.transport.filesystem``, "Filesystem Transport" 1.0.0): this module
subclasses its ``Channel`` and ``Transport`` and replaces ``Channel._put``, ``_get``, ``_queue_bind`` and
``get_table``; tests/backoffice/test_embedded_broker.py fails loudly when the kombu version or the upstream
code this relies on changes. Same on-disk message format and file names as upstream, same folders (settings:
``var/broker/queue``, ``control``, ``processed``) plus ``tmp``, ``claimed`` and ``quarantine``.

What upstream does, and what this does instead:

* Publish. Upstream creates the message file in the queue folder and writes into it; a worker that
  lists the folder meanwhile takes the half-written file, ``json.loads`` fails and the worker dies
  ("Unrecoverable error: JSONDecodeError"), losing the message. Here the message is written to a
  file in ``tmp`` (same file system), flushed, then ``os.replace``-d into the queue folder: a reader
  sees a whole message or nothing.
* Consume. Upstream moves the file with ``shutil.move`` to the system temporary folder (a copy plus a
  delete when that is another file system: two workers can both take it), reads it and deletes it
  at once, so a worker killed before the task finished loses it. Here a worker claims a file with
  one ``os.rename`` into ``claimed/<host>-<pid>-<start>/`` (atomic: one winner), and deletes it only
  when the message is acknowledged, rejected or handed back (warm shutdown re-queues what it had not
  started). Claims of a process that no longer exists (SIGKILL, power cut) go back to the queue, on
  the next worker start and every ``reclaim_interval`` seconds: delivery is at least once, so a task
  killed midway runs again (tasks must be idempotent).
* A file that does not parse (garbage, truncated) is moved to ``quarantine`` and logged as an error
  instead of killing the worker. A file an upstream ``filesystem://`` producer is still writing
  (it holds an exclusive ``flock`` while it writes) is put back and read later.
* Bindings (``control/<exchange>.exchange``). Upstream ``_queue_bind`` creates the file with "wb" and
  locks it afterwards, so two processes starting at once can read it empty (JSONDecodeError) or
  overwrite each other's binding; here ``_queue_bind`` locks before it reads, and ``get_table`` reads
  an empty file as no bindings.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
import tempfile
import time
import uuid
from collections import deque
from queue import Empty
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem, virtual
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads
from kombu.utils.objects import cached_property

KOMBU_PINNED = "5.7.0"
SCHEME = "safefs"

logger = logging.getLogger(__name__)


def register() -> None:
    """Make ``safefs://`` a broker URL scheme (kombu looks schemes up in TRANSPORT_ALIASES)."""
    TRANSPORT_ALIASES[SCHEME] = f"{__name__}:Transport"


def _start_time(pid: int) -> str:
    """A process's start time (clock ticks since boot) on Linux, to tell a reused pid apart; '' elsewhere."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return ""


def _alive(pid: int, start: str) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return not start or not os.path.exists("/proc") or _start_time(pid) == start


class Channel(filesystem.Channel):
    """Atomic publish, claim-until-ack consume, quarantine of unreadable files."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._claims: dict[str, str] = {}  # delivery tag -> claimed file
        self._no_ack_queues: set[str] = set()
        self._pending: dict[str, deque] = {}  # queue -> file names seen by the last listing
        self._next_reclaim = 0.0
        self._claimed_for: tuple[int, str] | None = None
        for folder in (
            self.data_folder_in,
            self.data_folder_out,
            self.tmp_folder,
            self.claimed_root,
            self.quarantine_folder,
            self.control_folder,
        ):
            os.makedirs(folder, exist_ok=True)

    # Folders: next to the queue folder unless the transport options say otherwise.
    @cached_property
    def _base(self) -> str:
        return os.path.dirname(os.path.abspath(self.data_folder_in))

    @cached_property
    def tmp_folder(self) -> str:
        return self.transport_options.get("tmp_folder") or os.path.join(self._base, "tmp")

    @cached_property
    def claimed_root(self) -> str:
        return self.transport_options.get("claimed_folder") or os.path.join(self._base, "claimed")

    @cached_property
    def quarantine_folder(self) -> str:
        return self.transport_options.get("quarantine_folder") or os.path.join(self._base, "quarantine")

    @cached_property
    def reclaim_interval(self) -> float:
        return float(self.transport_options.get("reclaim_interval", 30))

    @property
    def claimed_folder(self) -> str:
        """``claimed/<host>-<pid>-<start time>``: per process (a forked child that consumes gets its own)."""
        pid = os.getpid()
        if self._claimed_for is None or self._claimed_for[0] != pid:
            folder = os.path.join(self.claimed_root, f"{socket.gethostname()}-{pid}-{_start_time(pid) or 0}")
            os.makedirs(folder, exist_ok=True)
            self._claimed_for = (pid, folder)
        return self._claimed_for[1]

    def get_table(self, exchange):
        """Bindings of ``exchange``; an exchange file just created by another process (still empty) has none."""
        file = self._exchange_file(exchange)
        try:
            with file.open("rb") as f:
                fcntl.flock(f.fileno(), fcntl.LOCK_SH)
                raw = f.read()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise ChannelError(f"Cannot open {file}") from exc
        return [filesystem.exchange_queue_t(*q) for q in loads(bytes_to_str(raw))] if raw.strip() else []

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        """Add a binding under an exclusive lock taken before reading. Upstream creates the file with "wb" and
        locks it afterwards: a second process then reads it empty (JSONDecodeError) or overwrites the first's
        binding."""
        file = self._exchange_file(exchange)
        self.control_folder.mkdir(exist_ok=True)
        binding = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        try:
            fd = os.open(file, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise ChannelError(f"Cannot open {file}") from exc
        with os.fdopen(fd, "rb+", buffering=0) as f:
            fcntl.flock(fd, fcntl.LOCK_EX)
            raw = f.read()
            bindings = [filesystem.exchange_queue_t(*q) for q in loads(bytes_to_str(raw))] if raw.strip() else []
            if binding not in bindings:
                bindings.insert(0, binding)
                f.seek(0)
                f.write(str_to_bytes(dumps(bindings)))
                f.truncate()

    def _put(self, queue, payload, **kwargs):
        """Write the message outside the queue folder, then move it in with one rename."""
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        try:
            fd, tmp = tempfile.mkstemp(dir=self.tmp_folder, suffix=".part")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(str_to_bytes(dumps(payload)))
                os.replace(tmp, os.path.join(self.data_folder_out, name))
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError as exc:
            raise ChannelError(f"Cannot add message {name!r} to the queue folder") from exc

    def _names(self, queue):
        """The queue's file names, oldest first: what is left of the last listing, then one new listing."""
        for listed in (False, True):
            pending = self._pending.get(queue)
            if not pending and listed:
                wanted = f"{queue}.msg"
                pending = self._pending[queue] = deque(
                    sorted(n for n in os.listdir(self.data_folder_in) if n.partition(".")[2] == wanted)
                )
            while pending:
                yield pending.popleft()

    def _get(self, queue):
        """Claim the oldest message of ``queue``: rename it into this process's claimed folder."""
        if monotonic() >= self._next_reclaim:
            self.reclaim()
        claimed_folder = self.claimed_folder
        for name in self._names(queue):
            source, claimed = os.path.join(self.data_folder_in, name), os.path.join(claimed_folder, name)
            try:
                os.rename(source, claimed)
            except OSError:
                continue  # another worker took it
            try:
                with open(claimed, "rb") as f:
                    try:
                        fcntl.flock(f.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
                    except OSError:  # an upstream producer is still writing it: leave it for later
                        os.rename(claimed, source)
                        continue
                    raw = f.read()
            except OSError as exc:
                raise ChannelError(f"Cannot read file {claimed!r} from queue.") from exc
            try:
                payload = loads(bytes_to_str(raw))
                tag = payload["properties"]["delivery_tag"]
            except Exception as exc:  # noqa: BLE001 - anything unreadable goes to quarantine
                self._quarantine(claimed, name, exc)
                continue
            if queue in self._no_ack_queues:
                _unlink(claimed)
            else:
                self._claims[tag] = claimed
            return payload
        raise Empty()

    def _quarantine(self, claimed, name, exc):
        target = os.path.join(self.quarantine_folder, name)
        try:
            os.replace(claimed, target)
        except OSError:
            _unlink(claimed)
            target = "(deleted)"
        logger.error("Unreadable broker message %s moved to %s: %r", name, target, exc)

    def _release(self, delivery_tag):
        claimed = self._claims.pop(delivery_tag, None)
        if claimed:
            _unlink(claimed)

    def basic_consume(self, queue, no_ack, *args, **kwargs):
        if no_ack:
            self._no_ack_queues.add(queue)
        return super().basic_consume(queue, no_ack, *args, **kwargs)

    def basic_cancel(self, consumer_tag):
        self._no_ack_queues.discard(self._tag_to_queue.get(consumer_tag))
        return super().basic_cancel(consumer_tag)

    def basic_get(self, queue, no_ack=False, **kwargs):
        message = super().basic_get(queue, no_ack=no_ack, **kwargs)
        if message is not None and no_ack:
            self._release(message.delivery_tag)
        return message

    def basic_ack(self, delivery_tag, multiple=False):
        super().basic_ack(delivery_tag, multiple)
        self._release(delivery_tag)

    def basic_reject(self, delivery_tag, requeue=False):
        super().basic_reject(delivery_tag, requeue=requeue)
        self._release(delivery_tag)

    def _restore(self, message):
        """Put an unacknowledged message back (warm shutdown, requeue), then drop the claim."""
        super()._restore(message)
        self._release(message.delivery_tag)

    def reclaim(self) -> int:
        """Put back the messages claimed by processes of this host that no longer exist."""
        self._next_reclaim = monotonic() + self.reclaim_interval
        host, count = socket.gethostname(), 0
        try:
            owners = os.listdir(self.claimed_root)
        except FileNotFoundError:
            return 0
        for owner in owners:
            try:
                owner_host, pid, start = owner.rsplit("-", 2)
                pid = int(pid)
            except ValueError:
                continue
            if owner_host != host or _alive(pid, "" if start == "0" else start):
                continue
            folder = os.path.join(self.claimed_root, owner)
            for name in os.listdir(folder):
                try:
                    os.rename(os.path.join(folder, name), os.path.join(self.data_folder_in, name))
                    count += 1
                except OSError:
                    pass
            try:
                os.rmdir(folder)
            except OSError:
                pass
        if count:
            logger.warning("Put back %d broker message(s) claimed by worker processes that died", count)
            self._pending.clear()
        # Half-written files of producers that died while publishing: never in the queue, nothing to deliver.
        for name in os.listdir(self.tmp_folder):
            path = os.path.join(self.tmp_folder, name)
            try:
                if time.time() - os.path.getmtime(path) > 3600:
                    os.unlink(path)
            except OSError:
                pass
        return count


def _unlink(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


class Transport(filesystem.Transport):
    """kombu's filesystem transport with :class:`Channel` above."""

    Channel = Channel
    # A worker whose pool is full sleeps this long before it looks again (kombu's virtual default: 1 s).
    polling_interval = 0.1
    driver_type = "filesystem"
    driver_name = SCHEME
    # Upstream keeps one declared-bindings state per process; the bindings live in the control folder, so
    # keep one per control folder (a process that uses two folders would otherwise skip writing bindings).
    _states: dict[str, virtual.BrokerState] = {}

    def __init__(self, client, **kwargs):
        super().__init__(client, **kwargs)
        folder = os.path.abspath(client.transport_options.get("control_folder", "control"))
        self.state = self._states.setdefault(folder, virtual.BrokerState())


register()
