"""Move a task through a stage graph until it rests where a person (or a manager) must act.

`enter` never mutates its input: it returns the new task state, one history record per stage left,
and effects for the caller to carry out (webhook deliveries, plugin runs).
"""
from dataclasses import dataclass, field

_PASS_THROUGH = ("Plugin", "Webhook")
_MAX_HOPS = 1000  # a cycle of pass-through stages would otherwise spin forever


@dataclass
class Transition:
    task: dict
    history: list = field(default_factory=list)
    effects: list = field(default_factory=list)


def _rests(stage):
    if stage["type"] == "Start":
        return not stage.get("autoForward", True)
    return stage["type"] not in _PASS_THROUGH


def _record(task, stage, now, actor):
    """Snapshot the task as it leaves `stage`."""
    return {"stage": stage["id"], "stageName": stage.get("name", stage["id"]), "stageType": stage["type"],
            "completedAt": now, "completedBy": actor, "assignee": task.get("assignee"),
            "duration": task.get("duration", 0), "answer": task.get("answer"),
            "reviewStatus": task.get("reviewStatus"), "isSkipped": task.get("isSkipped", False)}


def _arrive(task, stage):
    task["stage"] = stage["id"]
    task["status"] = "Completed" if stage["type"] == "Complete" else "TODO"
    task["assignee"] = (task.get("stageAssignees") or {}).get(stage["id"])
    task["duration"] = 0
    task["isSkipped"] = False


def enter(graph, task, stage_id, now, actor=None):
    """Put `task` into `stage_id` and let it run on through stages that need nobody."""
    state = dict(task)
    result = Transition(task=state)
    stage = graph.stage(stage_id)
    for _ in range(_MAX_HOPS):
        _arrive(state, stage)
        if stage["type"] == "Webhook":
            result.effects.append({"type": "webhook", "stage": stage["id"]})
        elif stage["type"] == "Plugin":
            result.effects.append({"type": "plugin", "stage": stage["id"], "pluginId": stage.get("pluginId")})
        if _rests(stage):
            return result
        result.history.append(_record(state, stage, now, None))
        stage = graph.stage(stage["next"][0])
    raise RuntimeError("workflow loops through pass-through stages without resting")


def forward(graph, task, now, actor=None, output=0):
    """Leave the task's current stage through `next[output]` (a submit, or a manager's forward)."""
    current = graph.stage(task["stage"])
    if not current.get("next"):
        raise ValueError(f"stage {current['id']} has no next stage")
    record = _record(task, current, now, actor)
    result = enter(graph, task, current["next"][output], now, actor)
    result.history.insert(0, record)
    return result
