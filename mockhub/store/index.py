"""Secondary indexes that keep list pages cheap at 100k documents: key -> ids in creation order."""
import bisect


class OrderedIndex:
    """Map a key (a project, a (project, stage) pair, ...) to its documents' sequence numbers, kept sorted.

    Sequence numbers grow with creation, so a sorted list is creation order: a page of the default
    `-createdAt` sort is a slice, and a count is a `len`, whatever the size of the whole table.
    """

    def __init__(self):
        self._lists = {}

    def add(self, key, seq):
        """Put `seq` under `key` (idempotent)."""
        items = self._lists.setdefault(key, [])
        if not items or seq > items[-1]:
            items.append(seq)
            return
        pos = bisect.bisect_left(items, seq)
        if pos == len(items) or items[pos] != seq:
            items.insert(pos, seq)

    def discard(self, key, seq):
        """Take `seq` out of `key` if it is there."""
        items = self._lists.get(key)
        if not items:
            return
        pos = bisect.bisect_left(items, seq)
        if pos < len(items) and items[pos] == seq:
            del items[pos]
            if not items:
                del self._lists[key]

    def move(self, old_key, new_key, seq):
        """Move `seq` from one key to another."""
        if old_key != new_key:
            self.discard(old_key, seq)
            self.add(new_key, seq)

    def count(self, key):
        """Return how many sequence numbers `key` holds."""
        return len(self._lists.get(key, ()))

    def contains(self, key, seq):
        """Tell whether `seq` is under `key`."""
        items = self._lists.get(key, ())
        pos = bisect.bisect_left(items, seq)
        return pos < len(items) and items[pos] == seq

    def slice(self, key, offset, limit, newest_first=True):
        """Return up to `limit` sequence numbers after skipping `offset`, newest first by default."""
        items = self._lists.get(key, [])
        if newest_first:
            end = len(items) - offset
            if end <= 0:
                return []
            return items[max(0, end - limit):end][::-1]
        return items[offset:offset + limit]

    def iterate(self, key, newest_first=True):
        """Iterate over the sequence numbers under `key`."""
        items = list(self._lists.get(key, ()))
        return reversed(items) if newest_first else iter(items)

    def drop(self, key):
        """Forget everything under `key`."""
        self._lists.pop(key, None)

    def keys(self):
        """Return the keys that hold anything."""
        return list(self._lists)
