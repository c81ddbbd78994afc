"""How long `mockhub pull --all` takes to copy a 10k-asset project from a local mockhub (target: 30 s).

    python bench/pull.py [--assets 10000]

A source mockhub (`mockhub serve`, in a process of its own) gets the project over HTTP (assets through /cloud, a tenth of them in a batch, 500 tasks
labeled and submitted so they have history and answers); the pull then reads it back as it would read a
real hub, and the fixture is seeded into a second mockhub to show it loads. Prints each figure beside its target.
"""
import argparse
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time

import requests
from imerit_ango.sdk import SDK

from mockhub.app import create_app
from mockhub.pull import Hub, PullOptions, pull_project
from mockhub.pull.cli import _write
from mockhub.seed import read_fixture, seed
from mockhub.server import LiveServer

KEY = "bench-pull-key"
TARGET_S = 30.0


@contextlib.contextmanager
def serve_elsewhere():
    """The source hub in a process of its own, as a real hub is (one process would share one GIL)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "mockhub", "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                requests.get(f"{url}/_mockhub/health", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        yield url
    finally:
        server.kill()
        server.wait()


def build(url, assets, labeled=500, chunk=1000):
    sdk = SDK(KEY, host=url)
    project_id = sdk.create_project("pull bench")["data"]["project"]["_id"]
    sdk.create_batch(project_id, "tenth")
    for start in range(0, assets, chunk):
        numbers = range(start, min(assets, start + chunk))
        for batches, keep in ((["tenth"], lambda i: i % 10 == 0), (None, lambda i: i % 10 != 0)):
            items = [{"data": f"https://bench.invalid/{i}.png", "externalId": f"{i}.png"} for i in numbers if keep(i)]
            assert sdk.upload_files_cloud(project_id, items, batches=batches)["status"] == "success"
    headers = {"apikey": KEY}
    tasks = sdk.get_tasks(project_id, limit=labeled)["data"]["tasks"]
    for task in tasks:  # submitted: each gets a Label record in its history, and an answer
        requests.post(f"{url}/v2/annotate/{task['_id']}", params={"nextStage": "true"}, headers=headers,
                      json={"answer": {"objects": [], "classifications": [], "relations": []}},
                      timeout=30).raise_for_status()
    return project_id


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=10_000)
    args = parser.parse_args()
    with serve_elsewhere() as url, tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        project_id = build(url, args.assets)
        print(f"  built the source project in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        hub = Hub(url, KEY)
        started = time.perf_counter()
        document, report = pull_project(hub, project_id, PullOptions(fixture_dir=folder, key="bench-copy"))
        output = os.path.join(folder, "pulled.json")
        _write(document, output)
        elapsed = time.perf_counter() - started
        fixture = read_fixture(output)
        with LiveServer(create_app()) as target:
            loaded = time.perf_counter()
            seed(target.app.extensions["mockhub"].store, fixture, base_url=target.url)
            seeded = time.perf_counter() - loaded
    verdict = "met" if elapsed <= TARGET_S else "NOT MET"
    print(f"pull {report.kept} of {report.assets} assets ({hub.requests} requests): {elapsed:.1f} s "
          f"(target <= {TARGET_S:.0f} s) {verdict}")
    print(f"seed the pulled fixture into a fresh mockhub: {seeded:.1f} s (no target)")


if __name__ == "__main__":
    main()
