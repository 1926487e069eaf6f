"""Running a parser on untrusted bytes in a child process with bounded memory and time.

pdfium and Pillow allocate whatever a file asks for: a 1 MB PDF whose content stream
inflates to 1 GB makes pdfium hold 2 GB. Here the parsing runs in a forked child with
an address-space limit (``RLIMIT_AS``: what it inherited plus what keeps its RSS under
``max_rss()``, at least ``MIN_GROWTH``) and
a CPU limit, watched by a wall-clock timeout; such a file kills the child, never the web
node or the worker, and the parent only ever receives the (small) results through a pipe.

The child is forked, not spawned, so it starts in about a millisecond with Django, the
settings and the active language already loaded. It never touches the parent's database
connections or files and leaves through ``os._exit``, so no atexit hook or finaliser of the
parent runs twice. The fork happens under ``PDFIUM_LOCK``, so no other thread of the parent
is inside pdfium when its memory is copied.

Every child's peak RSS is logged (``documents.sandbox``, DEBUG, ``extra={"peak_rss": bytes}``).
"""

from __future__ import annotations

import ctypes
import faulthandler
import logging
import os
import pickle
import re
import resource
import select
import signal
import struct
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

MB = 1024 * 1024
DEFAULT_MAX_RSS = 448 * MB  # under the 500 MB a node may give one file, with room for libraries and rounding
MIN_GROWTH = 64 * MB  # even under a parent that is already large
DEFAULT_TIMEOUT_SECONDS = 60
_HEADER = struct.Struct(">Q")
_ITEM, _RETURN, _RAISE, _MEMORY = "item", "return", "raise", "memory"


class ResourcesExceeded(Exception):
    """The child ran out of memory or time, or died without answering (a parser crash).

    ``reason`` is ``"memory"``, ``"timeout"`` or ``"crash"``; callers turn it into a refusal.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def max_rss() -> int:
    """The resident size a child may reach, counting what it shares with its parent."""
    return int(getattr(settings, "DOCUMENTS_SANDBOX_MAX_RSS", DEFAULT_MAX_RSS))


def _growth() -> int:
    """Bytes of address space a child may add to what it inherits: what keeps it under ``max_rss()``."""
    return max(max_rss() - _resident(), MIN_GROWTH)


def timeout_seconds() -> float:
    """Seconds a child may take to produce one result (one page, for ``iterate``)."""
    return float(getattr(settings, "DOCUMENTS_SANDBOX_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))


def call(function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)`` computed in a bounded child: its return value, or what it raised."""
    for kind, payload in _run(function, args, stream=False):
        if kind == _RETURN:
            return payload
    raise AssertionError("the child ended without a result")  # _run raises first


def iterate(function: Callable[..., Iterator[Any]], *args: Any) -> Iterator[Any]:
    """What ``function(*args)`` yields, computed in a bounded child; each item must come within the timeout."""
    for kind, payload in _run(function, args, stream=True):
        if kind == _ITEM:
            yield payload


def _address_space() -> int:
    return _status("VmSize")


_TOTALS = re.compile(rb'<total type="(?:fast|rest)" count="\d+" size="(\d+)"/>')


def _free_heap() -> int:
    """Bytes malloc holds free in all its arenas (glibc's ``malloc_info``): a parent that freed a large document
    keeps them mapped, and a forked child would reuse them unseen by its address-space limit. 0 where unknown."""
    try:
        libc = ctypes.CDLL(None)
        open_memstream, malloc_info, fclose, free = libc.open_memstream, libc.malloc_info, libc.fclose, libc.free
    except (OSError, AttributeError):  # not glibc
        return 0
    open_memstream.restype = ctypes.c_void_p
    malloc_info.argtypes, fclose.argtypes, free.argtypes = (
        [ctypes.c_int, ctypes.c_void_p],
        [ctypes.c_void_p],
        [ctypes.c_void_p],
    )
    buffer, size = ctypes.c_void_p(), ctypes.c_size_t()
    stream = open_memstream(ctypes.byref(buffer), ctypes.byref(size))
    if not stream:
        return 0
    malloc_info(0, stream)
    fclose(stream)
    report = ctypes.string_at(buffer, size.value)
    free(buffer)
    # The last two totals, after every arena's own, are the whole process's.
    return sum(int(value) for value in _TOTALS.findall(report.rsplit(b"</heap>", 1)[-1]))


def _resident() -> int:
    return _status("VmRSS")


def _status(field: str) -> int:
    with open("/proc/self/status", "rb") as status:
        for line in status:
            if line.startswith(field.encode() + b":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} missing from /proc/self/status")


def _run(function, args, *, stream: bool) -> Iterator[tuple[str, Any]]:
    from .validation import PDFIUM_LOCK

    growth = _growth()
    timeout = timeout_seconds()
    read_fd, write_fd = os.pipe()
    with PDFIUM_LOCK:
        pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child(write_fd, function, args, stream=stream, growth=growth, cpu_seconds=int(timeout) + 1)
    os.close(write_fd)
    started, reaped = time.monotonic(), False
    try:
        while True:
            try:
                frame = _read_frame(read_fd, timeout)
            except TimeoutError:
                raise ResourcesExceeded("timeout", f"{function.__name__} took more than {timeout:g} s") from None
            if frame is None:
                status, usage = _reap(pid)
                reaped = True
                _log(pid, function, usage, started, "died")
                raise _death(status)
            kind, payload = frame
            if kind == _MEMORY:
                raise ResourcesExceeded("memory", f"{function.__name__} needed more than {growth // MB} MB more")
            if kind == _RAISE:
                raise payload
            yield kind, payload
            if kind == _RETURN:
                return
    finally:
        os.close(read_fd)
        if not reaped:
            try:
                os.kill(pid, signal.SIGKILL)  # finished, timed out, or abandoned by the consumer
            except ProcessLookupError:
                pass
            _, usage = _reap(pid)
            _log(pid, function, usage, started, "done")


def _take_up_free_heap() -> None:
    """Allocate (without touching: no memory is used) the free heap this child inherited.

    The address-space limit only counts new mappings, and malloc serves a large request from free chunks first:
    a parent that freed a large document keeps them mapped, and a child would fill them unseen by its limit.
    Taken up here, before the limit is set, they are not there to fill. Never freed: the child leaves by _exit.
    """
    try:
        libc = ctypes.CDLL(None)
        malloc = libc.malloc
    except (OSError, AttributeError):
        return
    malloc.restype, malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    size = free = _free_heap()
    for _ in range(256):
        if size < 64 * 1024:
            return
        malloc(size)
        after = _free_heap()
        if after >= free:  # no free chunk that large: what malloc took was new, try smaller pieces
            size //= 2
        else:
            size = min(size, after)
        free = after


def _child(write_fd: int, function, args, *, stream: bool, growth: int, cpu_seconds: int) -> None:
    code = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handlers (gunicorn, celery) are not ours
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        faulthandler.disable()  # a parser dying at the limit is expected: the parent logs it, once
        _take_up_free_heap()
        limit = _address_space() + growth
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))  # even if the parent is gone
        with os.fdopen(write_fd, "wb") as pipe:
            try:
                if stream:
                    for item in function(*args):
                        _write_frame(pipe, _ITEM, item)
                    _write_frame(pipe, _RETURN, None)
                else:
                    _write_frame(pipe, _RETURN, function(*args))
            except MemoryError:
                _write_frame(pipe, _MEMORY, None)
            except Exception as exc:  # noqa: BLE001 -- the forked child: whatever the parser raises goes to the parent
                try:
                    _write_frame(pipe, _RAISE, exc)
                except Exception:  # noqa: BLE001 -- one that does not pickle still reaches the parent, as text
                    _write_frame(pipe, _RAISE, RuntimeError(f"{type(exc).__name__}: {exc}"))
        code = 0
    finally:
        os._exit(code)


def _write_frame(pipe, kind: str, payload: Any) -> None:
    body = pickle.dumps((kind, payload), protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(_HEADER.pack(len(body)) + body)
    pipe.flush()


def _read_exactly(fd: int, size: int, deadline: float) -> bytes | None:
    chunks, missing = [], size
    while missing:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            raise TimeoutError
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _read_frame(fd: int, timeout: float) -> tuple[str, Any] | None:
    """The next (kind, payload) from the child; None when it died first. TimeoutError after ``timeout``."""
    deadline = time.monotonic() + timeout
    header = _read_exactly(fd, _HEADER.size, deadline)
    if header is None:
        return None
    body = _read_exactly(fd, _HEADER.unpack(header)[0], deadline)
    return None if body is None else pickle.loads(body)


def _reap(pid: int) -> tuple[int, resource.struct_rusage]:
    _, status, usage = os.wait4(pid, 0)
    return status, usage


def _death(status: int) -> ResourcesExceeded:
    """A child that died without answering: out of CPU time, out of memory (pdfium aborts on a failed
    allocation, the kernel's OOM killer sends SIGKILL), or a crash the signal cannot tell from it."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
        if number == signal.SIGXCPU:
            return ResourcesExceeded("timeout", f"killed by {name}")
        if number in (signal.SIGKILL, signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGTRAP, signal.SIGILL):
            return ResourcesExceeded("memory", f"killed by {name}, probably at the memory limit")
        return ResourcesExceeded("crash", f"killed by {name}")
    return ResourcesExceeded("crash", f"exit status {os.WEXITSTATUS(status)}")


def _log(pid: int, function, usage, started: float, outcome: str) -> None:
    peak = usage.ru_maxrss * 1024  # Linux reports KB
    logger.debug(
        "sandbox %s pid %s %s: peak RSS %.0f MB, %.2f s",
        function.__name__,
        pid,
        outcome,
        peak / MB,
        time.monotonic() - started,
        extra={"peak_rss": peak, "sandbox_function": function.__name__},
    )
