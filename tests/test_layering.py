"""The layers the design names stay apart: the workflow engine knows nothing of HTTP or storage, and the
bundled client never loads mockhub (so it runs against a real hub with requests alone)."""
import subprocess
import sys

import pytest


def loaded_after(statement):
    """The top-level modules a fresh interpreter has loaded after running `statement`."""
    code = f"import sys; {statement}; print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    return set(result.stdout.split())


@pytest.mark.parametrize("statement, forbidden", [
    ("import mockhub.workflow", {"flask", "tinydb", "werkzeug", "marshmallow"}),
    ("import mockhub_client", {"mockhub", "flask", "tinydb"}),
    ("import mockhub.pull.hub", {"flask", "tinydb"}),
], ids=["workflow-is-pure", "client-stands-alone", "pull-reads-over-http-only"])
def test_a_layer_does_not_load_what_it_must_not_know(statement, forbidden):
    assert loaded_after(statement) & forbidden == set()
