"""Every table's indexes equal the ones rebuilt from its documents alone, after any sequence of operations.

Each index invariant has one owner (the table's `_index`/`_unindex`); this checks the owners keep them, whatever
mix of uploads, moves, requeues, batch changes, deletes, issues and organization drops came before.
"""
from hypothesis import HealthCheck, given, settings, strategies as st

from mockhub.clock import Clock
from mockhub.errors import ApiError
from mockhub.ids import IdGenerator
from mockhub.query.pagination import Page
from mockhub.store import Store
from mockhub.store.index import SortIndex

OPERATIONS = ("upload", "upload", "upload", "annotate", "submit", "requeue", "assign", "priority", "batch", "delete_assets", "issue",
              "resolve_issue", "delete_issue", "import_labels", "attach", "benchmark", "sorted_page", "drop_org",
              "delete_project")


class World:
    """Two organizations with one project each, driven through the Store's SDK-named methods."""

    def __init__(self):
        self.store = Store(IdGenerator(7), Clock())
        self.users = [self.store.resolve_key(f"key-{n}") for n in range(2)]
        self.projects = [self.new_project(u, f"p{n}") for n, u in enumerate(self.users)]

    def new_project(self, user, name):
        pid = self.store.create_project(user, name)["_id"]
        self.store.create_batch(user, pid, name="b1")
        self.store.create_batch(user, pid, name="b2")
        return pid

    def pick(self, n):
        side = n % 2
        return self.users[side], self.projects[side], n // 2

    def tasks(self, user, pid):
        return self.store.get_tasks(user, pid, Page(1, 50))[0]

    def run(self, op, n):
        user, pid, k = self.pick(n)
        store = self.store
        tasks = self.tasks(user, pid)
        task = tasks[k % len(tasks)] if tasks else None
        if op == "upload":
            items = [{"data": f"https://x/{k % 7}-{i}.png", "externalId": f"e{(k + i) % 5}",
                      **({"batches": ["b1"]} if (k + i) % 3 == 0 else {})} for i in range(1 + k % 3)]
            store.upload_files_cloud(user, pid, items)
        elif op in ("annotate", "submit") and task:
            store.annotate_task(user, task["_id"], {"objects": [], "classifications": []}, next_stage=op == "submit")
        elif op == "requeue":
            filters = {"taskIds": [t["_id"] for t in tasks[:k % 4]]} if k % 2 else {"externalIds": [f"e{k % 5}"]}
            store.requeue_tasks(user, pid, "Label" if k % 3 else "Start", filters, {})
        elif op == "assign" and task:
            store.assign_task(user, pid, [task["_id"]], f"person{k % 3}@x.test", "Label")
        elif op == "priority":
            store.update_tasks_priority(user, pid, k % 4, {"externalIds": [f"e{k % 5}"]})
        elif op == "batch" and task:
            store.assign_batches(user, [task["asset"]["_id"]], ["b2"], project_id=pid)
        elif op == "delete_assets" and task:
            store.delete_assets(user, pid, [task["asset"]["_id"]])
        elif op == "issue" and task:
            store.create_issue(user, task["_id"], f"issue {k}", {})
        elif op in ("resolve_issue", "delete_issue"):
            issues = [i for i in store.issues.scan() if i["project"] == pid]
            if issues:
                issue = issues[k % len(issues)]
                if op == "resolve_issue":
                    store.update_issue(user, issue["_id"], {"status": "Resolved"})
                else:
                    store.delete_issue(user, issue["_id"])
        elif op == "import_labels":
            store.import_labels(user, pid, [{"externalId": f"e{k % 5}", "objects": []}])
        elif op == "attach":
            store.create_attachment(user, pid, [{"externalId": f"e{k % 5}",
                                                 "attachments": [{"type": "TEXT", "value": str(k)}]}])
        elif op == "benchmark" and task:
            store.set_tasks_as_benchmark(user, pid, [task["_id"]], is_benchmark=bool(k % 2))
        elif op == "sorted_page":
            field = ("priority", "updatedAt", "assignee", "externalId")[k % 4]
            spec = {"stage": "Label"} if k % 2 else {}
            store.get_tasks(user, pid, Page(1, 5), spec=spec, sort=[(field, bool(k % 3))])
        elif op == "drop_org":
            store.drop_organization(user["organization"])
            side = n % 2
            self.users[side] = store.resolve_key(f"key-{side}-{k}")
            self.projects[side] = self.new_project(self.users[side], f"again {k}")
        elif op == "delete_project":
            store.purge_project(user, pid, store.get_project(user, pid)["name"])
            self.projects[n % 2] = self.new_project(user, f"new {k}")


def assert_indexes_rebuild(store):
    for table in (store.tasks, store.assets, store.history, store.issues):
        fresh = type(table)(table.docs, table.seqs)
        fresh.rebuild()
        assert fresh.state() == table.state(), type(table).__name__
    for pid, orders in store.tasks.sorts.items():
        for field, order in orders.items():
            assert order.state() == SortIndex(field, store.tasks.in_project(pid)).state(), (pid, field)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 999)), min_size=1, max_size=30))
def test_every_index_equals_the_one_rebuilt_from_the_documents(steps):
    world = World()
    for op, n in steps:
        try:
            world.run(op, n)
        except ApiError:
            pass  # a refused request changes nothing; the indexes must still match
    assert_indexes_rebuild(world.store)


def test_counts_follow_the_tables():
    world = World()
    user, pid = world.users[0], world.projects[0]
    world.store.upload_files_cloud(user, pid, [{"data": f"https://x/{i}.png"} for i in range(3)])
    world.store.delete_assets(user, pid, [world.tasks(user, pid)[0]["asset"]["_id"]])
    counts = world.store.counts()
    assert (counts["assets"], counts["tasks"]) == (2, 2)
    assert_indexes_rebuild(world.store)


SORTABLE = ("priority", "updatedAt", "assignee", "externalId", "createdAt", "status")


def _reference_page(store, user, pid, spec, sort, offset, limit):
    """What a page must hold: every live task of the project, filtered, in the documented order (a full scan)."""
    from mockhub.query.filters import TASK_FIELDS, compile_filter
    from mockhub.query.pagination import sort_docs

    matches = compile_filter(spec, TASK_FIELDS)
    newest_first = not sort or sort[0][1]
    tasks = sorted(store.tasks.in_project(pid), key=lambda t: t["_seq"], reverse=newest_first)
    found = [t for t in tasks if matches(t)]
    if sort and sort != [("createdAt", sort[0][1])]:
        found = sort_docs(found, sort)
    return [t["_id"] for t in found[offset:offset + limit]], len(found)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(("upload", "upload", "submit", "assign", "priority", "delete_assets",
                                           "sorted_page")), st.integers(0, 999)), max_size=25),
       st.sampled_from(({}, {"stage": "Label"}, {"assignee": "person1@x.test"}, {"externalId": "e2"},
                        {"batches": "b1"}, {"stage": "Label", "priority": {"$gte": 1}}, {"status": "TODO"})),
       st.one_of(st.none(), st.tuples(st.sampled_from(SORTABLE), st.booleans())),
       st.integers(0, 6), st.integers(1, 5))
def test_a_page_from_the_indexes_equals_a_full_scan(steps, spec, sort, offset, limit):
    world = World()
    for op, n in steps:
        try:
            world.run(op, n * 2)  # organization 0 only
        except ApiError:
            pass
    user, pid = world.users[0], world.projects[0]
    sort = [sort] if sort else None
    batch = {b["name"]: b["_id"] for b in world.store.get_project(user, pid)["batches"]}
    spec = {k: batch.get(v, v) if k == "batches" else v for k, v in spec.items()}
    tasks, total = world.store.get_tasks(user, pid, Page(1 + offset // limit, limit), spec=dict(spec), sort=sort)
    expected, expected_total = _reference_page(world.store, user, pid, spec, sort, (offset // limit) * limit, limit)
    assert ([t["_id"] for t in tasks], total) == (expected, expected_total)
