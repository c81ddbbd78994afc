"""LiveServer: a mockhub app on a real socket (port 0 picks a free one), served from a daemon thread.

The app's Socket.IO endpoint (plugins) is served on the same port; stopping disconnects every plugin."""
import json
import threading

from werkzeug.serving import WSGIRequestHandler, make_server

SERVER_ERRORS = {414: "Request line too long (at most 65536 bytes)",
                 431: "Request header fields too large (at most 65536 bytes a line, 100 headers)"}


def server_url(host, port):
    """The URL people use for host:port (IPv6 addresses in brackets; a wildcard address as loopback)."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


class JsonErrorHandler(WSGIRequestHandler):
    """The HTTP server's own refusals (request line or headers too long, bad syntax) in the API's JSON error shape,
    not http.server's HTML page: some SDK releases parse every error body as JSON."""

    def send_error(self, code, message=None, explain=None):
        body = json.dumps({"status": "fail", "message": SERVER_ERRORS.get(code, message or "Bad request")},
                          separators=(",", ":")).encode()
        self.log_error("code %d, message %s", code, message)
        self.send_response(code, message)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(body)


class QuietHandler(JsonErrorHandler):
    """Log nothing per request (the journal keeps requests); errors still reach the `mockhub` logger."""

    def log_request(self, *args, **kwargs):
        pass


class PluginAwareHandler(JsonErrorHandler):
    """Close the connection after a websocket ends: werkzeug would otherwise read the leftover websocket frames
    as HTTP requests ("400 Bad request syntax", plugin-hosting.md pitfall 1)."""

    def connection_dropped(self, error, environ=None):
        self.close_connection = True


class QuietPluginAwareHandler(QuietHandler, PluginAwareHandler):
    pass


class LiveServer:
    """Serve `app` with werkzeug's threaded server; `url` is ready as soon as the constructor returns."""

    def __init__(self, app, host="127.0.0.1", port=0, quiet=True):
        self.app = app
        handler = QuietPluginAwareHandler if quiet else PluginAwareHandler
        self._server = make_server(host, port, app, threaded=True, request_handler=handler)
        self._server.daemon_threads = True
        self.host, self.port = self._server.server_address[:2]
        self._thread = None

    @property
    def url(self):
        return server_url(self.host, self.port)

    def start(self):
        """Serve in a daemon thread and return self."""
        self._thread = threading.Thread(target=self._server.serve_forever, name="mockhub-server", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self):
        """Serve in the calling thread until interrupted; then disconnect every plugin and close the socket."""
        try:
            self._server.serve_forever()
        finally:
            self._server.server_close()
            self._stop_plugins()

    def _stop_plugins(self):
        runtime = getattr(self.app, "extensions", {}).get("mockhub")
        if runtime is not None:
            runtime.plugins.shutdown()

    def stop(self):
        """Stop serving, close the socket, then disconnect every plugin (in that order: a 1.x plugin reconnects
        at once, and must find nobody listening)."""
        self._server.shutdown()
        self._server.server_close()
        self._stop_plugins()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
