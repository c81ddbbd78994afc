"""Project extras: instructions, asset-builder templates, label validation, benchmark tasks, chat assets,
and the plugin host's log and response sinks."""
import json
from urllib.parse import quote

from mockhub.errors import BadRequest, NotFound
from mockhub.store.db import clone
from mockhub.store.projects import MANAGE

MAX_LOG = 1000


class ProjectExtras:
    """What a project keeps besides its schema and workflow, and the plugin host's sinks."""

    def __init__(self, tables, clock, ids, projects, files, integrations, assets, plugin_messages):
        self.tables, self.clock, self.ids = tables, clock, ids
        self.projects, self.files, self.integrations, self.assets = projects, files, integrations, assets
        self.plugin_messages = plugin_messages  # the store's list: what REST-connector plugins posted

    def _store_file(self, user, project_id, name, data, kind):
        file_id = self.files.issue_upload(user, name, project_id, kind)
        self.files.put_file(file_id, name, data)
        return file_id

    def upload_instructions(self, user, project_id, name, data, base_url):
        """Keep an instructions file in the object store; the project's `instructions` becomes its URL."""
        self.projects.require_project(user, project_id, MANAGE)
        url = f"{base_url}files/{self._store_file(user, project_id, name, data, 'instructions')}/{quote(name)}"
        self.tables.c["projects"].update(project_id, {"instructions": url, "updatedAt": self.clock.now_iso()})
        return {"instructions": url, "name": name, "size": len(data)}

    def create_asset_builder_template(self, user, project_id, template):
        """Add an asset-builder template (listed in the project's `assetBuilderTemplates` with an `_id`)."""
        project = self.projects.require_project(user, project_id, MANAGE)
        if template["selectedExternalId"] not in template["dataConfig"]:
            raise BadRequest(f"selectedExternalId: {template['selectedExternalId']} is not a column of dataConfig")
        stored = dict(clone(template), _id=self.ids.object_id(), createdAt=self.clock.now_iso())
        self.tables.c["projects"].update(project_id, {"assetBuilderTemplates": project["assetBuilderTemplates"] + [stored],
                                               "updatedAt": self.clock.now_iso()})
        return clone(stored)

    def update_label_validation(self, user, project_id, changes):
        """Set the project's custom/external label validation settings (kept, not run)."""
        project = self.projects.require_project(user, project_id, MANAGE)
        settings = dict(project.get("labelValidation") or {}, **clone(changes))
        self.tables.c["projects"].update(project_id, {"labelValidation": settings, "updatedAt": self.clock.now_iso()})
        return self.projects.present_project(self.tables.c["projects"].get(project_id), user)

    def set_tasks_as_benchmark(self, user, project_id, task_ids, is_benchmark=True):
        """Mark tasks as benchmark tasks (`isBenchmark`, type `benchmark`) or back to default ones."""
        self.projects.require_project(user, project_id, MANAGE)
        tasks = [self.tables.c["tasks"].get(t) for t in task_ids]
        missing = [tid for tid, t in zip(task_ids, tasks) if t is None or t["deleted"] or t["project"] != project_id]
        if missing:
            raise NotFound(f"Tasks not found in project {project_id}: {', '.join(map(str, missing))}")
        for task in tasks:
            if task["type"] != "consensus":
                self.tables.tasks.update(task["_id"], {"isBenchmark": is_benchmark,
                                                "type": "benchmark" if is_benchmark else "default"})
        return {"matchedCount": len(tasks), "isBenchmark": is_benchmark}

    def upload_chat_assets(self, user, project_id, form, conversations, base_url):
        """Create chat assets: one per uploaded conversation, or `numberOfConversations` empty ones."""
        self.projects.require_project(user, project_id, MANAGE)
        if form.get("storageId"):
            self.integrations.require_owned("storages", user, form["storageId"], "Storage")
        if form.get("llmConfig"):
            self.integrations.require_owned("llms", user, form["llmConfig"]["id"], "LLM")
        if conversations is None:
            conversations = [[] for _ in range(form["numberOfConversations"])]
        strategy = (form.get("namingStrategy") or {}).get("type", "random")
        assets = []
        for number, conversation in enumerate(conversations, start=1):
            name = f"chat-{number}.json" if strategy == "sequential" else f"{self.ids.token(8)}.json"
            file_id = self._store_file(user, project_id, name, json.dumps(conversation).encode(), "assets")
            assets.append({"data": f"{base_url}files/{file_id}/{name}", "externalId": name,
                           "metadata": {"chat": True, "messages": len(conversation) if isinstance(conversation, list)
                                        else None, "llm": (form.get("llmConfig") or {}).get("id")}})
        return self.assets.upload_files_cloud(user, project_id, assets, None, form.get("priority") or 0, True)

    def plugin_log(self, user, entry, kind="log"):
        """Keep what a plugin (REST connector) reports: log lines, or its responses."""
        record = dict(clone(entry), kind=kind, organization=user["organization"], at=self.clock.now_iso())
        self.plugin_messages.append(record)
        if len(self.plugin_messages) > MAX_LOG:
            del self.plugin_messages[0]
        return {"received": True}
