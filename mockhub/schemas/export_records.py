"""Export record shapes: v3 (json and ndjson lines), stage-history entries, issue exports, the legacy (June
2023) records that ango 0.1.18 reads, and the Webhook stage's payload. Built by `mockhub.export.records`."""
from mockhub.schemas.answers import ExportedAnswer, ExportedClassification, ExportedRelation, ExportedTool
from mockhub.schemas.record import Any, Bool, Many, Num, Obj, One, Record, Str, Strs


class StageHistoryEntry(ExportedAnswer):
    """The task as it left one earlier stage, answers included (WEB-AAF stage-history)."""
    stage = Str("WEB-AAF stage-history (the stage name)", required=True)
    stageId = Str("WEB-AAF stage-history", required=True)
    duration = Num("WEB-AAF stage-history (ms)", required=True)
    completedAt = Str("WEB-AAF stage-history", required=True)
    completedBy = Str("WEB-AAF stage-history (the Start entry has none)", allow_none=True)
    brushDataUrl = Str("WEB-AAF stage-history", allow_none=True)
    reviewStatus = Str("OURS: the review decision on Review entries (no field name documented)")


class ExportTask(ExportedAnswer):
    taskId = Str("WEB-AAF task", required=True)
    stage = Str("WEB-AAF task (the stage name)", required=True)
    stageId = Str("WEB-AAF task", required=True)
    type = Str("SDK taskTypes export option: default | consensus | benchmark")
    updatedAt = Str("WEB-AAF task", required=True, allow_none=True)
    updatedBy = Str("WEB-AAF task", required=True, allow_none=True)
    totalDuration = Num("WEB-AAF task (ms)", required=True)
    brushDataUrl = Str("WEB-AAF task", required=True, allow_none=True)
    medicalBrushDataUrl = Str("WEB-AAF task", required=True, allow_none=True)
    consensusAverage = Num("WEB-AAF task (consensus projects)")
    consensusDetailed = Many(Record, "WEB-AAF task (consensus projects)")
    stageHistory = Many(StageHistoryEntry, "WEB-AAF task; absent with includeHistory=false")


class ExportRecord(Record):
    """One asset of a v3 export (a JSON array item, or one NDJSON line)."""
    asset = Str("WEB-AAF asset; PLUGIN reads asset['asset']", required=True)
    assetId = Str("WEB-AAF asset", required=True)
    externalId = Str("WEB-AAF asset; PLUGIN reads asset['externalId']", required=True)
    dataset = Strs("WEB-AAF asset (multi-image assets only)")
    metadata = Obj("WEB-AAF asset; absent with includeMetadata=false")
    batches = Strs("WEB-AAF asset (batch names)", required=True)
    task = One(ExportTask, "WEB-AAF asset; PLUGIN reads asset['task']['tools']", required=True)


class Comment(Record):
    _id = Str("WEB-API issues", required=True)
    content = Str("WEB-API issues; ISSUE-13 consumer code", required=True)
    createdBy = Str("WEB-API issues; ISSUE-13 consumer code", required=True)
    createdAt = Str("WEB-API issues", required=True)
    updatedAt = Str("WEB-API issues")
    contentMentions = Many(Record, "WEB-API issues")


class IssueAsset(Record):
    _id = Str("OURS", required=True)
    externalId = Str("ISSUE-13 consumer code joins issues to assets by it", required=True)
    data = Str("OURS (the asset URL, as the task export's `asset`)", required=True)
    batches = Strs("ISSUE-13 consumer code; OURS: batch names, as the task export gives them", required=True)


class IssueFields(Record):
    """What the issue model (WEB-API issues) and the issue export have in common."""
    _id = Str("WEB-API issues; ISSUE-13 consumer code", required=True)
    content = Str("WEB-API issues; ISSUE-13", required=True)
    status = Str("WEB-API issues: Open | Resolved | Closed; ISSUE-13", required=True)
    project = Str("WEB-API issues", required=True)
    labelTask = Str("WEB-API issues; ISSUE-13", required=True)
    stage = Str("OURS: the stage the task was in (the SDK filters issues by stage)")
    createdBy = Str("WEB-API issues; ISSUE-13", required=True)
    createdAt = Str("WEB-API issues; ISSUE-13", required=True)
    updatedBy = Str("WEB-API issues", allow_none=True)
    updatedAt = Str("WEB-API issues", allow_none=True)
    position = Str("WEB-API issues ('[50, 120]'); SDK sends str(position); ISSUE-13", required=True, allow_none=True)
    contentMentions = Many(Record, "WEB-API issues ({userEmail, userName})", required=True)
    comments = Many(Comment, "WEB-API issues; ISSUE-13", required=True)
    errorCodes = Many(Record, "WEB-API issues ({category, name, key})")
    resolvedBy = Str("WEB-API issues", allow_none=True)
    resolvedAt = Str("WEB-API issues", allow_none=True)
    objectId = Str("SDK create_issue(object_id); ISSUE-13 (optional)")
    page = Num("SDK create_issue(page); ISSUE-13 (optional)")
    pageEnd = Num("SDK create_issue(page_end); ISSUE-13 (optional)")
    dataIndex = Num("SDK create_issue(data_index)")
    plane = Str("SDK create_issue(plane): A | S | C")
    pctDetails = Obj("WEB-API issues (3D marker)")
    errorType = Str("WEB-API issues; ISSUE-13 (optional); OURS: the first error code's category")
    errorCode = Str("WEB-API issues; ISSUE-13 (optional); OURS: the first error code's key (or name)")


class IssueExportRecord(IssueFields):
    """One issue of an `export_type="issue"` export."""
    asset = One(IssueAsset, "ISSUE-13 consumer code reads asset.externalId and asset.batches", required=True)
    stageName = Str("OURS", allow_none=True)


class LegacyReview(Record):
    status = Str("DOCS-AAF task", required=True)
    completedBy = Str("DOCS-AAF task", allow_none=True)
    completedAt = Str("DOCS-AAF task", allow_none=True)
    duration_ms = Num("DOCS-AAF task", data_key="duration(ms)", required=True)


class LegacyTask(Record):
    taskId = Str("DOCS-AAF task", required=True)
    completedBy = Str("DOCS-AAF task", required=True, allow_none=True)
    completedAt = Str("DOCS-AAF task", required=True, allow_none=True)
    duration_ms = Num("DOCS-AAF task", data_key="duration(ms)", required=True)
    isSkipped = Bool("DOCS-AAF task", required=True)
    status = Str("DOCS-AAF task", required=True)
    review = One(LegacyReview, "DOCS-AAF task", required=True)
    updatedBy = Str("DOCS-AAF task", allow_none=True)
    updatedAt = Str("DOCS-AAF task", allow_none=True)
    isBenchmark = Bool("DOCS-AAF task", required=True)
    benchmark = Any("DOCS-AAF task", allow_none=True)
    issues = Many(Record, "DOCS-AAF task", required=True)
    objects = Many(ExportedTool, "DOCS-AAF task, objects; PLUGIN v3/export_plugin.py reads tasks[0].objects[].title",
                   required=True)
    classifications = Many(ExportedClassification, "DOCS-AAF task, classifications", required=True)
    relations = Many(ExportedRelation, "DOCS-AAF task, relations", required=True)


class LegacyExportRecord(Record):
    """One asset of the legacy export (spec 5.6) that ango 0.1.18 asks for and returns as is."""
    asset = Str("DOCS-AAF asset", required=True)
    externalId = Str("DOCS-AAF asset", required=True)
    metadata = Obj("DOCS-AAF asset")
    tags = Strs("DOCS-AAF asset (batch names)", required=True)
    labeledAt = Str("DOCS-AAF asset", allow_none=True)
    reviewedAt = Str("DOCS-AAF asset", allow_none=True)
    status = Str("DOCS-AAF asset: To Do | In Progress | Labeled | Reviewed", required=True)
    labelDuration = Num("DOCS-AAF asset (ms)", required=True)
    consensus = Num("DOCS-AAF asset", allow_none=True)
    tasks = Many(LegacyTask, "DOCS-AAF asset", required=True)


class WebhookTask(ExportTask):
    stage = Str("WEB-WF webhook sample (2025: the stage id)", required=True)
    stageName = Str("WEB-WF webhook sample", required=True)
    duration = Num("WEB-WF webhook sample", required=True)
    blurDuration = Num("WEB-WF webhook sample")
    idleDuration = Num("WEB-WF webhook sample")
    totalBlurDuration = Num("WEB-WF webhook sample")
    totalIdleDuration = Num("WEB-WF webhook sample")
    stageHistory = Many(StageHistoryEntry, "WEB-WF webhook sample", required=True)


class WebhookPayload(Record):
    """The body a Webhook stage POSTs each time a task enters it (spec 8.1)."""
    projectId = Str("WEB-WF webhook sample", required=True)
    categorySchema = Obj("WEB-WF webhook sample", required=True)
    asset = Str("WEB-WF webhook sample", required=True)
    assetId = Str("WEB-WF webhook sample", required=True)
    dataset = Strs("WEB-WF webhook sample")
    overlay = Any("WEB-WF webhook sample")
    externalId = Str("WEB-WF webhook sample", required=True)
    metadata = Obj("WEB-WF webhook sample")
    batches = Strs("WEB-WF webhook sample (batch ids)", required=True)
    batchNames = Strs("WEB-WF webhook sample (batch names)")
    task = One(WebhookTask, "WEB-WF webhook sample", required=True)
