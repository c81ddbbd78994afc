"""The Socket.IO side: a python-socketio server on the REST port, namespace `/plugin`, wired to the host.

Handlers run in Engine.IO's threads and only touch the registry and sessions (each with its own short lock);
anything that needs the store is done by the host without holding either lock (plugin-hosting.md, pitfall 5).
`async_handlers=False` keeps a socket's packets in order: a `response` is always handled before the ack of
the `plugin` event it answers (pitfall 6).
"""
import logging
import threading
import time

import socketio

NAMESPACE = "/plugin"
PATH = "socket.io"


def create_server(max_message_bytes):
    """A threading-mode Socket.IO server (simple-websocket carries the websocket under werkzeug)."""
    quiet = logging.getLogger("mockhub.socketio")
    quiet.setLevel(logging.ERROR)
    return socketio.Server(async_mode="threading", cors_allowed_origins="*", async_handlers=False,
                           max_http_buffer_size=max_message_bytes, logger=quiet, engineio_logger=quiet)


def transport_of(sio, sid, fallback):
    """The socket's transport now (`transport()` is missing from python-socketio < 5.9: pitfall 7)."""
    try:
        return sio.transport(sid, NAMESPACE)
    except Exception:  # an older python-socketio, or the socket just went away
        return fallback


def wire(sio, host):
    """Route the `/plugin` events to the host's handlers."""

    @sio.on("connect", namespace=NAMESPACE)
    def connect(sid, environ, auth=None):
        transport = "websocket" if "transport=websocket" in environ.get("QUERY_STRING", "") else "polling"
        host.on_connect(sid, transport)

    @sio.on("disconnect", namespace=NAMESPACE)
    def disconnect(sid, *reason):
        host.on_disconnect(sid)

    @sio.on("heartbeat", namespace=NAMESPACE)
    def heartbeat(sid, data=None):
        data = data if isinstance(data, dict) else {}
        host.on_heartbeat(sid, str(data.get("id") or ""), str(data.get("secret") or ""))

    @sio.on("response", namespace=NAMESPACE)
    def response(sid, data=None):
        if isinstance(data, dict):
            host.on_response(str(data.get("session") or ""), data, sid=sid)

    @sio.on("log", namespace=NAMESPACE)
    def log(sid, data=None):
        if isinstance(data, dict):
            host.on_log(str(data.get("session") or ""), data, sid=sid)


def close_all(sio):
    """Close every Engine.IO socket without waiting for its queue to drain: `eio.disconnect()` waits, and hangs
    on a socket whose peer is gone or that is polling (0.1.18) with nobody fetching."""
    for sock in list(sio.eio.sockets.values()):
        try:
            sock.close(wait=False)
        except Exception:  # closed meanwhile
            continue
    sio.eio.sockets = {}


def join_engineio_threads(timeout):
    """Wait (up to `timeout` s) for Engine.IO's per-socket ping threads to end once the sockets are closed."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if "_send_ping" in thread.name and thread is not threading.current_thread():
            thread.join(max(0.0, deadline - time.monotonic()))
