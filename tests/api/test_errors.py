"""Error paths through the Flask test client: one envelope, the documented codes, and no partial writes."""


def _project(api, name="P"):
    response = api("POST", "/v2/project", {"name": name})
    assert response.status_code == 201
    return response.get_json()["data"]["project"]["_id"]


def _error(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] in ("fail", "error")
    return body["message"]


def test_missing_key_is_401(api):
    response = api("GET", "/v2/listProjects", key=None)
    assert _error(response, 401) == "Invalid API KEY"
    assert response.get_json() == {"status": "fail", "message": "Invalid API KEY"}


def test_unknown_key_in_strict_mode_is_401():
    from mockhub.app import create_app

    client = create_app({"STRICT_AUTH": True}).test_client()
    assert _error(client.get("/v2/listProjects", headers={"apikey": "nobody"}), 401) == "Invalid API KEY"


def test_unknown_project_is_400_with_the_documented_message(api):
    assert _error(api("GET", "/v2/project/6167dfee2a810d000e9d313"), 400) == "Invalid project: 6167dfee2a810d000e9d313."


def test_unknown_task_is_404(api):
    assert "Task not found: abc" in _error(api("GET", "/v2/task/abc"), 404)


def test_unknown_route_is_json_404(api):
    assert _error(api("GET", "/v2/no/such/thing"), 404) == "Not found: no such endpoint"


def test_wrong_method_is_json_405(api):
    assert _error(api("PUT", "/v2/listProjects"), 405) == "Method not allowed"


def test_not_implemented_is_501_naming_the_operation(app, api):
    from mockhub.api.pending import _pending_view

    app.add_url_rule("/v2/future/thing", view_func=_pending_view("future_operation"), methods=["POST"])
    message = _error(api("POST", "/v2/future/thing"), 501)
    assert message.startswith("Not implemented: future_operation is not emulated by mockhub yet")


def test_validation_error_names_the_field(api):
    message = _error(api("POST", "/v2/project", {"description": "no name"}), 400)
    assert "name" in message and "Missing data for required field" in message


def test_non_object_body_is_400(api):
    assert _error(api("POST", "/v2/project", ["not", "an", "object"]), 400) == "body: must be a JSON object"


def test_malformed_json_is_400(api):
    response = api("POST", "/v2/project", data="{not json", content_type="application/json")
    assert _error(response, 400) == "body: not valid JSON"


def test_rejected_upload_creates_nothing(api):
    pid = _project(api)
    bad = {"assets": [{"data": "https://x/1.png"}, {"externalId": "no data"}]}
    assert "assets[1].data" in _error(api("POST", f"/v2/project/{pid}/cloud", bad), 400)
    unknown_batch = {"assets": [{"data": "https://x/1.png", "batches": ["nope"]}]}
    assert "batch nope not found" in _error(api("POST", f"/v2/project/{pid}/cloud", unknown_batch), 400)
    listing = api("GET", f"/v2/project/{pid}/assets").get_json()["data"]
    assert listing["total"] == 0 and listing["assets"] == []


def test_rejected_stage_update_leaves_workflow_unchanged(api):
    pid = _project(api)
    before = api("GET", f"/v2/project/{pid}").get_json()["data"]["project"]["stages"]
    broken = [{"id": "Start", "type": "Start", "name": "Start", "next": ["Nowhere"]}]
    assert "unknown stage Nowhere" in _error(api("POST", f"/v2/project/{pid}", {"stages": broken}), 400)
    assert api("GET", f"/v2/project/{pid}").get_json()["data"]["project"]["stages"] == before


def test_unknown_update_key_is_400(api):
    pid = _project(api)
    assert "color" in _error(api("POST", f"/v2/project/{pid}", {"color": "red"}), 400)


def test_bad_paging_is_400(api):
    pid = _project(api)
    assert "limit must be at most 1000" in _error(api("GET", f"/v2/project/{pid}/tasks?limit=1001"), 400)
    assert "page must be at least 1" in _error(api("GET", f"/v2/project/{pid}/tasks?page=0"), 400)
    assert "limit must be a whole number" in _error(api("GET", "/v2/listProjects?limit=ten"), 400)


def test_bad_filter_is_400(api):
    pid = _project(api)
    assert "unknown field 'colour'" in _error(api("GET", f'/v2/project/{pid}/tasks?filter={{"colour":"red"}}'), 400)
    assert "operator $near" in _error(api("GET", f'/v2/project/{pid}/tasks?filter={{"stage":{{"$near":1}}}}'), 400)
    assert "not valid JSON" in _error(api("GET", f"/v2/project/{pid}/tasks?filter={{bad"), 400)


def test_another_organization_cannot_touch_a_project(api):
    pid = _project(api)
    other = "someone-else"
    assert _error(api("GET", f"/v2/project/{pid}", key=other), 400) == f"Invalid project: {pid}."
    assert _error(api("DELETE", f"/v2/project/{pid}", key=other), 400) == f"Invalid project: {pid}."
    assert api("GET", f"/v2/project/{pid}").status_code == 200


def test_unexpected_errors_are_json_500(app, api):
    @app.get("/boom")
    def boom():
        raise RuntimeError("kaput")

    response = api("GET", "/boom")
    assert response.status_code == 500
    assert response.get_json() == {"status": "error", "message": "Internal error: RuntimeError"}
