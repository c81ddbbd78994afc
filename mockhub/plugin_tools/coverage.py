"""The plugin part of docs/coverage.md: each release's plugin classes, what they call, and what mockhub does.

A class "works" when mockhub hosts plugins (its control plane `/_mockhub/plugins` is routed) and every REST
request the class makes itself has a route; the tests that run it as a real process are named beside it.
"""
from mockhub.coverage import T, _resolve

HOSTING = [("POST", "/_mockhub/plugins"), ("POST", "/_mockhub/plugins/x1/runs")]
UPLOAD = [("GET", "/v2/getUploadUrl"), ("PUT", "/files/f1/export.zip")]
EXPORT_ZIP = ("GET", "/files/f1/export.zip")
NEW, OLD = "tests/plugins/test_plugin_processes.py", "tests/plugins/test_each_release.py"
BASE = "the base class's `plugin` handling: the callback's return value is the session's `response`"

# release -> [(class, REST requests it makes itself, what mockhub does, the tests that run it)]
PLUGIN_CLASSES = {
    "imerit-ango 1.4.10": [
        ("ExportPlugin", [("GET", "/v2/export"), EXPORT_ZIP, *UPLOAD[:1], ("GET", "/v2/getSignedUrl"), UPLOAD[1]],
         "NDJSON export with the run's stage/batches; the uploaded zip is the session's `download`", NEW),
        ("ModelPlugin", [("GET", T), ("POST", "/v2/annotate/t1")],
         "on a task: the answer is the session's `response`, the task unchanged; in a Plugin stage: annotates "
         "with `isPlugin=true` and the task moves on by `next[0]`", f"{NEW}, {OLD}"),
        ("BatchModelPlugin", [], BASE, OLD),
        ("InputPlugin", [], BASE, ""),
        ("FileExplorerPlugin", [], BASE, ""),
        ("MarkdownPlugin", [], BASE, ""),
    ],
    "imerit-ango 1.3.14": [
        ("ExportPlugin", [("GET", "/v2/exportV3"), EXPORT_ZIP, *UPLOAD[:1], ("GET", "/v2/getSignedUrl"), UPLOAD[1]],
         "as 1.4.10, through `exportV3`", OLD),
        ("ModelPlugin", [("GET", T), ("POST", "/v2/annotate/t1")],
         "as 1.4.10; in a Plugin stage its worker annotates with `nextStage=true`", OLD),
        ("BatchModelPlugin", [], BASE, OLD),
        ("InputPlugin", [], BASE, ""),
        ("FileExplorerPlugin", [], BASE, ""),
        ("MarkdownPlugin", [], BASE, ""),
    ],
    "ango 0.1.18": [
        ("ExportPlugin", [("GET", "/v2/export"), EXPORT_ZIP, *UPLOAD],
         "the legacy export; the callback's (name, bytes) is uploaded and becomes the session's `download`", OLD),
        ("ModelPlugin", [], "the answer it returns is the session's `response`; in a Plugin stage mockhub "
                            "applies it and moves the task on", OLD),
        ("BatchModelPlugin", [], BASE, OLD),
        ("InputPlugin", [], BASE, ""),
        ("FileExplorerPlugin", [], BASE, ""),
        ("MarkdownPlugin", [], BASE, ""),
        ("WorkflowPlugin", [], "answers with the Socket.IO ack, not a `response` event", ""),
    ],
}

def plugin_rows(adapter):
    """One dict per (release, class): requests, status and note."""
    hosted = all(_resolve(adapter, method, path)[0] for method, path in HOSTING)
    rows = []
    for release, classes in PLUGIN_CLASSES.items():
        for name, calls, behaviour, tests in classes:
            routed = all(_resolve(adapter, method, path)[0] for method, path in calls)
            status = "works" if hosted and routed and tests else ("untested" if hosted and routed else "missing")
            rows.append({"release": release, "class": name, "calls": calls, "status": status,
                         "note": behaviour + (f" ({tests})" if tests else "")})
    return rows


def plugin_markdown(adapter):
    """The '## Plugins' section of docs/coverage.md."""
    lines = ["## Plugins", "",
             "Plugin processes connect over Socket.IO (`/socket.io/`, namespace `/plugin`: `heartbeat`, `plugin`,",
             "`log`, `response`) and make the REST requests below themselves; what a callback does with the SDK is",
             "covered by the table above. works: hosted, every request routed, and run as a real process by the tests",
             "named; untested: hosted and routed, but no test runs that class; missing: mockhub cannot host it.",
             "Only the Socket.IO connector is hosted: `CONNECTOR=REST` plugins (which mockhub would have to call) are",
             "not, and `mockhub plugin` / `ango_plugin` start scripts with `CONNECTOR=WS`.", "",
             "| release | plugin class | requests | status | what mockhub does |", "| --- | --- | --- | --- | --- |"]
    for row in plugin_rows(adapter):
        calls = "<br>".join(f"`{m} {p}`" for m, p in row["calls"]) or "—"
        lines.append(f"| {row['release']} | `{row['class']}` | {calls} | {row['status']} | {row['note']} |")
    return lines + [""]
