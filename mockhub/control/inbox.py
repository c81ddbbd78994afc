"""`/_mockhub/inbox/<name>`: a built-in webhook receiver; a Webhook stage can point at it and a test reads it."""
import threading
from collections import deque

from flask import Blueprint, current_app, request

bp = Blueprint("inbox", __name__)


class Inbox:
    """Named, bounded lists of received requests."""

    def __init__(self, size=500):
        self._boxes = {}
        self._size = size
        self._lock = threading.Lock()

    def record(self, name, entry):
        with self._lock:
            self._boxes.setdefault(name, deque(maxlen=self._size)).append(entry)

    def messages(self, name):
        with self._lock:
            return [dict(m) for m in self._boxes.get(name, ())]

    def clear(self, name=None):
        with self._lock:
            if name is None:
                self._boxes.clear()
            else:
                self._boxes.pop(name, None)


@bp.route("/inbox/<name>", methods=["POST", "PUT"])
def receive(name):
    runtime = current_app.extensions["mockhub"]
    raw = request.get_data()
    runtime.inbox.record(name, {"method": request.method, "headers": dict(request.headers),
                                "body": raw.decode("utf-8", errors="replace"), "json": request.get_json(silent=True),
                                "at": runtime.clock.now_iso()})
    return {"status": "success", "data": {"received": len(raw)}}


@bp.get("/inbox/<name>")
def read_inbox(name):
    messages = current_app.extensions["mockhub"].inbox.messages(name)
    return {"status": "success", "data": {"messages": messages, "total": len(messages)}}


@bp.delete("/inbox/<name>")
def clear_inbox(name):
    current_app.extensions["mockhub"].inbox.clear(name)
    return {"status": "success", "data": {"cleared": True}}
