"""Export records: build them (the v3 record shape of spec 5.3-5.4, and issue records) and pack them into a zip.

Pure: it works on a snapshot the store handed out, so a large export never holds the store's lock.
"""
import io
import json
import zipfile


def _schema_items(category_schema):
    items = {}
    for key in ("tools", "classifications", "relations"):
        for item in (category_schema or {}).get(key) or []:
            items[item.get("schemaId")] = item
    return items


def _tools(tools, schema):
    """Tools and relations as exported: each carries its ontology `title`."""
    return [dict(tool, title=tool.get("title") or schema.get(tool.get("schemaId"), {}).get("title")) for tool in tools]


def _classifications(classifications, schema):
    result = []
    for item in classifications:
        known = schema.get(item.get("schemaId"), {})
        result.append({"schemaId": item.get("schemaId"), "tool": item.get("tool") or known.get("tool"),
                       "title": item.get("title") or known.get("title"),
                       "columnField": known.get("columnField", False), **item})
    return result


def _answer_fields(answer, schema):
    answer = answer or {}
    return {"tools": _tools(answer.get("tools") or [], schema),
            "classifications": _classifications(answer.get("classifications") or [], schema),
            "relations": _tools(answer.get("relations") or [], schema)}


def _history_entry(record, schema):
    entry = {"stage": record["stageName"], "stageId": record["stage"], "duration": record["duration"],
             "completedAt": record["completedAt"]}
    if record.get("completedBy"):
        entry["completedBy"] = record["completedBy"]
    entry.update(_answer_fields(record.get("answer"), schema))
    entry["brushDataUrl"] = record.get("brushDataUrl")
    if record.get("reviewStatus") and record.get("stageType") == "Review":
        entry["reviewStatus"] = record["reviewStatus"]
    return entry


def task_record(item, options):
    """One exported asset: the asset's fields and its task (spec 5.3, 5.4)."""
    asset, task, schema = item["asset"], item["task"], _schema_items(item["categorySchema"])
    record = {"asset": asset["data"], "assetId": asset["_id"], "externalId": asset["externalId"]}
    if asset.get("dataset"):
        record["dataset"] = asset["dataset"]
    if options.get("includeMetadata", True):
        record["metadata"] = asset.get("metadata") or {}
    record["batches"] = item["batchNames"]
    exported = {"taskId": task["_id"], "stage": item["stageName"], "stageId": task["stage"], "type": task["type"],
                "updatedAt": task["updatedAt"], "updatedBy": task["updatedBy"],
                "totalDuration": task["totalDuration"], **_answer_fields(task["answer"], schema),
                "brushDataUrl": task.get("brushDataUrl"), "medicalBrushDataUrl": task.get("medicalBrushDataUrl")}
    if task.get("consensusAverage") is not None:
        exported["consensusAverage"] = task["consensusAverage"]
        exported["consensusDetailed"] = task.get("consensusDetailed") or []
    if options.get("includeHistory", True):
        exported["stageHistory"] = [_history_entry(r, schema) for r in item["history"]]
    record["task"] = exported
    return record


def _legacy_status(history, task):
    kinds = [r.get("stageType") for r in history]
    if "Review" in kinds and task["status"] == "Completed":
        return "Reviewed"
    if "Label" in kinds:
        return "Labeled"
    return "In Progress" if task.get("assignee") else "To Do"


def legacy_record(item, options):
    """One asset in the export format of the June 2023 docs (spec 5.6), which ango 0.1.18 returns as is."""
    asset, task, history = item["asset"], item["task"], item["history"]
    label = next((r for r in reversed(history) if r.get("stageType") == "Label"), None)
    review = next((r for r in reversed(history) if r.get("stageType") == "Review"), None)
    answer = task["answer"] or {}
    return {
        "asset": asset["data"], "externalId": asset["externalId"], "metadata": asset.get("metadata") or {},
        "tags": item["batchNames"], "labeledAt": label and label["completedAt"],
        "reviewedAt": review and review["completedAt"], "status": _legacy_status(history, task),
        "labelDuration": label["duration"] if label else 0, "consensus": task.get("consensusAverage"),
        "tasks": [{
            "taskId": task["_id"], "completedBy": label and label["completedBy"],
            "completedAt": label and label["completedAt"], "duration(ms)": label["duration"] if label else 0,
            "isSkipped": task["isSkipped"], "status": task["status"],
            "review": {"status": task["reviewStatus"], "completedBy": review and review["completedBy"],
                       "completedAt": review and review["completedAt"],
                       "duration(ms)": review["duration"] if review else 0},
            "updatedBy": task["updatedBy"], "updatedAt": task["updatedAt"], "isBenchmark": task["isBenchmark"],
            "benchmark": None, "issues": item.get("issues", []), "objects": answer.get("tools", []),
            "classifications": answer.get("classifications", []), "relations": answer.get("relations", [])}]}


def issue_record(item):
    """One exported issue (mockhub's shape; see docs/fidelity.md)."""
    issue, asset = item["issue"], item["asset"]
    return {"issueId": issue["_id"], "content": issue["content"], "status": issue["status"],
            "projectId": issue["project"], "asset": asset["data"], "assetId": asset["_id"],
            "externalId": asset["externalId"], "taskId": issue["labelTask"], "stage": item["stageName"],
            "stageId": issue["stage"], "position": issue.get("position"), "objectId": issue.get("objectId"),
            "errorCodes": issue.get("errorCodes") or [], "contentMentions": issue.get("contentMentions") or [],
            "comments": issue.get("comments") or [], "createdBy": issue["createdBy"],
            "createdAt": issue["createdAt"], "resolvedBy": issue.get("resolvedBy"),
            "resolvedAt": issue.get("resolvedAt")}


def render(records, fmt):
    """Serialize records: one JSON array, or one JSON object per line (every line ends in a newline)."""
    if fmt == "ndjson":
        return "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records).encode()
    return json.dumps(records, separators=(",", ":")).encode()


def pack(member_name, payload):
    """Zip the export as the archive's first (and only) member."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member_name, payload)
    return buffer.getvalue()


def build(snapshot, options):
    """Return (zip bytes, member name, record count) for a snapshot from `Store.export_snapshot`."""
    if options["type"] == "issue":
        records = [issue_record(item) for item in snapshot["items"]]
    elif options.get("legacy"):
        records = [legacy_record(item, options) for item in snapshot["items"]]
    else:
        records = [task_record(item, options) for item in snapshot["items"]]
    extension = "ndjson" if options["format"] == "ndjson" else "json"
    member = f"{snapshot['projectId']}{'-issues' if options['type'] == 'issue' else ''}.{extension}"
    return pack(member, render(records, options["format"])), member, len(records)
