"""The plugin registry: each organization's plugins (id, secret, name, type) and the sockets that heartbeat.

The definitions are the store's documents (store/plugins.py: in snapshots and the `--data-file` log, so a
script with hard-coded credentials goes live again after a restart); the sockets, their heartbeats and the
rejected attempts live here only.

A plugin is *live* while a connected socket heartbeated its id and the right secret within `LIVE_SECONDS`.
Liveness is computed from the connections every time it is asked for, so a plugin registered (or registered
again after a reset) while its script already runs is live at once, without waiting for the next heartbeat.
"""
import threading
import time
from collections import deque

TYPES = ("Export", "Model", "BatchModel", "FileExplorer", "Markdown", "Input")
LIVE_SECONDS = 90  # the SDKs heartbeat every 60 s; the rest is grace for a loaded machine
MAX_REJECTED = 20  # rejected attempts kept per plugin


class Registry:
    """Plugins by (organization, id) and connections by Socket.IO sid. Every method takes its own short lock
    and reads the store's definitions without one (`registered_plugins`), so Socket.IO threads, views and
    store operations holding an organization's lock can all use it."""

    def __init__(self, clock, store_of):
        self.clock = clock
        self._store_of = store_of  # the current store (a reset builds a new one)
        self._lock = threading.RLock()
        self._rejected = {}     # (organization, plugin id) -> recent rejected attempts
        self._connections = {}  # sid -> connection

    # --- plugins -----------------------------------------------------------------------------------

    def _records(self, organization=None):
        return self._store_of().registered_plugins(organization)

    def _record(self, organization, plugin_id):
        return next((r for r in self._records(organization) if r["_id"] == plugin_id), None)

    def forget(self, organization, plugin_id):
        """A plugin's definition is gone (deleted): drop what was noted about it here."""
        with self._lock:
            self._rejected.pop((organization, plugin_id), None)

    def clear(self, organization=None):
        """The definitions went with a reset (of one organization); connections stay and are matched again
        once a plugin with their id and secret is registered."""
        with self._lock:
            for key in [k for k in self._rejected if organization in (None, k[0])]:
                del self._rejected[key]

    def plugin(self, organization, plugin_id):
        """The presented plugin, or None."""
        record = self._record(organization, plugin_id)
        with self._lock:
            return self._present(record) if record else None

    def plugins(self, organization):
        records = self._records(organization)
        with self._lock:
            return [self._present(r) for r in records]

    def ids(self, organization):
        """The ids of the organization's registered plugins (a Plugin stage waits only for these)."""
        return frozenset(r["_id"] for r in self._records(organization))

    def secret_of(self, organization, plugin_id):
        record = self._record(organization, plugin_id)
        return record["secret"] if record else None

    # --- connections -------------------------------------------------------------------------------

    def connect(self, sid, transport):
        with self._lock:
            self._connections[sid] = {"sid": sid, "transport": transport, "connectedAt": self.clock.now_iso(),
                                      "pluginId": None, "secret": None, "lastHeartbeat": None, "_beat": None}

    def disconnect(self, sid):
        with self._lock:
            self._connections.pop(sid, None)

    def upgrade(self, sid, transport):
        with self._lock:
            if sid in self._connections:
                self._connections[sid]["transport"] = transport

    def heartbeat(self, sid, plugin_id, secret):
        """Record a heartbeat; return the (organization, id) keys it makes live, recording wrong secrets."""
        records = [r for r in self._records() if r["_id"] == plugin_id]
        with self._lock:
            conn = self._connections.get(sid)
            if conn is None:
                return []
            conn.update(pluginId=plugin_id, secret=secret, lastHeartbeat=self.clock.now_iso(), _beat=time.monotonic())
            matched = []
            for record in records:
                key = (record["organization"], record["_id"])
                if record["secret"] == secret:
                    matched.append(key)
                else:
                    self._rejected.setdefault(key, deque(maxlen=MAX_REJECTED)).append(
                        {"sid": sid, "transport": conn["transport"], "at": conn["lastHeartbeat"],
                         "reason": "wrong secret"})
            return matched

    def live_connections(self, organization, plugin_id):
        """The sids of sockets serving this plugin now, most recent heartbeat first."""
        record = self._record(organization, plugin_id)
        with self._lock:
            return [c["sid"] for c in self._serving(record)] if record else []

    def _serving(self, record):
        fresh = time.monotonic() - LIVE_SECONDS
        conns = [c for c in self._connections.values() if c["pluginId"] == record["_id"]
                 and c["secret"] == record["secret"] and c["_beat"] is not None and c["_beat"] >= fresh]
        return sorted(conns, key=lambda c: -c["_beat"])

    def _present(self, record):
        serving = self._serving(record)
        connections = [{k: v for k, v in c.items() if not k.startswith("_") and k != "secret"} for c in serving]
        return {"_id": record["_id"], "secret": record["secret"], "name": record["name"], "type": record["type"],
                "organization": record["organization"], "createdAt": record["createdAt"], "live": bool(serving),
                "connections": connections,
                "rejected": list(self._rejected.get((record["organization"], record["_id"]), ()))}
