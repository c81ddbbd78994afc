"""The pytest plugin's mistakes a user can make, each one line: MOCKHUB_PORT pointing at nothing (or at a server
that is not mockhub), and a `mockhub_fixture` marker naming a malformed file (which file, and where in it)."""
import socket

import pytest

from tests.harness.test_plugin import run

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow  # each test runs pytest in a new process

USES_THE_SERVER = '''
def test_one(ango_sdk):
    ango_sdk.list_projects()


def test_two(ango_sdk):
    ango_sdk.list_projects()
'''


def test_mockhub_port_pointing_at_nothing_stops_the_run_with_one_line(pytester, monkeypatch):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # bound, not listening: nobody answers
        port = sock.getsockname()[1]
        monkeypatch.setenv("MOCKHUB_PORT", str(port))

        result = run(pytester, test_external=USES_THE_SERVER)

    assert result.ret == 4  # pytest's usage error
    output = result.stdout.str() + result.stderr.str()
    assert f"mockhub: no mockhub runs at http://127.0.0.1:{port} (MOCKHUB_HOST/MOCKHUB_PORT; nothing answers " \
           f"there): start one with `mockhub serve --port {port}`, or unset them" in output
    assert "urllib3" not in output and "Traceback" not in output and len(output.splitlines()) < 15


def test_mockhub_port_that_is_no_port_says_so(pytester, monkeypatch):
    monkeypatch.setenv("MOCKHUB_PORT", "eighty")

    result = run(pytester, test_external=USES_THE_SERVER)

    assert result.ret == 4
    assert "mockhub: MOCKHUB_PORT='eighty' is not a port (1-65535)" in result.stdout.str()


def test_a_marker_naming_a_malformed_file_says_which_file_and_where(pytester):
    pytester.path.joinpath("broken.json").write_text('{"organizations": [\n  {"name": "x",}\n]}', encoding="utf-8")
    pytester.path.joinpath("wrong.json").write_text('{"organizations": [{"name": "x", "users": []}]}',
                                                    encoding="utf-8")

    result = run(pytester, test_marked='''
import pytest


@pytest.mark.mockhub_fixture("broken.json")
def test_broken(ango_sdk):
    pass


@pytest.mark.mockhub_fixture("wrong.json")
def test_wrong(ango_sdk):
    pass
''')

    result.assert_outcomes(errors=2)
    broken, wrong = "broken.json", "wrong.json"  # found in the folder pytest runs in, named as given
    result.stdout.fnmatch_lines([(f"*mockhub_fixture('broken.json'): {broken}: line 2 column 16: Expecting "
                                  "property name enclosed in double quotes*")])
    result.stdout.fnmatch_lines([(f"*mockhub_fixture('wrong.json'): {wrong}: Validation failed: "
                                  "organizations[[]0[]].users: Shorter than minimum length 1.*")])
    text = result.stdout.str()
    assert "JSONDecodeError" not in text and "Traceback" not in text and "During handling" not in text
