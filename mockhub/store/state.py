"""Whole-state operations: snapshot the tables, load a snapshot, drop one organization, count for health."""
import base64

from mockhub.store.core import TABLES
from mockhub.store.db import clone

SNAPSHOT_VERSION = 1
OWNED = ("tasks", "assets", "taskHistory", "issues")  # collections whose table drops them by project


class State:
    """The whole state at once: snapshot, load, drop an organization, and the health counts."""

    def __init__(self, tables, locks, tenancy, projects):
        self.tables, self.locks, self.tenancy, self.projects = tables, locks, tenancy, projects

    def counts(self):
        """Count live documents per kind (for health), from index sizes: no lock, O(projects)."""
        c = self.tables.c
        projects = sum(1 for doc in c["projects"].scan() if not doc.get("deleted"))
        return {"organizations": len(c["organizations"]), "users": len(c["users"]), "projects": projects,
                "assets": self.tables.assets.by_project.total(), "tasks": self.tables.tasks.by_project.total()}

    def snapshot(self):
        """Return the whole state as a fixture document (tables as stored, file bytes in base64).

        The documents are listed under every organization's lock (one moment); they are copied and encoded
        outside it: stored documents are replaced on write, never changed in place."""
        with self.locks.everything():
            listed = {name: self.tables.c[name].scan() for name in TABLES}
            blobs = dict(self.tables.blobs)
        tables = {name: [clone(doc) for doc in docs] for name, docs in listed.items()}
        blobs = {file_id: base64.b64encode(data).decode() for file_id, data in blobs.items()}
        return {"snapshot": {"version": SNAPSHOT_VERSION, "tables": tables, "blobs": blobs}}

    def check_snapshot(self, snapshot, freed=()):
        """Refuse a snapshot whose ids or keys are taken (by organizations other than `freed`)."""
        tables = snapshot.get("tables") or {}
        for name, docs in tables.items():
            if name not in TABLES:
                raise ValueError(f"snapshot.tables: unknown table {name!r}")
            stored = [self.tables.c[name].get(d.get("_id")) for d in docs if d.get("_id") in self.tables.c[name]]
            taken = [s["_id"] for s in stored if s.get("organization", s["_id"]) not in freed]
            if taken:
                raise ValueError(f"snapshot.tables.{name}: ids already in use: {', '.join(map(str, taken[:5]))}")
        keys = [u.get("apiKey") for u in tables.get("users", []) if u.get("apiKey")
                and self.tenancy.key_taken(u["apiKey"], freed)]
        if keys:
            raise ValueError(f"snapshot.tables.users: API keys already in use: {', '.join(keys[:5])}")

    def load_snapshot(self, snapshot):
        """Add a snapshot's documents to this store; refuse (changing nothing) if any id is taken. Sequence
        numbers are moved past this store's own, so both keep their order and the indexes stay right."""
        self.check_snapshot(snapshot)
        tables = snapshot.get("tables") or {}
        offset = self.tables.seqs.above()
        for name, docs in tables.items():
            for doc in docs:
                doc = clone(doc)
                if "_seq" in doc and name in ("projects", "assets", "tasks"):
                    doc["_seq"] += offset
                self.tables.c[name].insert(doc)
        for file_id, data in (snapshot.get("blobs") or {}).items():
            self.tables.blobs[file_id] = base64.b64decode(data)
        self.tenancy.rebuild_users()
        self.tables.rebuild()
        self.projects.rebuild_projects()
        return {name: len(docs) for name, docs in tables.items()}

    def drop_organization(self, org_id):
        """Delete one organization and everything it owns, for good; its API keys become free.

        Only that organization's documents and index entries are touched, so a per-test reset stays cheap
        however much else the server holds.
        """
        if org_id not in self.tables.c["organizations"]:
            return False
        projects = [p["_id"] for p in self.tables.c["projects"].scan() if p["organization"] == org_id]
        tables = self.tables
        for table in (tables.tasks, tables.assets, tables.history, tables.issues):
            for pid in projects:
                table.drop_project(pid)
        for name in TABLES:
            if name in OWNED:
                continue
            for doc in [d for d in self.tables.c[name].scan() if d.get("organization") == org_id or d["_id"] == org_id]:
                self._forget(name, doc)
                self.tables.c[name].remove(doc["_id"])
        self.projects.forget_organization(org_id, projects)
        self.locks.forget(org_id)
        return True

    def _forget(self, name, doc):
        """Drop the index entries that point at one document about to be deleted."""
        if "_seq" in doc:
            self.tables.seqs.forget(doc["_seq"])
        if name == "users":
            self.tenancy.forget_user(doc)
        elif name == "files":
            self.tables.blobs.pop(doc["_id"], None)
