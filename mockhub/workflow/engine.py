"""Move a task through a stage graph until it rests where a person (or a manager) must act.

Every function takes the task as a dict and never mutates it: it returns a `Transition` with the new
task state, one history record per stage left (in order), and effects for the caller to carry out
(webhook deliveries, plugin jobs, consensus fan-out).
"""
from dataclasses import dataclass, field
from typing import Optional

from mockhub.workflow.consensus import score
from mockhub.workflow.graph import WorkflowError
from mockhub.workflow.logic import route

_MAX_HOPS = 1000  # a cycle of stages that need nobody would otherwise spin forever
EMPTY_ANSWER = {"tools": [], "classifications": [], "relations": []}


@dataclass
class Context:
    now: str                      # ISO timestamp of the event
    now_ms: int                   # the same instant in epoch milliseconds (durations)
    actor: Optional[str] = None   # email of whoever acts
    seed: object = 0              # RandomSample draws depend on it, the task and the stage
    plugins: frozenset = frozenset()  # ids of the plugins mockhub hosts: a Plugin stage of one waits for it


@dataclass
class Transition:
    task: dict
    history: list = field(default_factory=list)
    effects: list = field(default_factory=list)


def _record(task, stage, ctx, actor, **extra):
    """Snapshot the task as it leaves `stage`."""
    return {"stage": stage["id"], "stageName": stage.get("name", stage["id"]), "stageType": stage["type"],
            "completedAt": ctx.now, "completedBy": actor, "assignee": task.get("assignee"),
            "duration": task.get("duration", 0), "answer": task.get("answer") or dict(EMPTY_ANSWER),
            "reviewStatus": task.get("reviewStatus"), "isSkipped": task.get("isSkipped", False), **extra}


def _arrive(task, stage, ctx):
    task["stage"] = stage["id"]
    task["status"] = "Completed" if stage["type"] == "Complete" else "TODO"
    task["assignee"] = (task.get("stageAssignees") or {}).get(stage["id"])
    task["duration"] = 0
    task["isSkipped"] = False
    task["stageEnteredAt"] = ctx.now_ms
    if stage["type"] == "Review":
        task["reviewStatus"] = "Todo"
    if stage["type"] == "Complete":
        task["completedAt"], task["completedBy"] = ctx.now, ctx.actor


def _children(graph, consensus_id):
    return [s["id"] for s in graph.stages if s.get("consensusId") == consensus_id]


def _next_hop(graph, stage, state, ctx, result, run_plugins):
    """Return the stage a task moves on to from `stage` by itself, or None if it rests there."""
    kind = stage["type"]
    if kind == "Start":
        return stage["next"][0] if stage.get("autoForward", True) else None
    if kind == "Webhook":
        result.effects.append({"type": "webhook", "stage": stage["id"]})
        return stage["next"][0]
    if kind == "Plugin":
        if not run_plugins:  # requeuing into a Plugin stage does not run it (docs)
            return None
        hosted = stage.get("pluginId") in ctx.plugins
        result.effects.append({"type": "plugin", "stage": stage["id"], "pluginId": stage.get("pluginId"),
                               "hosted": hosted})
        return None if hosted else stage["next"][0]  # a hosted plugin sends it on by annotating it
    if kind == "Logic":
        return stage["next"][route(stage, state, ctx.seed)]
    if kind == "Consensus":
        children = _children(graph, stage["id"])
        state["consensus"] = {"stage": stage["id"], "answers": {child: None for child in children}}
        result.effects.append({"type": "consensus", "stage": stage["id"], "children": children})
    return None


def enter(graph, task, stage_id, ctx, run_plugins=True):
    """Put `task` into `stage_id` and let it run on through stages that need nobody."""
    state = dict(task)
    result = Transition(task=state)
    stage = graph.stage(stage_id)
    for _ in range(_MAX_HOPS):
        _arrive(state, stage, ctx)
        target = _next_hop(graph, stage, state, ctx, result, run_plugins)
        if target is None:
            return result
        result.history.append(_record(state, stage, ctx, None))
        stage = graph.stage(target)
        run_plugins = True
    raise WorkflowError("the workflow loops through stages that need nobody, without resting")


def _leave(graph, task, stage, output, ctx, **extra):
    """Record the exit from `stage` and enter `next[output]`."""
    record = _record(task, stage, ctx, ctx.actor, **extra)
    result = enter(graph, task, stage["next"][output], ctx)
    result.history.insert(0, record)
    return result


def _stick(task, stage_id, actor):
    """The first person who works a task in a stage stays its assignee there."""
    assignees = dict(task.get("stageAssignees") or {})
    assignees.setdefault(stage_id, actor)
    task["stageAssignees"] = assignees
    task["assignee"] = assignees[stage_id]


def _with_duration(task, ctx):
    state = dict(task)
    elapsed = max(0, ctx.now_ms - (state.get("stageEnteredAt") or ctx.now_ms))
    state["duration"] = elapsed
    state["totalDuration"] = (state.get("totalDuration") or 0) + elapsed
    return state


def save(graph, task, ctx):
    """Save work without submitting: the task stays; in Label and Review stages the saver sticks as assignee."""
    state = dict(task)
    stage = graph.stage(task["stage"])
    if stage["type"] in ("Label", "Review") and ctx.actor:
        _stick(state, stage["id"], ctx.actor)
    return Transition(task=state)


def submit(graph, task, ctx):
    """Submit the task's work in its current stage (a labeler's Submit, or a manager's forward)."""
    stage = graph.stage(task["stage"])
    kind = stage["type"]
    if kind == "Review":
        return review(graph, task, "Fixed", ctx)
    if kind in ("Complete", "Archive"):
        raise WorkflowError(f"the task is in the {kind} stage {stage['id']}; requeue it to work on it")
    if kind == "Hold":
        raise WorkflowError(f"the task is on Hold in stage {stage['id']}: it can be saved but not submitted")
    if kind == "Consensus":
        raise WorkflowError(f"the task waits for its consensus tasks in stage {stage['id']}")
    state = dict(task) if kind == "Start" else _with_duration(task, ctx)  # waiting in Start is not work
    if kind == "Label":
        _stick(state, stage["id"], ctx.actor)
        state["labeledBy"] = ctx.actor
    if stage.get("consensusId"):
        return _submit_consensus_child(state, stage, ctx)
    return _leave(graph, state, stage, 0, ctx)


def _submit_consensus_child(state, stage, ctx):
    """A consensus task is done once submitted: it stays in its stage, completed, and reports its answer."""
    record = _record(state, stage, ctx, ctx.actor)
    state["status"] = "Completed"
    state["completedAt"], state["completedBy"] = ctx.now, ctx.actor
    effect = {"type": "consensus_answer", "parent": state.get("parentTask"), "stage": stage["id"],
              "answer": state.get("answer"), "by": ctx.actor}
    return Transition(task=state, history=[record], effects=[effect])


def review(graph, task, status, ctx):
    """Apply a review decision: Accepted/Fixed leave by next[0], Rejected by next[1], Todo resets."""
    stage = graph.stage(task["stage"])
    if stage["type"] != "Review":
        raise WorkflowError(f"the task is in stage {stage['id']} ({stage['type']}), not in a Review stage")
    if status not in ("Accepted", "Fixed", "Rejected", "Todo"):
        raise WorkflowError(f"reviewStatus must be Accepted, Fixed, Rejected or Todo, not {status!r}")
    state = _with_duration(task, ctx)
    _stick(state, stage["id"], ctx.actor)
    state["reviewStatus"] = status
    if status == "Todo":
        return Transition(task=state)
    return _leave(graph, state, stage, 1 if status == "Rejected" else 0, ctx, reviewStatus=status)


def collect_consensus(graph, task, child_stage, answer, ctx):
    """Record one consensus task's answer on the parent; when all are in, score and route the parent."""
    stage = graph.stage(task["stage"])
    pending = dict((task.get("consensus") or {}).get("answers") or {})
    if stage["type"] != "Consensus" or child_stage not in pending:
        raise WorkflowError(f"the task is not waiting for consensus stage {child_stage}")
    pending[child_stage] = answer or dict(EMPTY_ANSWER)
    state = dict(task)
    state["consensus"] = {"stage": stage["id"], "answers": pending}
    if any(value is None for value in pending.values()):
        return Transition(task=state)
    answers = [pending[child] for child in _children(graph, stage["id"])]
    average, detailed, winner = score(answers)
    state["answer"] = answers[winner] if answers else state.get("answer")
    state["consensusAverage"], state["consensusDetailed"] = average, detailed
    state["consensus"] = None
    agreed = average >= float(stage.get("threshold", 50))
    return _leave(graph, state, stage, 0 if agreed else 1, ctx, consensusAverage=average)


def requeue(graph, task, to_stage_id, ctx, remove_answer=False, remove_assignee=False):
    """Move a task to any stage by hand (the manager's requeue); Complete with preventRequeue refuses."""
    current = graph.stage(task["stage"])
    if current["type"] == "Complete" and current.get("preventRequeue"):
        raise WorkflowError(f"stage {current['id']} has preventRequeue set: its tasks cannot be requeued")
    if task.get("parentTask"):
        raise WorkflowError("a consensus task cannot be requeued; requeue its parent task")
    if to_stage_id not in graph:
        raise WorkflowError(f"no stage {to_stage_id} in the workflow")
    if graph.stage(to_stage_id).get("consensusId"):
        raise WorkflowError(f"stage {to_stage_id} belongs to a consensus stage; requeue to the Consensus stage")
    state = dict(task)
    effects = []
    if state.get("consensus"):
        effects.append({"type": "cancel_consensus", "stage": current["id"]})
        state["consensus"] = None
    record = _record(state, current, ctx, ctx.actor, requeued=True)
    if remove_answer:
        state["answer"] = {"tools": [], "classifications": [], "relations": []}
    if remove_assignee:
        state["stageAssignees"] = {}
    result = enter(graph, state, to_stage_id, ctx, run_plugins=False)
    result.history.insert(0, record)
    result.effects[:0] = effects
    return result
