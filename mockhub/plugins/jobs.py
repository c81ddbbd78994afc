"""What a plugin is sent (the `plugin` event of spec 6.1) and what mockhub does with a workflow answer."""
import json

from mockhub.errors import ApiError
from mockhub.schemas.workflow import AnnotateSchema

MODEL_TYPES = ("Model",)


def config_text(config):
    """A Plugin stage's Config JSON as the plugin gets it: a string (a stage may store it parsed)."""
    return config if config is None or isinstance(config, str) else json.dumps(config)


def job_payload(store, user, session, plugin_type):
    """The `plugin` event for a session, as the real hub sends it; `user` is the session key's user."""
    payload = {"session": session["_id"], "apiKey": session["_apiKey"], "orgId": session["organization"],
               "runBy": session["runBy"], "pluginId": session["plugin"], "projectId": session["projectId"],
               "configJSON": session["configJSON"], "batches": list(session["batches"]),
               "tags": list(session["batches"])}  # 0.1.18 reads the batch filter from `tags`
    if session["stage"] is not None:
        payload["stage"] = list(session["stage"])
    if session["taskId"]:
        task = store.get_task(user, session["taskId"], include_answer=False)
        project = store.get_project(user, session["projectId"])
        payload.update(taskId=task["_id"], assetId=task.get("asset"), externalId=task.get("externalId"),
                       asset=task.get("data"), categorySchema=project.get("categorySchema"),
                       workflow=session["mode"] == "workflow", overwrite=True)
    return payload


def apply_answer(store, user, task_id, stage_id, answer):
    """Annotate a task waiting in a Plugin stage with the answer a plugin returned and send it on (0.1.18 and
    base plugins, which never call annotate themselves). Return None, or the reason it could not be applied."""
    try:
        task = store.get_task(user, task_id, include_answer=False)
        if task.get("stage") != stage_id:
            return None  # the plugin annotated it itself, or someone moved it on
        if isinstance(answer, dict) and "answer" in answer:
            answer = answer["answer"]
        data = AnnotateSchema().load({"answer": answer})
        store.annotate_task(user, task_id, data["answer"], next_stage=True)
    except ApiError as exc:
        return f"the plugin's answer could not be applied to task {task_id}: {exc.message}"
    except Exception as exc:  # a ValidationError from the schema, or anything else the answer breaks
        return f"the plugin's answer could not be applied to task {task_id}: {exc}"
    return None
