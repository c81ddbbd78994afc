"""A throwaway HTTP server on a loopback port, for tests that need some other web server than mockhub."""
import http.server
import threading
from contextlib import contextmanager


@contextmanager
def serving(handler):
    """Serve `handler` (a BaseHTTPRequestHandler class) from a thread; yield its URL, stop it afterwards."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)  # a quick shutdown
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
