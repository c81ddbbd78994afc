"""Answer shapes: classifications, tool objects and relations, as stored (task `answer`, history records) and as
exported (export `task`, its `stageHistory` entries, the webhook payload), nested to any depth."""
from mockhub.schemas.record import Any, Bool, Many, Num, One, Record, Str, Strs

GEOMETRY = ("bounding-box", "rotated-bounding-box", "polygon", "polyline", "point", "segmentation", "ner", "pdf",
            "brush")


class StoredClassification(Record):
    """A classification answer in a stored answer: `{schemaId, answer}` and its nested classifications."""
    schemaId = Str("DOCS-API task sample; spec 4.4.1", required=True)
    answer = Any("DOCS-API task sample; spec 4.4.1", allow_none=True)
    classifications = Many(lambda: StoredClassification(), "SEED-001 nested classifications (parentOptionId)")


class ObjectMetadata(Record):
    createdAt = Any("WEB-AAF task sample (ISO); DOCS-API 2021 sample (epoch ms)", required=True)
    createdBy = Str("WEB-AAF task sample", required=True, allow_none=True)
    createdIn = Str("WEB-AAF task sample")


def _geometry():
    return {name: Any(f"DOCS-AAF objects ({name})", data_key=name) for name in GEOMETRY}


class StoredTool(Record.from_dict(_geometry())):
    """A tool object (an annotation) in a stored answer; one geometry key names its tool."""
    schemaId = Str("DOCS-API task sample", required=True)
    objectId = Str("DOCS-API task sample", required=True)
    classifications = Many(StoredClassification, "DOCS-API task sample", required=True)
    metadata = One(ObjectMetadata, "DOCS-API / WEB-AAF task samples", required=True)
    page = Num("WEB-AAF task sample (multi-page assets)")


class StoredRelation(Record):
    """A relation: `from`/`to`/`direction` (single) or `group` (group relations)."""
    objectId = Str("DOCS-AAF relations", required=True)
    schemaId = Str("DOCS-AAF relations", required=True)
    from_ = Str("DOCS-AAF relations (single)", data_key="from")
    to = Str("DOCS-AAF relations (single)")
    direction = Str("DOCS-AAF relations (single): straight | bidirectional")
    group = Strs("DOCS-AAF relations (group)")
    classifications = Many(StoredClassification, "ontology relations carry classifications (spec 4.3)")


class StoredAnswer(Record):
    tools = Many(StoredTool, "DOCS-API get_task sample", required=True)
    classifications = Many(StoredClassification, "DOCS-API get_task sample", required=True)
    relations = Many(StoredRelation, "DOCS-API get_task sample", required=True)


class ExportedClassification(Record):
    """A classification as exported: every documented field, at every depth (DOCS-AAF classifications: nested
    `classifications` have the same structure)."""
    schemaId = Str("DOCS-AAF classifications", required=True)
    tool = Str("DOCS-AAF classifications; ISSUE-13 consumer code", required=True, allow_none=True)
    title = Str("DOCS-AAF classifications", required=True, allow_none=True)
    columnField = Bool("DOCS-AAF classifications", required=True)
    answer = Any("DOCS-AAF classifications (string, or list for checkbox/multi-dropdown/tree-dropdown/rank)",
                 required=True, allow_none=True)
    classifications = Many(lambda: ExportedClassification(), "DOCS-AAF classifications", required=True)


class ExportedTool(StoredTool):
    title = Str("WEB-AAF task sample; PLUGIN export_plugin_v3 reads obj['title']", required=True, allow_none=True)
    classifications = Many(ExportedClassification, "WEB-AAF task sample", required=True)


class ExportedRelation(StoredRelation):
    title = Str("DOCS-AAF relations", required=True, allow_none=True)
    classifications = Many(ExportedClassification, "OURS: as exported classifications, where a relation has any")


class ExportedAnswer(Record):
    """The `tools`, `classifications`, `relations` of an export task, a stage-history entry or a webhook task."""
    tools = Many(ExportedTool, "WEB-AAF task sample", required=True)
    classifications = Many(ExportedClassification, "WEB-AAF task sample", required=True)
    relations = Many(ExportedRelation, "WEB-AAF task sample", required=True)
