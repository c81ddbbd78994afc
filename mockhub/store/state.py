"""Whole-state operations: snapshot the tables, load a snapshot, drop one organization, rebuild indexes."""
import base64

from mockhub.store.core import TABLES, locked
from mockhub.store.db import clone

SNAPSHOT_VERSION = 1


class StateOps:
    def _rebuild_indexes(self):
        """Rebuild every index from the tables (after a load or a drop)."""
        self._init_indexes()
        for user in self.c["users"].scan():
            self.users_by_email[(user["organization"], user["email"].lower())] = user["_id"]
            if user.get("apiKey"):
                self.users_by_key[user["apiKey"]] = user["_id"]
        for name in ("projects", "assets", "tasks"):
            for doc in sorted(self.c[name].scan(), key=lambda d: d["_seq"]):
                self._seq_ids[doc["_seq"]] = doc["_id"]
                self._seq = max(self._seq, doc["_seq"])
                self._index_doc(name, doc)
        for record in self.c["taskHistory"].scan():
            if not record["deleted"]:
                self.history_by_task.setdefault(record["labelTaskId"], []).append(record["_id"])
        for issue in self.c["issues"].scan():
            self.issues_by_task.setdefault(issue["labelTask"], []).append(issue["_id"])

    def _index_doc(self, name, doc):
        if name == "tasks":
            self.tasks_by_asset.setdefault(doc["asset"], []).append(doc["_id"])
            if not doc["deleted"]:
                self._index_task(doc)
        elif not doc["deleted"]:
            index, key = (self.projects_by_org, doc["organization"]) if name == "projects" else \
                (self.assets_by_project, doc["project"])
            index.add(key, doc["_seq"])

    @locked
    def snapshot(self):
        """Return the whole state as a fixture document (tables as stored, file bytes in base64)."""
        tables = {name: [clone(doc) for doc in self.c[name].scan()] for name in TABLES}
        blobs = {file_id: base64.b64encode(data).decode() for file_id, data in self.blobs.items()}
        return {"snapshot": {"version": SNAPSHOT_VERSION, "tables": tables, "blobs": blobs}}

    @locked
    def load_snapshot(self, snapshot):
        """Add a snapshot's documents to this store; refuse (changing nothing) if any id is taken."""
        tables = snapshot.get("tables") or {}
        for name, docs in tables.items():
            if name not in TABLES:
                raise ValueError(f"snapshot.tables: unknown table {name!r}")
            taken = [d.get("_id") for d in docs if d.get("_id") in self.c[name]]
            if taken:
                raise ValueError(f"snapshot.tables.{name}: ids already in use: {', '.join(map(str, taken[:5]))}")
        keys = [u.get("apiKey") for u in tables.get("users", []) if u.get("apiKey") in self.users_by_key]
        if keys:
            raise ValueError(f"snapshot.tables.users: API keys already in use: {', '.join(keys[:5])}")
        for name, docs in tables.items():
            for doc in docs:
                self.c[name].insert(clone(doc))
        for file_id, data in (snapshot.get("blobs") or {}).items():
            self.blobs[file_id] = base64.b64decode(data)
        self._rebuild_indexes()
        return {name: len(docs) for name, docs in tables.items()}

    @locked
    def drop_organization(self, org_id):
        """Delete one organization and everything it owns, for good; its API keys become free."""
        if org_id not in self.c["organizations"]:
            return False
        for name in TABLES:
            owned = [doc["_id"] for doc in self.c[name].scan()
                     if doc.get("organization") == org_id or doc["_id"] == org_id]
            for _id in owned:
                self.c[name].remove(_id)
                self.blobs.pop(_id, None)
        self._rebuild_indexes()
        return True

    @locked
    def organization_of_key(self, api_key):
        """Return the organization id an API key belongs to, or None."""
        user_id = self.users_by_key.get(api_key)
        return self.c["users"].get(user_id)["organization"] if user_id else None
