"""Index structures the tables keep: creation sequence numbers, key -> sorted seqs, key -> few seqs or values, sort orders.

Every structure here is a plain container; the table that owns it (`store/tables.py`, `store/task_table.py`)
is the only code that writes it, and can rebuild it from its documents.
"""
import itertools

from sortedcontainers import SortedList

from mockhub.query.pagination import sort_value

FAR = 1 << 20  # a sequence number this far past the last one (from a loaded snapshot) is kept aside


class Sequence:
    """Creation sequence numbers shared by the indexed tables: a seq orders documents by creation.

    Which document has a seq is a list indexed by seq (8 B a document; a dict cost ~80 B), so seqs must
    stay dense: one a snapshot brings from far away (or not an int) goes to a small dict instead."""

    def __init__(self, start=1):
        self._count = itertools.count(start)  # next() on a count is atomic: safe across organization locks
        self._ids = []  # seq -> _id, None for a seq never handed out or forgotten
        self._far = {}

    def next(self, _id):
        """Hand out the next sequence number and remember which document has it."""
        seq = next(self._count)
        self._place(seq, _id)
        return seq

    def _place(self, seq, _id):
        ids = self._ids
        if type(seq) is int and 0 <= seq < len(ids) + FAR:
            missing = seq + 1 - len(ids)  # another thread may extend meanwhile: the list only ever grows
            if missing > 0:
                ids.extend([None] * missing)
            ids[seq] = _id
        else:
            self._far[seq] = _id

    def id_of(self, seq):
        ids = self._ids
        _id = ids[seq] if type(seq) is int and 0 <= seq < len(ids) else self._far.get(seq)
        if _id is None:
            raise KeyError(seq)
        return _id

    def above(self):
        """A number above every sequence number handed out so far (it is used up: seqs may have gaps)."""
        return next(self._count)

    def forget(self, seq):
        ids = self._ids
        if type(seq) is int and 0 <= seq < len(ids):
            ids[seq] = None
        else:
            self._far.pop(seq, None)

    def restore(self, pairs):
        """Start again from (seq, _id) pairs (after a load): the next seq follows the largest one."""
        self._ids, self._far = [], {}
        top = 0
        for seq, _id in pairs:
            self._place(seq, _id)
            top = max(top, seq)
        self._count = itertools.count(top + 1)


class FewMap:
    """Map a key to the few values it holds (a task's history records, an asset's tasks), oldest first.

    The value itself while a key holds one, the common case (a list per key cost ~100 B each); values must
    not be lists."""

    def __init__(self):
        self._map = {}

    def add(self, key, value):
        held = self._map.get(key, _NOTHING)
        if held is _NOTHING:
            self._map[key] = value
        elif type(held) is _Many:
            held.append(value)
        else:
            self._map[key] = _Many((held, value))

    def remove(self, key, value):
        """Take one `value` out of `key` (KeyError or ValueError when it is not there)."""
        held = self._map[key]
        if type(held) is _Many:
            held.remove(value)
            if len(held) == 1:
                self._map[key] = held[0]
        elif held == value:
            del self._map[key]
        else:
            raise ValueError(value)

    def get(self, key):
        """The values under `key`, oldest first (a copy)."""
        held = self._map.get(key, _NOTHING)
        if held is _NOTHING:
            return []
        return list(held) if type(held) is _Many else [held]

    def pop(self, key):
        """Forget `key`."""
        self._map.pop(key, None)

    def state(self):
        return {key: self.get(key) for key in self._map}


class _Many(list):
    __slots__ = ()


_NOTHING = object()


class OrderedIndex:
    """Map a key (a project, a (project, stage) pair, ...) to its documents' sequence numbers, kept sorted.

    Sequence numbers grow with creation, so sorted is creation order: a page of the default `-createdAt`
    sort is a slice, a count is a `len`, and an add or a discard is O(log n), whatever the table's size.
    """

    def __init__(self):
        self._lists = {}

    def add(self, key, seq):
        """Put `seq` under `key` (idempotent)."""
        items = self._lists.get(key)
        if items is None:
            items = self._lists[key] = SortedList()
        if seq not in items:
            items.add(seq)

    def discard(self, key, seq):
        """Take `seq` out of `key` if it is there."""
        items = self._lists.get(key)
        if items is None:
            return
        items.discard(seq)
        if not items:
            del self._lists[key]

    def count(self, key):
        """Return how many sequence numbers `key` holds."""
        return len(self._lists.get(key, ()))

    def contains(self, key, seq):
        """Tell whether `seq` is under `key`."""
        return seq in self._lists.get(key, ())

    def slice(self, key, offset, limit, newest_first=True):
        """Return up to `limit` sequence numbers after skipping `offset`, newest first by default."""
        items = self._lists.get(key)
        if not items or offset >= len(items):
            return []
        if newest_first:
            end = len(items) - offset
            return list(items.islice(max(0, end - limit), end, reverse=True))
        return list(items.islice(offset, offset + limit))

    def iterate(self, key, newest_first=True):
        """Iterate over the sequence numbers under `key` (a copy: the caller may write meanwhile)."""
        items = list(self._lists.get(key, ()))
        return reversed(items) if newest_first else iter(items)

    def drop(self, key):
        """Forget everything under `key`."""
        self._lists.pop(key, None)

    def keys(self):
        """Return the keys that hold anything."""
        return list(self._lists)

    def total(self):
        """How many sequence numbers all keys hold together (O(keys))."""
        return sum(len(items) for items in list(self._lists.values()))

    def state(self):
        """{key: [seqs]}: what the property test compares with an index rebuilt from the documents."""
        return {key: list(items) for key, items in self._lists.items()}


class SparseIndex:
    """Map a key that few documents share (an externalId, a data URL) to their seqs, in creation order.

    One int per document in the common one-document case (a SortedList per key would cost ~1 KB each)."""

    def __init__(self):
        self._map = {}

    def add(self, key, seq):
        held = self._map.get(key)
        if held is None:
            self._map[key] = seq
        elif isinstance(held, int):
            if held != seq:
                self._map[key] = sorted((held, seq))
        elif seq not in held:
            held.append(seq)
            held.sort()

    def discard(self, key, seq):
        held = self._map.get(key)
        if held is None:
            return
        if isinstance(held, int):
            if held == seq:
                del self._map[key]
            return
        if seq in held:
            held.remove(seq)
            if len(held) == 1:
                self._map[key] = held[0]

    def get(self, key):
        """The seqs under `key`, oldest first."""
        held = self._map.get(key)
        if held is None:
            return []
        return [held] if isinstance(held, int) else list(held)

    def count(self, key):
        held = self._map.get(key)
        return 0 if held is None else 1 if isinstance(held, int) else len(held)

    def state(self):
        return {key: self.get(key) for key in self._map}


class SortIndex:
    """One project's documents ordered by one field (ties by creation), kept up to date once built."""

    def __init__(self, field, docs):
        self.field = field
        self._items = SortedList((sort_value(doc.get(field)), doc["_seq"]) for doc in docs)

    def add(self, doc):
        self._items.add((sort_value(doc.get(self.field)), doc["_seq"]))

    def discard(self, doc):
        self._items.discard((sort_value(doc.get(self.field)), doc["_seq"]))

    def __len__(self):
        return len(self._items)

    def seqs(self, descending):
        """Iterate over the seqs in this order (descending: the largest value first, ties newest first)."""
        return (seq for _, seq in self._items.islice(reverse=descending))

    def state(self):
        return list(self._items)
