"""Packed documents: a stored document of a big collection as one slotted object instead of a dict.

A dict of 32 keys costs about 850 B. Packed, the keys live once in a class (its layout) shared by every
document with the same keys in the same order, and so do the values that are the same object in most
documents (None, False, True, 0, the shared empty values of `tables.compact`): a document holds 48 B plus
8 B for each other value. A task, its Start history record and its asset take about 400 B packed instead of
2.1 KB as dicts.

A packed document reads like the dict it was made from (`doc[key]`, `get`, `in`, iteration in the same
key order, `len`, `keys`/`values`/`items`, `dict(doc)`, `{**doc}`, `==` with a dict) and cannot be changed:
stored documents are never changed in place (a write stores a new one, `db.DocumentTable.update`). It is
not a dict: `db.clone`, `unpacked` and the data-file log turn it into one, and `copy`/`deepcopy` give one.
A document whose keys are not all strings or that has few keys stays a dict; past `MAX_LAYOUTS` layouts,
new ones hold every value, and past twice that documents stay dicts.
"""
import threading
from collections.abc import Mapping
from itertools import repeat
from types import MappingProxyType

MIN_KEYS = 8  # below this a dict is about as small
MAX_KEYS = 250
MAX_LAYOUTS = 1000  # keys and constants seen together (a task's change as it moves: dozens are usual)

_layouts = {}  # (keys, constants pattern) -> Packed subclass
_making = threading.Lock()
_constants = [None, False, True, 0]  # values a layout holds once for all its documents (by identity)
_codes = {id(value): code for code, value in enumerate(_constants, 1)}  # id -> its byte in a pattern


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
        return self._AT.keys()  # the layout's own key -> reader map, in KEYS order: nothing built per call

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


def share(*values):
    """Let layouts hold these objects (shared values no one changes: `tables.compact`'s empty ones) once."""
    with _making:
        for value in values:
            if id(value) not in _codes and len(_constants) < 255:
                _constants.append(value)
                _codes[id(value)] = len(_constants)


def _layout(keys, pattern):
    """The class for documents with these keys in this order and these constants (made once, under a lock)."""
    with _making:
        cls = _layouts.get((keys, pattern))
        if cls is not None or not (MIN_KEYS <= len(keys) <= MAX_KEYS and all(type(key) is str for key in keys)):
            return cls
        if len(_layouts) >= MAX_LAYOUTS and any(pattern):  # too many: the documents hold every value
            pattern = bytes(len(keys))
            cls = _layouts.get((keys, pattern))
            if cls is not None or len(_layouts) >= 2 * MAX_LAYOUTS:
                return cls
        slots, targets, reads, namespace = [], [], [], {"KEYS": keys}
        for key, code in zip(keys, pattern):
            if code:  # a constant: read from the class, not stored in the document
                namespace[f"c{code}"] = _constants[code - 1]
                targets.append("_")
                reads.append(f"c{code}")
            else:
                slots.append(f"s{len(slots)}")
                targets.append(f"self.{slots[-1]}")
                reads.append(targets[-1])
        values = ", ".join(reads)
        exec(f"def __init__(self, values):\n    {', '.join(targets)}, = values\n"  # noqa: S102 (names only)
             f"def values(self):\n    return ({values},)\n"
             f"def to_dict(self):\n    return dict(zip(KEYS, ({values},)))\n", namespace)
        cls = type("PackedDocument", (Packed,), {"__slots__": tuple(slots), "KEYS": keys, **{
            name: namespace[name] for name in ("__init__", "values", "to_dict")}})
        cls._AT = {key: _reader(cls, read, namespace) for key, read in zip(keys, reads)}
        _layouts[keys, pattern] = cls
        return cls


def _reader(cls, read, namespace):
    if read.startswith("self."):
        return getattr(cls, read[5:]).__get__
    value = namespace[read]
    return lambda _doc: value


def pack(doc):
    """A packed copy of a dict-like document (a plain dict when it does not pack: see the module doc)."""
    keys, values = tuple(doc), tuple(doc.values())
    pattern = bytes(map(_codes.get, map(id, values), repeat(0)))
    cls = _layouts.get((keys, pattern)) or _layout(keys, pattern)
    return dict(doc) if cls is None else cls(values)


def unpacked(doc):
    """A new dict with the document's keys and values (shallow)."""
    return doc.to_dict() if isinstance(doc, Packed) else dict(doc)
