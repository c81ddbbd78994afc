"""Asset-listing consumers: page through get_assets reading labelTasks[0].stageHistory, and the model plugin
sample's lookup of one asset by _id (angoai/plugin-samples model_plugin.py)."""
from mockhub.schemas.responses import shape_errors
from tests.consumers.conftest import ASSETS
from tests.consumers.readers import asset_stage_times


def test_paged_assets_carry_the_stage_history_of_their_task(hub):
    rows, pages = asset_stage_times(hub.sdk, hub.pid, limit=2)

    assert pages == 2
    assert sorted({row[0] for row in rows}) == sorted(ASSETS)
    for external_id in ASSETS:
        mine = [row for row in rows if row[0] == external_id]
        assert [row[1] for row in mine] == ["Start", "Consensus", "Label", "Review", "Label", "Review"]
        assert all(row[2].endswith("Z") for row in mine)
        assert mine[0][3] is None and all(row[3] for row in mine[2:])


def test_listed_assets_have_the_asset_shape_and_the_default_task_first(hub):
    assets = hub.sdk.get_assets(hub.pid, limit=10)["data"]["assets"]
    for asset in assets:
        assert shape_errors("asset", asset) == {}
        first, *children = asset["labelTasks"]
        assert (first["type"], first["_id"], first["stage"]) == ("default", hub.tasks[asset["externalId"]], "Complete")
        assert sorted(child["type"] for child in children) == ["consensus", "consensus"]


def test_the_model_plugin_sample_finds_an_asset_by_id(hub):
    asset_id = hub.sdk.get_task(hub.tasks["car-2.png"])["data"]["task"]["asset"]["_id"]

    response = hub.sdk.get_assets(hub.pid, filters={"_id": asset_id})

    assert response["data"]["assets"][0]["data"] == "https://cdn.example.com/car-2.png"
