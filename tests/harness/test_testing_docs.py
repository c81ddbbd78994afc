"""Every Python recipe in docs/testing.md runs as written, through the plugin, in a fresh pytest process."""
import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

DOC = Path(__file__).resolve().parents[2] / "docs" / "testing.md"


@pytest.mark.slow
def test_testing_recipes_run_as_written(pytester):
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    tests = [b for b in blocks if "def test_" in b]
    assert len(tests) == len(blocks) >= 6
    for number, code in enumerate(tests):
        pytester.makepyfile(**{f"test_recipe_{number}": code})
    for name, code in re.findall(r"```python file=(\S+)\n(.*?)```", text, re.S):  # files the recipes read
        (pytester.path / name).write_text(code, encoding="utf-8")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    count = sum(code.count("def test_") for code in tests)
    result.assert_outcomes(passed=count)


@pytest.mark.slow
def test_the_unittest_recipe_runs_under_unittest_itself(tmp_path):
    import subprocess
    import sys

    (recipe,) = [b for b in re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
                 if "unittest.TestCase" in b]
    (tmp_path / "test_recipe.py").write_text(recipe, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "unittest", "-v", "test_recipe"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Ran 3 tests" in result.stderr and result.stderr.rstrip().endswith("OK")
