"""What a test asks a plugin callback to do, from the run's Config JSON (a string, as the hub sends it)."""
import json
import time


def follow_config(config_json):
    """Sleep and/or raise as `{"sleep": seconds, "fail": message}` says; return the parsed config."""
    config = json.loads(config_json or "{}")
    if config.get("sleep"):
        time.sleep(config["sleep"])
    if config.get("fail"):
        raise RuntimeError(config["fail"])
    return config


def first_tool(category_schema):
    """The schemaId of the first tool: a class mapping list (as the samples read it) or an ontology."""
    if isinstance(category_schema, list):
        return category_schema[0]["schemaId"] if category_schema else None
    tools = (category_schema or {}).get("tools") or []
    return tools[0]["schemaId"] if tools else None


def box(schema_id, task_id, size=10):
    return {"schemaId": schema_id, "objectId": f"box-{task_id}",
            "bounding-box": {"x": 1, "y": 2, "width": size, "height": size}}


def export_row(external_id, asset, stage, objects):
    return {"externalId": external_id, "asset": asset, "stage": stage, "boxes": len(objects or [])}


def import_boxes(sdk, data):
    """Pre-label every asset of the run's project with one box of the first tool (a batch model's work)."""
    project = sdk.get_project(data["projectId"])["data"]["project"]
    schema_id = first_tool(data.get("categorySchema") or project["categorySchema"])
    assets = sdk.get_assets(data["projectId"], limit=1000)["data"]["assets"]
    labels = [{"externalId": a["externalId"], "objects": [box(schema_id, a["externalId"])]} for a in assets]
    sdk.import_labels(data["projectId"], labels)
    data["logger"].info(f"imported {len(labels)} pre-labels")
    return f"{len(labels)} assets pre-labeled"
