"""Export records: build them (the v3 record shape of spec 5.3-5.4, and issue records) and pack them into a zip.

Pure: it works on a snapshot the store handed out, so a large export never holds the store's lock.
"""
import io
import json
import zipfile


def ontology_index(category_schema):
    """Every ontology item by schemaId, nested ones included (classifications inside tools, relations and
    other classifications), so an answer at any depth finds its `tool`, `title` and `columnField`."""
    items, pending = {}, []
    for key in ("tools", "classifications", "relations"):
        pending += (category_schema or {}).get(key) or []
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            items.setdefault(item.get("schemaId"), item)
            pending += item.get("classifications") or []
    return items


def classifications(answers, index):
    """Classification answers as exported: `schemaId, tool, title, columnField, answer, classifications` at
    every depth (the Ango Export Format page; docs/records.md)."""
    result = []
    for item in answers or []:
        known = index.get(item.get("schemaId"), {})
        result.append({**item, "schemaId": item.get("schemaId"), "tool": item.get("tool") or known.get("tool"),
                       "title": item.get("title") or known.get("title"),
                       "columnField": item.get("columnField", known.get("columnField", False)),
                       "answer": item.get("answer"),
                       "classifications": classifications(item.get("classifications"), index)})
    return result


def _titled(item, index):
    return dict(item, title=item.get("title") or index.get(item.get("schemaId"), {}).get("title"))


def _objects(objects, index):
    """Tools as exported: each carries its ontology `title` and its nested classifications."""
    return [dict(_titled(item, index), classifications=classifications(item.get("classifications"), index))
            for item in objects or []]


def _relations(relations, index):
    """Relations as exported: titled; classifications only where the relation has them (the documented
    relation sample has none)."""
    return [dict(_titled(item, index), classifications=classifications(item["classifications"], index))
            if item.get("classifications") else _titled(item, index) for item in relations or []]


def answer_fields(answer, index):
    """The `tools`, `classifications` and `relations` of an export, a webhook or a stage-history entry."""
    answer = answer or {}
    return {"tools": _objects(answer.get("tools"), index),
            "classifications": classifications(answer.get("classifications"), index),
            "relations": _relations(answer.get("relations"), index)}


def stage_entry(record, index, answers=True, sparse=True):
    """One stageHistory entry: the task as it left a stage (spec 5.4); `answers=False` for asset listings.
    `sparse` leaves out a missing `completedBy` as the documented export's Start entry does; the webhook and
    `labelTasks` give it as null."""
    entry = {"stage": record["stageName"], "stageId": record["stage"], "duration": record["duration"],
             "completedAt": record["completedAt"], "completedBy": record.get("completedBy")}
    if sparse and not entry["completedBy"]:
        del entry["completedBy"]
    if answers:
        entry.update(answer_fields(record.get("answer"), index))
        entry["brushDataUrl"] = record.get("brushDataUrl")
    if record.get("reviewStatus") and record.get("stageType") == "Review":
        entry["reviewStatus"] = record["reviewStatus"]
    return entry


def label_task(task, history, stage_name):
    """An asset listing's `labelTasks` item: the task and its stage history without answers (docs/records.md)."""
    return {"_id": task["_id"], "taskId": task["_id"], "type": task["type"], "stage": stage_name,
            "stageId": task["stage"], "status": task["status"], "assignee": task.get("assignee"),
            "stageHistory": [stage_entry(record, {}, answers=False, sparse=False) for record in history]}


def task_record(item, options):
    """One exported asset: the asset's fields and its task (spec 5.3, 5.4)."""
    asset, task, index = item["asset"], item["task"], ontology_index(item["categorySchema"])
    record = {"asset": asset["data"], "assetId": asset["_id"], "externalId": asset["externalId"]}
    if asset.get("dataset"):
        record["dataset"] = asset["dataset"]
    if options.get("includeMetadata", True):
        record["metadata"] = asset.get("metadata") or {}
    record["batches"] = item["batchNames"]
    exported = {"taskId": task["_id"], "stage": item["stageName"], "stageId": task["stage"], "type": task["type"],
                "updatedAt": task["updatedAt"], "updatedBy": task["updatedBy"],
                "totalDuration": task["totalDuration"], **answer_fields(task["answer"], index),
                "brushDataUrl": task.get("brushDataUrl"), "medicalBrushDataUrl": task.get("medicalBrushDataUrl")}
    if task.get("consensusAverage") is not None:
        exported["consensusAverage"] = task["consensusAverage"]
        exported["consensusDetailed"] = task.get("consensusDetailed") or []
    if options.get("includeHistory", True):
        exported["stageHistory"] = [stage_entry(r, index) for r in item["history"]]
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
            "benchmark": None, "issues": item.get("issues", []),
            **_legacy_answer(answer, ontology_index(item["categorySchema"]))}]}


def _legacy_answer(answer, index):
    """The legacy task's `objects`, `classifications`, `relations`: the same enriched items as v3 (the
    DOCS-AAF pages document `title` on objects, `tool`/`title`/`columnField` on classifications)."""
    fields = answer_fields(answer, index)
    return {"objects": fields["tools"], "classifications": fields["classifications"],
            "relations": fields["relations"]}


def _position(value):
    """Issue positions are strings on the wire (the SDK sends `str([x, y])`)."""
    return value if value is None or isinstance(value, str) else json.dumps(value)


def issue_record(item):
    """One exported issue: the issue model with its asset (externalId, batch names) as an object (docs/records.md)."""
    issue, asset = item["issue"], item["asset"]
    codes = issue.get("errorCodes") or []
    record = {"_id": issue["_id"], "content": issue["content"], "status": issue["status"],
              "project": issue["project"], "labelTask": issue["labelTask"],
              "asset": {"_id": asset["_id"], "externalId": asset["externalId"], "data": asset["data"],
                        "batches": item["batchNames"]},
              "stage": issue["stage"], "stageName": item["stageName"], "position": _position(issue.get("position")),
              "errorCodes": codes, "contentMentions": issue.get("contentMentions") or [],
              "comments": issue.get("comments") or [], "createdBy": issue["createdBy"],
              "createdAt": issue["createdAt"], "updatedBy": issue.get("updatedBy"),
              "updatedAt": issue.get("updatedAt"), "resolvedBy": issue.get("resolvedBy"),
              "resolvedAt": issue.get("resolvedAt")}
    for key in ("objectId", "page", "pageEnd", "dataIndex", "plane", "pctDetails"):
        if issue.get(key) is not None:
            record[key] = issue[key]
    if codes:
        record["errorType"], record["errorCode"] = codes[0].get("category"), codes[0].get("key") or codes[0].get("name")
    return record


def render(records, fmt):
    """Serialize records (any iterable, read once): one JSON array, or one JSON object per line (every line ends
    in a newline). Return (bytes, record count)."""
    # one record at a time, not one C call over the whole array: a 1M-task export then lets other threads
    # (other organizations' requests) run between records instead of waiting seconds for the GIL
    lines = [json.dumps(r, separators=(",", ":")) for r in records]
    if fmt == "ndjson":
        return "".join(line + "\n" for line in lines).encode(), len(lines)
    return ("[" + ",".join(lines) + "]").encode(), len(lines)


def pack(member_name, payload):
    """Zip the export as the archive's first (and only) member."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member_name, payload)
    return buffer.getvalue()


def build(snapshot, options):
    """Return (zip bytes, member name, record count) for a snapshot from `Store.export_snapshot`; its items
    are read once, in order, each record serialized as soon as it is made."""
    if options["type"] == "issue":
        records = (issue_record(item) for item in snapshot["items"])
    elif options.get("legacy"):
        records = (legacy_record(item, options) for item in snapshot["items"])
    else:
        records = (task_record(item, options) for item in snapshot["items"])
    member = member_name(snapshot["projectId"], options)
    payload, count = render(records, options["format"])
    return pack(member, payload), member, count


def member_name(project_id, options):
    """The name of the export's JSON (or NDJSON) file inside its zip."""
    extension = "ndjson" if options["format"] == "ndjson" else "json"
    return f"{project_id}{'-issues' if options['type'] == 'issue' else ''}.{extension}"
