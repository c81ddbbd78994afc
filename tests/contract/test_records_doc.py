"""docs/records.md is the response schemas rendered: it changes when a schema does."""
from pathlib import Path

from mockhub.schemas.records_doc import records_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "records.md"


def test_records_doc_is_current():
    assert DOC.read_text(encoding="utf-8") == records_markdown(), \
        "docs/records.md is stale: python -m mockhub.schemas.records_doc > docs/records.md"


def test_every_field_of_every_record_names_its_source():
    text = records_markdown()
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert rows and all(not line.rstrip().endswith("|  |") for line in rows)


def test_openapi_describes_each_declared_answer_by_its_record_schema(client):
    document = client.get("/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    listed = document["paths"]["/v2/project/{project_id}/assets"]["get"]["responses"]["200"]
    data = listed["content"]["application/json"]["schema"]["properties"]["data"]["properties"]

    assert data["assets"] == {"type": "array", "items": {"$ref": "#/components/schemas/AssetSchema"}}
    assert "labelTasks" in schemas["AssetSchema"]["required"]
    nested = schemas["StoredClassification"]["properties"]["classifications"]
    assert nested == {"type": "array", "items": {"$ref": "#/components/schemas/StoredClassification"}}
