"""Batch operations: resolve names or ids, create/replace a project's batches, assign batches to assets."""
from mockhub.errors import BadRequest, NotFound
from mockhub.store.db import clone
from mockhub.store.projects import MANAGE


def resolve_batches(project, refs, field="batches"):
    """Turn batch names or ids into ids (Hub accepts either wherever batches are referenced)."""
    if refs is None:
        return []
    if isinstance(refs, str):
        refs = [refs]
    ids = []
    for ref in refs:
        match = next((b["_id"] for b in project["batches"] if ref in (b["_id"], b["name"])), None)
        if match is None:
            raise BadRequest(f"{field}: batch {ref} not found in project {project['_id']}")
        if match not in ids:
            ids.append(match)
    return ids


class Batches:
    """A project's batches, and which batches each asset (and its tasks) belongs to."""

    def __init__(self, tables, clock, ids, projects, assets):
        self.tables, self.clock, self.ids, self.projects, self.assets = tables, clock, ids, projects, assets

    def _new_batch(self, item):
        batch = {"_id": item.get("_id") or self.ids.object_id()}
        batch.update({key: clone(value) for key, value in item.items() if key in ("name", "description", "color")})
        return batch

    def create_batch(self, user, project_id, name=None, batches=None, field="batches"):
        """Append one batch (`name`) or replace the whole list (`batches`: existing items keep their `_id`)."""
        project = self.projects.require_project(user, project_id, MANAGE)
        if batches is None:
            if any(b["name"] == name for b in project["batches"]):
                raise BadRequest(f"name: a batch named {name} already exists")
            new_list = clone(project["batches"]) + [self._new_batch({"name": name})]
        else:
            new_list = self._replacement_batches(project, batches, field)
        removed = {b["_id"] for b in project["batches"]} - {b["_id"] for b in new_list}
        self.tables.c["projects"].update(project_id, {"batches": new_list, "updatedAt": self.clock.now_iso()})
        if removed:
            self._drop_batches(project_id, removed)
        return self.projects.present_project(self.tables.c["projects"].get(project_id), user)  # the stored one, replaced

    def _replacement_batches(self, project, batches, field):
        known = {b["_id"] for b in project["batches"]}
        names, ids, result = set(), set(), []
        for index, item in enumerate(batches):
            if item.get("_id") and item["_id"] not in known:
                raise BadRequest(f"{field}[{index}]._id: batch {item['_id']} not found in project {project['_id']}")
            if item.get("_id") and item["_id"] in ids:
                raise BadRequest(f"{field}[{index}]._id: the batch {item['_id']} is listed twice")
            if item["name"] in names:
                raise BadRequest(f"{field}[{index}].name: the name {item['name']} is used twice")
            names.add(item["name"])
            if item.get("_id"):
                ids.add(item["_id"])
            result.append(self._new_batch(item))
        return result

    def _drop_batches(self, project_id, removed):
        for seq in self.tables.assets.by_project.iterate(project_id):
            asset = self.tables.assets.at(seq)
            if removed & set(asset["batches"]):
                self._set_asset_batches(project_id, asset, [b for b in asset["batches"] if b not in removed])

    def _set_asset_batches(self, project_id, asset, batch_ids):
        self.tables.assets.update(asset["_id"], {"batches": list(batch_ids)})
        for task in self.tables.tasks.of_asset(project_id, asset["_id"]):
            self.tables.tasks.update(task["_id"], {"batches": list(batch_ids)})

    def assign_batches(self, user, asset_ids, batches, project_id=None):
        """Add batches to assets (and their tasks); without `project_id` the assets' project is used."""
        if project_id is None:
            first = self.tables.c["assets"].get(asset_ids[0])
            if first is None or first["deleted"] or first["organization"] != user["organization"]:
                raise NotFound(f"Asset not found: {asset_ids[0]}")
            project_id = first["project"]
        project = self.projects.require_project(user, project_id, MANAGE)
        batch_ids = resolve_batches(project, batches)
        missing = [a for a in asset_ids if self.assets.live_asset(project_id, a) is None]
        if missing:
            raise NotFound(f"Assets not found in project {project_id}: {', '.join(map(str, missing))}")
        for asset_id in dict.fromkeys(asset_ids):
            asset = self.tables.c["assets"].get(asset_id)
            merged = asset["batches"] + [b for b in batch_ids if b not in asset["batches"]]
            self._set_asset_batches(project_id, asset, merged)
        return len(set(asset_ids))
