"""The README's SDK example runs as written against a server seeded with the demo fixture."""
import re
from pathlib import Path

from mockhub.app import create_app
from mockhub.cli import demo_fixture
from mockhub.server import LiveServer

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_example_runs(capsys):
    code = re.search(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    with LiveServer(create_app({"FIXTURES": [demo_fixture()]})) as server:
        exec(compile(code.replace("http://127.0.0.1:8080", server.url), "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed == ["1 Label", "Vehicle detection (demo)"]
