"""docs/records.md: every record type mockhub emits, field by field with its source, rendered from the
response schemas (the single source of the shapes). Regenerate with `python -m mockhub.schemas.records_doc`."""
from marshmallow import fields

from mockhub.schemas.record import Record, nested_record
from mockhub.schemas.responses import SHAPES

INTRO = """# Records: every shape mockhub emits, and where each field comes from

Generated from the response schemas (`mockhub/schemas/responses.py`, `answers.py`, `export_records.py`, `metric_records.py`) by
`python -m mockhub.schemas.records_doc > docs/records.md`; `tests/contract/test_records_doc.py` keeps it current.
The views dump through these schemas (`mockhub/api/responding.py`), the export and webhook records are built by
`mockhub/export/records.py`, and the test suite validates every declared answer against its schema
(`VALIDATE_RESPONSES`), the documented samples in `fixtures/contract/samples/` and, in the contract suite, a
real hub's answers. "required" means a consumer may index the field without a check; every schema keeps
undeclared keys (the service adds fields over time).

## Sources

| tag | where |
| --- | --- |
| DOCS-AAF | `angoai/docs` `data/ango-export-format/{asset,task,objects,classifications,relations}.md` (the Ango Export Format pages; the classifications page: every classification has `schemaId, tool, title, columnField, answer, classifications`, nested ones the same structure) |
| WEB-AAF | docs.imerit.net export format pages for the current (v3) format: asset, task, stage history (spec 5.3-5.4) |
| WEB-API | docs.imerit.net API models (projects, tasks, batches, issues, organization, storages) (spec 4) |
| WEB-WF | docs.imerit.net Webhook stage payload sample (spec 8.1) |
| WEB-SDK | docs.imerit.net SDK function pages (get_task_history) |
| DOCS-API | `angoai/docs` `api/api-documentation.md` (legacy API samples) |
| SEED-000/001 | `shared/seeds/` pages (stage JSON; SDK docs with samples) |
| SDK | `imerit-ango` 1.4.10 source: what it sends and reads |
| PLUGIN | `angoai/plugin-samples` (`export_plugin_v3.py` reads `externalId`, `asset`, `task.tools[].title` and geometry; `model_plugin.py` reads `assets[0].data` after filtering by `_id`) |
| ISSUE-13 | consumer code quoted in issue #13 (iMerit's export-plugin callbacks): nested classifications' `tool`; the issue export's fields; `labelTasks[0].stageHistory` |
| OURS | mockhub's own choice where no source documents the field: a guess, listed in docs/fidelity.md |

## Records without a schema of their own

| record | shape | source |
| --- | --- | --- |
| export answer | `{exportPath}` | SDK reads `data.exportPath` |
| deletes, counts, `upload_files_cloud` | small acknowledgements (`{_id, deleted}`, `assets: N`, `{assetsCreated, tasksCreated, ...}`) | OURS |
| legacy webhooks (ango 0.1.18) | `{project, webhooks}` | DOCS-WH, SEED-002 |
"""


def _kind(field):
    if isinstance(field, fields.List) and not nested_record(field):
        inner = _kind(field.inner)
        return "list" if inner == "any" else f"list of {inner}"
    nested = nested_record(field)
    if nested:
        link = "object" if nested is Record else f"[{nested.__name__}](#{nested.__name__.lower()})"
        return f"list of {link}" if isinstance(field, fields.List) else link
    return field.metadata.get("type", "any")


def _table(schema_class):
    rows = ["| field | type | required | source |", "| --- | --- | --- | --- |"]
    for name, field in schema_class().fields.items():
        required = "yes" if field.required else "no"
        if field.allow_none:
            required += " (may be null)"
        source = field.metadata.get("source", "").replace("|", "\\|")
        rows.append(f"| `{field.data_key or name}` | {_kind(field)} | {required} | {source} |")
    return rows


def _nested_classes(schema_class, seen):
    for field in schema_class().fields.values():
        nested = nested_record(field)
        if nested and nested is not Record and nested not in seen:
            seen.append(nested)
            _nested_classes(nested, seen)


def records_markdown():
    """Render docs/records.md."""
    top = [SHAPES[name] for name in SHAPES]
    nested = []
    for schema_class in top:
        _nested_classes(schema_class, nested)
    lines = [INTRO, "## Record types (the names tests and samples use)", ""]
    lines += [f"- `{name}`: [{cls.__name__}](#{cls.__name__.lower()})" for name, cls in SHAPES.items()]
    for schema_class in [*top, *(n for n in nested if n not in top)]:
        doc = (schema_class.__doc__ or "").strip().replace("\n    ", " ")
        lines += ["", f"### {schema_class.__name__}", *([doc, ""] if doc else [""]), *_table(schema_class)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(records_markdown(), end="")
