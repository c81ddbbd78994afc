"""docs/coverage.md is the route table's word on the SDK, kept current, and names every HTTP-calling method."""
import inspect
from pathlib import Path

from mockhub.coverage import NOT_HTTP, SDK_CALLS, coverage_markdown, coverage_rows

DOC = Path(__file__).resolve().parents[2] / "docs" / "coverage.md"


def test_docs_coverage_md_is_current():
    assert DOC.read_text(encoding="utf-8") == coverage_markdown(), "run: mockhub coverage > docs/coverage.md"


def test_every_public_sdk_method_is_listed():
    from imerit_ango.sdk import SDK

    public = {name for name, _ in inspect.getmembers(SDK, inspect.isfunction) if not name.startswith("_")}
    listed = {name for name in SDK_CALLS if not name.startswith("_")} | set(NOT_HTTP)
    assert public == listed


def test_every_sdk_request_has_a_route():
    rows = coverage_rows()
    assert [row["method"] for row in rows if row["status"] == "missing"] == []
    statuses = {row["method"]: row["status"] for row in rows}
    assert statuses["get_tasks"] == "works" and statuses["create_storage"] == "works"


def test_double_slash_path_is_noted():
    row = next(r for r in coverage_rows() if r["method"] == "rerun_webhook")
    assert "308" in row["note"]
