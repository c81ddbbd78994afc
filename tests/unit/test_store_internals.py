"""The store's building blocks: O(1) TinyDB writes, ordered indexes, copies out."""
import pytest

from mockhub.store.db import Collection, clone, open_database
from mockhub.store.index import FAR, FewMap, OrderedIndex, Sequence


def test_collection_round_trip_and_update_replaces_the_document():
    coll = Collection(open_database().table("things"))
    stored = coll.insert({"_id": "a", "n": 1, "tags": ["x"]})
    coll.insert({"_id": "b", "n": 2, "tags": []})
    coll.update("a", {"n": 10})
    assert coll.get("a") == {"_id": "a", "n": 10, "tags": ["x"]}
    assert stored["n"] == 1  # a document someone holds (a snapshot's shallow copy) does not change
    assert coll.get("b")["n"] == 2 and len(coll) == 2
    coll.remove("a")
    assert coll.get("a") is None and "a" not in coll and len(coll) == 1


def test_tinydb_sees_the_same_documents():
    db = open_database()
    coll = Collection(db.table("things"))
    coll.insert({"_id": "a", "n": 1})
    coll.update("a", {"n": 3})
    assert [dict(doc) for doc in db.table("things").all()] == [{"_id": "a", "n": 3}]


def test_clone_shares_nothing():
    original = {"a": [{"b": 1}], "c": {"d": [1, 2]}}
    copy = clone(original)
    copy["a"][0]["b"] = 2
    copy["c"]["d"].append(3)
    assert original == {"a": [{"b": 1}], "c": {"d": [1, 2]}}


def test_ordered_index_slices_newest_first_and_counts():
    index = OrderedIndex()
    for seq in (5, 1, 3, 4, 2):
        index.add("k", seq)
    index.add("k", 3)  # idempotent
    assert index.count("k") == 5
    assert index.slice("k", 0, 2) == [5, 4]
    assert index.slice("k", 4, 2) == [1]
    assert index.slice("k", 5, 2) == []
    assert index.slice("k", 1, 2, newest_first=False) == [2, 3]
    index.discard("k", 4)
    index.add("j", 4)
    assert list(index.iterate("k")) == [5, 3, 2, 1] and index.contains("j", 4)
    index.discard("j", 4)
    assert index.count("j") == 0 and "j" not in index.keys()


def test_sequence_numbers_name_their_documents_even_from_far_away():
    seqs = Sequence()
    assert [seqs.next("a"), seqs.next("b")] == [1, 2] and seqs.id_of(2) == "b"
    seqs.forget(1)
    with pytest.raises(KeyError):
        seqs.id_of(1)
    far = seqs.above() + 3 * FAR  # a loaded snapshot's seqs may be anywhere
    seqs.restore([(2, "b"), (far, "c"), (7, "d")])
    assert (seqs.id_of(2), seqs.id_of(far), seqs.id_of(7)) == ("b", "c", "d")
    assert seqs.next("e") == far + 1 and seqs.id_of(far + 1) == "e"
    with pytest.raises(KeyError):
        seqs.id_of(3)


def test_few_map_keeps_values_in_order_and_drops_empty_keys():
    few = FewMap()
    for value in ("a", "b", "c"):
        few.add("k", value)
    few.add("j", "x")
    few.remove("k", "b")
    assert few.get("k") == ["a", "c"] and few.get("j") == ["x"] and few.get("none") == []
    few.remove("j", "x")
    few.remove("k", "a")
    assert few.state() == {"k": ["c"]}
    with pytest.raises(ValueError):
        few.remove("k", "a")
    few.pop("k")
    assert few.state() == {}
