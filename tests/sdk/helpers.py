"""Helpers the SDK test modules share."""
import contextlib
import gc
import io
import json
import warnings
import zipfile
from http.server import BaseHTTPRequestHandler

import pytest
import requests

from tests.loopback import serving


def download(url):
    """Fetch an exportPath with no apikey; return (member names, the first member's bytes)."""
    response = requests.get(url, timeout=60)
    assert response.status_code == 200, response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        return names, archive.read(names[0])


def error_of(call, *args, **kwargs):
    """Run an SDK call that must fail; the SDK raises Exception(response.text): return the parsed body."""
    with pytest.raises(Exception) as exc_info:
        call(*args, **kwargs)
    body = json.loads(str(exc_info.value))
    assert body["status"] == "fail", body
    return body


@contextlib.contextmanager
def shifted_clock(live_server, seconds):
    """Run the block with the live server's clock `seconds` ahead (distinct creation times without sleeping),
    then shift it back so the session-wide server keeps real time for other tests."""
    clock = live_server.app.extensions["mockhub"].clock
    clock.advance(seconds)
    try:
        yield
    finally:
        clock.advance(-seconds)


def sdk_upload_files(sdk, project_id, paths):
    """Call SDK.upload_files; it opens every file and never closes it, so silence that ResourceWarning here
    (and collect the leaked handles now) rather than let it fail a later test under filterwarnings=error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return sdk.upload_files(project_id, paths)
        finally:
            gc.collect()


class Receiver:
    """An HTTP server on loopback (port 0) that records every POST: path, headers, raw body."""

    def __init__(self, status=200):
        self.posts = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.posts.append({"path": self.path, "headers": dict(self.headers), "body": body})
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self._serving = contextlib.ExitStack()
        self.url = self._serving.enter_context(serving(Handler))

    def payloads(self):
        return [json.loads(post["body"]) for post in self.posts]

    def close(self):
        self._serving.close()
