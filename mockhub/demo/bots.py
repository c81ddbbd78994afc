"""Simulated labelers and reviewers: threads that take tasks and work them through the bundled client over HTTP."""
import random
import threading
from collections import Counter

import requests

from mockhub.demo.answers import answer_for, image_number, issue_for
from mockhub.demo.setup import REVIEW
from mockhub_client import AngoClient, ApiError

IDLE_WAIT = 0.25  # seconds a bot with nothing to do first waits before it looks again (at the fastest pace)
IDLE_MAX = 30.0  # ... doubling up to this: once the work is done, a crew of five polls about once in 3 s, not
#                    twice a second, and the journal keeps the work instead of the polls


class Claims:
    """Hands each task to one bot at a time, as Hub's labeling queue does (the SDK has no queue call)."""

    def __init__(self):
        self._taken = set()
        self._lock = threading.Lock()

    def claim(self, task_id):
        with self._lock:
            if task_id in self._taken:
                return False
            self._taken.add(task_id)
            return True

    def release(self, task_id):
        with self._lock:
            self._taken.discard(task_id)


class Bot(threading.Thread):
    """One person: repeatedly finds a task in its stage, works it, and waits `pace` seconds (jittered)."""

    stage = None

    def __init__(self, crew, email, api_key, rng):
        super().__init__(name=f"demo-{email}", daemon=True)
        self.crew, self.email, self.rng = crew, email, rng
        self.client = AngoClient(api_key, crew.url, timeout=10)

    def run(self):
        idle = max(self.crew.pace, IDLE_WAIT)
        while not self.crew.stopping.is_set():
            try:
                worked = self.step()
            except (ApiError, requests.RequestException) as exc:
                self.crew.record("errors", f"{self.email}: {exc}")
                worked = False
            if worked:
                idle = max(self.crew.pace, IDLE_WAIT)
                self.crew.stopping.wait(self.crew.pace * self.rng.uniform(0.5, 1.5))
            else:
                self.crew.stopping.wait(idle)
                idle = min(idle * 2, max(IDLE_MAX, self.crew.pace))

    def step(self):
        """Work one task; return whether there was one."""
        task = self.take()
        if task is None:
            return False
        try:
            self.work(task)
        finally:
            self.crew.claims.release(task["_id"])
        return True

    def take(self):
        """Claim a task of this bot's stage: its own rework first, then an unassigned one."""
        for assignee in (self.email, {"$exists": False}):
            found = self.client.get_tasks(self.crew.project_id, limit=25,
                                          task_filter={"stage": self.stage, "assignee": assignee})["tasks"]
            self.rng.shuffle(found)
            for task in found:
                if self.crew.claims.claim(task["_id"]):
                    return task
        return None

    def work(self, task):
        raise NotImplementedError


class Labeler(Bot):
    """Draws boxes and the weather for the image, sometimes asks a QA question, and submits."""

    stage = "Label"

    def work(self, task):
        number = image_number(task["asset"]["data"])
        if number is None:  # not a demo image: nothing to see, submit it empty
            answer = {"objects": [], "classifications": [], "relations": []}
        else:
            answer = answer_for(number, self.rng)
            if self.rng.random() < self.crew.issue_rate:
                content, position = issue_for(number, self.rng)
                self.client.create_issue(task["_id"], content, position=position)
                self.crew.record("issues")
        self.client.annotate_task(task["_id"], answer, send_to_next_stage=True)
        self.crew.record("labeled")


class Reviewer(Bot):
    """Reads the answer and its open issues, resolves some, and accepts at the crew's rate (else rejects)."""

    stage = REVIEW

    def work(self, task):
        self.client.get_task(task["_id"])
        for issue in self.client.get_issues(self.crew.project_id, labelTask=task["_id"], status="Open")["issue"]:
            if self.rng.random() < 0.5:
                self.client.add_comment_to_issue(issue["_id"], "Checked: the box is fine as drawn.")
                self.client.update_issue(issue["_id"], status="Resolved")
        decision = "Accepted" if self.rng.random() < self.crew.accept_rate else "Rejected"
        self.client.review_task(task["_id"], decision)
        self.crew.record(decision.lower())


class Crew:
    """The bots of one demo: start them, count what they did, stop them."""

    def __init__(self, url, project_id, people, pace=1.0, accept_rate=0.8, issue_rate=0.1, seed=None):
        self.url, self.project_id, self.pace = url, project_id, pace
        self.accept_rate, self.issue_rate = accept_rate, issue_rate
        self.claims = Claims()
        self.stopping = threading.Event()
        self.stats = Counter()
        self.errors = []
        self._lock = threading.Lock()

        def rng(email):  # one generator per bot: with a seed, each bot makes the same choices every run
            return random.Random(f"{seed}:{email}") if seed is not None else random.Random()

        self.bots = [Labeler(self, email, key, rng(email)) for email, key in people.labelers]
        self.bots += [Reviewer(self, email, key, rng(email)) for email, key in people.reviewers]

    def record(self, what, detail=None):
        with self._lock:
            self.stats[what] += 1
            if detail and len(self.errors) < 100:
                self.errors.append(detail)

    def start(self):
        for bot in self.bots:
            bot.start()
        return self

    def stop(self, timeout=5.0):
        """Ask every bot to stop and wait for the ones still finishing a request."""
        self.stopping.set()
        for bot in self.bots:
            if bot.is_alive():
                bot.join(timeout)
