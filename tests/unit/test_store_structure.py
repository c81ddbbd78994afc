"""The store is a plain backend with collaborators: no operation class is mixed into `Store`, every entry point
names an operation its collaborator has, and a collaborator holds only what it was given (never the Store)."""
import inspect

from mockhub.clock import Clock
from mockhub.ids import IdGenerator
from mockhub.store import Store
from mockhub.store.locks import entry


def test_store_mixes_in_nothing():
    assert Store.__mro__ == (Store, object)


def test_every_entry_point_runs_an_operation_of_its_collaborator_with_its_signature():
    store = Store(IdGenerator(1), Clock())
    entries = {name: value for name, value in vars(Store).items() if isinstance(value, entry)}
    assert len(entries) > 80
    for name, point in entries.items():
        operation = getattr(getattr(store.ops, point.owner), name)
        assert inspect.signature(getattr(store, name)) == inspect.signature(operation), name


def test_collaborators_hold_tables_and_each_other_never_the_store():
    store = Store(IdGenerator(1), Clock())
    collaborators = {id(c) for c in vars(store.ops).values()}
    for name, collaborator in vars(store.ops).items():
        for attribute, value in vars(collaborator).items():
            assert value is not store, (name, attribute)
            if type(value).__module__.startswith(("mockhub.store", "mockhub.export")) and hasattr(value, "tables"):
                assert id(value) in collaborators, (name, attribute)  # a peer is one of the store's own
