"""The layers stay apart: the workflow engine needs neither Flask nor TinyDB; the client needs no mockhub."""
import subprocess
import sys


def _loaded_after(statement):
    code = f"import sys; {statement}; print(','.join(sorted(m.split('.')[0] for m in sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(result.stdout.strip().split(","))


def test_workflow_engine_imports_neither_flask_nor_tinydb():
    loaded = _loaded_after("import mockhub.workflow")
    assert "flask" not in loaded and "tinydb" not in loaded and "werkzeug" not in loaded


def test_store_does_not_import_flask():
    loaded = _loaded_after("import mockhub.store")
    assert "flask" not in loaded


def test_query_helpers_are_pure():
    loaded = _loaded_after("import mockhub.query.filters, mockhub.query.pagination")
    assert not {"flask", "tinydb", "marshmallow"} & loaded
