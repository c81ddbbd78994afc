"""Metric answers: the six overview metrics of `get_metrics` and the rows of `get_project_performance`.
No source documents their bodies (the SDK passes them through), so every field here is mockhub's choice."""
from mockhub.schemas.record import Many, Num, Obj, Record, Str

OURS = "OURS (undocumented body; docs/fidelity.md)"


class StageCount(Record):
    """A `LabelStageGroups` item: how many tasks rest in a stage."""
    stageId = Str(OURS, required=True)
    stageName = Str(OURS, required=True)
    stageType = Str(OURS, required=True)
    count = Num(OURS, required=True)


class StageTime(Record):
    stageId = Str(OURS, required=True)
    stageName = Str(OURS, required=True)
    count = Num(OURS, required=True)
    averageMs = Num(OURS, required=True)


class TimePerTask(Record):
    count = Num(OURS, required=True)
    averageMs = Num(OURS, required=True)
    medianMs = Num(OURS, required=True)
    byStage = Many(StageTime, OURS, required=True)


class AnnotationStatus(Record):
    total = Num(OURS, required=True)
    TODO = Num(OURS, required=True)
    Completed = Num(OURS, required=True)
    reviewStatus = Obj(OURS + ": {Todo, Accepted, Rejected, Fixed} counts", required=True)
    skipped = Num(OURS, required=True)
    preLabeled = Num(OURS, required=True)


class AnswerCount(Record):
    """An `AnswerDistribution` item: a tool's object count, or a classification's answers counted by value."""
    schemaId = Str(OURS, required=True, allow_none=True)
    title = Str(OURS, required=True, allow_none=True)
    kind = Str(OURS + ": tool | classification", required=True)
    count = Num(OURS, required=True)
    answers = Obj(OURS + " (classifications only)")


class ConsensusRange(Record):
    range = Str(OURS + ": '0-10' ... '90-100'", required=True)
    count = Num(OURS, required=True)


class Dimension(Record):
    width = Num(OURS, allow_none=True)
    height = Num(OURS, allow_none=True)
    count = Num(OURS, required=True)


class AssetSize(Record):
    count = Num(OURS, required=True)
    uploadedFiles = Num(OURS, required=True)
    totalBytes = Num(OURS, required=True)
    byDimensions = Many(Dimension, OURS, required=True)


class PerformanceRow(Record):
    """A `get_project_performance` row: one person's work in the project."""
    user = Str(OURS, required=True)
    labeled = Num(OURS, required=True)
    reviewed = Num(OURS, required=True)
    accepted = Num(OURS, required=True)
    rejected = Num(OURS, required=True)
    totalDurationMs = Num(OURS, required=True)
    averageDurationMs = Num(OURS, required=True)


METRICS = {"LabelStageGroups": (StageCount, True), "TimePerTask": (TimePerTask, False),
           "AnnotationStatus": (AnnotationStatus, False), "AnswerDistribution": (AnswerCount, True),
           "ConsensusRanges": (ConsensusRange, True), "AssetSize": (AssetSize, False)}
