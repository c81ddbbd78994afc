"""A fresh app with the demo organization seeded (no bots), and the v2 API through its test client."""
from dataclasses import dataclass

import pytest

from mockhub.app import create_app
from mockhub.demo.setup import DEMO_KEY, people, seed_demo

ASSETS = 25


@dataclass
class Demo:
    app: object
    client: object
    project_id: str

    @property
    def store(self):
        return self.app.extensions["mockhub"].store

    @property
    def runtime(self):
        return self.app.extensions["mockhub"]

    def api(self, method, path, json=None, key=DEMO_KEY, **kwargs):
        """Call the v2 API with a key (the demo admin's by default); return the parsed `data`."""
        response = self.client.open(path, method=method, json=json, headers={"apikey": key}, **kwargs)
        assert response.status_code < 300, response.get_data(as_text=True)
        return response.get_json()["data"]

    def page(self, path, key=DEMO_KEY, status=200):
        """GET a dashboard page with `?apikey=` (None: only the cookie, if any); return its HTML."""
        separator = "&" if "?" in path else "?"
        response = self.client.get(path if key is None else f"{path}{separator}apikey={key}")
        assert response.status_code == status, response.get_data(as_text=True)[:500]
        return response.get_data(as_text=True)

    def tasks(self, **task_filter):
        import json

        query = f"?limit=100&filter={json.dumps(task_filter)}" if task_filter else "?limit=100"
        return self.api("GET", f"/v2/project/{self.project_id}/tasks{query}")["tasks"]

    def submit(self, task_id, objects=(), classifications=(), key=DEMO_KEY):
        answer = {"objects": list(objects), "classifications": list(classifications), "relations": []}
        return self.api("POST", f"/v2/annotate/{task_id}?nextStage=true", {"answer": answer}, key=key)


def make_demo(config=None, assets=ASSETS):
    app = create_app({"TESTING": True, "SEED": 11, **(config or {})})
    project_id = seed_demo(app.extensions["mockhub"].store, "http://localhost", assets, people(2, 1))
    return Demo(app, app.test_client(), project_id)


@pytest.fixture
def demo():
    return make_demo()
