"""The pattern of the published samples' model plugin: the callback returns an answer dict, which imerit-ango
1.4.10's ModelPlugin cannot send (it wants an AnnotationPayload)."""
from imerit_ango.plugins import ModelPlugin, run

HOST = "<YOUR HOST>"
PLUGIN_ID = "<YOUR PLUGIN ID>"
PLUGIN_SECRET = "<YOUR PLUGIN SECRET>"


def predict(data):
    return {"answer": {"objects": [], "classifications": [], "relations": []}}


if __name__ == "__main__":
    run(ModelPlugin(id=PLUGIN_ID, secret=PLUGIN_SECRET, callback=predict, host=HOST), host=HOST)
