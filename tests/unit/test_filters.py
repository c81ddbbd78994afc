"""TaskFilter and asset-filter evaluation."""
import pytest

from mockhub.query.filters import ASSET_FIELDS, compile_filter, equality_terms
from mockhub.query.pagination import QueryError

TASKS = [
    {"_id": "t1", "stage": "Label", "batches": ["b1", "b2"], "status": "TODO", "assignee": "a@x.com", "priority": 5,
     "createdAt": "2024-01-01T00:00:00.000Z", "isSkipped": False, "externalId": "cat-1.png"},
    {"_id": "t2", "stage": "Review", "batches": ["b2"], "status": "TODO", "assignee": None, "priority": 0,
     "createdAt": "2024-02-01T00:00:00.000Z", "isSkipped": True, "externalId": "dog-1.png"},
    {"_id": "t3", "stage": "Complete", "batches": [], "status": "Completed", "assignee": "b@x.com", "priority": -3,
     "createdAt": "2024-03-01T00:00:00.000Z", "isSkipped": False, "externalId": "cat-2.png"},
]


def select(spec, docs=TASKS, fields=None):
    test = compile_filter(spec) if fields is None else compile_filter(spec, fields)
    return [d["_id"] for d in docs if test(d)]


@pytest.mark.parametrize("spec, expected", [
    ({}, ["t1", "t2", "t3"]),
    ({"stage": "Label"}, ["t1"]),
    ({"stage": {"$eq": "Review"}}, ["t2"]),
    ({"stage": {"$ne": "Review"}}, ["t1", "t3"]),
    ({"stage": {"$in": ["Label", "Complete"]}}, ["t1", "t3"]),
    ({"stage": {"$nin": ["Label", "Complete"]}}, ["t2"]),
    ({"externalId": {"$regex": "^cat-"}}, ["t1", "t3"]),
    ({"assignee": {"$exists": False}}, ["t2"]),
    ({"assignee": {"$exists": True}}, ["t1", "t3"]),
    ({"priority": {"$gt": 0}}, ["t1"]),
    ({"priority": {"$gte": 0}}, ["t1", "t2"]),
    ({"priority": {"$lt": 0}}, ["t3"]),
    ({"priority": {"$lte": 0, "$gt": -5}}, ["t2", "t3"]),
    ({"priority": {"$eq": 5}}, ["t1"]),
    ({"createdAt": {"$gte": "2024-02-01T00:00:00.000Z"}}, ["t2", "t3"]),
    ({"createdAt": {"$lt": "2024-02-01T00:00:00Z"}}, ["t1"]),
    ({"batches": {"$in": ["b1"]}}, ["t1"]),
    ({"batches": {"$in": ["b2"]}}, ["t1", "t2"]),
    ({"batches": {"$nin": ["b2"]}}, ["t3"]),
    ({"batches": {"$eq": "b2"}}, ["t1", "t2"]),
    ({"isSkipped": {"$eq": True}}, ["t2"]),
    ({"status": {"$eq": "TODO"}, "stage": "Review"}, ["t2"]),
])
def test_task_filter_selects_exactly(spec, expected):
    assert select(spec) == expected


@pytest.mark.parametrize("spec, message", [
    ({"colour": "red"}, "unknown field 'colour'"),
    ({"priority": {"$regex": "1"}}, "operator \\$regex is not supported"),
    ({"priority": {"$gt": "high"}}, "is not a number"),
    ({"createdAt": {"$gt": "yesterday"}}, "is not an ISO 8601 date"),
    ({"stage": {"$in": "Label"}}, "\\$in needs a list"),
    ({"externalId": {"$regex": "("}}, "bad \\$regex"),
    ({"stage": {}}, "empty operator object"),
    ({"isSkipped": {"$eq": "yes"}}, "is not true or false"),
])
def test_bad_filters_raise_with_the_field_named(spec, message):
    with pytest.raises(QueryError, match=message):
        compile_filter(spec)


def test_filter_must_be_an_object():
    with pytest.raises(QueryError, match="must be a JSON object"):
        compile_filter(["stage"])


def test_asset_filters_accept_the_doc_form_without_dollar_and_and_batches():
    assets = [{"_id": "a1", "batches": ["x", "y"], "createdAt": "2024-01-05T00:00:00.000Z"},
              {"_id": "a2", "batches": ["x"], "createdAt": "2024-01-10T00:00:00.000Z"}]
    assert select({"batches": ["x", "y"]}, assets, ASSET_FIELDS) == ["a1"]
    assert select({"createdAt": {"gt": "2024-01-06T00:00:00Z"}}, assets, ASSET_FIELDS) == ["a2"]


def test_equality_terms_pick_plain_equalities():
    terms = equality_terms({"stage": {"$eq": "Label"}, "batches": {"$in": ["b1"]}, "priority": {"$gt": 1}})
    assert terms == {"stage": "Label", "batches": "b1"}
