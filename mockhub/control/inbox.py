"""`/_mockhub/inbox/<name>`: built-in webhook receivers, per organization. A Webhook stage points at the
organization's inbox URL (`url` in the answer of GET /_mockhub/inbox/<name>); a test reads it with its key."""
import secrets
import threading
from collections import deque

from flask import Blueprint, request

from mockhub.control.scope import act_for, organization, runtime
from mockhub.errors import NotFound

bp = Blueprint("inbox", __name__)


class Inbox:
    """Named, bounded lists of received requests, per organization; each organization's boxes receive at an
    address of their own (an unguessable token), since webhook senders carry no API key."""

    def __init__(self, size=500):
        self._boxes = {}  # (org id, name) -> deque
        self._tokens = {}  # token -> org id
        self._addresses = {}  # org id -> token
        self._size = size
        self._lock = threading.Lock()

    def address(self, org_id):
        """The token in `org_id`'s receiving URLs."""
        with self._lock:
            if org_id not in self._addresses:
                token = secrets.token_hex(12)
                self._addresses[org_id], self._tokens[token] = token, org_id
            return self._addresses[org_id]

    def owner(self, token):
        with self._lock:
            return self._tokens.get(token)

    def record(self, org_id, name, entry):
        with self._lock:
            self._boxes.setdefault((org_id, name), deque(maxlen=self._size)).append(entry)

    def messages(self, org_id, name):
        with self._lock:
            return [dict(m) for m in self._boxes.get((org_id, name), ())]

    def clear(self, org_id, name):
        with self._lock:
            self._boxes.pop((org_id, name), None)

    def forget(self, org_id):
        """Drop every box and the address of an organization (it was reset)."""
        with self._lock:
            for key in [k for k in self._boxes if k[0] == org_id]:
                del self._boxes[key]
            self._tokens.pop(self._addresses.pop(org_id, None), None)


def _receive(org_id, name):
    rt = runtime()
    raw = request.get_data()
    rt.inbox.record(org_id, name, {"method": request.method, "headers": dict(request.headers),
                                   "body": raw.decode("utf-8", errors="replace"),
                                   "json": request.get_json(silent=True), "at": rt.clock.now_iso()})
    return {"status": "success", "data": {"received": len(raw)}}


def inbox_url(org_id, name):
    return f"{request.host_url}_mockhub/inbox/{runtime().inbox.address(org_id)}/{name}"


@bp.route("/inbox/<token>/<name>", methods=["POST", "PUT"])
def receive(token, name):
    """Where webhooks arrive (no key: the token names the organization)."""
    org_id = runtime().inbox.owner(token)
    if org_id is None:
        raise NotFound(f"Inbox not found: {token}/{name} (read `url` from GET /_mockhub/inbox/{name})")
    act_for(org_id)
    return _receive(org_id, name)


@bp.route("/inbox/<name>", methods=["POST", "PUT"])
def receive_own(name):
    """A post with the organization's key lands in its box too."""
    return _receive(organization(), name)


@bp.get("/inbox/<name>")
def read_inbox(name):
    org_id = organization()
    messages = runtime().inbox.messages(org_id, name)
    return {"status": "success", "data": {"messages": messages, "total": len(messages),
                                          "url": inbox_url(org_id, name)}}


@bp.delete("/inbox/<name>")
def clear_inbox(name):
    runtime().inbox.clear(organization(), name)
    return {"status": "success", "data": {"cleared": True}}
