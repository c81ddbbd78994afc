"""The scale run of bench/run.py: every SDK operation at 10k tasks and at 1M (100k with --quick), over HTTP.

For each operation whose work does not grow with the project it prints latency(N) ÷ latency(10k) beside the
target (≤ 2); then memory per task (RSS growth while seeding N, ≤ 2 KB), seeding N tasks through
`/cloud` (≤ 40 s at 1M; the quick run scales the target to its size) and the p99 of another organization's
get_task while one organization exports its N tasks (≤ 3 × its idle p99).
"""
import gc
import json
import statistics
import threading
import time

import requests

from measure import rss_mb, serve
from mockhub.app import create_app

BASE = 10_000
CHUNK = 20_000  # assets per /cloud request while seeding
REPEATS = 21


def _stages():
    return [{"id": "Start", "type": "Start", "name": "Start", "next": ["Label"], "autoForward": True},
            {"id": "Label", "type": "Label", "name": "Label", "next": ["Review"], "assignedTo": []},
            {"id": "Review", "type": "Review", "name": "Review", "next": ["Complete", "Label"], "assignedTo": []},
            {"id": "Complete", "type": "Complete", "name": "Complete", "next": []}]


def assets(start, stop):
    """The scale run's assets number `start` to `stop` - 1 (every tenth in batch 'tagged')."""
    return [{"data": f"https://scale/{i}.png", "externalId": f"{i}.png", "priority": i % 5,
             **({"batches": ["tagged"]} if i % 10 == 0 else {})} for i in range(start, stop)]


class Org:
    """One organization with one project of `size` tasks, seeded through /cloud."""

    def __init__(self, url, key, size, store):
        self.url, self.size = url, size
        self.session = requests.Session()
        self.session.headers.update({"apikey": key})
        self.pid = self.post("/v2/project", {"name": f"scale {size}"})["project"]["_id"]
        user = store.resolve_key(key)  # set-up, not measured: a Review stage and a batch
        store.update_project(user, self.pid, {"stages": _stages()})
        store.create_batch(user, self.pid, name="tagged")

    def post(self, path, body, ok=(200, 201)):
        response = self.session.post(f"{self.url}{path}", json=body, timeout=3600)
        assert response.status_code in ok, (path, response.status_code, response.text[:300])
        return response.json().get("data")

    def get(self, path):
        response = self.session.get(f"{self.url}{path}", timeout=3600)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        return response.json().get("data")

    def seed(self):
        """Upload `size` assets through /cloud; return the seconds it took."""
        started = time.perf_counter()
        for start in range(0, self.size, CHUNK):
            self.post(f"/v2/project/{self.pid}/cloud", {"assets": assets(start, min(self.size, start + CHUNK))})
        return time.perf_counter() - started

    def tasks(self, query):
        return self.get(f"/v2/project/{self.pid}/tasks?limit=100&{query}")["tasks"]


def paired_median_ms(small, large):
    """Median ms of each call, the two taken in turns so that a busy moment of the machine hits both."""
    small(0)  # warm-up (also builds a sort order the first time)
    large(0)
    times = ([], [])
    for n in range(1, REPEATS + 1):
        for call, log in ((small, times[0]), (large, times[1])):
            started = time.perf_counter()
            call(n)
            log.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def operations(org, store):
    """{operation: median ms} for one organization's project."""
    user = store.resolve_key(org.session.headers["apikey"])
    ids = [t["_id"] for t in org.tasks("page=1")]
    store.assign_task(user, org.pid, ids[:50], "labeler@scale.test", "Label")
    middle = org.size // 2
    ext = [f"{middle + i}.png" for i in range(100)]
    asset = org.get(f"/v2/project/{org.pid}/assets?page=1&limit=1&filters={{}}")["assets"][0]["_id"]
    batch = next(b["_id"] for b in store.get_project(user, org.pid)["batches"])
    to_review = [t["_id"] for t in org.tasks("page=2")][:REPEATS + 1]
    for tid in to_review:
        org.post(f"/v2/annotate/{tid}?nextStage=true", {"answer": {"objects": [], "classifications": []}})
    answer = {"answer": {"objects": [], "classifications": []}, "duration": 0}
    flt = lambda spec: "filter=" + json.dumps(spec)  # noqa: E731
    return {
        "get_task": lambda n: org.get(f"/v2/task/{ids[n % 100]}"),
        "get_tasks page": lambda n: org.tasks("page=1"),
        "get_tasks by stage": lambda n: org.tasks("page=1&stage=Label"),
        "get_tasks by batch": lambda n: org.tasks("page=1&" + flt({"batches": {"$in": [batch]}})),
        "get_tasks by assignee": lambda n: org.tasks("page=1&" + flt({"assignee": "labeler@scale.test"})),
        "get_tasks by externalId": lambda n: org.tasks("page=1&" + flt({"externalId": ext[n]})),
        "get_tasks sorted by priority": lambda n: org.tasks("page=1&sort=priority"),
        "get_tasks sorted by -updatedAt, by stage": lambda n: org.tasks("page=1&stage=Label&sort=-updatedAt"),
        "get_tasks page 5": lambda n: org.tasks("page=5"),
        "get_assets by _id": lambda n: org.get(f"/v2/project/{org.pid}/assets?page=1&limit=10&"
                                               f"filters={json.dumps({'_id': asset})}"),
        "annotate_task": lambda n: org.post(f"/v2/annotate/{ids[n % 100]}?nextStage=false", answer),
        "review_task": lambda n: org.post(f"/v2/review/{to_review[n]}", {"reviewStatus": "Accepted"}),
        "import_labels (100 by externalId)": lambda n: org.post(
            "/v2/import/labels", {"project": org.pid, "jsonContent": [{"externalId": e, "objects": []} for e in ext]}),
        "create_attachment (100 by externalId)": lambda n: org.post(
            "/v2/attachments", {"project": org.pid, "attachments": [
                {"externalId": e, "attachments": [{"type": "TEXT", "value": str(n)}]} for e in ext]}),
        "requeue_tasks (100 taskIds)": lambda n: org.post(
            f"/v2/project/{org.pid}/requeueTasks", {"toStageId": "Label", "filters": {"taskIds": ids}, "options": {}}),
        "update_tasks_priority (100 taskIds)": lambda n: org.post(
            f"/v2/project/{org.pid}/updatePriority", {"priority": n % 3, "filters": {"taskIds": ids}}),
        "health": lambda n: org.session.get(f"{org.url}/_mockhub/health", timeout=60),
    }


def p99_ms(session, url, stop=None, count=300):
    times = []
    while len(times) < count and not (stop and stop.is_set()):
        started = time.perf_counter()
        assert session.get(url, timeout=600).status_code == 200
        times.append((time.perf_counter() - started) * 1000)
        time.sleep(0.002)
    if not times:
        raise SystemExit("the export was over before the first get_task sample: export a bigger project")
    times.sort()
    return times[min(len(times) - 1, int(len(times) * 0.99))], len(times)


def export_isolation(url, exporting, store):
    """(idle p99, p99 during the export, samples, export seconds) of another organization's get_task."""
    other = Org(url, "scale-other", 1, store)
    other.seed()
    task_url = f"{url}/v2/task/{other.tasks('page=1')[0]['_id']}"
    idle, _ = p99_ms(other.session, task_url, count=2000)  # a p99 of 300 samples moved 2x run to run
    done, took = threading.Event(), []

    def export():
        started = time.perf_counter()
        exporting.get(f"/v2/export?project={exporting.pid}")
        took.append(time.perf_counter() - started)
        done.set()

    thread = threading.Thread(target=export)
    thread.start()
    time.sleep(0.2)
    busy, samples = p99_ms(other.session, task_url, stop=done, count=100_000)
    thread.join()
    return idle, busy, samples, took[0]


def run(size, row):
    gc.set_threshold(50_000, 20, 100)  # as `mockhub serve` does
    app = create_app()
    store = app.extensions["mockhub"].store
    url, stop = serve(app)
    small = Org(url, "scale-small", BASE, store)
    small.seed()
    large = Org(url, "scale-large", size, store)
    gc.collect()
    before = rss_mb()
    seconds = large.seed()
    gc.collect()
    per_task = (rss_mb() - before) * 2 ** 20 / size
    label = f"{size // 1000}k"
    small_ops, large_ops = operations(small, store), operations(large, store)
    for name in small_ops:
        s, big = paired_median_ms(small_ops[name], large_ops[name])
        row(f"{name}: {label} ÷ {BASE // 1000}k ({big:.1f} vs {s:.1f} ms)", big / s, "≤ 2", big / s <= 2)
    row(f"memory per task at {label} (RSS growth while seeding)", per_task, "≤ 2048 B", per_task <= 2048, " B")
    target = 40 * size / 1_000_000
    row(f"seeding {label} tasks through /cloud ({CHUNK:,} per request)", seconds, f"≤ {target:.0f} s",
        seconds <= target, " s")
    idle, busy, samples, took = export_isolation(url, large, store)
    row(f"another org's get_task p99 during a {label}-task export ({busy:.1f} vs idle {idle:.1f} ms, "
        f"{samples} samples, export {took:.0f} s)", busy / idle, "≤ 3", busy / idle <= 3)
    stop()
