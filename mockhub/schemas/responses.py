"""Response shapes: one schema per record type mockhub emits, the single source of those shapes (docs/records.md
lists every field with its source). Views dump through them (`mockhub.api.responding.responds`); the contract
tests validate mockhub's answers, the documented samples and (when configured) a real Ango Hub's answers
against these same schemas."""
from marshmallow import ValidationError, validate

from mockhub.schemas import export_records as ex
from mockhub.schemas.metric_records import METRICS, PerformanceRow
from mockhub.schemas.answers import StoredAnswer
from mockhub.schemas.record import Any, Bool, Items, Many, Num, Obj, One, Record, Str, Strs


def _string_or_ref(value):
    if not isinstance(value, str) and not (isinstance(value, dict) and isinstance(value.get("_id"), str)):
        raise ValidationError("must be an id string or an object with _id")


class ErrorSchema(Record):
    status = Str("spec 1.4", required=True, validate=validate.OneOf(("fail", "error")))
    message = Str("spec 1.4", required=True)


class EnvelopeSchema(Record):
    status = Str("spec 1.3", required=True, validate=validate.Equal("success"))
    data = Obj("spec 1.3", required=True)


class BatchSchema(Record):
    _id = Str("WEB-API batches; SDK reads batches[*]._id", required=True)
    name = Str("WEB-API batches; SDK reads batches[*].name", required=True)
    description = Str("WEB-API batches (optional)")
    color = Str("WEB-API batches (optional)")


class StageSchema(Record):
    id = Str("SEED-000", required=True)
    type = Str("SEED-000", required=True)
    name = Str("SEED-000", required=True)
    next = Strs("SEED-000", required=True)
    position = Obj("SEED-000")


class CategorySchemaShape(Record):
    tools = Many(Record, "DOCS-API; SEED-001; SDK label_category.py", required=True)
    classifications = Many(Record, "DOCS-API; SEED-001", required=True)
    relations = Many(Record, "DOCS-API; SEED-001", required=True)


class ProjectListItemSchema(Record):
    _id = Str("SEED-001; SDK", required=True)
    name = Str("SEED-001", required=True)
    description = Str("SEED-001", allow_none=True)
    organization = Str("DOCS-API", required=True)
    createdAt = Str("DOCS-API", required=True)


class ProjectSchema(ProjectListItemSchema):
    categorySchema = One(CategorySchemaShape, "SEED-001; SDK reads categorySchema", required=True)
    batches = Many(BatchSchema, "SEED-001; SDK get_batches", required=True)
    stages = Many(StageSchema, "WEB-API Project; SDK reads stages")
    assignedTo = Many(Record, "DOCS-API ([]); WEB-API ({assignee, role})", required=True)
    type = Str("WEB-API Project; SDK reads type", validate=validate.OneOf(("ango", "pct", "iframe")))
    user = Any("DOCS-API (creator id)")
    owner = Str("WEB-API Project (creator email)")
    consensusCount = Num("DOCS-API; SEED-001")
    benchmark = Bool("DOCS-API; SEED-001")
    deleted = Bool("DOCS-API; SEED-001")
    reviewConf = Obj("DOCS-API; SEED-001")
    tags = Items("DOCS-API; SEED-001")
    aiAssistance = Obj("DOCS-API; SEED-001")
    assetBuilderTemplates = Many(Record, "SDK reads assetBuilderTemplates[*]._id")
    role = Str("DOCS-API get_project sample (the caller's role)")
    updatedAt = Str("WEB-API Project")


class AssetRefSchema(Record):
    _id = Str("DOCS-API get_tasks sample", required=True)
    externalId = Str("DOCS-API get_tasks sample; SEED-001 reads task['asset']['externalId']", required=True)
    data = Str("DOCS-API get_tasks sample; SEED-001 reads tasks[0]['asset']['data']", required=True)


class TaskSchema(Record):
    """A task as `get_tasks` lists it (no answer unless asked) and `get_task` returns it."""
    _id = Str("DOCS-API; SDK", required=True)
    project = Any("DOCS-API (string; the get_task sample has {_id})", required=True, validate=_string_or_ref)
    asset = One(AssetRefSchema, "DOCS-API; SEED-001", required=True)
    status = Str("DOCS-API: TODO | Completed", required=True)
    stage = Str("WEB-API LabelTask (stage id)")
    externalId = Str("WEB-API LabelTask")
    batches = Strs("WEB-API LabelTask (batch ids)")
    assignee = Str("WEB-API LabelTask (email)", allow_none=True)
    priority = Num("WEB-API LabelTask")
    type = Str("SDK TaskFilter task_type: default | consensus | benchmark")
    reviewStatus = Str("SDK TaskFilter; DOCS-API review.status")
    isSkipped = Bool("SDK TaskFilter")
    isDraft = Bool("SDK TaskFilter")
    isBenchmark = Bool("DOCS-API")
    isPreLabeled = Bool("DOCS-API")
    openIssuesCount = Num("DOCS-API; SDK TaskFilter")
    createdAt = Str("DOCS-API")
    createdBy = Str("SDK TaskFilter", allow_none=True)
    updatedAt = Str("DOCS-API", allow_none=True)
    updatedBy = Str("DOCS-API", allow_none=True)
    completedAt = Str("DOCS-API", allow_none=True)
    completedBy = Str("DOCS-API", allow_none=True)
    duration = Num("DOCS-API (ms; WEB-API says seconds, see fidelity.md)")
    totalDuration = Num("SDK TaskFilter (ms)")
    brushDataUrl = Str("SDK brush helper reads it", allow_none=True)
    medicalBrushDataUrl = Str("SDK brush helper reads it", allow_none=True)
    answer = One(StoredAnswer, "DOCS-API get_task sample (with include_answer)")


class LabelTaskStage(Record):
    stage = Str("OURS (stage name, as in the export)", required=True)
    stageId = Str("ISSUE-13 consumer code", required=True)
    completedAt = Str("ISSUE-13 consumer code", required=True)
    completedBy = Str("ISSUE-13 consumer code (null for Start)", required=True, allow_none=True)
    duration = Num("OURS (ms, as in the export)", required=True)
    reviewStatus = Str("OURS: the decision on Review entries")


class LabelTaskSchema(Record):
    """An item of a listed asset's `labelTasks` (the default task first, then consensus children)."""
    _id = Str("OURS", required=True)
    taskId = Str("OURS (the export's name for it)", required=True)
    type = Str("OURS", required=True)
    stage = Str("OURS (stage name)", required=True, allow_none=True)
    stageId = Str("OURS", required=True)
    status = Str("OURS", required=True)
    assignee = Str("OURS", required=True, allow_none=True)
    stageHistory = Many(LabelTaskStage, "ISSUE-13 consumer code reads labelTasks[0].stageHistory", required=True)


class AssetSchema(Record):
    _id = Str("PLUGIN filters assets by _id", required=True)
    externalId = Str("SEED-001", required=True)
    data = Str("SEED-001 reads assets[0]['data']", required=True)
    project = Str("OURS")
    organization = Str("OURS")
    metadata = Obj("WEB-AAF asset metadata", required=True)
    contextData = Obj("SDK upload_files_cloud sends contextData")
    batches = Strs("get_assets filter field (batch ids)", required=True)
    attachments = Many(Record, "SDK create_attachment")
    isPreLabeled = Bool("get_assets filter field")
    priority = Num("ango 0.1.18 set_asset_priority")
    storage = Str("SDK upload_files_cloud storage_id", allow_none=True)
    createdAt = Str("get_assets filter field")
    createdBy = Str("OURS")
    labelTasks = Many(LabelTaskSchema, "ISSUE-13 consumer code reads asset['labelTasks'][0]['stageHistory']",
                      required=True)


class TaskHistorySchema(Record):
    _id = Str("SEED-001 history sample", required=True)
    id = Str("WEB-SDK get_task_history (by task id: `id`)")
    labelTaskId = Str("SEED-001", required=True)
    project = Str("SEED-001")
    organization = Str("SEED-001")
    asset = Str("SEED-001")
    stage = Str("SEED-001 (stage id)", required=True)
    stageName = Str("OURS")
    answer = One(StoredAnswer, "SEED-001", required=True)
    assignee = Str("SEED-001", allow_none=True)
    duration = Num("SEED-001 (ms)", required=True)
    rework = Bool("SEED-001")
    isSkipped = Bool("SEED-001")
    batches = Strs("SEED-001")
    deleted = Bool("SEED-001")
    brushDataUrl = Str("SEED-001", allow_none=True)
    completedAt = Str("OURS (the moment the stage was left)")
    completedBy = Str("OURS", allow_none=True)
    reviewStatus = Str("OURS", allow_none=True)
    createdAt = Str("SEED-001", required=True)
    updatedAt = Str("SEED-001")
    updatedBy = Str("SEED-001", allow_none=True)


class IssueSchema(ex.IssueFields):
    """An issue as `create_issue`, `get_issues`, `update_issue` and `add_comment_to_issue` return it."""
    asset = Str("WEB-API issues (the asset id)", required=True)
    title = Str("WEB-API issues (mockhub keeps none)")
    assignee = Str("WEB-API issues (mockhub keeps none)")
    points = Items("WEB-API issues", dump_default=list)


class MemberSchema(Record):
    _id = Str("WEB-API organization", required=True)
    email = Str("WEB-API organization", required=True)
    name = Str("WEB-API organization", allow_none=True)
    organizationRole = Str("WEB-API organization; SDK sends admin | member", required=True)
    createdAt = Str("WEB-API organization")


class InviteSchema(Record):
    _id = Str("WEB-API organization invites", required=True)
    to = Str("WEB-API organization invites", required=True)
    organizationRole = Str("WEB-API organization invites", required=True)
    status = Str("WEB-API organization invites (Pending)", required=True)
    createdBy = Str("WEB-API organization invites")
    createdAt = Str("WEB-API organization invites")
    expiresAt = Str("WEB-API organization invites")
    projectAssignments = Many(Record, "SDK invite_members_to_org project_assignments")


class StorageSchema(Record):
    _id = Str("WEB-API storages; SDK compares _id", required=True)
    id = Str("SEED-001 storage sample")
    name = Str("SEED-001; WEB-API", required=True)
    provider = Str("SEED-001 (GCP)")
    type = Str("WEB-API: aws | gcs | azure")
    bucket = Str("WEB-API", allow_none=True)
    region = Str("WEB-API", allow_none=True)
    organization = Str("SEED-001; WEB-API", required=True)
    createdAt = Str("SEED-001; WEB-API", required=True)


class LlmSchema(Record):
    _id = Str("SDK models/llm.py (the SDK compares _id)", required=True)
    name = Str("SDK models/llm.py", required=True)
    provider = Str("SDK LlmProvider: openai | openrouter", required=True)
    model = Str("SDK models/llm.py")
    isStreamable = Bool("SDK models/llm.py")
    configuration = Obj("SDK models/llm.py (without its apiKey)")
    organization = Str("OURS", required=True)
    createdAt = Str("OURS")


class NotificationSchema(Record):
    _id = Str("OURS", required=True)
    sender = Str("OURS", required=True)
    receivers = Strs("SDK send_notification receivers", required=True)
    message = Str("SDK send_notification message", required=True)
    title = Str("SDK send_notification title", allow_none=True)
    clickableLink = Str("SDK send_notification clickable_link", allow_none=True)
    createdAt = Str("OURS", required=True)


SHAPES = {"error": ErrorSchema, "envelope": EnvelopeSchema, "project": ProjectSchema,
          "project_list_item": ProjectListItemSchema, "batch": BatchSchema, "task": TaskSchema,
          "asset": AssetSchema, "label_task": LabelTaskSchema, "task_history": TaskHistorySchema,
          "issue": IssueSchema, "issue_export_record": ex.IssueExportRecord, "export_record": ex.ExportRecord,
          "stage_history_entry": ex.StageHistoryEntry, "legacy_export_record": ex.LegacyExportRecord,
          "webhook_payload": ex.WebhookPayload, "member": MemberSchema, "invite": InviteSchema,
          "storage": StorageSchema, "llm": LlmSchema, "notification": NotificationSchema,
          "performance_row": PerformanceRow, **{f"metric_{name}": schema for name, (schema, _) in METRICS.items()}}

UNDOCUMENTED = {"performance_row", *(f"metric_{name}" for name in METRICS)}  # no source sample can exist


def shape_errors(shape, document):
    """Return marshmallow's messages for a document that does not have the shape (empty when it does)."""
    return SHAPES[shape]().validate(document)
