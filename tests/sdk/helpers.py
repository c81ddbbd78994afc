"""Helpers the SDK test modules share."""
import contextlib
import gc
import json
import warnings

import pytest


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
