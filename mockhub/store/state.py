"""Whole-state operations: snapshot the tables, load a snapshot, drop one organization, rebuild indexes."""
import base64

from mockhub.store.core import TABLES, locked
from mockhub.store.db import clone

SNAPSHOT_VERSION = 1
OWNED = ("tasks", "assets", "taskHistory", "issues")  # collections whose table drops them by project


class StateOps:
    def _rebuild_indexes(self):
        """Rebuild every index from the tables (after a load)."""
        self._init_indexes()
        for user in self.c["users"].scan():
            self.users_by_email[(user["organization"], user["email"].lower())] = user["_id"]
            if user.get("apiKey"):
                self.users_by_key[user["apiKey"]] = user["_id"]
        self.seqs.restore((doc["_seq"], doc["_id"]) for name in ("projects", "assets", "tasks")
                          for doc in self.c[name].scan())
        for project in sorted(self.c["projects"].scan(), key=lambda d: d["_seq"]):
            if not project["deleted"]:
                self.projects_by_org.add(project["organization"], project["_seq"])
        for table in (self.tasks, self.assets, self.history, self.issues):
            table.rebuild()

    def snapshot(self):
        """Return the whole state as a fixture document (tables as stored, file bytes in base64).

        The documents are listed under every organization's lock (one moment); they are copied and encoded
        outside it: stored documents are replaced on write, never changed in place."""
        with self.locks.everything():
            listed = {name: self.c[name].scan() for name in TABLES}
            blobs = dict(self.blobs)
        tables = {name: [clone(doc) for doc in docs] for name, docs in listed.items()}
        blobs = {file_id: base64.b64encode(data).decode() for file_id, data in blobs.items()}
        return {"snapshot": {"version": SNAPSHOT_VERSION, "tables": tables, "blobs": blobs}}

    def _key_taken(self, key, freed=()):
        """Whether an API key belongs to a user of an organization that is not in `freed`."""
        user_id = self.users_by_key.get(key)
        return user_id is not None and self.c["users"].get(user_id)["organization"] not in freed

    def _check_snapshot(self, snapshot, freed=()):
        """Refuse a snapshot whose ids or keys are taken (by organizations other than `freed`)."""
        tables = snapshot.get("tables") or {}
        for name, docs in tables.items():
            if name not in TABLES:
                raise ValueError(f"snapshot.tables: unknown table {name!r}")
            stored = [self.c[name].get(d.get("_id")) for d in docs if d.get("_id") in self.c[name]]
            taken = [s["_id"] for s in stored if s.get("organization", s["_id"]) not in freed]
            if taken:
                raise ValueError(f"snapshot.tables.{name}: ids already in use: {', '.join(map(str, taken[:5]))}")
        keys = [u.get("apiKey") for u in tables.get("users", []) if u.get("apiKey")
                and self._key_taken(u["apiKey"], freed)]
        if keys:
            raise ValueError(f"snapshot.tables.users: API keys already in use: {', '.join(keys[:5])}")

    @locked
    def load_snapshot(self, snapshot):
        """Add a snapshot's documents to this store; refuse (changing nothing) if any id is taken. Sequence
        numbers are moved past this store's own, so both keep their order and the indexes stay right."""
        self._check_snapshot(snapshot)
        tables = snapshot.get("tables") or {}
        offset = self.seqs.above()
        for name, docs in tables.items():
            for doc in docs:
                doc = clone(doc)
                if "_seq" in doc and name in ("projects", "assets", "tasks"):
                    doc["_seq"] += offset
                self.c[name].insert(doc)
        for file_id, data in (snapshot.get("blobs") or {}).items():
            self.blobs[file_id] = base64.b64decode(data)
        self._rebuild_indexes()
        return {name: len(docs) for name, docs in tables.items()}

    @locked
    def drop_organization(self, org_id):
        """Delete one organization and everything it owns, for good; its API keys become free.

        Only that organization's documents and index entries are touched, so a per-test reset stays cheap
        however much else the server holds.
        """
        if org_id not in self.c["organizations"]:
            return False
        projects = [p["_id"] for p in self.c["projects"].scan() if p["organization"] == org_id]
        for table in (self.tasks, self.assets, self.history, self.issues):
            for pid in projects:
                table.drop_project(pid)
        for name in TABLES:
            if name in OWNED:
                continue
            for doc in [d for d in self.c[name].scan() if d.get("organization") == org_id or d["_id"] == org_id]:
                self._forget(name, doc)
                self.c[name].remove(doc["_id"])
        self.projects_by_org.drop(org_id)
        self.locks.forget(org_id)
        return True

    def _forget(self, name, doc):
        """Drop the index entries that point at one document about to be deleted."""
        if "_seq" in doc:
            self.seqs.forget(doc["_seq"])
        if name == "users":
            self.users_by_email.pop((doc["organization"], doc["email"].lower()), None)
            self.users_by_key.pop(doc.get("apiKey"), None)
        elif name == "projects":
            self._graphs.pop(doc["_id"], None)
        elif name == "files":
            self.blobs.pop(doc["_id"], None)

    def organization_of_key(self, api_key):
        """Return the organization id an API key belongs to, or None (reads only: no lock)."""
        user_id = self.users_by_key.get(api_key)
        return self.c["users"].get(user_id)["organization"] if user_id else None
