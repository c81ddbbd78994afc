"""Build a big export in a child process forked under the organization's lock, so the server's GIL stays free.

An export is pure Python: built in a server thread, it holds the GIL most of the time, and every GIL hand-off of
another organization's request waits up to a switch interval behind it (a 1M-task export took another
organization's `get_task` p99 from 14 to 83 ms). A child forked while the lock is held has, copy-on-write, the
store as of that moment: it takes the references, copies, serializes and zips them, and sends the zip back
through a pipe; the request thread waits in `read` and `waitpid`, without the GIL.

The child is one thread of a multi-threaded server, so it touches nothing another thread may hold: no store
lock, no logging, no import, no socket or file of the server (it closes every inherited descriptor but its
pipe, so the `--data-file` log and the sockets stay the parent's alone). It dies with its parent thread
(PR_SET_PDEATHSIG), leaves by `os._exit` (no atexit, no buffered output flushed twice) and is always reaped.
If it fails, the caller builds the export in-process instead (`ChildFailed`); so do platforms without fork.
"""
import atexit
import ctypes
import os
import signal
import struct
import sys
import threading
import warnings


def _min_tasks(value):
    """`MOCKHUB_EXPORT_FORK_FROM`: the project size (tasks) from which exports fork; `never` keeps them in-process."""
    return None if value.strip().lower() == "never" else int(value)


MIN_TASKS = _min_tasks(os.environ.get("MOCKHUB_EXPORT_FORK_FROM", "20000"))  # forking a big server costs ~0.1 s
_HEADER = struct.Struct("<Q")  # the zip's length, so a child that died mid-write is told from a complete one
_CHUNK = 1 << 20
_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
_children = {}  # pid -> Child, for the exit handler
_guard = threading.Lock()


class ChildFailed(Exception):
    """The export child died or sent an incomplete result."""


def available():
    """Forking is used on Linux only (macOS's system libraries are not fork-safe in threaded processes)."""
    return _libc is not None and hasattr(os, "fork")


def wanted(task_count):
    """Whether an export of a project of `task_count` tasks is built in a child."""
    return MIN_TASKS is not None and task_count >= MIN_TASKS and available()


def start(work):
    """Fork a child that runs `work()` (returning bytes) and sends the result; return its `Child`.

    Call it with the organization's lock held, and `Child.result()` after releasing it."""
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    try:
        with warnings.catch_warnings():  # 3.12+ warns about forking threaded processes; the child is made safe
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
            if pid == 0:
                _run_child(work, write_fd, parent)  # never returns (nor leaves this block: no warnings state)
    except BaseException:
        os.close(read_fd)
        raise
    finally:
        os.close(write_fd)
    child = Child(pid, read_fd)
    with _guard:
        _children[pid] = child
    return child


def _run_child(work, write_fd, parent):
    status = 1
    try:
        os.dup2(write_fd, 3)
        os.closerange(4, os.sysconf("SC_OPEN_MAX"))
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == parent:  # not orphaned before the death signal was armed
            data = work()
            _write_all(3, _HEADER.pack(len(data)))
            _write_all(3, data)
            status = 0
    finally:
        os._exit(status)


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view[:_CHUNK]):]


class Child:
    def __init__(self, pid, read_fd):
        self.pid, self._fd = pid, read_fd

    def result(self):
        """The child's bytes; waits without the GIL. Raises `ChildFailed` if it died or sent less."""
        interrupted = True
        try:
            header = self._read(_HEADER.size)
            size = _HEADER.unpack(header)[0] if len(header) == _HEADER.size else -1
            data = self._read(size) if size >= 0 else b""
            interrupted = False
        finally:
            os.close(self._fd)
            code = self._reap(kill=interrupted)  # read to the end: the child has exited or is exiting
        if len(data) != size or code != 0:
            raise ChildFailed(f"export child {self.pid} exited with {code}")
        return data

    def _read(self, size):
        parts, left = [], size
        while left:
            part = os.read(self._fd, min(left, _CHUNK))
            if not part:
                break
            parts.append(part)
            left -= len(part)
        return b"".join(parts)

    def _reap(self, kill):
        """Wait for the child (killed first if `kill`); return its exit code (None if already reaped)."""
        with _guard:
            if _children.pop(self.pid, None) is None:
                return None
        if kill:
            os.kill(self.pid, signal.SIGKILL)  # not reaped yet, so the pid is still this child's
        return os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])


@atexit.register
def _stop_children():
    """A server leaving mid-export takes its export children with it."""
    for child in list(_children.values()):
        child._reap(kill=True)
