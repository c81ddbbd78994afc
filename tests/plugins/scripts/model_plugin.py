"""A Model plugin (imerit-ango 1.4.10): one classification answer per task, logged; the config picks the
answer, `{"fail": true}` makes the callback raise, `{"sleep": S}` makes it slow."""
import json
import time

from imerit_ango.models.annotate import AnnotationPayload, Answer
from imerit_ango.plugins import ModelPlugin, run

HOST = "https://imeritapi.ango.ai"


def callback(data):
    config = json.loads(data.get("configJSON") or "{}")
    data["logger"].info("labeling task %s", data["taskId"])
    if config.get("sleep"):
        time.sleep(config["sleep"])
    if config.get("fail"):
        raise ValueError("the model is not loaded")
    answer = Answer(classifications=[{"schemaId": "kind", "title": "Kind", "answer": "cat"}])
    return AnnotationPayload(answer=answer)


if __name__ == "__main__":
    run(ModelPlugin(id="<YOUR PLUGIN ID>", secret="<YOUR PLUGIN SECRET>", callback=callback, host=HOST), host=HOST)
