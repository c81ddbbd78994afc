"""Fixtures for the command-line tests: `serve` stopped before or right after it builds its server."""
import pytest

import mockhub.server
from mockhub.server import LiveServer


@pytest.fixture
def no_server(monkeypatch):
    """Make any attempt by `serve` to build a server fail loudly; return the list of attempts."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError("serve started a server")

    monkeypatch.setattr(mockhub.server, "LiveServer", refuse)
    return attempts


@pytest.fixture
def serve_once(monkeypatch):
    """Let `serve` build its server but return from serve_forever at once, as on Ctrl-C."""
    made = []

    class OneShot(LiveServer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

        def serve_forever(self):
            raise KeyboardInterrupt

    monkeypatch.setattr(mockhub.server, "LiveServer", OneShot)
    yield made
    for server in made:  # release the socket it bound (stop() would wait for a serve loop that never ran)
        server._server.server_close()
