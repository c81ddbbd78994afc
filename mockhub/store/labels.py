"""Answers: turn annotate/import payloads (`objects`) into stored answers (`tools`), checked against the ontology."""
from mockhub.errors import BadRequest
from mockhub.store.db import clone
from mockhub.store.projects import MANAGE
from mockhub.workflow import Transition


def _schema_index(category_schema, key):
    items = (category_schema or {}).get(key) or []
    by_id = {item.get("schemaId"): item for item in items if item.get("schemaId")}
    by_title = {}
    for item in items:
        by_title.setdefault(item.get("title"), item)
    return by_id, by_title


class Answers:
    """Turn an answer payload into the stored answer, checked against the project's ontology."""

    def __init__(self, clock, ids):
        self.clock, self.ids = clock, ids

    def _resolve_schema(self, item, index, where, strict):
        """Return the item's schemaId (from `title` if need be), or None if the ontology does not know it."""
        by_id, by_title = index
        schema_id = item.get("schemaId")
        if schema_id and (schema_id in by_id or not by_id):
            return schema_id
        if not schema_id and item.get("title") in by_title:
            return by_title[item["title"]]["schemaId"]
        if strict:
            name = schema_id or item.get("title")
            raise BadRequest(f"{where}: schemaId {name} is not in the project's ontology")
        return None

    def stored_answer(self, project, answer, user, stage_name, strict=True, created_by=None):
        """Normalize an answer payload; return (answer, number of objects skipped as invalid)."""
        if not isinstance(answer, dict):
            raise BadRequest("answer: must be an object with objects, classifications and relations")
        schema = project["categorySchema"]
        tools_index = _schema_index(schema, "tools")
        class_index = _schema_index(schema, "classifications")
        stored, skipped = {"tools": [], "classifications": [], "relations": []}, 0
        objects = answer.get("objects") if answer.get("objects") is not None else answer.get("tools") or []
        for position, item in enumerate(objects):
            tool = self._stored_object(item, f"answer.objects[{position}]", tools_index, strict, user,
                                       stage_name, created_by)
            skipped += tool is None
            if tool is not None:
                stored["tools"].append(tool)
        for position, item in enumerate(answer.get("classifications") or []):
            schema_id = self._resolve_schema(self._as_dict(item, f"answer.classifications[{position}]"), class_index,
                                             f"answer.classifications[{position}]", strict)
            skipped += schema_id is None
            if schema_id is not None:
                stored["classifications"].append(dict(clone(item), schemaId=schema_id))
        stored["relations"] = [dict(clone(self._as_dict(r, "answer.relations")),
                                    objectId=r.get("objectId") or self.ids.token(12)[:23])  # as tools get one
                               for r in answer.get("relations") or []]
        return stored, skipped

    @staticmethod
    def _as_dict(item, where):
        if not isinstance(item, dict):
            raise BadRequest(f"{where}: must be an object")
        return item

    def _stored_object(self, item, where, index, strict, user, stage_name, created_by):
        item = self._as_dict(item, where)
        schema_id = self._resolve_schema(item, index, where, strict)
        if schema_id is None:
            return None
        tool = clone(item)
        tool["schemaId"] = schema_id
        tool["objectId"] = item.get("objectId") or self.ids.token(12)[:23]
        tool.setdefault("classifications", [])
        tool.setdefault("metadata", {"createdAt": self.clock.now_iso(), "createdBy": created_by or user["email"],
                                     "createdIn": stage_name})
        return tool


class Labels:
    """import_labels: pre-label the tasks waiting in Start."""

    def __init__(self, tables, projects, assets, answers, transitions):
        self.tables, self.projects, self.assets = tables, projects, assets
        self.answers, self.transitions = answers, transitions

    def _tasks_for_record(self, project_id, record, index):
        if not isinstance(record, dict):
            raise BadRequest(f"jsonContent[{index}]: must be an object")
        item = {key: record.get(key) for key in ("assetId", "externalId", "data")}
        if not any(item.values()):
            raise BadRequest(f"jsonContent[{index}]: name the asset by externalId, data or assetId")
        tasks = []
        for asset in self.assets.assets_matching(project_id, item):
            tasks += [t for t in self.tables.tasks.of_asset(project_id, asset["_id"]) if t["type"] == "default"]
        return tasks

    def import_labels(self, user, project_id, records):
        """Pre-label tasks waiting in Start, matched by externalId (every asset with it), data or assetId."""
        project = self.projects.require_project(user, project_id, MANAGE)
        start_id = next(s["id"] for s in project["stages"] if s["type"] == "Start")
        planned, matched, invalid = [], 0, 0
        for index, record in enumerate(records):
            tasks = self._tasks_for_record(project_id, record, index)
            matched += len(tasks)
            answer = record.get("answer") if isinstance(record.get("answer"), dict) else record
            stored, skipped = self.answers.stored_answer(project, answer, user, "Start", strict=False, created_by="import")
            invalid += skipped
            planned += [(task, stored) for task in tasks if task["stage"] == start_id]
        for task, stored in planned:
            task = self.tables.tasks.get(task["_id"])  # the stored task as it is now (an earlier record may have moved it)
            state = dict(task, answer=clone(stored), isPreLabeled=True)
            self.transitions.apply_transition(project, task["_id"], Transition(task=state), user)
            self.tables.assets.update(task["asset"], {"isPreLabeled": True})
        return {"project": f"{len(planned)} / {matched} tasks are labeled.", "labeled": len(planned),
                "matched": matched, "invalidObjects": invalid}
