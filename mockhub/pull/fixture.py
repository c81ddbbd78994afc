"""Turn what a pull read (project, assets with their tasks, task history, issues, members) into a fixture
document that places each task in its stage with its answer, assignee, history and issues."""
import json

from mockhub.schemas.projects import PROJECT_ROLES

REVIEW_STATUSES = ("Todo", "Accepted", "Rejected", "Fixed")
ISSUE_FIELDS = ("objectId", "page", "pageEnd", "errorCodes", "resolvedBy", "resolvedAt")


def _answer(value):
    value = value or {}
    return {key: value.get(key) or [] for key in ("tools", "classifications", "relations")}


def history(records):
    """The fixture history of one task from its `get_task_history` records (oldest first)."""
    entries = []
    for record in records or []:
        item = {"stage": record["stage"], "completedBy": record.get("completedBy"), "assignee": record.get("assignee"),
                "duration": max(0, int(record.get("duration") or 0)), "answer": _answer(record.get("answer")),
                "isSkipped": bool(record.get("isSkipped")), "requeued": bool(record.get("requeued"))}
        if record.get("completedAt"):
            item["completedAt"] = record["completedAt"]
        if record.get("reviewStatus") in REVIEW_STATUSES:
            item["reviewStatus"] = record["reviewStatus"]
        entries.append(item)
    return entries


def issue(record):
    """A fixture issue from a `get_issues` item."""
    position = record.get("position")
    item = {"content": record.get("content") or "", "createdBy": record["createdBy"],
            "createdAt": record.get("createdAt"), "stage": record.get("stage"),
            "status": record.get("status") or "Open",
            "position": position if position is None or isinstance(position, str) else json.dumps(position),
            "contentMentions": [m["userEmail"] for m in record.get("contentMentions") or [] if m.get("userEmail")],
            "comments": [{"content": c.get("content") or "-", "createdBy": c["createdBy"],
                          "createdAt": c.get("createdAt")} for c in record.get("comments") or []]}
    item.update({key: record[key] for key in ISSUE_FIELDS if record.get(key) not in (None, [])})
    return {key: value for key, value in item.items() if value is not None}


def task(item):
    """Where the asset's task stands: stage, answer, assignee, review status, priority, history and issues."""
    source = item["task"]
    placed = {"stage": source["stage"], "answer": _answer(source.get("answer")), "assignee": source.get("assignee"),
              "priority": source.get("priority") or 0, "history": history(item.get("history")),
              "issues": [issue(i) for i in item.get("issues") or []]}
    if source.get("reviewStatus") in REVIEW_STATUSES:
        placed["reviewStatus"] = source["reviewStatus"]
    for key in ("completedBy", "consensusAverage", "consensusDetailed"):
        if source.get(key) is not None:
            placed[key] = source[key]
    for key in ("duration", "totalDuration"):
        placed[key] = max(0, int(source.get(key) or 0))
    return placed


def asset(item, batch_names, file=None):
    source = item["asset"]
    placed = {"externalId": source.get("externalId"), "batches": [batch_names[b] for b in source.get("batches") or []
                                                                   if b in batch_names]}
    placed.update({"file": file} if file else {"data": source["data"]})
    for key in ("metadata", "contextData", "attachments"):
        if source.get(key):
            placed[key] = source[key]
    if source.get("priority"):
        placed["priority"] = source["priority"]
    placed["task"] = task(item)
    return placed


def people(project, items):
    """Every email the pulled records name, in the order they first appear."""
    found = [m.get("assignee") for m in project.get("assignedTo") or []]
    for item in items:
        placed = item["placed"]["task"]
        found += [placed.get("assignee"), placed.get("completedBy")]
        found += [person for h in placed["history"] for person in (h.get("completedBy"), h.get("assignee"))]
        for i in placed["issues"]:
            found += [i["createdBy"], i.get("resolvedBy"), *i["contentMentions"]]
            found += [c["createdBy"] for c in i["comments"]]
    return list(dict.fromkeys(e for e in found if e))


def build(project, items, members, key, description):
    """The fixture document of one pulled project; `items` carry `placed` (the fixture asset) each."""
    owner = project.get("owner") or next((m["assignee"] for m in project.get("assignedTo") or []
                                          if m.get("role") == "Manager"), "owner@pulled.invalid")
    directory = {m["email"].lower(): m for m in members if m.get("email")}
    users = []
    for email in [owner] + [e for e in people(project, items) if e.lower() != owner.lower()]:
        known = directory.get(email.lower(), {})
        user = {"email": email, "role": "admin" if email == owner or known.get("organizationRole") == "admin"
                else "member"}
        if known.get("name"):
            user["name"] = known["name"]
        if email == owner:
            user["apiKey"] = key
        users.append(user)
    roles = [{"email": m["assignee"], "role": m["role"]} for m in project.get("assignedTo") or []
             if m.get("assignee") and m["assignee"].lower() != owner.lower() and m.get("role") in PROJECT_ROLES]
    placed = {"name": project["name"], "description": project.get("description") or "",
              "type": project.get("type") or "ango", "owner": owner,
              "categorySchema": project.get("categorySchema") or {}, "stages": project.get("stages") or [],
              "batches": [b["name"] for b in project.get("batches") or []], "members": roles,
              "assets": [item["placed"] for item in items]}
    if project.get("labelValidation"):
        placed["labelValidation"] = project["labelValidation"]
    return {"description": description,
            "organizations": [{"name": f"{project['name']} (pulled)", "users": users, "projects": [placed]}]}
