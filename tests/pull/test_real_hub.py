"""`mockhub pull` against a real Ango Hub, when ANGO_API_KEY, ANGO_HOST and ANGO_PROJECT name one (skipped
otherwise, like the contract suite): a small sample pulls, loads into a mockhub, and shows the SDK the same
project name, stages and tasks as the hub does."""
import os

import pytest
from click.testing import CliRunner
from imerit_ango.sdk import SDK

from mockhub.app import create_app
from mockhub.cli import main
from mockhub.server import LiveServer

NEEDED = ("ANGO_API_KEY", "ANGO_HOST", "ANGO_PROJECT")
pytestmark = pytest.mark.skipif(not all(os.environ.get(name) for name in NEEDED),
                                reason="set ANGO_API_KEY, ANGO_HOST and ANGO_PROJECT to pull from a real hub")


def test_a_sample_of_a_real_project_loads_and_matches_the_hub(tmp_path):
    host, key, project_id = (os.environ[name] for name in ("ANGO_HOST", "ANGO_API_KEY", "ANGO_PROJECT"))
    output = tmp_path / "real.json"
    result = CliRunner().invoke(main, ["pull", "--assets", "20", "-o", str(output), "--key", "real-copy"],
                                env={"ANGO_HOST": host, "ANGO_API_KEY": key, "ANGO_PROJECT": project_id})
    assert result.exit_code == 0, result.output
    assert key not in output.read_text(encoding="utf-8")

    real = SDK(key, host=host).get_project(project_id)["data"]["project"]
    with LiveServer(create_app()) as server:
        seeded = CliRunner().invoke(main, ["seed", str(output), "--url", server.url])
        assert seeded.exit_code == 0, seeded.output
        copy = SDK("real-copy", host=server.url)
        (project,) = copy.list_projects()["data"]["projects"]
        details = copy.get_project(project["_id"])["data"]["project"]
        tasks = copy.get_tasks(project["_id"], limit=100)["data"]
    assert details["name"] == real["name"]
    assert [s["id"] for s in details["stages"]] == [s["id"] for s in real["stages"]]
    assert 0 < tasks["total"] <= 20
    assert {t["stage"] for t in tasks["tasks"]} <= {s["id"] for s in real["stages"]}
