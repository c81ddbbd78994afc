"""`/openapi.json` is a valid OpenAPI 3 document describing every v2 and control route, built from the schemas
the views declare."""
import pathlib
import re

from openapi_spec_validator import validate

import mockhub
from mockhub.app import create_app


def test_openapi_document_is_valid_and_complete():
    app = create_app()
    document = app.test_client().get("/openapi.json").get_json()
    validate(document)
    described = {(method.upper(), path) for path, ops in document["paths"].items() for method in ops}
    routes = {(m, r.rule.replace("<", "{").replace(">", "}")) for r in app.url_map.iter_rules()
              if r.rule.startswith(("/v2/", "/_mockhub/")) for m in r.methods - {"HEAD", "OPTIONS"}}
    assert described == routes


def test_request_bodies_come_from_the_marshmallow_schemas():
    document = create_app().test_client().get("/openapi.json").get_json()
    create = document["paths"]["/v2/project"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert create["required"] == ["name"]
    assert create["properties"]["type"]["enum"] == ["ango", "pct", "iframe"]
    priority = document["paths"]["/v2/project/{project_id}/updatePriority"]["post"]
    schema = priority["requestBody"]["content"]["application/json"]["schema"]["properties"]["priority"]
    assert schema == {"type": "integer", "minimum": -1000, "maximum": 1000}
    assert document["components"]["securitySchemes"]["apikey"] == {"type": "apiKey", "in": "header", "name": "apikey"}


def test_query_parameters_come_from_the_declared_query_schemas():
    document = create_app().test_client().get("/openapi.json").get_json()
    get_tasks = document["paths"]["/v2/project/{project_id}/tasks"]["get"]["parameters"]
    names = {p["name"] for p in get_tasks if p["in"] == "query"}
    assert {"page", "limit", "includeAnswer", "fields", "filter", "filters", "sort", "status[eq]", "status", "stage",
            "assignee", "batches"} <= names
    limit = next(p for p in get_tasks if p["name"] == "limit")
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 1000}


def test_export_documents_every_parameter_the_sdk_releases_send():
    document = create_app().test_client().get("/openapi.json").get_json()
    for path in ("/v2/export", "/v2/exportV3"):
        names = {p["name"] for p in document["paths"][path]["get"]["parameters"]}
        assert {"project", "format", "type", "stage", "batches", "tag", "taskTypes", "updatedAt", "createdAt",
                "assignee", "completedAt[gt]", "completedAt[lt]", "updatedAt[gt]", "updatedAt[lt]", "labeledAt",
                "includeMetadata", "includeHistory", "sendEmail", "doNotNotify", "includeOnlyKeyFrames",
                "includeIdleBlurDurations"} <= names


def test_no_v2_view_reads_the_request_by_hand():
    """Views get their input from @arguments, so the document lists all of it."""
    package = pathlib.Path(mockhub.__file__).parent
    views = [*(package / "api").glob("*.py"), package / "export" / "views.py"]
    readers = {path.name for path in views if path.name != "arguments.py"
               and re.search(r"request\.(args|form|files|get_json|json)\b", path.read_text())}
    assert readers == set()
