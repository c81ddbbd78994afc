"""The pure workflow engine over small graphs: every stage type and routing branch."""
import pytest

from mockhub.workflow import Context, Graph, WorkflowError, collect_consensus, default_stages, enter, requeue, \
    review, save, submit
from mockhub.workflow.logic import draw


def ctx(actor="a@x.com", ms=1_000, seed=0):
    return Context(now="2024-01-01T00:00:00.000Z", now_ms=ms, actor=actor, seed=seed)


def stage(sid, kind, nxt=(), **extra):
    return {"id": sid, "type": kind, "name": sid, "next": list(nxt), **extra}


def task(**fields):
    base = {"_id": "t1", "answer": {"tools": [], "classifications": [], "relations": []}, "batches": []}
    return {**base, **fields}


def review_graph(**review_extra):
    return Graph([stage("Start", "Start", ["Label"]), stage("Label", "Label", ["Review"]),
                  stage("Review", "Review", ["Complete", "Label"], **review_extra), stage("Complete", "Complete")])


def test_start_with_auto_forward_moves_on_and_records_start():
    result = enter(Graph(default_stages()), task(), "Start", ctx())
    assert result.task["stage"] == "Label" and [h["stage"] for h in result.history] == ["Start"]
    assert result.task["status"] == "TODO"


def test_start_without_auto_forward_waits_and_submit_forwards():
    graph = Graph([stage("Start", "Start", ["Label"], autoForward=False), stage("Label", "Label", ["Complete"]),
                   stage("Complete", "Complete")])
    waiting = enter(graph, task(), "Start", ctx())
    assert waiting.task["stage"] == "Start" and waiting.history == []
    moved = submit(graph, waiting.task, ctx())
    assert moved.task["stage"] == "Label" and [h["stage"] for h in moved.history] == ["Start"]


def test_label_submit_reaches_complete_and_the_submitter_sticks():
    graph = Graph(default_stages())
    labeled = submit(graph, enter(graph, task(), "Start", ctx()).task, ctx("lab@x.com", ms=5_000))
    assert labeled.task["stage"] == "Complete" and labeled.task["status"] == "Completed"
    assert labeled.task["stageAssignees"] == {"Label": "lab@x.com"} and labeled.task["completedBy"] == "lab@x.com"
    assert labeled.history[0]["completedBy"] == "lab@x.com"


def test_duration_is_measured_from_stage_entry():
    graph = Graph(default_stages())
    entered = enter(graph, task(), "Start", ctx(ms=1_000)).task
    done = submit(graph, entered, ctx(ms=4_500))
    assert done.history[0]["duration"] == 3_500 and done.task["totalDuration"] == 3_500


def test_review_routes_accept_fixed_reject_and_todo():
    graph = review_graph()
    at_review = submit(graph, enter(graph, task(), "Start", ctx()).task, ctx("lab@x.com")).task
    assert at_review["stage"] == "Review" and at_review["reviewStatus"] == "Todo"
    assert review(graph, at_review, "Accepted", ctx("rev@x.com")).task["stage"] == "Complete"
    assert review(graph, at_review, "Fixed", ctx("rev@x.com")).task["stage"] == "Complete"
    rejected = review(graph, at_review, "Rejected", ctx("rev@x.com")).task
    assert rejected["stage"] == "Label" and rejected["assignee"] == "lab@x.com"  # the labeler sticks
    todo = review(graph, at_review, "Todo", ctx("rev@x.com"))
    assert todo.task["stage"] == "Review" and todo.history == []


def test_review_outside_a_review_stage_is_refused():
    graph = review_graph()
    with pytest.raises(WorkflowError, match="not in a Review stage"):
        review(graph, enter(graph, task(), "Start", ctx()).task, "Accepted", ctx())


def test_save_keeps_the_stage_and_sticks_the_saver():
    graph = Graph(default_stages())
    saved = save(graph, enter(graph, task(), "Start", ctx()).task, ctx("s@x.com"))
    assert saved.task["stage"] == "Label" and saved.task["assignee"] == "s@x.com" and saved.history == []


def logic_graph(*conditions):
    outputs = [f"Out{i}" for i in range(len(conditions))] + ["Else"]
    stages = [stage("Start", "Start", ["Logic"]),
              stage("Logic", "Logic", outputs, logic={"conditions": [dict(c, index=i) for i, c in enumerate(conditions)]})]
    stages += [stage(o, "Label", ["Complete"]) for o in outputs] + [stage("Complete", "Complete")]
    return Graph(stages)


@pytest.mark.parametrize("condition, fields, expected", [
    ({"type": "AnnotationType", "value": {"tools": [{"schemaId": "box", "filter": ["exists"]}]}},
     {"answer": {"tools": [{"schemaId": "box"}], "classifications": [], "relations": []}}, "Out0"),
    ({"type": "AnnotationType", "value": {"tools": [{"schemaId": "box", "filter": ["exists"]}]}}, {}, "Else"),
    ({"type": "Annotator", "value": ["lab@x.com"]}, {"labeledBy": "lab@x.com"}, "Out0"),
    ({"type": "Annotator", "value": ["lab@x.com"]}, {"labeledBy": "other@x.com"}, "Else"),
    ({"type": "RandomSample", "value": 1}, {}, "Out0"),
    ({"type": "RandomSample", "value": 0}, {}, "Else"),
    ({"type": "Duration", "value": [10, None]}, {"totalDuration": 12_000}, "Out0"),
    ({"type": "Duration", "value": [10, 11]}, {"totalDuration": 12_000}, "Else"),
    ({"type": "Batch", "value": ["b1"]}, {"batches": ["b1", "b2"]}, "Out0"),
    ({"type": "Batch", "value": ["b1"]}, {"batches": ["b2"]}, "Else"),
])
def test_logic_conditions_route(condition, fields, expected):
    result = enter(logic_graph(condition), task(**fields), "Start", ctx())
    assert result.task["stage"] == expected
    assert [h["stage"] for h in result.history] == ["Start", "Logic"]


def test_logic_first_match_wins():
    graph = logic_graph({"type": "Batch", "value": ["b1"]}, {"type": "RandomSample", "value": 1})
    assert enter(graph, task(batches=["b1"]), "Start", ctx()).task["stage"] == "Out0"
    assert enter(graph, task(batches=[]), "Start", ctx()).task["stage"] == "Out1"


def test_random_sample_draw_is_repeatable_per_seed_task_and_stage():
    assert draw(7, "t1", "L") == draw(7, "t1", "L")
    assert len({draw(7, f"t{i}", "L") for i in range(50)}) == 50
    fraction = sum(draw(1, f"t{i}", "L") < 0.3 for i in range(2000)) / 2000
    assert 0.25 < fraction < 0.35


def test_webhook_and_plugin_pass_through_with_effects():
    graph = Graph([stage("Start", "Start", ["Hook"]), stage("Hook", "Webhook", ["Plug"], webhook={"url": "http://h"}),
                   stage("Plug", "Plugin", ["Label"], pluginId="p1"), stage("Label", "Label", ["Complete"]),
                   stage("Complete", "Complete")])
    result = enter(graph, task(), "Start", ctx())
    assert result.task["stage"] == "Label"
    assert [h["stage"] for h in result.history] == ["Start", "Hook", "Plug"]
    assert [e["type"] for e in result.effects] == ["webhook", "plugin"]
    rested = requeue(graph, result.task, "Plug", ctx())
    assert rested.task["stage"] == "Plug" and rested.effects == []  # requeue into a Plugin stage does not run it


def test_a_hosted_plugin_stage_holds_the_task_until_it_is_submitted():
    graph = Graph([stage("Start", "Start", ["Plug"]), stage("Plug", "Plugin", ["Label"], pluginId="p1"),
                   stage("Label", "Label", ["Complete"]), stage("Complete", "Complete")])
    hosted = Context(now="2024-01-01T00:00:00.000Z", now_ms=1_000, plugins=frozenset({"p1"}))
    waiting = enter(graph, task(), "Start", hosted)
    assert waiting.task["stage"] == "Plug" and [h["stage"] for h in waiting.history] == ["Start"]
    assert waiting.effects == [{"type": "plugin", "stage": "Plug", "pluginId": "p1", "hosted": True}]
    moved = submit(graph, waiting.task, ctx(actor="plugin@x.com"))
    assert moved.task["stage"] == "Label" and [h["stage"] for h in moved.history] == ["Plug"]
    other = Context(now="2024-01-01T00:00:00.000Z", now_ms=1_000, plugins=frozenset({"p2"}))
    assert enter(graph, task(), "Start", other).task["stage"] == "Label"  # another plugin: pass-through


def test_hold_refuses_submit_and_requeue_moves_it():
    graph = Graph([stage("Start", "Start", ["Hold"]), stage("Hold", "Hold", ["Complete"]), stage("Complete", "Complete")])
    held = enter(graph, task(), "Start", ctx()).task
    with pytest.raises(WorkflowError, match="on Hold"):
        submit(graph, held, ctx())
    assert requeue(graph, held, "Complete", ctx()).task["status"] == "Completed"


def test_complete_with_prevent_requeue_refuses():
    graph = Graph([stage("Start", "Start", ["Complete"]), stage("Complete", "Complete", preventRequeue=True)])
    done = enter(graph, task(), "Start", ctx()).task
    with pytest.raises(WorkflowError, match="preventRequeue"):
        requeue(graph, done, "Start", ctx())
    with pytest.raises(WorkflowError, match="Complete stage"):
        submit(graph, done, ctx())


def test_requeue_options_clear_answer_and_assignees():
    graph = Graph(default_stages())
    t = submit(graph, enter(graph, task(), "Start", ctx()).task, ctx("lab@x.com")).task
    t["answer"] = {"tools": [{"schemaId": "x"}], "classifications": [], "relations": []}
    kept = requeue(graph, t, "Label", ctx())
    assert kept.task["assignee"] == "lab@x.com" and kept.task["answer"]["tools"]
    cleared = requeue(graph, t, "Label", ctx(), remove_answer=True, remove_assignee=True)
    assert cleared.task["assignee"] is None and cleared.task["answer"]["tools"] == []
    assert cleared.history[0]["requeued"] is True


def consensus_graph(threshold=50):
    return Graph([stage("Start", "Start", ["Cons"]),
                  stage("Cons", "Consensus", ["Complete", "Fix"], threshold=threshold),
                  stage("L1", "Label", ["Cons"], consensusId="Cons"), stage("L2", "Label", ["Cons"], consensusId="Cons"),
                  stage("Fix", "Label", ["Complete"]), stage("Complete", "Complete")])


def box(x):
    return {"tools": [{"schemaId": "car", "bounding-box": {"x": x, "y": 0, "width": 10, "height": 10}}],
            "classifications": [], "relations": []}


def test_consensus_fans_out_and_agreement_routes_to_next0():
    graph = consensus_graph()
    parent = enter(graph, task(), "Start", ctx())
    assert parent.task["stage"] == "Cons" and parent.effects == [{"type": "consensus", "stage": "Cons",
                                                                  "children": ["L1", "L2"]}]
    half = collect_consensus(graph, parent.task, "L1", box(0), ctx())
    assert half.task["stage"] == "Cons" and half.history == []
    done = collect_consensus(graph, half.task, "L2", box(1), ctx())
    assert done.task["stage"] == "Complete" and done.task["consensusAverage"] > 80


def test_consensus_disagreement_routes_to_next1():
    graph = consensus_graph(threshold=90)
    parent = enter(graph, task(), "Start", ctx()).task
    parent = collect_consensus(graph, parent, "L1", box(0), ctx()).task
    done = collect_consensus(graph, parent, "L2", box(5), ctx())
    assert done.task["stage"] == "Fix" and done.task["consensusAverage"] == pytest.approx(33.33, abs=0.01)


def test_consensus_child_submit_reports_its_answer():
    graph = consensus_graph()
    child = task(stage="L1", parentTask="p1", answer=box(0))
    result = submit(graph, child, ctx("lab@x.com"))
    assert result.task["status"] == "Completed" and result.task["stage"] == "L1"
    assert result.effects[0]["type"] == "consensus_answer" and result.effects[0]["parent"] == "p1"


@pytest.mark.parametrize("stages, message", [
    ([stage("Start", "Start", ["Nope"])], "unknown stage Nope"),
    ([stage("A", "Label", ["A"])], "exactly one Start"),
    ([stage("Start", "Start", ["R"]), stage("R", "Review", ["Start"])], "needs 2 next"),
    ([stage("Start", "Start", ["L"]), stage("L", "Logic", ["Start"], logic={"conditions": [{"type": "Batch", "value": []}]})],
     "needs 2 next"),
    ([stage("Start", "Start", ["L"]), stage("L", "Logic", ["Start", "Start"],
                                            logic={"conditions": [{"type": "Colour", "value": []}]})],
     "condition type must be one of"),
    ([stage("Start", "Start", ["H"]), stage("H", "Webhook", ["Start"], webhook={"url": "ftp://x"})], "http"),
    ([stage("Start", "Start", ["C"]), stage("C", "Consensus", ["Start", "Start"])], "child stages"),
    ([stage("Start", "Start"), stage("Start", "Label")], "used twice"),
])
def test_invalid_graphs_are_refused(stages, message):
    with pytest.raises(WorkflowError, match=message):
        Graph(stages)
