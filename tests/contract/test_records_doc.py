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
