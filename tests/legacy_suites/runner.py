"""Run the SDK suites of older releases, each in its own virtual environment, against one mockhub.

    python tests/legacy_suites/runner.py [imerit-ango==1.3.14] [ango==0.1.18]

The environments live in $MOCKHUB_LEGACY_VENVS (default ~/.cache/mockhub/legacy-venvs) and are made once:
each holds only the SDK release and pytest, never mockhub, so the releases' old pins (ango 0.1.18 wants
requests 2.27) cannot clash with the server. The server runs here, in-process, on a free port.
"""
import os
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
RELEASES = {"imerit-ango==1.3.14": "check_imerit_1314.py", "ango==0.1.18": "check_ango_0118.py"}
IMPORTS = {"imerit-ango==1.3.14": "imerit_ango", "ango==0.1.18": "ango"}


def environment(release):
    """Return the python of the release's environment, making it on first use."""
    root = Path(os.environ.get("MOCKHUB_LEGACY_VENVS", Path.home() / ".cache" / "mockhub" / "legacy-venvs"))
    folder = root / release.replace("==", "-")
    python = folder / "bin" / "python"
    probe = [str(python), "-c", f"import {IMPORTS[release]}, pytest"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", release, "pytest"], check=True)
    return python


def run(release, url, extra=()):
    """Run one release's suite against the server at `url`; return the finished process."""
    python = environment(release)
    command = [str(python), "-m", "pytest", "-c", str(HERE / "pytest.ini"), "--rootdir", str(HERE),
               str(HERE / RELEASES[release]), *extra]
    env = dict(os.environ, MOCKHUB_URL=url, MOCKHUB_SDK_RELEASE=release)
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=HERE, timeout=600)


def main(argv):
    from mockhub.app import create_app
    from mockhub.server import LiveServer

    releases = argv or list(RELEASES)
    failed = []
    with LiveServer(create_app()) as server:
        for release in releases:
            result = run(release, server.url, ["-q"])
            print(f"--- {release}\n{result.stdout[-3000:]}{result.stderr[-2000:]}")
            if result.returncode:
                failed.append(release)
    print("legacy SDK suites:", "all passed" if not failed else f"FAILED: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
