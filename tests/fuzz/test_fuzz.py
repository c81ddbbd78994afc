"""Schemathesis over the whole of /openapi.json, v2 API and control plane, every declared query parameter: no 5xx,
every answer in the documented shape, and a rejected (4xx) request leaves the whole server's state as it was.

The full run (slow) spends about 32 cases per operation, over 3,000 in all; the fast subset sends a few per
operation so `-m "not slow"` still walks every route. Between cases the fuzz organization's own controls (fault
rules, rate limit, frozen clock) are cleared, or one generated fault rule would fail every case after it."""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from mockhub.app import create_app

APP = create_app()
CLIENT = APP.test_client()
KEY = "fuzz-key"
HEADERS = {"apikey": KEY}
CLIENT.post("/v2/project", json={"name": "fuzz target"}, headers=HEADERS)
SCHEMA = schemathesis.openapi.from_wsgi("/openapi.json", APP)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
FULL_RUN = int(os.environ.get("FUZZ_EXAMPLES", 32))   # cases per operation in the slow run
CASES = []


def server_state():
    """Every organization's data, as /_mockhub/snapshot?scope=server gives it (read in-process: it runs per case)."""
    return APP.extensions["mockhub"].store.snapshot()


def prepare():
    """After a control-plane case: no controls left over (fault rules, rate limit, frozen clock), and a project
    to aim at again if a generated server reset removed it."""
    if not CASES or " /_mockhub/" not in CASES[-1]:
        return
    CLIENT.delete("/_mockhub/faults", headers=HEADERS)
    CLIENT.post("/_mockhub/faults/rate-limit", json={"enabled": False}, headers=HEADERS)
    CLIENT.post("/_mockhub/clock/unfreeze", headers=HEADERS)
    if not CLIENT.get("/v2/listProjects", headers=HEADERS).get_json()["data"]["total"]:
        CLIENT.post("/v2/project", json={"name": "fuzz target"}, headers=HEADERS)


def run(case):
    prepare()
    CASES.append(case.operation.label)
    before = server_state()
    response = case.call_and_validate(headers=HEADERS, checks=CHECKS)
    if 400 <= response.status_code < 500:
        assert server_state() == before, f"{case.method} {case.formatted_path} {response.status_code} changed state"


@SCHEMA.parametrize()
@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck), database=None,
          derandomize=True)
def test_fuzz_every_operation_briefly(case):
    run(case)


@pytest.mark.slow
@SCHEMA.parametrize()
@settings(max_examples=FULL_RUN, deadline=None, suppress_health_check=list(HealthCheck), database=None,
          derandomize=True)
def test_fuzz(case):
    run(case)


@pytest.mark.slow
def test_the_budget_was_spent():
    """Runs after the fuzz cases (file order): over 3,000 requests in all, over every operation of the document."""
    operations = {operation.ok().label for operation in SCHEMA.get_all_operations()}
    assert any(label.startswith(("GET /_mockhub/", "POST /_mockhub/")) for label in operations)
    assert len(CASES) >= 3000, len(CASES)
    assert set(CASES) == operations
