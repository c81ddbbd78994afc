"""Logic-stage conditions: which output a task takes, first matching condition wins, the last output is Else."""
import hashlib

CONDITION_TYPES = ("AnnotationType", "Annotator", "RandomSample", "Duration", "Batch")


def draw(seed, task_id, stage_id):
    """A repeatable draw in [0, 1) for one task at one stage (RandomSample): same seed, same answer."""
    digest = hashlib.sha256(f"{seed}:{task_id}:{stage_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64


def check_condition(condition, outputs):
    """Return an error message for a malformed condition, or None."""
    kind, value = condition.get("type"), condition.get("value")
    if kind not in CONDITION_TYPES:
        return f"condition type must be one of {', '.join(CONDITION_TYPES)}"
    index = condition.get("index")
    if index is not None and (not isinstance(index, int) or not 0 <= index < outputs - 1):
        return f"condition index {index!r} does not name one of the first {outputs - 1} outputs"
    if kind == "AnnotationType":
        if not isinstance(value, dict) or not any(isinstance(value.get(k), list) for k in ("tools", "classifications")):
            return "AnnotationType needs value.tools or value.classifications (lists of {schemaId, filter})"
    elif kind in ("Annotator", "Batch") and not isinstance(value, list):
        return f"{kind} needs a list value"
    elif kind == "RandomSample" and not (isinstance(value, (int, float)) and 0 <= float(value) <= 1):
        return "RandomSample needs a fraction between 0 and 1"
    elif kind == "Duration" and not (isinstance(value, list) and len(value) == 2):
        return "Duration needs [min seconds, max seconds] (null for no bound)"
    return None


def _has_schema(answer, key, schema_id):
    return any(item.get("schemaId") == schema_id for item in (answer or {}).get(key) or [])


def _annotation_type(value, task):
    answer = task.get("answer") or {}
    for key, answer_key in (("tools", "tools"), ("classifications", "classifications")):
        for rule in value.get(key) or []:
            present = _has_schema(answer, answer_key, rule.get("schemaId"))
            wanted = "notExists" not in (rule.get("filter") or ["exists"])
            if present != wanted:
                return False
    return True


def _duration(value, task):
    seconds = (task.get("totalDuration") or 0) / 1000
    low, high = value
    return (low is None or seconds >= low) and (high is None or seconds <= high)


def matches(condition, task, stage_id, seed):
    """Tell whether `task` meets one condition of the Logic stage `stage_id`."""
    kind, value = condition["type"], condition.get("value")
    if kind == "AnnotationType":
        return _annotation_type(value, task)
    if kind == "Annotator":
        return task.get("labeledBy") in value
    if kind == "RandomSample":
        return draw(seed, task["_id"], stage_id) < float(value)
    if kind == "Duration":
        return _duration(value, task)
    return bool(set(task.get("batches") or ()) & set(value))


def route(stage, task, seed):
    """Return the index into `stage.next` that the task takes."""
    conditions = (stage.get("logic") or {}).get("conditions") or []
    for position, condition in enumerate(conditions):
        if matches(condition, task, stage["id"], seed):
            index = condition.get("index")
            return position if index is None else index
    return len(stage["next"]) - 1
