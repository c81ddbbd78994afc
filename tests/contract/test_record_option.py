"""`--record` without a real hub to record from says so at once, instead of skipping every real test silently."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_record_without_ango_variables_says_why_nothing_is_recorded():
    env = {k: v for k, v in os.environ.items() if k not in ("ANGO_API_KEY", "ANGO_HOST")}
    env["ANGO_API_KEY"] = "only-the-key"  # one of the two is not enough

    result = subprocess.run([sys.executable, "-m", "pytest", "tests/contract", "--record", "-q", "-p",
                             "no:cacheprovider"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                            check=False)

    assert result.returncode == 4, result.stdout + result.stderr
    assert "ERROR: --record saves a real Ango Hub's answers, and ANGO_API_KEY and ANGO_HOST are not both set: " \
           "nothing would be recorded (set them, or run without --record)" in result.stderr
