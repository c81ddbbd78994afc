"""Packed documents (store/packed.py) read like the dicts they were made from and become dicts on the way out."""
import copy
import json

import pytest
from tinydb import Query

from mockhub.persistence import _dumps
from mockhub.store.db import Collection, clone, open_database
from mockhub.store.packed import Packed, pack, share, unpacked

TASK = {"_id": "t1", "project": "p1", "stage": "Label", "status": "TODO", "assignee": None, "batches": [],
        "answer": {"tools": [], "classifications": []}, "priority": 3, "deleted": False, "__v": 0,
        "odd key-name": 1}


def test_a_packed_document_reads_like_its_dict():
    doc = pack(TASK)
    assert isinstance(doc, Packed)
    assert doc == TASK and TASK == doc and doc != {**TASK, "priority": 4}
    assert list(doc) == list(TASK) and len(doc) == len(TASK)
    assert list(doc.keys()) == list(TASK.keys()) and list(doc.values()) == list(TASK.values())
    assert list(doc.items()) == list(TASK.items())
    assert doc["__v"] == 0 and doc["odd key-name"] == 1 and doc.get("stage") == "Label"
    assert doc.get("missing") is None and doc.get("missing", 7) == 7 and "missing" not in doc and "_id" in doc
    with pytest.raises(KeyError):
        doc["missing"]
    assert dict(doc) == {**doc} == unpacked(doc) == TASK and type(unpacked(doc)) is dict
    assert doc["answer"] is TASK["answer"]  # shallow, like the dict


def test_a_packed_document_cannot_change_and_copies_are_dicts():
    doc = pack(TASK)
    with pytest.raises(TypeError):
        doc["stage"] = "Review"
    with pytest.raises(AttributeError):
        doc.stage = "Review"
    for copied in (copy.copy(doc), copy.deepcopy(doc), clone(doc)):
        assert type(copied) is dict and copied == TASK
    assert clone(doc)["answer"] is not TASK["answer"]
    assert json.loads(_dumps({"t": {"tasks": {"t1": doc}}})) == {"t": {"tasks": {"t1": TASK}}}


def test_values_most_documents_share_are_read_back_as_the_same_objects():
    empty = TASK["batches"]
    share(empty)
    doc = pack(TASK)
    assert doc["batches"] is empty and doc["assignee"] is None and doc["deleted"] is False and doc["__v"] == 0
    other = pack({**TASK, "assignee": "a@x", "deleted": True, "batches": ["b"]})  # another layout
    assert (other["assignee"], other["deleted"], other["batches"]) == ("a@x", True, ["b"])
    assert pack(TASK) == TASK and other == {**TASK, "assignee": "a@x", "deleted": True, "batches": ["b"]}


def test_documents_that_do_not_pack_stay_dicts():
    assert type(pack({"_id": "a", "n": 1})) is dict  # too few keys to gain anything
    assert type(pack({**TASK, 5: "not a string key"})) is dict


def test_a_packed_table_stores_packed_documents_and_tinydb_still_reads_them():
    db = open_database()
    coll = Collection(db.table("tasks", packed=True))
    coll.insert(TASK)
    coll.update("t1", {"stage": "Review", "reviewer": "r@x"})
    stored = coll.get("t1")
    assert isinstance(stored, Packed) and stored == {**TASK, "stage": "Review", "reviewer": "r@x"}
    assert list(stored)[-1] == "reviewer"  # a new key goes last, as in a dict
    found = db.table("tasks").search(Query().stage == "Review")
    assert [dict(d) for d in found] == [dict(stored)] and found[0].doc_id == "t1"
