"""Every `mockhub` error is one line, exit 2 for usage and 1 at run time, never a traceback: bad ports and hosts,
URLs that are not a mockhub (another server, `/v2` appended, an HTML page), data files that are corrupt or in a
missing folder, a busy port, a missing coverage file; IPv6 URLs in brackets."""
import http.server
import json
import socket
import subprocess
import sys

import pytest

from tests.harness.commands import invoke
from tests.loopback import serving

HTML = b"<!doctype html><html><head><title>Welcome</title></head><body>" + b"<p>lorem ipsum</p>" * 200 + \
    b"</body></html>"


def one_error_line(result, code):
    """The single `Error: ...` line of a failed command (and that it failed with `code`, without a traceback)."""
    assert result.exit_code == code, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, AssertionError)
    return lines[0]


@pytest.fixture(scope="module")
def html_server():
    """A web server that is not mockhub: every path answers a 404 HTML page (and POST too)."""
    class Page(http.server.BaseHTTPRequestHandler):
        def answer(self):
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(HTML)))
            self.end_headers()
            self.wfile.write(HTML)

        do_GET = do_POST = answer

        def log_message(self, *args):
            pass

    with serving(Page) as url:
        yield url


@pytest.fixture
def fixture_file(tmp_path):
    path = tmp_path / "f.json"
    path.write_text(json.dumps({"organizations": [{"name": "E", "users": [{"email": "a@e.test", "role": "admin",
                                                                           "apiKey": "e-key"}]}]}), encoding="utf-8")
    return path


# --- usage errors: exit 2 -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("port", ["-1", "99999", "http"])
def test_serve_refuses_a_port_outside_0_to_65535(no_server, port):
    line = one_error_line(invoke("serve", "--port", port), 2)

    assert "'--port'" in line and port in line and "(see 'mockhub serve --help')" in line
    assert no_server == []


def test_a_port_from_the_environment_is_checked_and_named(no_server):
    line = one_error_line(invoke("serve", env={"MOCKHUB_PORT": "99999"}), 2)

    assert "'--port' (or MOCKHUB_PORT)" in line and "99999 is not in the range 0<=x<=65535" in line


@pytest.mark.parametrize("host", ["not a host", "bad..name", "[::1"])
def test_serve_refuses_a_host_that_is_no_address(no_server, host):
    line = one_error_line(invoke("serve", "--host", host), 2)

    assert "'--host'" in line and repr(host) in line


@pytest.mark.parametrize("command", ["snapshot", "seed"])
@pytest.mark.parametrize("url, says", [
    ("http://127.0.0.1:8080/v2", "give the server's root URL (http://127.0.0.1:8080), without /v2"),
    ("127.0.0.1:8080", "is not an http:// or https:// URL"),
    ("http://127.0.0.1:99999", "has a port outside 0-65535"),
])
def test_a_url_that_is_not_a_servers_root_is_a_usage_error(fixture_file, command, url, says):
    args = [fixture_file] if command == "seed" else []

    line = one_error_line(invoke(command, *args, "--url", url), 2)

    assert says in line and "'--url'" in line


def test_coverage_check_of_a_missing_file_says_so(tmp_path):
    line = one_error_line(invoke("coverage", "--check", tmp_path / "nope.md"), 2)

    assert "'--check'" in line and "nope.md' does not exist" in line


def test_a_data_file_in_a_missing_folder_is_refused_before_anything_starts(tmp_path, no_server):
    line = one_error_line(invoke("serve", "--data-file", tmp_path / "missing" / "state.json"), 2)

    assert f"the folder {tmp_path / 'missing'} does not exist" in line
    assert no_server == []


# --- run-time errors: exit 1 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("content, says", [
    ('{"snapshot": {"tables": ', "not a mockhub data file (line 1 column 25: Expecting value)"),
    ("\udcff", "not a mockhub data file (not UTF-8 text)"),
], ids=["truncated-json", "binary"])
def test_a_corrupt_data_file_is_named_and_nothing_starts(tmp_path, no_server, content, says):
    path = tmp_path / "state.json"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))

    line = one_error_line(invoke("serve", "--data-file", path), 1)

    assert line == f"Error: {path}: {says}"
    assert no_server == []


def test_snapshot_of_a_server_that_is_not_mockhub_says_so_without_the_page(html_server):
    line = one_error_line(invoke("snapshot", "--url", html_server), 1)

    assert line == f"Error: {html_server} is not a mockhub server: GET /_mockhub/health answered HTTP 404 " \
                   "(text/html)"


def test_seed_to_an_html_server_does_not_print_the_page(html_server, fixture_file):
    line = one_error_line(invoke("seed", fixture_file, "--url", html_server), 1)

    assert "is not a mockhub server" in line and "<html" not in line and len(line) < 200


def test_seed_of_a_name_that_is_neither_a_file_nor_a_shipped_fixture(tmp_path):
    line = one_error_line(invoke("seed", "nosuchfixture", "--url", "http://127.0.0.1:1"), 1)

    assert line == "Error: nosuchfixture: no such fixture file (looked in nosuchfixture and mockhub's own " \
                   "fixtures: demo)"


def test_an_unreachable_server_is_one_line_with_a_hint():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"  # bound, not listening: nobody answers

        line = one_error_line(invoke("snapshot", "--url", url), 1)

    assert line == f"Error: cannot reach {url}: Connection refused (is mockhub running there?)"


def test_snapshot_to_a_file_in_a_missing_folder(live_server, tmp_path):
    line = one_error_line(invoke("snapshot", "--url", live_server.url, "-o", tmp_path / "no" / "s.json"), 1)

    assert line == f"Error: {tmp_path / 'no' / 's.json'}: cannot write: No such file or directory"


def test_an_unexpected_failure_is_one_line_that_names_the_debug_switch(monkeypatch, no_server):
    import mockhub.cli

    def broken(*args):
        raise RuntimeError("the disk caught fire")

    monkeypatch.setattr(mockhub.cli, "_load_fixtures", broken)

    line = one_error_line(invoke("serve", "--port", 0), 1)

    assert line == "Error: the disk caught fire (set MOCKHUB_DEBUG=1 for the traceback)"


def test_a_busy_port_is_our_one_line_and_not_werkzeugs():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "mockhub", "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=60, check=False)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: cannot listen on 127.0.0.1:{port}: Address already in use; another " \
                            "program listens there: stop it or pick another --port\n"


def test_the_demo_on_a_busy_port_is_one_line_too():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        line = one_error_line(invoke("demo", "--port", port, "--duration", 1), 1)

    assert line.startswith(f"Error: cannot listen on 127.0.0.1:{port}: Address already in use")


# --- IPv6 ---------------------------------------------------------------------------------------------------------

def _ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _ipv6_loopback(), reason="this machine has no IPv6 loopback")
@pytest.mark.parametrize("host", ["::1", "[::1]"])
def test_an_ipv6_host_is_printed_in_brackets(serve_once, host):
    result = invoke("serve", "--host", host, "--port", 0)

    assert result.exit_code == 0, result.output
    (server,) = serve_once
    assert result.output.splitlines()[0] == f"mockhub listening on http://[::1]:{server.port}  " \
                                            f"(health: http://[::1]:{server.port}/_mockhub/health)"
    assert server.url == f"http://[::1]:{server.port}"
