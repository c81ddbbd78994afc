"""Project metrics (the six overview metrics) and per-user performance, computed from the live state."""
from collections import Counter
from statistics import median

from mockhub.clock import parse_iso
from mockhub.errors import BadRequest
from mockhub.store.batches import resolve_batches

METRICS = ("LabelStageGroups", "TimePerTask", "AnnotationStatus", "AnswerDistribution", "ConsensusRanges",
           "AssetSize")


def _average(values):
    return round(sum(values) / len(values), 1) if values else 0


class Metrics:
    """The six overview metrics and per-person performance of a project."""

    def __init__(self, tables, projects):
        self.tables, self.projects = tables, projects

    def _live_tasks(self, project_id):
        return [t for t in self.tables.tasks.in_project(project_id) if t["type"] == "default"]

    def _work_records(self, project_id):
        records = []
        for task in self._live_tasks(project_id):
            records += self.tables.history.of_task(task["_id"])
        return [r for r in records if r["completedBy"]]

    def get_metrics(self, user, project_id, metric):
        """Compute one overview metric; the shapes are mockhub's (see docs/fidelity.md)."""
        project = self.projects.require_project(user, project_id)
        if metric not in METRICS:
            raise BadRequest(f"metric: must be one of {', '.join(METRICS)}")
        return getattr(self, f"_metric_{metric}")(project)

    def _metric_LabelStageGroups(self, project):
        counts = Counter(t["stage"] for t in self._live_tasks(project["_id"]))
        return [{"stageId": s["id"], "stageName": s.get("name", s["id"]), "stageType": s["type"],
                 "count": counts.get(s["id"], 0)} for s in project["stages"]]

    def _metric_TimePerTask(self, project):
        records = self._work_records(project["_id"])
        durations = [r["duration"] for r in records]
        by_stage = {}
        for record in records:
            by_stage.setdefault((record["stage"], record["stageName"]), []).append(record["duration"])
        return {"count": len(durations), "averageMs": _average(durations),
                "medianMs": median(durations) if durations else 0,
                "byStage": [{"stageId": sid, "stageName": name, "count": len(values), "averageMs": _average(values)}
                            for (sid, name), values in by_stage.items()]}

    def _metric_AnnotationStatus(self, project):
        tasks = self._live_tasks(project["_id"])
        review = Counter(t["reviewStatus"] for t in tasks)
        return {"total": len(tasks), "TODO": sum(t["status"] == "TODO" for t in tasks),
                "Completed": sum(t["status"] == "Completed" for t in tasks),
                "reviewStatus": {key: review.get(key, 0) for key in ("Todo", "Accepted", "Rejected", "Fixed")},
                "skipped": sum(bool(t["isSkipped"]) for t in tasks),
                "preLabeled": sum(bool(t["isPreLabeled"]) for t in tasks)}

    def _metric_AnswerDistribution(self, project):
        schema = project["categorySchema"]
        titles = {i.get("schemaId"): i.get("title") for k in ("tools", "classifications") for i in schema.get(k, [])}
        tools, classes = Counter(), {}
        for task in self._live_tasks(project["_id"]):
            tools.update(tool.get("schemaId") for tool in task["answer"]["tools"])
            for item in task["answer"]["classifications"]:
                values = item.get("answer") if isinstance(item.get("answer"), list) else [item.get("answer")]
                classes.setdefault(item.get("schemaId"), Counter()).update(map(str, values))
        return ([{"schemaId": sid, "title": titles.get(sid), "kind": "tool", "count": n} for sid, n in tools.items()]
                + [{"schemaId": sid, "title": titles.get(sid), "kind": "classification", "count": sum(c.values()),
                    "answers": dict(c)} for sid, c in classes.items()])

    def _metric_ConsensusRanges(self, project):
        scores = [t["consensusAverage"] for t in self._live_tasks(project["_id"]) if t.get("consensusAverage") is not None]
        buckets = Counter(min(int(score // 10), 9) for score in scores)
        return [{"range": f"{b * 10}-{b * 10 + 10}", "count": buckets.get(b, 0)} for b in range(10)]

    def _metric_AssetSize(self, project):
        assets = [self.tables.assets.at(s) for s in self.tables.assets.by_project.iterate(project["_id"], False)]
        sizes = [f["size"] for f in self.tables.c["files"].scan()
                 if f.get("project") == project["_id"] and f.get("type") == "assets" and f.get("size") is not None]
        dims = Counter((a["metadata"].get("width"), a["metadata"].get("height")) for a in assets
                       if a["metadata"].get("width"))
        return {"count": len(assets), "uploadedFiles": len(sizes), "totalBytes": sum(sizes),
                "byDimensions": [{"width": w, "height": h, "count": n} for (w, h), n in dims.items()]}

    def get_project_performance(self, user, project_id, interval=None, batches=None, users=None):
        """Per-person work in a project: submits, reviews and their durations, optionally in a time window."""
        project = self.projects.require_project(user, project_id)
        kinds = {s["id"]: s["type"] for s in project["stages"]}
        wanted = set(resolve_batches(project, batches)) if batches else None
        start, end = (parse_iso(interval[0]), parse_iso(interval[1])) if interval else (None, None)
        people = {}
        for record in self._work_records(project_id):
            at = parse_iso(record["completedAt"])
            if (start and not start <= at <= end) or (wanted is not None and not wanted & set(record["batches"])):
                continue
            if users is not None and record["completedBy"].lower() not in {u.lower() for u in users}:
                continue
            row = people.setdefault(record["completedBy"], {"user": record["completedBy"], "labeled": 0,
                                                            "reviewed": 0, "accepted": 0, "rejected": 0,
                                                            "totalDurationMs": 0})
            kind = kinds.get(record["stage"])
            row["labeled"] += kind == "Label"
            row["reviewed"] += kind == "Review"
            row["accepted"] += kind == "Review" and record["reviewStatus"] in ("Accepted", "Fixed")
            row["rejected"] += kind == "Review" and record["reviewStatus"] == "Rejected"
            row["totalDurationMs"] += record["duration"]
        for row in people.values():
            row["averageDurationMs"] = round(row["totalDurationMs"] / max(1, row["labeled"] + row["reviewed"]), 1)
        return sorted(people.values(), key=lambda r: r["user"])
