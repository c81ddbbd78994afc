"""Time for the emulator: real UTC by default; each organization may have its own frozen or shifted time.

The store asks `now()`/`now_iso()` as before; which organization is asking comes from a context variable the
request layer sets after authentication (`acting_for`), so one test's frozen clock never reaches another's.
"""
import contextlib
import contextvars
import threading
from datetime import datetime, timedelta, timezone

current_organization = contextvars.ContextVar("mockhub_organization", default=None)


def iso(moment):
    """Format a datetime as Ango Hub does: ISO 8601 UTC with milliseconds and `Z`."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso(text):
    """Parse an ISO 8601 timestamp (with `Z`, an offset, or naive = UTC); raise ValueError if malformed."""
    value = str(text).strip().replace(" 00:00", "+00:00")
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:  # an offset that moves it past year 1 or 9999
        raise ValueError(f"{text!r} is outside the years 1-9999") from None


def set_organization(org_id):
    """Make `org_id` the organization whose time this context reads; return the token to `reset_organization`."""
    return current_organization.set(org_id)


def reset_organization(token):
    current_organization.reset(token)


@contextlib.contextmanager
def acting_for(org_id):
    """Run a block in `org_id`'s time (for work done outside its request, such as a background job)."""
    token = current_organization.set(org_id)
    try:
        yield
    finally:
        current_organization.reset(token)


class _Shift:
    """One timeline's control: a frozen moment, or an offset from the time beneath it."""

    __slots__ = ("frozen", "offset")

    def __init__(self):
        self.frozen, self.offset = None, timedelta(0)

    def apply(self, beneath):
        return self.frozen if self.frozen is not None else beneath + self.offset


class Clock:
    """Now, in UTC. `freeze`, `set`, `advance` and `unfreeze` act on the current organization's time (see
    `acting_for`); outside any organization they shift the whole server's time (Python callers only: the
    control plane always acts for an organization, so the server clock stays real there)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._server = _Shift()
        self._organizations = {}

    def _target(self, create):
        org_id = current_organization.get()
        if org_id is None:
            return None, self._server
        shift = self._organizations.get(org_id)
        if shift is None and create:
            shift = self._organizations[org_id] = _Shift()
        return org_id, shift

    def now(self):
        """Return the current (possibly frozen or shifted) UTC datetime of the current organization."""
        with self._lock:
            org_id, shift = self._target(create=False)
            server = self._server.apply(datetime.now(timezone.utc))
            return server if shift is None or org_id is None else shift.apply(server)

    def timestamp(self):
        """Return now as POSIX seconds."""
        return self.now().timestamp()

    def now_iso(self):
        """Return now as an Ango-style ISO string."""
        return iso(self.now())

    def freeze(self, at=None):
        """Stop time at `at` (a datetime) or at the current moment."""
        moment = at or self.now()
        with self._lock:
            self._target(create=True)[1].frozen = moment

    def set(self, at):
        """Jump to `at`; time keeps running from there unless frozen."""
        with self._lock:
            org_id, shift = self._target(create=True)
            if shift.frozen is not None:
                shift.frozen = at
            else:
                real = datetime.now(timezone.utc)
                shift.offset = at - (real if org_id is None else self._server.apply(real))

    def advance(self, seconds):
        """Move time forward by `seconds` (frozen or not)."""
        with self._lock:
            shift = self._target(create=True)[1]
            if shift.frozen is not None:
                shift.frozen += timedelta(seconds=seconds)
            else:
                shift.offset += timedelta(seconds=seconds)

    def unfreeze(self):
        """Return to real time (the offset is dropped too)."""
        with self._lock:
            org_id = current_organization.get()
            if org_id is None:
                self._server = _Shift()
            else:
                self._organizations.pop(org_id, None)

    def forget(self, org_id):
        """Drop an organization's shift (it was reset)."""
        with self._lock:
            self._organizations.pop(org_id, None)

    def reset(self):
        """Real time for the server and every organization."""
        with self._lock:
            self._server, self._organizations = _Shift(), {}

    def state(self):
        """Describe the current organization's clock for the control plane."""
        with self._lock:
            shift = self._target(create=False)[1]
            frozen = shift is not None and shift.frozen is not None
            offset = shift.offset.total_seconds() if shift is not None else 0.0
        return {"now": self.now_iso(), "frozen": frozen, "offsetSeconds": offset}
