"""Webhook consumers: a receiver walks the payload of a task that enters a Webhook stage, the way it walks an
export (every classification at every depth, the stage history), and the payload has its schema's shape."""
from imerit_ango.sdk import SDK

from mockhub.schemas.responses import shape_errors
from tests.consumers import ontology
from tests.consumers.conftest import annotate, stage
from tests.consumers.readers import walk_answer
from tests.sdk.helpers import Receiver


def test_a_webhook_receiver_walks_the_nested_answer_of_the_task_entering_thestage(live_server):
    receiver = Receiver()
    try:
        sdk = SDK("consumer-webhook-key", host=live_server.url)
        pid = sdk.create_project("Webhook consumers")["data"]["project"]["_id"]
        sdk.create_label_set(pid, raw_category_schema=ontology.category_schema())
        sdk.update_workflow_stages(pid, [
            stage("Start", "Start", "Label", autoForward=True), stage("Label", "Label", "Hook", assignedTo=[]),
            stage("Hook", "Webhook", "Complete", webhook={"url": f"{receiver.url}/hook"}),
            stage("Complete", "Complete", preventRequeue=False)])
        sdk.upload_files_cloud(pid, [{"data": "https://cdn.example.com/car.png", "externalId": "car.png"}])
        task_id = sdk.get_tasks(pid)["data"]["tasks"][0]["_id"]

        annotate(sdk, task_id, *ontology.full_answer("hooked"), brush=ontology.BRUSH_URL)

        (payload,) = receiver.payloads()
    finally:
        receiver.close()
    assert shape_errors("webhook_payload", payload) == {}
    rows = walk_answer(payload["task"])
    assert {depth for depth, *_ in rows} == {1, 2, 3, 4}
    assert {tool for _, tool, *_ in rows} == ontology.expected_types()
    label, = (entry for entry in payload["task"]["stageHistory"] if entry["stage"] == "Label")
    assert walk_answer(label) == rows  # the Label entry holds the answer the task left Label with
    assert payload["task"]["brushDataUrl"] == ontology.BRUSH_URL
