"""Index structures the tables keep: creation sequence numbers, key -> sorted seqs, key -> few seqs, sort orders.

Every structure here is a plain container; the table that owns it (`store/tables.py`, `store/task_table.py`)
is the only code that writes it, and can rebuild it from its documents.
"""
import itertools

from sortedcontainers import SortedList

from mockhub.query.pagination import sort_value


class Sequence:
    """Creation sequence numbers shared by the indexed tables: a seq orders documents by creation."""

    def __init__(self, start=1):
        self._count = itertools.count(start)  # next() on a count is atomic: safe across organization locks
        self._ids = {}

    def next(self, _id):
        """Hand out the next sequence number and remember which document has it."""
        seq = next(self._count)
        self._ids[seq] = _id
        return seq

    def id_of(self, seq):
        return self._ids[seq]

    def above(self):
        """A number above every sequence number handed out so far (it is used up: seqs may have gaps)."""
        return next(self._count)

    def forget(self, seq):
        self._ids.pop(seq, None)

    def restore(self, pairs):
        """Start again from (seq, _id) pairs (after a load): the next seq follows the largest one."""
        self._ids = dict(pairs)
        self._count = itertools.count(max(self._ids, default=0) + 1)


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
