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

# imerit-ango 1.3.14: its methods and requests where they differ from 1.4.10 (None: the same as 1.4.10).
SDK_1314 = {name: None for name in (
    "list_projects", "get_project", "get_tasks", "get_task", "assign_task", "upload_files_cloud", "upload_files",
    "create_issue", "get_assets", "create_attachment", "create_label_set", "import_labels", "get_storages",
    "get_batches", "create_batch", "assign_batches", "create_project", "update_workflow_stages", "get_task_history",
    "get_metrics", "get_organization_members", "update_organization_members_role", "delete_organization_members",
    "get_organization_invites", "invite_members_to_org", "add_members_to_project", "delete_organization_invites",
    "create_storage", "delete_storage", "file_explorer", "_get_signed_url", "_plugin_log", "_plugin_response")}
SDK_1314.update({"export": [("GET", "/v2/exportV3"), ("GET", "/files/f1/export.zip")],
                 "exportV3": [("GET", "/v2/exportV3"), ("GET", "/files/f1/export.zip")],
                 "create_batch": [("GET", P), ("POST", "/v2/batches/p1")],
                 "_annotate": [("POST", "/v2/annotate/t1")]})

# ango 0.1.18 (module `ango`): its methods and requests where they differ from 1.4.10.
SDK_0118 = {name: None for name in (
    "list_projects", "get_project", "get_tasks", "get_task", "upload_files", "upload_files_cloud", "create_issue",
    "get_assets", "create_attachment", "create_label_set", "import_labels", "get_batches", "create_project")}
SDK_0118.update({"assign_task": [("GET", "/v2/task/assign")],
                 "set_asset_priority": [("POST", "/v2/priority/p1")],
                 "export": [("GET", "/v2/export"), ("GET", "/files/f1/export.zip")],
                 "get_integrations": [("GET", "/v2/integrations")],
                 "create_batch": [("GET", P), ("POST", "/v2/batches/p1")],
                 "assign_batches": [("GET", P), ("POST", "/v2/assignBatches")],
                 "create_webhook": [("POST", "/v2/webhook")]})

RELEASES = (("imerit-ango 1.4.10", SDK_CALLS), ("imerit-ango 1.3.14", SDK_1314), ("ango 0.1.18", SDK_0118))

# Public SDK methods that never talk HTTP themselves.
NOT_HTTP = {"make_request": "the generic request helper", "setup_logger": "logging only"}

# Methods whose every route exists but which leave something out; the note says what.
PARTIAL = {
    "list_storage_files": "lists mockhub's own bucket (`mockhub`); any other bucket is out of reach: an empty list",
    "file_explorer": "browses mockhub's own bucket (`mockhub`); any other bucket is out of reach: an empty list",
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


def _status(adapter, name, calls):
    results = [_resolve(adapter, method, path) for method, path in calls]
    endpoints = [endpoint for endpoint, _ in results]
    if None in endpoints:
        return "missing", "no route", False
    if any(e.startswith("v2.pending.") for e in endpoints):
        return "501", "answers 501 Not implemented", False
    redirected = any(r for _, r in results)
    return ("partial", PARTIAL[name], redirected) if name in PARTIAL else ("works", "", redirected)


def coverage_rows(app=None):
    """Return one dict per SDK method of any release: method, calls, status (1.4.10), statuses per release, note."""
    if app is None:
        from mockhub.app import create_app
        app = create_app()
    adapter = app.url_map.bind("localhost")
    names = sorted(set(SDK_CALLS) | set(SDK_1314) | set(SDK_0118), key=lambda n: n.lstrip("_"))
    rows = []
    for name in names:
        statuses, notes, shown = {}, [], None
        for release, calls_by_method in RELEASES:
            if name not in calls_by_method:
                statuses[release] = "—"
                continue
            calls = calls_by_method[name] or SDK_CALLS[name]
            shown = shown or calls
            status, note, redirected = _status(adapter, name, calls)
            statuses[release] = status
            if calls != SDK_CALLS.get(name) and name in SDK_CALLS:
                notes.append(f"{release}: " + ", ".join(f"`{m} {p}`" for m, p in calls))
            notes += [note] if note and note not in notes else []
            if redirected and "308" not in " ".join(notes):
                notes.append("the SDK's `//` path is answered with a 308 redirect it follows")
        rows.append({"method": name, "calls": shown, "status": statuses["imerit-ango 1.4.10"],
                     "statuses": statuses, "note": "; ".join(notes)})
    return rows


def coverage_markdown(app=None):
    """Render the coverage table as the Markdown kept in docs/coverage.md."""
    from mockhub.plugin_tools.coverage import plugin_markdown

    if app is None:
        from mockhub.app import create_app
        app = create_app()
    rows = coverage_rows(app)
    releases = [release for release, _ in RELEASES]
    totals = []
    for release in releases:
        counts = {s: sum(1 for r in rows if r["statuses"][release] == s) for s in ("works", "partial", "501", "missing")}
        totals.append(f"- {release}: " + ", ".join(f"{n} {s}" for s, n in counts.items()) + ".")
    lines = [
        "# SDK coverage", "",
        f"Every method that talks HTTP in {', '.join(releases)}, the requests it makes (1.4.10's, unless the",
        "note names an older release's), and what mockhub does with them (— : the release has no such method).",
        "Generated from the route table by `mockhub coverage`; `tests/unit/test_coverage_table.py` keeps it current,",
        "`tests/sdk` proves the 1.4.10 column and `tests/sdk/test_older_releases.py` the other two.", "",
        "Totals:", *totals, "",
        "| SDK method | requests | " + " | ".join(releases) + " | note |",
        "| --- | --- | " + " | ".join("---" for _ in releases) + " | --- |",
    ]
    for row in rows:
        calls = "<br>".join(f"`{m} {p}`" for m, p in row["calls"])
        cells = " | ".join(row["statuses"][release] for release in releases)
        lines.append(f"| `{row['method']}` | {calls} | {cells} | {row['note']} |")
    lines += ["", "Public methods that make no request of their own: "
              + ", ".join(f"`{n}` ({why})" for n, why in sorted(NOT_HTTP.items())) + ".", ""]
    lines += plugin_markdown(app.url_map.bind("localhost"))
    return "\n".join(lines)
