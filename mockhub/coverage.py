"""The SDK coverage table: every HTTP-calling method of imerit-ango 1.4.10, resolved against the route table."""
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

SDK_VERSION = "imerit-ango 1.4.10"
P, T, O = "/v2/project/p1", "/v2/task/t1", "/v2/organization/o1"

# SDK method -> the requests it makes, in order (paths with sample ids).
SDK_CALLS = {
    "add_members_to_project": [("POST", f"{P}/assigned")],
    "annotate_task": [("GET", T), ("POST", "/v2/annotate/t1")],
    "assign_batches": [("POST", "/v2/assignBatches")],
    "assign_task": [("POST", "/v2/task/assign")],
    "clone_project": [("POST", f"{P}/clone")],
    "create_attachment": [("POST", "/v2/attachments")],
    "create_batch": [("POST", "/v2/batches/p1")],
    "create_batches": [("GET", P), ("POST", "/v2/batches/p1")],
    "create_issue": [("POST", "/v2/issues")],
    "create_label_set": [("POST", P)],
    "create_llm": [("POST", "/v2/llms/")],
    "create_project": [("POST", "/v2/project")],
    "create_storage": [("POST", "/v2/storages/")],
    "create_asset_builder_template": [("POST", f"{P}/assetBuilderTemplates")],
    "add_comment_to_issue": [("POST", "/v2/issues/i1/comment")],
    "delete_assets": [("DELETE", f"{P}/assets")],
    "delete_issue": [("DELETE", "/v2/issues/i1")],
    "delete_llm": [("DELETE", "/v2/llms/l1")],
    "delete_organization_invites": [("DELETE", f"{O}/invites")],
    "delete_organization_members": [("DELETE", f"{O}/users")],
    "delete_project": [("DELETE", P)],
    "delete_storage": [("DELETE", "/v2/storages/s1")],
    "export": [("GET", "/v2/export"), ("GET", "/files/f1/export.zip")],
    "exportV3": [("GET", "/v2/export"), ("GET", "/files/f1/export.zip")],
    "file_explorer": [("POST", "/v2/file-explorer")],
    "get_asset_builder_templates": [("GET", P)],
    "get_assets": [("GET", f"{P}/assets")],
    "get_batches": [("GET", P)],
    "get_issues": [("GET", "/v2/issues")],
    "get_llms": [("GET", "/v2/llms")],
    "get_metrics": [("GET", "/v2/p1/overview/TimePerTask")],
    "get_organization_invites": [("GET", f"{O}/invites")],
    "get_organization_members": [("GET", f"{O}/users")],
    "get_project": [("GET", P)],
    "get_project_performance": [("POST", "/v2/performance/p1")],
    "get_storages": [("GET", "/v2/storages")],
    "get_task": [("GET", T)],
    "get_task_history": [("GET", "/v2/taskHistory/h1"), ("GET", f"{T}/history")],
    "get_tasks": [("GET", f"{P}/tasks")],
    "import_labels": [("POST", "/v2/import/labels")],
    "invite_members_to_org": [("POST", f"{O}/invites")],
    "list_projects": [("GET", "/v2/listProjects")],
    "list_storage_files": [("GET", "/v2/storages/s1/files")],
    "purge_project": [("POST", f"{P}/purge")],
    "requeue_tasks": [("POST", f"{P}/requeueTasks")],
    "rerun_webhook": [("POST", "/v2//project/p1/rerun-webhook")],
    "review_task": [("POST", "/v2/review/t1")],
    "send_notification": [("POST", "/v2/notifications")],
    "set_tasks_as_benchmark": [("POST", f"{P}/benchmark-tasks")],
    "update_benchmark_settings": [("POST", P)],
    "update_issue": [("POST", "/v2/issues/i1")],
    "update_label_validation": [("POST", f"{P}/labelValidation")],
    "update_organization_members_role": [("POST", f"{O}/users")],
    "update_tasks_priority": [("POST", f"{P}/updatePriority")],
    "update_workflow_stages": [("POST", P)],
    "upload_brush_array": [("GET", "/v2/getUploadUrl"), ("PUT", "/files/f1/mask.png")],
    "upload_chat_assets": [("POST", f"{P}/chat")],
    "upload_files": [("GET", P), ("GET", "/v2/getUploadUrl"), ("PUT", "/files/f1/a.png"), ("POST", f"{P}/cloud")],
    "upload_files_cloud": [("POST", f"{P}/cloud")],
    "upload_files_with_asset_builder": [("GET", P), ("POST", f"{P}/cloud")],
    "upload_instructions": [("POST", f"{P}/instructions")],
    "_get_signed_url": [("GET", "/v2/getSignedUrl")],
    "_plugin_log": [("POST", "/v2/pluginLog")],
    "_plugin_response": [("POST", "/v2/pluginResponse")],
}

# Public SDK methods that never talk HTTP themselves.
NOT_HTTP = {"make_request": "the generic request helper", "setup_logger": "logging only"}

# Methods whose every route exists but which leave something out; the note says what.
PARTIAL = {
    "list_storage_files": "lists mockhub's own bucket (`mockhub`); any other bucket is out of reach: an empty list",
    "file_explorer": "browses mockhub's own bucket (`mockhub`); any other bucket is out of reach: an empty list",
    "_plugin_log": "kept for the control plane; mockhub hosts no plugins",
    "_plugin_response": "kept for the control plane; mockhub hosts no plugins",
}


def _resolve(adapter, method, path):
    """Return (endpoint, redirected) for a request, or (None, False) if no route takes it."""
    try:
        endpoint, _ = adapter.match(path, method)
        return endpoint, False
    except RequestRedirect as redirect:
        target = redirect.new_url.split("://", 1)[-1].split("/", 1)[-1]
        return adapter.match("/" + target, method)[0], True
    except (NotFound, MethodNotAllowed):
        return None, False


def coverage_rows(app=None):
    """Return one dict per SDK method: method, calls, status (works/partial/501/missing), note."""
    if app is None:
        from mockhub.app import create_app
        app = create_app()
    adapter = app.url_map.bind("localhost")
    rows = []
    for name in sorted(SDK_CALLS, key=lambda n: n.lstrip("_")):
        results = [_resolve(adapter, method, path) for method, path in SDK_CALLS[name]]
        endpoints = [endpoint for endpoint, _ in results]
        if None in endpoints:
            status, note = "missing", "no route"
        elif any(e.startswith("v2.pending.") for e in endpoints):
            status, note = "501", "answers 501 Not implemented"
        elif name in PARTIAL:
            status, note = "partial", PARTIAL[name]
        else:
            status, note = "works", ""
        if any(redirected for _, redirected in results):
            note = (note + "; " if note else "") + "the SDK's `//` path is answered with a 308 redirect it follows"
        rows.append({"method": name, "calls": SDK_CALLS[name], "status": status, "note": note})
    return rows


def coverage_markdown(app=None):
    """Render the coverage table as the Markdown kept in docs/coverage.md."""
    rows = coverage_rows(app)
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("works", "partial", "501", "missing")}
    lines = [
        "# SDK coverage", "",
        f"Every method of {SDK_VERSION} that talks HTTP, the requests it makes, and what mockhub does with them.",
        "Generated from the route table by `mockhub coverage`; `tests/unit/test_coverage_table.py` keeps it current.",
        "", "Totals: " + ", ".join(f"{n} {s}" for s, n in counts.items()) + ".", "",
        "| SDK method | requests | status | note |", "| --- | --- | --- | --- |",
    ]
    for row in rows:
        calls = "<br>".join(f"`{m} {p}`" for m, p in row["calls"])
        lines.append(f"| `{row['method']}` | {calls} | {row['status']} | {row['note']} |")
    lines += ["", "Public methods that make no request of their own: "
              + ", ".join(f"`{n}` ({why})" for n, why in sorted(NOT_HTTP.items())) + ".", ""]
    return "\n".join(lines)
