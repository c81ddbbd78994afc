"""Input limits through HTTP: each limit answers a 4xx JSON error `{"status": "fail", "message": ...}` naming what is
wrong, and the organization's state is unchanged afterwards (issue 14, reproductions 1-7)."""
import json

import pytest
import requests

from mockhub.app import create_app
from mockhub.server import LiveServer


@pytest.fixture(scope="module")
def server():
    with LiveServer(create_app()) as live:
        yield live


@pytest.fixture
def key(api_key):
    return api_key


def call(server, key, method, path, raw=None, **kwargs):
    headers = {"apikey": key, **kwargs.pop("headers", {})}
    if raw is not None:
        headers.setdefault("Content-Type", "application/json")
        kwargs["data"] = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    return requests.request(method, server.url + path, headers=headers, timeout=60, **kwargs)


def failure(response, status=400):
    """The error message of a JSON failure answer with `status`."""
    assert response.status_code == status, response.text[:300]
    body = response.json()
    assert body["status"] == "fail", body
    return body["message"]


def state(server, key):
    return call(server, key, "GET", "/v2/listProjects?limit=1000").json()


def test_a_body_nested_deeper_than_64_levels_is_refused(server, key):
    before = state(server, key)
    deep = '{"name": "deep", "description": ' + "[" * 900 + "]" * 900 + "}"
    assert failure(call(server, key, "POST", "/v2/project", deep)) == "body: nested deeper than 64 levels"
    assert state(server, key) == before


def test_a_body_nested_64_levels_deep_is_still_json(server, key):
    nested = '{"name": "ok", "description": "d", "x": ' + "[" * 62 + "]" * 62 + "}"  # unknown field, but parsed
    assert "x: Unknown field." in failure(call(server, key, "POST", "/v2/project", nested))


def test_a_lone_surrogate_is_refused_and_never_stored(server, key):
    before = state(server, key)
    message = failure(call(server, key, "POST", "/v2/project", '{"name": "\\ud800"}'))
    assert message == "body: a string is not valid Unicode (lone surrogate)"
    assert state(server, key) == before
    assert call(server, key, "GET", "/_mockhub/snapshot").status_code == 200


def test_a_surrogate_pair_is_a_character_and_accepted(server, key):
    response = call(server, key, "POST", "/v2/project", '{"name": "\\ud83d\\ude00 faces"}')
    assert response.status_code == 201
    assert response.json()["data"]["project"]["name"] == "\U0001F600 faces"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_nan_and_infinities_are_refused(server, key, number):
    message = failure(call(server, key, "POST", "/v2/project", f'{{"name": "n", "description": [{number}, 1]}}'))
    assert message.startswith("body: ") and "JSON number" in message


def test_a_body_that_is_not_utf8_is_refused(server, key):
    assert failure(call(server, key, "POST", "/v2/project", b'{"name": "\xff"}')) == "body: not valid UTF-8"


def test_an_error_message_that_repeats_bad_input_is_still_json(server, key):
    # A query value is echoed in the message; it may hold anything the URL can carry.
    response = call(server, key, "GET", "/v2/listProjects?limit=%ED%A0%80")
    assert failure(response).startswith("limit must be a whole number")
    json.loads(response.content.decode("utf-8"))
