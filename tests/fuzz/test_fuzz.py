"""Schemathesis against /openapi.json with a bounded budget (about 20 cases per operation, over 1000 in all):
no 5xx, every answer has the documented envelope, and a rejected request changes nothing."""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from mockhub.app import create_app

pytestmark = pytest.mark.slow  # over 1000 generated requests, and the check that they were spent

APP = create_app()
KEY = "fuzz-key"
SCHEMA = schemathesis.openapi.from_wsgi("/openapi.json", APP).include(path_regex="^/v2/")
APP.test_client().post("/v2/project", json={"name": "fuzz target"}, headers={"apikey": KEY})
CASES = []


def organization_state():
    store = APP.extensions["mockhub"].store
    org = store.organization_of_key(KEY)
    tables = store.snapshot()["snapshot"]["tables"]
    return {name: [d for d in docs if d.get("organization") == org or d.get("_id") == org]
            for name, docs in tables.items()}


@SCHEMA.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_fuzz(case):
    CASES.append(case.operation.label)
    before = organization_state()
    response = case.call_and_validate(headers={"apikey": KEY}, checks=[
        not_a_server_error, response_schema_conformance, content_type_conformance])
    if 400 <= response.status_code < 500:
        assert organization_state() == before, f"{case.method} {case.formatted_path} {response.status_code}"


def test_the_budget_was_spent():
    """Runs after the fuzz cases (file order): the run as a whole sent over 1000 requests over every operation."""
    assert len(CASES) >= 1000, len(CASES)
    assert len(set(CASES)) == len(list(SCHEMA.get_all_operations()))
