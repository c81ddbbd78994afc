"""The injectable clock: real UTC time, or frozen / shifted time that tests control."""
import threading
from datetime import datetime, timedelta, timezone


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


class Clock:
    """Now, in UTC. `freeze`, `set` and `advance` let a test own time; `unfreeze` returns to real time."""

    def __init__(self):
        self._lock = threading.Lock()
        self._frozen = None
        self._offset = timedelta(0)

    def now(self):
        """Return the current (possibly frozen or shifted) UTC datetime."""
        with self._lock:
            if self._frozen is not None:
                return self._frozen
            return datetime.now(timezone.utc) + self._offset

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
            self._frozen = moment

    def set(self, at):
        """Jump to `at`; time keeps running from there unless frozen."""
        with self._lock:
            if self._frozen is not None:
                self._frozen = at
            else:
                self._offset = at - datetime.now(timezone.utc)

    def advance(self, seconds):
        """Move time forward by `seconds` (frozen or not)."""
        with self._lock:
            if self._frozen is not None:
                self._frozen += timedelta(seconds=seconds)
            else:
                self._offset += timedelta(seconds=seconds)

    def unfreeze(self):
        """Return to real time (the offset is dropped too)."""
        with self._lock:
            self._frozen = None
            self._offset = timedelta(0)

    def state(self):
        """Describe the clock for the control plane."""
        with self._lock:
            frozen = self._frozen is not None
            offset = self._offset.total_seconds()
        return {"now": self.now_iso(), "frozen": frozen, "offsetSeconds": offset}
