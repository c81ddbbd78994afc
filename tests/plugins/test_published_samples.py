"""What the patterns of the published `angoai/plugin-samples` do under imerit-ango 1.4.10 (docs/testing.md
says so to users): each run fails visibly, with the plugin's error or a timeout that says what it waited for."""
import pytest

from tests.plugins.projects import SCRIPTS, make_project, tasks_by_name

pytestmark = pytest.mark.slow  # real plugin processes


def test_a_kwargs_export_callback_fails_the_session_with_the_type_error(ango_plugin, mockhub):
    project_id = make_project(mockhub.sdk(), ["a"])
    plugin = ango_plugin(SCRIPTS / "kwargs_export_1x.py", "Export")

    session = plugin.run(project_id, stage=["Label"], timeout=20)

    assert session["status"] == "failed", session
    assert session["error"]
    assert any("takes 0 positional arguments" in entry["msg"] for entry in session["logs"]), session["logs"]
    assert session["download"] is None


def test_a_model_callback_returning_a_dict_times_out_naming_what_it_waited_for(ango_plugin, mockhub):
    sdk = mockhub.sdk()
    project_id = make_project(sdk, ["a"])
    plugin = ango_plugin(SCRIPTS / "dict_model_1x.py", "Model")

    session = plugin.run(project_id, taskId=tasks_by_name(sdk, project_id)["a"]["_id"], timeout=3)

    assert session["status"] == "timeout", session
    assert "respon" in session["error"].lower(), session["error"]  # it waited for the plugin's response
    assert "has no attribute 'answer'" in plugin.output()  # the SDK's crash, in the script's own output
