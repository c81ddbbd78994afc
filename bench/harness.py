"""The test harness as a user project uses it: 100 tests, each making 20 SDK calls and then one
`mockhub.assert_requested`, run by pytest in a fresh process through the plugin's fixtures.

    python bench/harness.py [--tests 100]

Target (issue 16): the last test is no slower than the first, i.e. checking requests costs the same however
many tests ran before (a journal read is one round trip over the test's own organization). Times on a shared
machine are noisy, so the verdict compares the mean of the last ten tests with the mean of the first ten
(the first test itself also pays for warming the server up) and prints the single figures beside it.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

TESTS = int(sys.argv[sys.argv.index("--tests") + 1]) if "--tests" in sys.argv else 100

PROJECT = '''
import json
import os
import time

import pytest

TIMES = os.environ["HARNESS_TIMES"]


@pytest.mark.parametrize("number", range({tests}))
def test_pipeline_step(ango_sdk, mockhub, number):
    started = time.perf_counter()
    project_id = ango_sdk.create_project(f"Step {{number}}", "")["data"]["project"]["_id"]
    for _ in range(19):
        ango_sdk.get_project(project_id)
    mockhub.assert_requested("GET", "/v2/project/*", times=19)
    with open(TIMES, "a", encoding="utf-8") as out:
        out.write(json.dumps([number, time.perf_counter() - started]) + "\\n")
'''


def main():
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "test_user_project.py").write_text(PROJECT.format(tests=TESTS), encoding="utf-8")
        times = Path(folder, "times.jsonl")
        env = dict(os.environ, HARNESS_TIMES=str(times))
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                              folder], env=env, capture_output=True, text=True, timeout=1800)
        if run.returncode != 0:
            print(run.stdout[-3000:], run.stderr[-3000:], file=sys.stderr)
            sys.exit("the user project's tests failed")
        ms = [seconds * 1000 for _, seconds in sorted(json.loads(line) for line in times.read_text().splitlines())]
    first10, last10 = sum(ms[:10]) / 10, sum(ms[-10:]) / 10
    ok = last10 <= first10 * 1.10  # 10%: the noise of a shared 2-core machine, far below any growth per test
    print(f"user project: {len(ms)} tests x (20 SDK calls + 1 assert_requested)")
    print(f"  first test {ms[0]:8.1f} ms    last test {ms[-1]:8.1f} ms")
    print(f"  mean of first 10 {first10:8.1f} ms    mean of last 10 {last10:8.1f} ms    target: last <= first "
          f"(within 10%)    {'met' if ok else 'NOT MET'}")


if __name__ == "__main__":
    main()
