"""Packed documents: a stored document of a big collection as one slotted object instead of a dict.

A dict of 33 keys costs about 850 B; the same document packed costs 48 + 8 B a key (about 310 B), the keys
living once in a class shared by every document with the same keys in the same order (its layout). A task,
its Start history record and its asset take about 750 B packed instead of 2.1 KB as dicts.

A packed document reads like the dict it was made from (`doc[key]`, `get`, `in`, iteration in the same
key order, `len`, `keys`/`values`/`items`, `dict(doc)`, `{**doc}`, `==` with a dict) and cannot be changed:
stored documents are never changed in place (a write stores a new one, `db.DocumentTable.update`). It is
not a dict: `db.clone`, `unpacked` and the data-file log turn it into one, and `copy`/`deepcopy` give one.
A document whose keys are not all strings, that has few keys, or that would need a layout beyond
`MAX_LAYOUTS` stays a dict.
"""
import threading
from collections.abc import Mapping
from types import MappingProxyType

MIN_KEYS = 8  # below this a dict is about as small
MAX_KEYS = 250
MAX_LAYOUTS = 1000  # distinct key sequences (a task gains keys as it moves: a few dozen are usual)

_layouts = {}  # tuple of keys -> Packed subclass (None once MAX_LAYOUTS is reached)
_making = threading.Lock()


class Packed:
    """The base of every layout class (made by `_layout`): the behaviour of a read-only dict."""

    __slots__ = ()
    KEYS = ()
    _AT = MappingProxyType({})  # key -> a function returning the key's value from a document of this layout

    def __getitem__(self, key):
        return self._AT[key](self)

    def get(self, key, default=None):
        at = self._AT.get(key)
        return default if at is None else at(self)

    def __contains__(self, key):
        return key in self._AT

    def __iter__(self):
        return iter(self.KEYS)

    def __len__(self):
        return len(self.KEYS)

    def keys(self):
        return dict.fromkeys(self.KEYS).keys()

    def items(self):
        return self.to_dict().items()

    def __eq__(self, other):
        if isinstance(other, Packed):
            other = other.to_dict()
        return self.to_dict() == other if isinstance(other, dict) else NotImplemented

    __hash__ = None

    def __reduce__(self):  # copy, deepcopy and pickle give a plain dict
        return dict, (self.to_dict(),)

    def __repr__(self):
        return f"packed({self.to_dict()!r})"


Mapping.register(Packed)


def _layout(keys):
    """The class for documents with exactly these keys in this order (made once, under a lock)."""
    with _making:
        if keys in _layouts:
            return _layouts[keys]
        if len(_layouts) >= MAX_LAYOUTS:
            return None
        slots = tuple(f"s{i}" for i in range(len(keys)))
        fields = ", ".join(f"self.{slot}" for slot in slots)
        namespace = {"KEYS": keys}
        exec(f"def __init__(self, values):\n    {fields}, = values\n"  # noqa: S102 (slot names only)
             f"def values(self):\n    return ({fields},)\n"
             f"def to_dict(self):\n    return dict(zip(KEYS, ({fields},)))\n", namespace)
        cls = type("PackedDocument", (Packed,), {"__slots__": slots, "KEYS": keys, **{
            name: namespace[name] for name in ("__init__", "values", "to_dict")}})
        cls._AT = {key: getattr(cls, slot).__get__ for key, slot in zip(keys, slots)}
        _layouts[keys] = cls
        return cls


def pack(doc):
    """A packed copy of a dict-like document (a plain dict when it does not pack: see the module doc)."""
    keys = tuple(doc)
    cls = _layouts.get(keys, False)
    if cls is False:
        fits = MIN_KEYS <= len(keys) <= MAX_KEYS and all(type(key) is str for key in keys)
        cls = _layout(keys) if fits else None
    return dict(doc) if cls is None else cls(doc.values())


def unpacked(doc):
    """A new dict with the document's keys and values (shallow)."""
    return doc.to_dict() if isinstance(doc, Packed) else dict(doc)
