"""Tables that own their documents and indexes: the only writers of a collection, each keeping its own indexes.

A table wraps one `db.Collection` (every write still goes through its insert/update/remove) and keeps the
indexes derived from those documents. `update` replaces the stored document (db.Collection never mutates
one in place), so a document handed to a snapshot stays as it was. An index invariant lives in exactly one
`_index`/`_unindex` pair; `rebuild` derives every index from the documents alone, which is what the
property test (tests/unit/test_table_indexes.py) compares against after random operation sequences.
"""
import sys

from mockhub.store.index import FewMap, OrderedIndex, SparseIndex
from mockhub.store.packed import share

EMPTY_ANSWER = {"tools": [], "classifications": [], "relations": []}
_EMPTY = {dict: {}, list: []}
share(*_EMPTY.values(), EMPTY_ANSWER)  # packed documents hold them once per layout


def compact(fields):
    """Share the empty values most documents carry (`{}`, `[]`, an empty answer) instead of one per document.

    Stored documents are never changed in place (a write replaces them), so one object can stand for every
    empty one; what leaves the store is cloned. About 1 KB less per task (its answer, its Start history
    record's answer, empty batches, stageAssignees, metadata, contextData, attachments). Timestamps are
    interned: the documents of one bulk upload share a handful of them."""
    shared = {}
    for key, value in fields.items():
        kind = type(value)
        if kind is str and key.endswith("At"):
            value = sys.intern(value)
        elif kind in _EMPTY and not value:
            value = _EMPTY[kind]
        elif key == "answer" and kind is dict and value == EMPTY_ANSWER:
            value = EMPTY_ANSWER
        shared[key] = value
    return shared


class Table:
    """One collection: documents by `_id`, every document of a project (live or not).

    Tables are shared by every organization, each writing under its own lock: an index is keyed by project
    (one organization's) at its top level, and nothing here is a counter or a dict iterated over all
    projects while another organization may write."""

    INDEXED = ()  # fields whose change can move a document between index keys ("deleted" is always one)

    def __init__(self, collection, seqs=None):
        self.docs = collection
        self.seqs = seqs
        self.reset()

    def reset(self):
        """Forget every index (the documents stay)."""
        self.of_project = {}  # project id -> ids of all its documents, live or deleted, in creation order

    # --- reading ------------------------------------------------------------------------------------

    def get(self, _id):
        """The stored document (never to be changed or handed out: clone what leaves the store)."""
        return self.docs.get(_id)

    def __contains__(self, _id):
        return _id in self.docs

    def __len__(self):
        return len(self.docs)

    def at(self, seq):
        """The document with this creation sequence number."""
        return self.docs.get(self.seqs.id_of(seq))

    def scan(self):
        return self.docs.scan()

    # --- writing: the only way documents of this collection change --------------------------------------

    def insert(self, doc):
        stored = self.docs.insert(compact(doc))
        self.of_project.setdefault(stored.get("project"), []).append(stored["_id"])
        self._note(stored)
        self._add(stored)
        return stored

    def insert_many(self, shared, rows, compacted=False):
        """Insert one new document per row: the fields of `shared` (in its key order) with the row's own over
        them. A bulk upload's thousands go in with one write; every document is indexed as `insert` does.
        `compacted`: the rows' values are compact already (taken from stored documents or from `compact`)."""
        base = compact(shared)
        stored = self.docs.insert_many([{**base, **row} for row in rows] if compacted else
                                       [{**base, **compact(row)} for row in rows])
        for doc in stored:
            self.of_project.setdefault(doc.get("project"), []).append(doc["_id"])
            self._note(doc)
            self._add(doc)
        return stored

    def update(self, _id, fields):
        """Set `fields` on one document (a new stored document) and move it in the indexes if need be."""
        before = self.docs.get(_id)
        self.docs.update(_id, compact(fields))
        after = self.docs.get(_id)
        if self._moves(before, fields):
            self._drop(before)
            self._add(after)
        return after

    def remove(self, _id):
        """Delete one document for good."""
        doc = self.docs.get(_id)
        if doc is None:
            return
        self._drop(doc)
        self._forget(doc)
        self.of_project[doc.get("project")].remove(_id)
        self.docs.remove(_id)

    def drop_project(self, project_id):
        """Delete every document of a project for good (dropping its organization)."""
        for _id in self.of_project.pop(project_id, ()):
            doc = self.docs.get(_id)
            self._drop(doc)
            self._forget(doc)
            self.docs.remove(_id)

    def rebuild(self):
        """Derive every index from the documents alone (after a load, and in the property test)."""
        self.reset()
        docs = list(self.docs.scan())
        if docs and "_seq" in docs[0]:
            docs.sort(key=lambda d: d["_seq"])
        for doc in docs:
            self.of_project.setdefault(doc.get("project"), []).append(doc["_id"])
            self._note(doc)
            self._add(doc)

    def state(self):
        """Every index as plain data, for comparing with a rebuilt table."""
        return {"of_project": {k: list(v) for k, v in self.of_project.items() if v}, **self._state()}

    # --- the index invariants (one place each) ----------------------------------------------------------

    def _moves(self, before, fields):
        return "deleted" in fields or any(f in fields and fields[f] != before.get(f) for f in self.INDEXED)

    def _add(self, doc):
        if not doc.get("deleted"):
            self._index(doc)

    def _drop(self, doc):
        if not doc.get("deleted"):
            self._unindex(doc)

    def _index(self, doc):
        """Put a live document into the indexes."""

    def _unindex(self, doc):
        """Take a live document out of the indexes."""

    def _forget(self, doc):
        """A document is deleted for good: drop what refers to it even while deleted."""
        if self.seqs is not None and "_seq" in doc:
            self.seqs.forget(doc["_seq"])

    def _note(self, doc):
        """A document is new (inserted, or met again by `rebuild`): note what refers to it even while deleted."""

    def _state(self):
        return {}


class AssetTable(Table):
    """Assets: live ones by project in creation order, and by (project, externalId) and (project, data)."""

    INDEXED = ("externalId", "data")

    def reset(self):
        super().reset()
        self.by_project = OrderedIndex()
        self.by_external = {}  # project id -> SparseIndex(externalId)
        self.by_data = {}  # project id -> SparseIndex(data)

    def _index(self, doc):
        pid, seq = doc["project"], doc["_seq"]
        self.by_project.add(pid, seq)
        self.by_external.setdefault(pid, SparseIndex()).add(doc["externalId"], seq)
        self.by_data.setdefault(pid, SparseIndex()).add(doc["data"], seq)

    def _unindex(self, doc):
        pid, seq = doc["project"], doc["_seq"]
        self.by_project.discard(pid, seq)
        self.by_external[pid].discard(doc["externalId"], seq)
        self.by_data[pid].discard(doc["data"], seq)

    def matching(self, project_id, field, value):
        """Live assets of the project whose externalId (or data) is `value`, oldest first."""
        index = (self.by_external if field == "externalId" else self.by_data).get(project_id)
        return [self.at(seq) for seq in index.get(value)] if index else []

    def _state(self):
        return {"by_project": self.by_project.state(),
                "by_external": {p: i.state() for p, i in self.by_external.items() if i.state()},
                "by_data": {p: i.state() for p, i in self.by_data.items() if i.state()}}


class ByTaskTable(Table):
    """Documents hung on a task (history records, issues): live ones by task, in creation order."""

    TASK_FIELD = None

    def reset(self):
        super().reset()
        self.by_task = FewMap()  # task id -> ids of its live documents

    def of_task(self, task_id):
        """The live documents of one task, oldest first."""
        return [self.docs.get(_id) for _id in self.by_task.get(task_id)]

    def _index(self, doc):
        self.by_task.add(doc[self.TASK_FIELD], doc["_id"])

    def _unindex(self, doc):
        self.by_task.remove(doc[self.TASK_FIELD], doc["_id"])

    def _state(self):
        return {"by_task": self.by_task.state()}


class HistoryTable(ByTaskTable):
    TASK_FIELD = "labelTaskId"


class IssueTable(ByTaskTable):
    TASK_FIELD = "labelTask"
