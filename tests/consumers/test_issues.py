"""Issue-export consumers: join each issue to its exported asset by asset.externalId and asset.batches, and
read every field real code reads (the three documented request forms: position, page range, object)."""
import json

import requests
from imerit_ango.models.enums import ExportTypes
from imerit_ango.models.export_options import ExportOptions

from mockhub.schemas.responses import shape_errors
from tests.consumers.readers import download_export, join_issues


def test_issues_join_to_their_assets_by_external_id_and_batches(hub):
    issues = hub.sdk.export(hub.pid, ExportOptions(export_type=ExportTypes.ISSUE))
    records = hub.sdk.export(hub.pid)
    assert len(issues) == 6 and all(shape_errors("issue_export_record", issue) == {} for issue in issues)

    joined = join_issues(issues, records)

    assert {row["externalId"] for row in joined} == {"car-1.png", "car-3.png"}
    assert all(row["sameBatches"] and row["task"] == hub.tasks[row["externalId"]] for row in joined)
    by_text = {}
    for row in joined:
        by_text.setdefault(row["text"], []).append(row)
    placed, = {json.dumps(r["position"]) for r in by_text["box too loose"]}
    assert json.loads(placed) == "[5, 6]"  # a string, as the SDK sent it
    assert all((r["errorType"], r["errorCode"]) == ("Wrong", "wrong-1") for r in by_text["box too loose"])
    assert all(r["thread"] == [(r["author"], "tightened it")] for r in by_text["box too loose"])
    assert all((r["page"], r["pageEnd"]) == (1, 2) for r in by_text["wrong page"])
    assert all(r["objectId"].endswith("first") and r["status"] == "Resolved" for r in by_text["not a car"])
    assert all(r["status"] == "Open" and r["at"].endswith("Z") for r in by_text["wrong page"])


def test_listed_issues_have_the_issue_shape(hub):
    listed = hub.sdk.get_issues(hub.pid)["data"]["issue"]
    assert len(listed) == 6
    for issue in listed:
        assert shape_errors("issue", issue) == {}
        assert isinstance(issue["position"], (str, type(None)))


def test_the_1_3_14_issue_export_form_gives_the_same_records(hub, live_server):
    """imerit-ango 1.3.14 asks GET /v2/exportV3 with `type=issue` and a JSON-string stage."""
    params = {"project": hub.pid, "sendEmail": "false", "includeMetadata": "true", "includeHistory": "true",
              "doNotNotify": "true", "format": "json", "type": "issue", "stage": json.dumps("Complete")}
    issues = download_export(requests.get(f"{live_server.url}/v2/exportV3", params=params,
                                          headers={"apikey": hub.key}))

    assert sorted(i["_id"] for i in issues) == sorted(
        i["_id"] for i in hub.sdk.export(hub.pid, ExportOptions(export_type=ExportTypes.ISSUE)))
    assert all(shape_errors("issue_export_record", issue) == {} for issue in issues)
    assert {issue["asset"]["externalId"] for issue in issues} == {"car-1.png", "car-3.png"}
