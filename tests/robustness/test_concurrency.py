"""8 threads x 500 mixed SDK operations on one shared project: no 5xx, no lost update, no deadlock."""
import json
import random
import threading
import time

import pytest
from imerit_ango.models.annotate import AnnotationPayload, Answer
from imerit_ango.models.enums import ReviewStatus
from imerit_ango.sdk import SDK

THREADS, OPERATIONS, TASKS_EACH = 8, 500, 3
STAGES = [{"id": "Start", "type": "Start", "name": "Start", "next": ["Label"], "autoForward": True},
          {"id": "Label", "type": "Label", "name": "Label", "next": ["Review"]},
          {"id": "Review", "type": "Review", "name": "Review", "next": ["Complete", "Label"]},
          {"id": "Complete", "type": "Complete", "name": "Complete", "next": []}]


class Worker:
    """One thread's share: it owns a few tasks (so it can predict their history) and shares everything else."""

    def __init__(self, url, key, project_id, number, tasks):
        self.sdk = SDK(key, host=url)
        self.project_id, self.rng, self.tasks = project_id, random.Random(number), tasks
        self.expected_history = {t: 1 for t in tasks}  # the Start record
        self.issues = self.uploads = 0
        self.errors = []

    def _refused(self, exc):
        body = json.loads(str(exc))
        if not isinstance(body, dict) or body.get("status") != "fail":  # a 5xx answers status "error"
            self.errors.append(str(exc))

    def step(self):
        task = self.rng.choice(self.tasks)
        choice = self.rng.random()
        try:
            if choice < 0.25:
                box = {"schemaId": "car", "bounding-box": {"x": 1, "y": 1, "width": 5, "height": 5}}
                self.sdk.annotate_task(task, AnnotationPayload(Answer(objects=[box])), overwrite=True,
                                       send_to_next_stage=True)
                self.expected_history[task] += 1
            elif choice < 0.4:
                self.sdk.review_task(task, self.rng.choice([ReviewStatus.ACCEPTED, ReviewStatus.REJECTED]))
                self.expected_history[task] += 1
            elif choice < 0.5:
                self.sdk.requeue_tasks(self.project_id, "Label", {"taskIds": [task]})
                self.expected_history[task] += 1
            elif choice < 0.6:
                self.sdk.create_issue(task, "concurrent issue")
                self.issues += 1
            elif choice < 0.65:
                self.sdk.upload_files_cloud(self.project_id, [{"data": f"https://x/{self.rng.random()}.png"}])
                self.uploads += 1
            elif choice < 0.85:
                self.sdk.get_tasks(self.project_id, limit=50)
            else:
                self.sdk.get_task(task)
        except Exception as exc:  # the SDK raises the response text; a refusal is fine, a 5xx is not
            self._refused(exc)

    def run(self):
        for _ in range(OPERATIONS):
            self.step()


@pytest.mark.slow
def test_mixed_operations_from_eight_threads(live_server, api_key):
    sdk = SDK(api_key, host=live_server.url)
    project_id = sdk.create_project("Concurrent")["data"]["project"]["_id"]
    sdk.update_workflow_stages(project_id, STAGES)
    sdk.upload_files_cloud(project_id, [{"data": f"https://x/{i}.png"} for i in range(THREADS * TASKS_EACH)])
    ids = [t["_id"] for t in sdk.get_tasks(project_id, limit=100)["data"]["tasks"]]
    workers = [Worker(live_server.url, api_key, project_id, n, ids[n * TASKS_EACH:(n + 1) * TASKS_EACH])
               for n in range(THREADS)]
    threads = [threading.Thread(target=w.run) for w in workers]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "deadlock: a worker never finished"
    assert [e for w in workers for e in w.errors] == []
    total = sdk.get_tasks(project_id, limit=10)["data"]["total"]
    assert total == THREADS * TASKS_EACH + sum(w.uploads for w in workers)
    for worker in workers:
        for task_id, expected in worker.expected_history.items():
            history = sdk.get_task_history(task_id=task_id)["data"]["taskHistory"]
            assert len(history) == expected, task_id
    assert len(sdk.get_issues(project_id)["data"]["issue"]) == sum(w.issues for w in workers)
    assert time.monotonic() - started < 240
