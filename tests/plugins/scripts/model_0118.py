"""Model plugin (ango 0.1.18): the answer dict it returns is what mockhub applies."""
from ango.plugins import ModelPlugin, run
from behaviour import box, first_tool, follow_config

HOST = "<YOUR HOST>"
PLUGIN_ID = "<YOUR PLUGIN ID>"
PLUGIN_SECRET = "<YOUR PLUGIN SECRET>"


def predict(**data):
    follow_config(data.get("configJSON"))
    data["logger"].info(f"predicting task {data['taskId']}")
    return {"objects": [box(first_tool(data.get("categorySchema")), data["taskId"])], "classifications": [],
            "relations": []}


if __name__ == "__main__":
    run(ModelPlugin(id=PLUGIN_ID, secret=PLUGIN_SECRET, callback=predict), host=HOST)
