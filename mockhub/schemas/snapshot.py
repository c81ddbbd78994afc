"""What a snapshot's tables must hold for the store to index them: typed keys per table, unique ids and
sequence numbers, and every document inside an organization the snapshot itself carries."""
import base64
import binascii

from marshmallow import ValidationError

SNAPSHOT_TABLES = ("organizations", "users", "projects", "assets", "tasks", "taskHistory", "files", "issues",
                   "invites", "notifications", "storages", "llms", "webhooks", "plugins")
_TEXT, _FLAG, _SEQ, _TEXTS, _KEY = "text", "flag", "seq", "texts", "key"
SEQUENCED = ("projects", "assets", "tasks")
_COMMON = {"_id": _TEXT, "organization": _TEXT}
REQUIRED = {
    "organizations": {"_id": _TEXT},
    "users": dict(_COMMON, email=_TEXT, apiKey=_KEY),
    "projects": dict(_COMMON, _seq=_SEQ, deleted=_FLAG),
    "assets": dict(_COMMON, _seq=_SEQ, deleted=_FLAG, project=_TEXT),
    "tasks": dict(_COMMON, _seq=_SEQ, deleted=_FLAG, project=_TEXT, asset=_TEXT, stage=_TEXT, batches=_TEXTS),
    "taskHistory": {"_id": _TEXT, "deleted": _FLAG, "labelTaskId": _TEXT},
    "issues": {"_id": _TEXT, "labelTask": _TEXT},
    "plugins": dict(_COMMON, pluginId=_TEXT, secret=_TEXT, name=_TEXT, type=_TEXT, createdAt=_TEXT),
}


def _typed(kind, value):
    if kind == _TEXT:
        return isinstance(value, str) and value != ""
    if kind == _KEY:
        return value is None or (isinstance(value, str) and value != "")
    if kind == _FLAG:
        return isinstance(value, bool)
    if kind == _SEQ:
        return isinstance(value, int) and not isinstance(value, bool) and 1 <= value < 2 ** 53
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _check_table(name, docs, errors):
    required = REQUIRED.get(name, _COMMON)
    for index, doc in enumerate(docs):
        bad = [key for key, kind in required.items()
               if not _typed(kind, doc.get(key)) and not (kind == _KEY and key not in doc)]
        if bad:
            errors[f"tables.{name}[{index}]"] = [f"missing or wrongly typed: {', '.join(bad)}"]
    ids = [doc.get("_id") for doc in docs]
    if len(set(map(str, ids))) != len(ids):
        errors[f"tables.{name}"] = ["the same _id twice"]


def check_snapshot(snapshot):
    """Raise ValidationError naming every table entry that the store could not index."""
    tables, errors = snapshot["tables"], {}
    for name, docs in tables.items():
        _check_table(name, docs, errors)
    if errors:
        raise ValidationError(errors)
    seqs = [doc["_seq"] for name in SEQUENCED for doc in tables.get(name, ())]
    if len(set(seqs)) != len(seqs):
        errors["tables"] = ["the same _seq twice among projects, assets and tasks"]
    orgs = {doc["_id"] for doc in tables.get("organizations", ())}
    strays = sorted({doc["organization"] for name, docs in tables.items() for doc in docs
                     if "organization" in doc and doc["organization"] not in orgs})
    if strays:
        errors["tables.organizations"] = [f"documents of organizations the snapshot lacks: {', '.join(strays[:5])}"]
    keys = [u["apiKey"] for u in tables.get("users", ()) if u.get("apiKey")]
    if len(set(keys)) != len(keys):
        errors["tables.users"] = ["the same apiKey twice"]
    for file_id, data in snapshot.get("blobs", {}).items():
        try:
            base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            errors[f"blobs.{file_id}"] = ["not base64"]
    if errors:
        raise ValidationError(errors)
