"""What downstream code does with Ango records, written the way consumers write it: plain indexing, so a
missing key is a KeyError (the failure issue #13 saw), not a quiet None."""
import json

from tests.sdk.helpers import download


def download_export(response):
    """The records of an export answer (`data.exportPath`, a zip whose first member is the JSON)."""
    assert response.status_code == 200, response.text
    return json.loads(download(response.json()["data"]["exportPath"])[1])


def walk_classifications(classifications, path=()):
    """Yield (depth, tool, schemaId, title, answer) for every classification, recursing into nested ones."""
    for item in classifications:
        yield len(path) + 1, item["tool"], item["schemaId"], item["title"], item["answer"]
        yield from walk_classifications(item["classifications"], (*path, item["schemaId"]))


def walk_answer(holder):
    """Every classification of an answer holder (an export task or a stage-history entry): its own, its tools'
    and its relations'."""
    rows = list(walk_classifications(holder["classifications"]))
    for item in holder["tools"] + holder["relations"]:
        rows += walk_classifications(item.get("classifications", []))
    return rows


def stage_rows(records):
    """One row per (asset, stage left), as a reporting pipeline builds them from stageHistory."""
    return [{"externalId": record["externalId"], "batches": record["batches"], "stage": entry["stage"],
             "stageId": entry["stageId"], "completedAt": entry["completedAt"],
             "completedBy": entry.get("completedBy"), "durationMs": entry["duration"],
             "review": entry.get("reviewStatus"), "objects": len(entry["tools"])}
            for record in records for entry in record["task"]["stageHistory"]]


def yolo_lines(records):
    """The v3 export plugin sample (angoai/plugin-samples export_plugin_v3.py): one `title x y w h` per box."""
    lines = {}
    for asset in records:
        external_id, objects = asset["externalId"], asset["task"]["tools"]
        lines[external_id] = [" ".join([obj["title"], *(str(int(round(obj["bounding-box"][k])))
                                                        for k in ("x", "y", "width", "height"))])
                              for obj in objects if "bounding-box" in obj]
    return lines


def join_issues(issues, records):
    """Issues joined to exported assets by asset.externalId, checked against asset.batches."""
    by_external_id = {record["externalId"]: record for record in records}
    joined = []
    for issue in issues:
        asset = by_external_id[issue["asset"]["externalId"]]
        joined.append({"issue": issue["_id"], "task": issue["labelTask"], "externalId": asset["externalId"],
                       "sameBatches": sorted(issue["asset"]["batches"]) == sorted(asset["batches"]),
                       "author": issue["createdBy"], "at": issue["createdAt"], "status": issue["status"],
                       "text": issue["content"], "position": issue["position"],
                       "thread": [(c["createdBy"], c["content"]) for c in issue["comments"]],
                       "page": issue.get("page"), "pageEnd": issue.get("pageEnd"),
                       "errorType": issue.get("errorType"), "errorCode": issue.get("errorCode"),
                       "objectId": issue.get("objectId")})
    return joined


def asset_stage_times(sdk, project_id, limit):
    """Page through get_assets reading each asset's labelTasks[0].stageHistory (stageId, completedAt, completedBy)."""
    rows, page = [], 1
    while True:
        data = sdk.get_assets(project_id, page=page, limit=limit)["data"]
        for asset in data["assets"]:
            rows += [(asset["externalId"], entry["stageId"], entry["completedAt"], entry["completedBy"])
                     for entry in asset["labelTasks"][0]["stageHistory"]]
        if page * limit >= data["total"]:
            return rows, page
        page += 1
