"""Model plugin (imerit-ango 1.x): one box of the first tool on the task, from the editor or a Plugin stage."""
from behaviour import box, first_tool, follow_config
from imerit_ango.plugins import ModelPlugin, run

try:  # 1.4.10 wants an AnnotationPayload back; 1.3.14 the answer dict
    from imerit_ango.models.annotate import AnnotationPayload, Answer
except ImportError:
    AnnotationPayload = None

HOST = "<YOUR HOST>"
PLUGIN_ID = "<YOUR PLUGIN ID>"
PLUGIN_SECRET = "<YOUR PLUGIN SECRET>"


def predict(data):
    follow_config(data.get("configJSON"))
    data["logger"].info(f"predicting task {data['taskId']}")
    objects = [box(first_tool(data.get("categorySchema")), data["taskId"])]
    if AnnotationPayload is None:
        return {"objects": objects, "classifications": [], "relations": []}
    return AnnotationPayload(Answer(objects=objects))


if __name__ == "__main__":
    run(ModelPlugin(id=PLUGIN_ID, secret=PLUGIN_SECRET, callback=predict, host=HOST, concurrency=8), host=HOST)
