"""Every Python recipe in docs/testing.md runs as written, through the plugin, in a fresh pytest process."""
import re
from pathlib import Path

pytest_plugins = ["pytester"]

DOC = Path(__file__).resolve().parents[2] / "docs" / "testing.md"


def test_testing_recipes_run_as_written(pytester):
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    tests = [b for b in blocks if "def test_" in b]
    assert len(tests) == len(blocks) >= 6
    for number, code in enumerate(tests):
        pytester.makepyfile(**{f"test_recipe_{number}": code})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    count = sum(code.count("def test_") for code in tests)
    result.assert_outcomes(passed=count)
