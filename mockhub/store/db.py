"""TinyDB plumbing: an in-memory storage, O(1) table writes, and `Collection` (a table keyed by `_id`)."""
import threading
from collections.abc import MutableMapping

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table


def clone(value):
    """Deep-copy plain JSON data (dicts, lists, scalars) fast; the store never hands out its own documents."""
    if isinstance(value, dict):
        return {key: clone(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clone(item) for item in value]
    return value


class DictStorage(Storage):
    """Keep the whole database as one dict in memory; `write` only counts changes (persistence reads them)."""

    def __init__(self):
        self.data = {}
        self.writes = 0

    def read(self):
        return self.data

    def write(self, data):
        self.data = data
        self.writes += 1


class _IntKeyed(MutableMapping):
    """View a raw table (string doc ids) with int doc ids, so TinyDB's updaters work on it in place."""

    __slots__ = ("raw",)

    def __init__(self, raw):
        self.raw = raw

    def __getitem__(self, doc_id):
        return self.raw[str(doc_id)]

    def __setitem__(self, doc_id, doc):
        self.raw[str(doc_id)] = doc

    def __delitem__(self, doc_id):
        del self.raw[str(doc_id)]

    def __contains__(self, doc_id):
        return str(doc_id) in self.raw

    def __iter__(self):
        return (int(key) for key in list(self.raw))

    def __len__(self):
        return len(self.raw)


class FastTable(Table):
    """A TinyDB table whose writes touch only the changed documents.

    Stock TinyDB rebuilds the whole table dict on every write (O(n)); at 100k tasks that makes each
    annotate cost milliseconds. Here the updater runs on the stored dict itself.
    """

    def _update_table(self, updater):
        tables = self._storage.read()
        raw = tables.setdefault(self.name, {})
        updater(_IntKeyed(raw))
        self._storage.write(tables)
        self.clear_cache()


def open_database():
    """Return an empty in-memory TinyDB whose tables are `FastTable`s."""
    TinyDB.table_class = FastTable
    return TinyDB(storage=DictStorage)


class Collection:
    """One TinyDB table addressed by the documents' own `_id` (a primary-key index kept beside it).

    `get` and `scan` return the stored documents themselves: callers inside the store must not keep or
    hand them out; they `clone` what leaves the store.
    """

    def __init__(self, table, writes=None):
        self.table = table
        self._doc_ids = {}
        self._writes = writes or threading.Lock()  # organizations write concurrently (a lock each)

    def insert(self, doc):
        """Store a new document (it must carry `_id`) and return the stored document."""
        with self._writes:
            self._doc_ids[doc["_id"]] = self.table.insert(doc)
        return self.get(doc["_id"])

    def get(self, _id):
        """Return the stored document with this `_id`, or None."""
        doc_id = self._doc_ids.get(_id)
        if doc_id is None:
            return None
        return self.table._read_table().get(str(doc_id))

    def update(self, _id, fields):
        """Set `fields` on the document with this `_id`: the stored document is replaced by a new one, never
        changed in place, so a document someone holds (a snapshot's shallow copy) stays as it was."""
        doc_id = self._doc_ids[_id]
        with self._writes:
            self.table._update_table(lambda docs: docs.__setitem__(doc_id, {**docs[doc_id], **fields}))

    def remove(self, _id):
        """Delete the document with this `_id` for good."""
        with self._writes:
            doc_id = self._doc_ids.pop(_id, None)
            if doc_id is not None:
                self.table.remove(doc_ids=[doc_id])

    def scan(self):
        """Iterate over every stored document (no copies)."""
        return iter(list(self.table._read_table().values()))

    def __len__(self):
        return len(self._doc_ids)

    def __contains__(self, _id):
        return _id in self._doc_ids
