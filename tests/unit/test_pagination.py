"""Pagination and sorting helpers."""
import pytest

from mockhub.query.pagination import Page, QueryError, paginate, parse_page, parse_sort, sort_docs


def test_defaults_are_page_1_limit_10():
    assert parse_page({}) == Page(1, 10)


def test_reads_page_and_limit():
    page = parse_page({"page": "3", "limit": "25"})
    assert (page.page, page.limit, page.offset) == (3, 25, 50)


@pytest.mark.parametrize("args, message", [
    ({"limit": "0"}, "limit must be at least 1"),
    ({"page": "-1"}, "page must be at least 1"),
    ({"limit": "1001"}, "limit must be at most 1000"),
    ({"page": "x"}, "page must be a whole number"),
])
def test_rejects_unusable_values(args, message):
    with pytest.raises(QueryError, match=message):
        parse_page(args)


def test_cap_is_configurable():
    assert parse_page({"limit": "5000"}, max_limit=5000).limit == 5000


def test_paginate_walks_every_item_once():
    items = list(range(23))
    pages = [paginate(items, Page(p, 10)) for p in (1, 2, 3, 4)]
    assert pages[:3] == [items[:10], items[10:20], items[20:]]
    assert pages[3] == []


def test_parse_sort_reads_directions_and_rejects_unknown_fields():
    assert parse_sort("-createdAt, priority", {"createdAt", "priority"}) == [("createdAt", True), ("priority", False)]
    with pytest.raises(QueryError, match="cannot sort by 'colour'"):
        parse_sort("colour", {"createdAt"})


def test_sort_docs_applies_keys_in_order_with_none_first():
    docs = [{"p": 1, "n": "b"}, {"p": 2, "n": "a"}, {"p": 1, "n": "a"}, {"p": None, "n": "z"}]
    assert sort_docs(docs, [("p", False), ("n", False)]) == [docs[3], docs[2], docs[0], docs[1]]
    assert sort_docs(docs, [("p", True), ("n", True)])[0] == docs[1]
