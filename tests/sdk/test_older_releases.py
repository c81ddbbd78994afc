"""imerit-ango 1.3.14 and ango 0.1.18 work unchanged against mockhub: their suites (tests/legacy_suites) run
in environments of their own (the releases' pins clash with the current SDK's) against this session's server."""
import importlib.util
from pathlib import Path

import pytest

RUNNER = Path(__file__).resolve().parents[1] / "legacy_suites" / "runner.py"
_spec = importlib.util.spec_from_file_location("legacy_runner", RUNNER)
runner = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(runner)


@pytest.mark.parametrize("release", sorted(runner.RELEASES))
def test_release_suite_passes(release, live_server):
    result = runner.run(release, live_server.url, ["-q", "-p", "no:cacheprovider"])
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert " passed" in output and " failed" not in output
