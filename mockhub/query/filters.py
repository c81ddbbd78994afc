"""Mongo-style filters as the SDK sends them (TaskFilter JSON, get_assets filters), compiled to predicates."""
import time

import regex

from mockhub.clock import parse_iso
from mockhub.query.pagination import QueryError

STRING, NUMBER, DATE, BOOL, LIST = "string", "number", "date", "bool", "list"

TASK_FIELDS = {
    "_id": STRING, "asset": STRING, "stage": STRING, "batches": LIST, "status": STRING, "reviewStatus": STRING,
    "type": STRING, "assignee": STRING, "externalId": STRING, "createdBy": STRING, "updatedBy": STRING,
    "createdAt": DATE, "updatedAt": DATE, "completedAt": DATE, "priority": NUMBER, "duration": NUMBER, "totalDuration": NUMBER,
    "openIssuesCount": NUMBER, "isDraft": BOOL, "isSkipped": BOOL, "isBenchmark": BOOL, "isPreLabeled": BOOL,
}

ASSET_FIELDS = {"_id": STRING, "externalId": STRING, "isPreLabeled": BOOL, "batches": LIST, "createdAt": DATE,
                "data": STRING, "priority": NUMBER}

MAX_PATTERN = 500          # characters of a $regex pattern
REGEX_BUDGET = 0.05        # seconds of matching one $regex may spend over a whole request


class BoundedRegex:
    """A `$regex` test with a time budget for the whole request: the `regex` engine stops a match that runs past
    what is left (and releases the GIL while matching), so no pattern can hold the store for long."""

    def __init__(self, field, pattern):
        if not isinstance(pattern, str):
            raise QueryError(f"filter {field}: $regex needs a string pattern")
        if len(pattern) > MAX_PATTERN:
            raise QueryError(f"filter {field}: a $regex pattern has at most {MAX_PATTERN} characters")
        try:
            self._pattern = regex.compile(pattern, flags=regex.VERSION0)
        except (regex.error, ValueError, OverflowError, RecursionError) as exc:
            raise QueryError(f"filter {field}: bad $regex: {exc}") from None
        self._field = field
        self._left = REGEX_BUDGET

    def __call__(self, value):
        if value is None:
            return False
        if self._left <= 0:
            self._too_slow()
        started = time.perf_counter()
        try:
            found = self._pattern.search(str(value), timeout=max(self._left, 0.001), concurrent=True)
        except TimeoutError:
            self._too_slow()
        self._left -= time.perf_counter() - started
        return found is not None

    def _too_slow(self):
        raise QueryError(f"filter {self._field}: the $regex took too long to match (over {REGEX_BUDGET} s); "
                         "simplify the pattern")


_OPERATORS = {
    STRING: {"$eq", "$ne", "$in", "$nin", "$regex", "$exists"},
    NUMBER: {"$eq", "$ne", "$in", "$nin", "$gt", "$gte", "$lt", "$lte", "$exists"},
    DATE: {"$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$exists"},
    BOOL: {"$eq", "$ne", "$exists"},
    LIST: {"$eq", "$ne", "$in", "$nin", "$all", "$exists"},
}


def _coerce(field, kind, value):
    """Check and convert one operand to the field's kind."""
    if kind == DATE:
        try:
            return parse_iso(value)
        except (TypeError, ValueError):
            raise QueryError(f"filter {field}: {value!r} is not an ISO 8601 date") from None
    if kind == NUMBER and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise QueryError(f"filter {field}: {value!r} is not a number")
    if kind == BOOL and not isinstance(value, bool):
        raise QueryError(f"filter {field}: {value!r} is not true or false")
    if kind in (STRING, LIST) and not isinstance(value, (str, int, float)) and value is not None:
        raise QueryError(f"filter {field}: {value!r} is not a string")
    return value


def _list_operand(field, kind, op, value):
    if not isinstance(value, list):
        raise QueryError(f"filter {field}: {op} needs a list")
    return [_coerce(field, STRING if kind == LIST else kind, v) for v in value]


def _compile_op(field, kind, op, operand):
    if op not in _OPERATORS[kind]:
        raise QueryError(f"filter {field}: operator {op} is not supported for a {kind} field")
    if op == "$exists":
        if not isinstance(operand, bool):
            raise QueryError(f"filter {field}: $exists needs true or false")
        return lambda v: (v is not None and v != []) == operand
    if op == "$regex":
        return BoundedRegex(field, operand)
    if op in ("$in", "$nin", "$all"):
        values = _list_operand(field, kind, op, operand)
        if kind == LIST:
            tests = {"$in": lambda v: bool(set(v or ()) & set(values)),
                     "$nin": lambda v: not set(v or ()) & set(values),
                     "$all": lambda v: set(values) <= set(v or ())}
            return tests[op]
        return (lambda v: v in values) if op == "$in" else (lambda v: v not in values)
    value = _coerce(field, STRING if kind == LIST else kind, operand)
    if kind == LIST:
        return (lambda v: value in (v or ())) if op == "$eq" else (lambda v: value not in (v or ()))
    return _comparison(kind, op, value)


def _comparison(kind, op, value):
    def get(v):
        if v is None:
            return None
        return parse_iso(v) if kind == DATE else v

    if op == "$eq":
        return lambda v: get(v) == value
    if op == "$ne":
        return lambda v: get(v) != value
    compare = {"$gt": lambda a: a > value, "$gte": lambda a: a >= value,
               "$lt": lambda a: a < value, "$lte": lambda a: a <= value}[op]
    return lambda v: get(v) is not None and compare(get(v))


def _compile_field(field, kind, condition):
    if isinstance(condition, dict):
        if not condition:
            raise QueryError(f"filter {field}: an empty operator object")
        tests = []
        for op, operand in condition.items():
            name = op if op.startswith("$") else f"${op}"  # the SEED docs write {"gt": ...} without `$`
            tests.append(_compile_op(field, kind, name, operand))
        return lambda v: all(test(v) for test in tests)
    if isinstance(condition, list) and kind == LIST:
        return _compile_op(field, kind, "$all", condition)
    return _compile_op(field, kind, "$eq", condition)


def compile_filter(spec, fields=TASK_FIELDS):
    """Compile a filter object into a predicate over documents; raise QueryError naming the bad part."""
    if spec is None:
        return lambda doc: True
    if not isinstance(spec, dict):
        raise QueryError("filter must be a JSON object")
    tests = []
    for field, condition in spec.items():
        if field not in fields:
            raise QueryError(f"filter: unknown field {field!r}; known: {', '.join(sorted(fields))}")
        test = _compile_field(field, fields[field], condition)
        tests.append((field, test))
    return lambda doc: all(test(doc.get(field)) for field, test in tests)


def equality_terms(spec):
    """Return {field: value} for the plain-equality terms of a filter (the store uses them to pick an index)."""
    terms = {}
    for field, condition in (spec or {}).items():
        if isinstance(condition, dict) and set(condition) == {"$eq"}:
            condition = condition["$eq"]
        elif isinstance(condition, dict) and set(condition) == {"$in"} and isinstance(condition["$in"], list) \
                and len(condition["$in"]) == 1:
            condition = condition["$in"][0]
        if isinstance(condition, (str, int)) and not isinstance(condition, bool):
            terms[field] = condition
    return terms
