"""The plugin registry: each organization's plugins (id, secret, name, type) and the sockets that heartbeat.

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
    """Plugins by (organization, id) and connections by Socket.IO sid; every method takes its own short lock
    and never calls out, so Socket.IO threads and views can use it freely."""

    def __init__(self, clock):
        self.clock = clock
        self._lock = threading.RLock()
        self._plugins = {}      # (organization, plugin id) -> record
        self._connections = {}  # sid -> connection

    # --- plugins -----------------------------------------------------------------------------------

    def add(self, record):
        with self._lock:
            key = (record["organization"], record["_id"])
            if key in self._plugins:
                return False
            self._plugins[key] = dict(record, rejected=deque(maxlen=MAX_REJECTED))
            return True

    def remove(self, organization, plugin_id):
        with self._lock:
            return self._plugins.pop((organization, plugin_id), None) is not None

    def clear(self, organization=None):
        """Forget every plugin (of one organization); connections stay and are matched again on registration."""
        with self._lock:
            for key in [k for k in self._plugins if organization in (None, k[0])]:
                del self._plugins[key]

    def plugin(self, organization, plugin_id):
        """The presented plugin, or None."""
        with self._lock:
            record = self._plugins.get((organization, plugin_id))
            return self._present(record) if record else None

    def plugins(self, organization):
        with self._lock:
            return [self._present(r) for (org, _), r in self._plugins.items() if org == organization]

    def ids(self, organization):
        """The ids of the organization's registered plugins (a Plugin stage waits only for these)."""
        with self._lock:
            return frozenset(pid for org, pid in self._plugins if org == organization)

    def secret_of(self, organization, plugin_id):
        with self._lock:
            record = self._plugins.get((organization, plugin_id))
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
        with self._lock:
            conn = self._connections.get(sid)
            if conn is None:
                return []
            conn.update(pluginId=plugin_id, secret=secret, lastHeartbeat=self.clock.now_iso(), _beat=time.monotonic())
            matched = []
            for key, record in self._plugins.items():
                if record["_id"] != plugin_id:
                    continue
                if record["secret"] == secret:
                    matched.append(key)
                else:
                    record["rejected"].append({"sid": sid, "transport": conn["transport"],
                                               "at": conn["lastHeartbeat"], "reason": "wrong secret"})
            return matched

    def live_connections(self, organization, plugin_id):
        """The sids of sockets serving this plugin now, most recent heartbeat first."""
        with self._lock:
            record = self._plugins.get((organization, plugin_id))
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
                "connections": connections, "rejected": list(record["rejected"])}
