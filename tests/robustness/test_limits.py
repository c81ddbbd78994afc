"""Input limits through HTTP (issue 14, reproductions 1-7): each answers a 4xx JSON error
`{"status": "fail", "message": ...}` naming what is wrong, and the caller's organization is unchanged."""
import json
import socket
import threading
from urllib.parse import quote

import pytest
import requests
from imerit_ango.sdk import SDK

from mockhub.app import create_app
from mockhub.server import LiveServer

CATASTROPHIC = "^(a|aa)+$"


@pytest.fixture(scope="module")
def server():
    with LiveServer(create_app()) as live:
        yield live


@pytest.fixture
def world(server, api_key):
    """A project with one task whose externalId is a long near-match for CATASTROPHIC."""
    sdk = SDK(api_key, host=server.url)
    pid = sdk.create_project("limits")["data"]["project"]["_id"]
    sdk.upload_files_cloud(pid, [{"data": "https://example.com/1.png", "externalId": "a" * 3000 + "b"}])
    task = sdk.get_tasks(pid)["data"]["tasks"][0]
    return {"key": api_key, "pid": pid, "task": task["_id"]}


def call(server, key, method, path, raw=None, **kwargs):
    headers = {"apikey": key, **kwargs.pop("headers", {})}
    if raw is not None:
        headers.setdefault("Content-Type", "application/json")
        kwargs["data"] = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    return requests.request(method, server.url + path, headers=headers, timeout=60, **kwargs)


def failure(response, status=400):
    """The message of a JSON failure answer with `status`."""
    assert response.status_code == status, response.text[:300]
    body = json.loads(response.content.decode("utf-8"))  # strict: no NaN, valid UTF-8
    assert body["status"] == "fail", body
    return body["message"]


def state(server, key):
    """The organization's whole state, as the control plane snapshots it."""
    response = call(server, key, "GET", "/_mockhub/snapshot")
    assert response.status_code == 200, response.text[:300]
    return response.json()


@pytest.fixture
def unchanged(server, world):
    """Assert after the test that the organization's state is what it was before."""
    before = state(server, world["key"])
    yield world
    assert state(server, world["key"]) == before


def deep(levels):
    return "[" * levels + "]" * levels


# 1. nesting depth
@pytest.mark.parametrize("method, path, body", [
    ("POST", "/v2/project", '{"name": "deep", "description": %s}'),
    ("POST", "/v2/review/{task}", '{"reviewStatus": "Accepted", "pctDetails": {"a": %s}}'),
    ("POST", "/v2/pluginLog", '{"msg": "m", "extra": %s}'),
    ("POST", "/v2/pluginResponse", '{"session": "s", "response": %s}'),
])
def test_json_nested_deeper_than_64_levels_is_refused(server, unchanged, method, path, body):
    response = call(server, unchanged["key"], method, path.format(**unchanged), body % deep(900))
    assert failure(response) == "body: nested deeper than 64 levels"


def test_json_nested_64_levels_deep_is_parsed(server, unchanged):
    response = call(server, unchanged["key"], "POST", "/v2/project", '{"name": "ok", "x": %s}' % deep(62))
    assert failure(response) == "Validation failed: x: Unknown field."


@pytest.mark.parametrize("body, refused", [
    ('{"name": "ok", "a": "' + "]" * 900 + '", "x": ' + deep(64) + "}", True),  # brackets in strings count for nothing
    ('{"name": "ok", "a": "' + "[" * 900 + '", "x": ' + deep(2) + "}", False),
    ('{"name": "ok", "a": "\\"]", "x": ' + deep(64) + ', "b": "z"}', True),  # an escaped quote in a string
    ('{"name": "ok", "x": ' + '["]", ' * 65 + "1" + ', "["]' * 65 + "}", True),  # strings that would pair them off
], ids=["closing-in-string", "opening-in-string", "escaped-quote", "strings-between-levels"])
def test_only_real_nesting_counts_toward_the_limit(server, unchanged, body, refused):
    message = failure(call(server, unchanged["key"], "POST", "/v2/project", body))
    assert (message == "body: nested deeper than 64 levels") is refused
    assert refused or message.startswith("Validation failed: ")  # parsed, then refused for its unknown fields


def test_a_deep_query_string_filter_is_refused(server, unchanged):
    path = f"/v2/project/{unchanged['pid']}/tasks?filter=" + quote('{"stage": %s}' % deep(500))
    assert failure(call(server, unchanged["key"], "GET", path)) == "Validation failed: filter: nested deeper than 64 levels"


# 2. Unicode, NaN, echoed input
def test_a_lone_surrogate_is_refused_and_never_stored(server, unchanged):
    message = failure(call(server, unchanged["key"], "POST", "/v2/project", '{"name": "\\ud800"}'))
    assert message == "body: a string is not valid Unicode (lone surrogate)"
    assert call(server, unchanged["key"], "GET", "/v2/listProjects").status_code == 200


def test_a_surrogate_pair_is_one_character_and_accepted(server, api_key):
    response = call(server, api_key, "POST", "/v2/project", '{"name": "\\ud83d\\ude00 faces"}')
    assert response.status_code == 201
    assert response.json()["data"]["project"]["name"] == "\U0001F600 faces"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_nan_and_infinities_are_refused(server, unchanged, number):
    response = call(server, unchanged["key"], "POST", "/v2/project", f'{{"name": "n", "description": [{number}, 1]}}')
    assert failure(response).startswith("body: ") and "JSON number" in failure(response)


def test_a_body_that_is_not_utf8_is_refused(server, unchanged):
    assert failure(call(server, unchanged["key"], "POST", "/v2/project", b'{"name": "\xff"}')) == "body: not valid UTF-8"


def test_an_error_message_that_repeats_bad_input_is_still_json(server, unchanged):
    response = call(server, unchanged["key"], "GET", "/v2/listProjects?limit=%ED%A0%80" + "9" * 5000)
    assert failure(response).startswith("limit must be a whole number")
    assert len(failure(response)) < 1100


# 3. wrongly typed nested fields
@pytest.mark.parametrize("body, field", [
    ({"answer": {"objects": 1}}, "answer.objects"),
    ({"answer": {"objects": [{"schemaId": ["x"], "point": [1, 2]}]}}, "answer.objects[0].schemaId"),
    ({"answer": {"objects": [{"schemaId": "x", "point": ["a", "b"]}]}}, "answer.objects[0].point[0]"),
    ({"answer": {"objects": [{"schemaId": "x", "bounding-box": {"x": "1"}}]}}, "answer.objects[0].bounding-box.x"),
    ({"answer": {"classifications": [{"schemaId": "c", "answer": {"a": 1}}]}}, "answer.classifications[0].answer"),
    ({"answer": {"objects": [{"schemaId": "x", "polygon": [[1, 2], [3, 1e300]]}]}}, "answer.objects[0].polygon[1][1]"),
])
def test_annotate_checks_the_answer_to_its_documented_types(server, unchanged, body, field):
    response = call(server, unchanged["key"], "POST", f"/v2/annotate/{unchanged['task']}", json.dumps(body))
    assert failure(response).startswith(f"Validation failed: {field}: ")


def test_a_refused_point_leaves_the_task_page_working(server, unchanged):
    body = {"answer": {"objects": [{"schemaId": "x", "point": ["a", "b"]}]}}
    failure(call(server, unchanged["key"], "POST", f"/v2/annotate/{unchanged['task']}", json.dumps(body)))
    page = requests.get(f"{server.url}/tasks/{unchanged['task']}",
                        params={"apikey": unchanged["key"]}, timeout=60)
    assert page.status_code == 200


def test_import_labels_checks_each_record(server, unchanged):
    body = {"project": unchanged["pid"], "jsonContent": [{"externalId": "x", "objects": [{"schemaId": ["s"]}]}]}
    message = failure(call(server, unchanged["key"], "POST", "/v2/import/labels", json.dumps(body)))
    assert message.startswith("Validation failed: jsonContent[0].objects[0].schemaId: ")


@pytest.mark.parametrize("path", ["/v2/pluginLog", "/v2/pluginResponse"])
@pytest.mark.parametrize("body", ["[1]", '"x"', "3"])
def test_plugin_sinks_take_objects_only(server, unchanged, path, body):
    assert failure(call(server, unchanged["key"], "POST", path, body)) == "body: must be a JSON object"


@pytest.mark.parametrize("form, field", [({"namingStrategy": "[1]"}, "namingStrategy"),
                                         ({"llmConfig": "x"}, "llmConfig"),
                                         ({"llmConfig": '{"id": 5}'}, "llmConfig.id")])
def test_chat_asset_form_fields_are_typed(server, unchanged, form, field):
    response = requests.post(f"{server.url}/v2/project/{unchanged['pid']}/chat", headers={"apikey": unchanged["key"]},
                             data={"numberOfConversations": "1", **form}, timeout=60)
    body = response.json()
    assert (response.status_code, body["error"]) == (400, {"statusCode": 400})
    assert body["message"].startswith(f"Validation failed: {field}: ")


# 4. dates and numbers out of range
@pytest.mark.parametrize("interval", [["0001-01-01T00:00:00+05:00", "2024-01-01T00:00:00Z"],
                                      ["2024-01-01T00:00:00Z", "10000-01-01T00:00:00Z"]])
def test_performance_interval_outside_years_1_to_9999_is_refused(server, unchanged, interval):
    response = call(server, unchanged["key"], "POST", f"/v2/performance/{unchanged['pid']}",
                    json.dumps({"interval": interval}))
    assert failure(response).startswith("Validation failed: interval[")


def test_a_task_filter_date_outside_years_1_to_9999_is_refused(server, unchanged):
    spec = quote(json.dumps({"createdAt": {"$gt": "0001-01-01T00:00:00+05:00"}}))
    response = call(server, unchanged["key"], "GET", f"/v2/project/{unchanged['pid']}/tasks?filter={spec}")
    assert failure(response).startswith("filter createdAt: ")


def test_an_export_date_outside_years_1_to_9999_is_refused(server, unchanged):
    updated = quote(json.dumps({"$gt": "0001-01-01T00:00:00+05:00"}))
    response = call(server, unchanged["key"], "GET", f"/v2/export?project={unchanged['pid']}&updatedAt={updated}")
    assert failure(response) == "updatedAt: $gt needs an ISO 8601 date in years 1-9999"


@pytest.mark.parametrize("path, body", [("/_mockhub/clock/freeze", '{"at": "10000-01-01T00:00:00Z"}'),
                                        ("/_mockhub/clock/set", '{"at": "0001-01-01T00:00:00+05:00"}'),
                                        ("/_mockhub/clock/advance", '{"seconds": 1e300}'),
                                        ("/_mockhub/clock/advance", '{"seconds": NaN}')])
def test_clock_moments_and_seconds_out_of_range_are_refused(server, unchanged, path, body):
    def clock():
        answer = call(server, unchanged["key"], "GET", "/_mockhub/clock").json()["data"]["clock"]
        return answer["frozen"], answer["offsetSeconds"]

    before = clock()
    failure(call(server, unchanged["key"], "POST", path, body))
    assert clock() == before


def test_a_duration_beyond_a_month_is_refused(server, unchanged):
    body = {"answer": {"objects": []}, "duration": 10 ** 12}
    response = call(server, unchanged["key"], "POST", f"/v2/annotate/{unchanged['task']}", json.dumps(body))
    assert failure(response).startswith("Validation failed: duration: ")


# 5. $regex
def test_a_catastrophic_regex_answers_400_and_other_organizations_carry_on(server, unchanged, api_key):
    other = f"{api_key}-other"
    spec = quote(json.dumps({"externalId": {"$regex": CATASTROPHIC}}))
    answers = {}

    def others():
        answers["other"] = [call(server, other, "GET", "/v2/listProjects").status_code for _ in range(5)]

    thread = threading.Thread(target=others)
    thread.start()
    response = call(server, unchanged["key"], "GET", f"/v2/project/{unchanged['pid']}/tasks?filter={spec}")
    thread.join(timeout=60)
    assert "the $regex took too long to match" in failure(response)
    assert answers["other"] == [200] * 5


def test_a_regex_that_does_not_compile_or_is_too_long_is_refused(server, unchanged):
    for pattern, message in (("((", "bad $regex"), ("a" * 501, "at most 500 characters")):
        spec = quote(json.dumps({"externalId": {"$regex": pattern}}))
        assert message in failure(call(server, unchanged["key"], "GET",
                                        f"/v2/project/{unchanged['pid']}/tasks?filter={spec}"))


def test_an_ordinary_regex_still_matches(server, world):
    spec = quote(json.dumps({"externalId": {"$regex": "^a{10}.*b$"}}))
    response = call(server, world["key"], "GET", f"/v2/project/{world['pid']}/tasks?filter={spec}")
    assert response.json()["data"]["total"] == 1


# 6. body size and the server's own refusals
@pytest.fixture(scope="module")
def small_server():
    with LiveServer(create_app({"MAX_CONTENT_LENGTH": 1000})) as live:
        yield live


def _chunks(count):
    for _ in range(count):
        yield b"x" * 100


def test_a_chunked_upload_over_the_cap_is_413_not_cut_short(small_server, api_key):
    upload = call(small_server, api_key, "GET", "/v2/getUploadUrl?name=big.bin").json()["data"]["uploadUrl"]
    assert failure(requests.put(upload, data=_chunks(11), timeout=60), 413) == "Payload too large"
    assert requests.get(upload, timeout=60).status_code == 404  # nothing half-stored
    assert requests.put(upload, data=_chunks(10), timeout=60).json()["data"]["size"] == 1000


def test_a_chunked_json_body_over_the_cap_is_413(small_server, api_key):
    body = iter([b'{"name": "', b"n" * 2000, b'"}'])  # a generator body goes out chunked
    response = call(small_server, api_key, "POST", "/v2/project", headers={"Content-Type": "application/json"},
                    data=body)
    assert failure(response, 413) == "Payload too large"


def _raw_request(server, request):
    with socket.create_connection((server.host, server.port), timeout=60) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return head.split(b" ", 2)[1], head, body


def test_a_request_line_over_64_kb_is_414_in_the_json_shape(server):
    status, head, body = _raw_request(server, b"GET /v2/listProjects?x=" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n")
    assert (status, b"application/json" in head) == (b"414", True)
    assert json.loads(body)["status"] == "fail"


def test_a_header_over_64_kb_is_431_in_the_json_shape(server):
    status, head, body = _raw_request(server, b"GET /v2/listProjects HTTP/1.1\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n")
    assert (status, b"application/json" in head) == (b"431", True)
    assert json.loads(body)["message"].startswith("Request header fields too large")
