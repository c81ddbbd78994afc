"""Property tests: random valid workflows and random event sequences never lose a task, never strand one in a
stage that does not exist or that needs nobody, and leave one history record per stage left, along real edges."""
from hypothesis import HealthCheck, given, settings, strategies as st

from mockhub.clock import Clock
from mockhub.ids import IdGenerator
from mockhub.query.pagination import Page
from mockhub.store import Store
from mockhub.workflow import Context, Graph, WorkflowError, enter, requeue, review, save, submit

PASS_THROUGH = ("Logic", "Webhook", "Plugin")
MIDDLE_TYPES = ("Label", "Review", "Hold", "Logic", "Plugin", "Webhook")


@st.composite
def workflows(draw):
    """Start -> a few middle stages -> Complete; forward edges only, except Review rejects, which go back."""
    kinds = draw(st.lists(st.sampled_from(MIDDLE_TYPES), min_size=1, max_size=6))
    ids = ["Start"] + [f"S{i}" for i in range(len(kinds))] + ["Complete"]
    stages = [{"id": "Start", "type": "Start", "name": "Start", "next": [draw(st.sampled_from(ids[1:]))],
               "autoForward": draw(st.booleans())}]
    for position, kind in enumerate(kinds, start=1):
        later = ids[position + 1:]
        stage = {"id": ids[position], "type": kind, "name": ids[position], "next": [draw(st.sampled_from(later))]}
        if kind == "Review":
            stage["next"].append(draw(st.sampled_from(ids[1:])))
        if kind == "Logic":
            conditions = draw(st.lists(st.sampled_from([{"type": "RandomSample", "value": 0.5},
                                                        {"type": "Batch", "value": ["b1"]}]), max_size=2))
            stage["logic"] = {"conditions": conditions}
            stage["next"] += [draw(st.sampled_from(later)) for _ in conditions]
        if kind == "Webhook":
            stage["webhook"] = {"url": "http://127.0.0.1:9/hook"}
        stages.append(stage)
    stages.append({"id": "Complete", "type": "Complete", "name": "Complete", "next": []})
    return stages


events = st.lists(st.tuples(st.sampled_from(["submit", "save", "accept", "reject", "todo", "requeue"]),
                            st.integers(0, 10)), max_size=25)


def check_history(graph, task, history):
    for record, following in zip(history, history[1:] + [None]):
        assert record["stage"] in graph
        target = following["stage"] if following else task["stage"]
        if not record.get("requeued"):
            assert target in graph.stage(record["stage"])["next"], (record["stage"], target)


@settings(max_examples=150, deadline=None)
@given(workflows(), events, st.integers(0, 3))
def test_random_events_keep_a_task_consistent(stages, steps, seed):
    graph = Graph(stages)
    ctx = Context(now="2024-01-01T00:00:00.000Z", now_ms=0, actor="a@x.com", seed=seed)
    result = enter(graph, {"_id": "t1", "batches": ["b1"] if seed % 2 else [], "answer": None}, "Start", ctx)
    task, history, requeued_into = result.task, list(result.history), None
    for action, pick in steps:
        target = graph.stages[pick % len(graph.stages)]["id"]
        operation = {"submit": lambda t: submit(graph, t, ctx), "save": lambda t: save(graph, t, ctx),
                     "accept": lambda t: review(graph, t, "Accepted", ctx),
                     "reject": lambda t: review(graph, t, "Rejected", ctx),
                     "todo": lambda t: review(graph, t, "Todo", ctx),
                     "requeue": lambda t: requeue(graph, t, target, ctx)}[action]
        try:
            step = operation(task)
        except WorkflowError:
            continue  # refused: the task stays exactly as it was
        if action == "requeue":
            requeued_into = target
        elif step.task["stage"] != task["stage"]:
            requeued_into = None
        task = step.task
        history += step.history
        assert task["stage"] in graph
        kind = graph.stage(task["stage"])["type"]
        assert kind not in PASS_THROUGH or (kind == "Plugin" and task["stage"] == requeued_into)
        assert (task["status"] == "Completed") == (kind == "Complete")
    check_history(graph, task, history)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workflows(), st.lists(st.tuples(st.sampled_from(["submit", "accept", "reject", "requeue"]),
                                       st.integers(0, 5), st.integers(0, 10)), max_size=20))
def test_store_never_loses_or_duplicates_tasks(stages, steps):
    for stage in stages:
        stage.pop("webhook", None) if stage["type"] != "Webhook" else None
    store = Store(IdGenerator(1), Clock())
    user = store.resolve_key("prop-key")
    pid = store.create_project(user, "P")["_id"]
    store.update_project(user, pid, {"stages": stages})
    store.upload_files_cloud(user, pid, [{"data": f"https://x/{i}.png"} for i in range(6)])
    store.take_outbox()
    ids = [t["_id"] for t in store.get_tasks(user, pid, Page(1, 100))[0]]
    for action, which, pick in steps:
        task_id, target = ids[which], stages[pick % len(stages)]["id"]
        try:
            if action == "submit":
                store.annotate_task(user, task_id, {"objects": []}, next_stage=True)
            elif action in ("accept", "reject"):
                store.review_task(user, task_id, "Accepted" if action == "accept" else "Rejected")
            else:
                store.requeue_tasks(user, pid, target, {"taskIds": [task_id]}, {})
        except Exception as exc:  # a refusal must be the API's 400, and must change nothing
            assert getattr(exc, "status", None) == 400, exc
        store.take_outbox()
    tasks, total = store.get_tasks(user, pid, Page(1, 100))
    assert total == 6 and sorted(t["_id"] for t in tasks) == sorted(ids)
    by_stage = {}
    for t in tasks:
        by_stage[t["stage"]] = by_stage.get(t["stage"], 0) + 1
    for stage_id, count in by_stage.items():
        assert store.get_tasks(user, pid, Page(1, 100), {"stage": stage_id})[1] == count
    for t in tasks:
        history = store.get_task_history(user, t["_id"])
        graph = Graph(stages)
        check_history(graph, t, history)
