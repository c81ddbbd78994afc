"""TinyDB through its public extension points: a `Storage` that keeps the database in memory and reports
every change, a `Table` whose documents are keyed by their own `_id` and whose writes touch one document,
a `TinyDB` subclass that uses both, and `Collection` (the store's view of one table).

Stock TinyDB rewrites a whole table on every write (O(n)); these tables replace one document (O(1)), and a
replaced document is a new dict, never the old one changed in place, so a shallow copy of a table is a
consistent view. Changes reach `MemoryStorage.listener` (the `--data-file` log) one transaction at a time:
`Database.transaction()` groups what one store operation changed.
"""
import threading
from collections.abc import Mapping, MutableMapping

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from mockhub.store.packed import Packed, pack, unpacked


def clone(value):
    """Deep-copy plain JSON data (dicts, lists, scalars) fast, packed documents into dicts; the store never
    hands out its own documents."""
    if isinstance(value, dict):
        return {key: clone(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clone(item) for item in value]
    if isinstance(value, Packed):
        return {key: clone(item) for key, item in zip(value.KEYS, value.values())}
    return value


class MemoryStorage(Storage):
    """The whole database as one dict in memory: `{table name: {_id: document}}`.

    `listener` (None, or an object with `changed(tables, blobs)`) receives each transaction's changes:
    `tables` is `{table name: {_id: document or None when removed}}`, `blobs` is `{file id: bytes or None}`.
    """

    def __init__(self):
        self.data = {}
        self.listener = None
        self._local = threading.local()

    def read(self):
        return self.data

    def write(self, data):
        self.data = data

    def changed_document(self, table, _id, doc):
        self._change(0, table, _id, doc)

    def changed_blob(self, file_id, data):
        self._change(1, None, file_id, data)

    def _change(self, kind, table, key, value):
        if self.listener is None:
            return
        pending = getattr(self._local, "pending", None)
        if pending is None:  # outside a transaction: one change is one unit
            self._publish(self._unit(kind, table, key, value))
        elif kind:
            pending[1][key] = value
        else:
            pending[0].setdefault(table, {})[key] = value

    @staticmethod
    def _unit(kind, table, key, value):
        return ({}, {key: value}) if kind else ({table: {key: value}}, {})

    def _publish(self, unit):
        listener = self.listener
        if listener is not None and (unit[0] or unit[1]):
            listener.changed(*unit)

    def begin(self):
        """Open a transaction in this thread (re-entrant); `end` publishes its changes at the outermost one."""
        depth = getattr(self._local, "depth", 0)
        if not depth:
            self._local.pending = ({}, {})
        self._local.depth = depth + 1

    def end(self):
        self._local.depth -= 1
        if not self._local.depth:
            unit, self._local.pending = self._local.pending, None
            self._publish(unit)


class _Transaction:
    __slots__ = ("storage",)

    def __init__(self, storage):
        self.storage = storage

    def __enter__(self):
        self.storage.begin()

    def __exit__(self, *exc):
        self.storage.end()  # published even after an error: the log must hold what memory holds


class DocumentTable(Table):
    """A TinyDB table whose document ids are the documents' own `_id` (strings) and whose writes replace
    only the documents they change. TinyDB's own read methods (`all`, `search`, `get`, `count`...) work on
    it unchanged; the write methods are overridden so none of them rebuilds the table."""

    document_id_class = str

    def __init__(self, storage, name, packed=False, **options):
        super().__init__(storage, name, **options)
        self._keep = pack if packed else dict  # how a new document is stored (store/packed.py)

    def documents(self):
        """The stored `{_id: document}` dict itself (read-only for callers)."""
        return self.storage.read().get(self.name, {})

    def _write(self, changes):
        """Apply `{_id: document or None}` to the stored table, tell the storage, clear the query cache."""
        tables = self.storage.read()
        docs = tables.setdefault(self.name, {})
        for _id, doc in changes.items():
            if doc is None:
                docs.pop(_id, None)
            else:
                docs[_id] = doc
            self.storage.changed_document(self.name, _id, doc)
        self.storage.write(tables)
        self.clear_cache()

    def insert(self, document):
        if not isinstance(document, Mapping):
            raise ValueError("Document is not a Mapping")
        _id = document.doc_id if isinstance(document, Document) else document.get("_id")
        if not isinstance(_id, str) or not _id:
            raise ValueError("a document needs a string `_id`")
        if _id in self.documents():
            raise ValueError(f"Document with ID {_id} already exists")
        self._write({_id: self._keep(document)})
        return _id

    def insert_multiple(self, documents):
        """Insert new documents in one write (a bulk upload's thousands: one storage write, one cache clear)."""
        docs, changes = self.documents(), {}
        for document in documents:
            _id = document.get("_id") if isinstance(document, Mapping) else None
            if not isinstance(_id, str) or not _id:
                raise ValueError("a document needs a string `_id`")
            if _id in docs or _id in changes:
                raise ValueError(f"Document with ID {_id} already exists")
            changes[_id] = self._keep(document)
        self._write(changes)
        return list(changes)

    def _ids(self, cond, doc_ids):
        if doc_ids is not None:
            docs = self.documents()
            return [_id for _id in doc_ids if _id in docs]
        if cond is not None:
            return [doc.doc_id for doc in self.search(cond)]
        return list(self.documents())

    def update(self, fields, cond=None, doc_ids=None):
        docs = self.documents()
        changes = {}
        for _id in self._ids(cond, doc_ids):
            new = unpacked(docs[_id])
            if callable(fields):
                fields(new)
            else:
                new.update(fields)
            changes[_id] = self._keep(new)
        self._write(changes)
        return list(changes)

    def update_multiple(self, updates):
        return [_id for fields, cond in updates for _id in self.update(fields, cond)]

    def remove(self, cond=None, doc_ids=None):
        if cond is None and doc_ids is None:
            raise RuntimeError("Use truncate() to remove all documents")
        removed = self._ids(cond, doc_ids)
        self._write(dict.fromkeys(removed))
        return removed

    def truncate(self):
        self._write(dict.fromkeys(list(self.documents())))


class Blobs(MutableMapping):
    """Object-store bytes by file id; every change is reported to the storage like a document's."""

    def __init__(self, storage):
        self.storage = storage
        self.data = {}

    def __getitem__(self, file_id):
        return self.data[file_id]

    def __setitem__(self, file_id, data):
        self.data[file_id] = data
        self.storage.changed_blob(file_id, data)

    def __delitem__(self, file_id):
        del self.data[file_id]
        self.storage.changed_blob(file_id, None)

    def __iter__(self):
        return iter(list(self.data))

    def __len__(self):
        return len(self.data)

    def __contains__(self, file_id):
        return file_id in self.data


class Database(TinyDB):
    """mockhub's TinyDB: `DocumentTable`s over a `MemoryStorage`, plus the object store's `blobs`."""

    table_class = DocumentTable
    default_storage_class = MemoryStorage

    def __init__(self):
        super().__init__(storage=MemoryStorage)
        self.blobs = Blobs(self.storage)

    def transaction(self):
        """`with db.transaction():` — what changes inside reaches the listener as one unit."""
        return _Transaction(self.storage)


def open_database():
    """Return an empty in-memory `Database`."""
    return Database()


class Collection:
    """One table addressed by the documents' own `_id`.

    `get` and `scan` return the stored documents themselves: callers inside the store must not keep or
    change them (`update` replaces a document, so one already held stays as it was); they `clone` what
    leaves the store.
    """

    def __init__(self, table, writes=None):
        self.table = table
        self._writes = writes or threading.Lock()  # organizations write concurrently (a lock each)

    def insert(self, doc):
        """Store a new document (it must carry a new `_id`) and return the stored document."""
        with self._writes:
            return self.get(self.table.insert(doc))

    def insert_many(self, docs):
        """Store new documents (each with a new `_id`) in one write; return the stored documents."""
        with self._writes:
            ids = self.table.insert_multiple(docs)
            stored = self.table.documents()
            return [stored[_id] for _id in ids]

    def get(self, _id):
        """Return the stored document with this `_id`, or None."""
        return self.table.documents().get(_id)

    def update(self, _id, fields):
        """Replace the document with this `_id` by a copy with `fields` set."""
        if _id not in self.table.documents():
            raise KeyError(_id)
        with self._writes:
            self.table.update(fields, doc_ids=[_id])

    def remove(self, _id):
        """Delete the document with this `_id` for good."""
        with self._writes:
            self.table.remove(doc_ids=[_id])

    def scan(self):
        """Iterate over every stored document (no copies; writes meanwhile do not disturb the iteration)."""
        return iter(list(self.table.documents().values()))

    def __len__(self):
        return len(self.table.documents())

    def __contains__(self, _id):
        return _id in self.table.documents()
