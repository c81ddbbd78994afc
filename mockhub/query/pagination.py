"""Pagination and sorting as Ango Hub does them: `page` from 1, `limit` default 10, capped; `sort=-a,b`."""
from dataclasses import dataclass

DEFAULT_LIMIT = 10
MAX_LIMIT = 1000


class QueryError(ValueError):
    """A query parameter that cannot be used; the message names it."""


@dataclass(frozen=True)
class Page:
    page: int = 1
    limit: int = DEFAULT_LIMIT

    @property
    def offset(self):
        return (self.page - 1) * self.limit


def _positive_int(name, raw, default):
    if raw is None or raw == "":
        return default
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise QueryError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 1:
        raise QueryError(f"{name} must be at least 1, got {value}")
    return value


def parse_page(args, max_limit=MAX_LIMIT):
    """Read `page` and `limit` from a mapping of query args; raise QueryError if they are unusable."""
    page = _positive_int("page", args.get("page"), 1)
    limit = _positive_int("limit", args.get("limit"), DEFAULT_LIMIT)
    if limit > max_limit:
        raise QueryError(f"limit must be at most {max_limit}, got {limit}")
    return Page(page, limit)


def paginate(items, page):
    """Return the slice of a materialized list that `page` selects."""
    return items[page.offset:page.offset + page.limit]


def parse_sort(raw, allowed):
    """Turn `-createdAt,priority` into [(field, descending)]; fields must be in `allowed`."""
    keys = []
    for part in (raw or "").split(","):
        part = part.strip()
        if not part:
            continue
        descending = part.startswith("-")
        name = part.lstrip("+-")
        if name not in allowed:
            raise QueryError(f"sort: cannot sort by {name!r}; allowed: {', '.join(sorted(allowed))}")
        keys.append((name, descending))
    return keys


def sort_value(value):
    """The key a value sorts by: None first, then numbers and booleans, then strings (the store's sort
    indexes use it too, so an indexed page and a sorted scan agree)."""
    if value is None:
        return (0, "")
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, (int, float)):
        return (1, value)
    return (2, str(value))


def _sort_key(name):
    return lambda doc: sort_value(doc.get(name))


def sort_docs(docs, keys):
    """Sort documents by several keys in order (stable); None sorts before any value."""
    result = list(docs)
    for name, descending in reversed(keys):
        result.sort(key=_sort_key(name), reverse=descending)
    return result
