"""The `--data-file` write overhead: what one write (a one-asset upload through `/cloud`: an asset, its task and
its history record) costs more when it must be on disk before its answer, in a project of N tasks (1M; 100k
with --quick). Target: ≤ 2 ms.

The server is the one `mockhub serve --data-file` runs (the same log, after_request commit and fdatasync);
writes with and without the log are taken in turns, so a busy moment of the machine hits both. The log is
attached after seeding, so it holds only the measured writes: compaction at start is not a write's cost.

    python bench/durability.py [--quick]      (bench/run.py calls run() after its scale run)
"""
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))

from measure import serve  # noqa: E402
from scale import Org  # noqa: E402

from mockhub.app import create_app  # noqa: E402
from mockhub.persistence import DataFile  # noqa: E402

REPEATS = 101


class Switch:
    """The data file, attached to the runtime only while `on` (the after_request commit follows it)."""

    def __init__(self, runtime, path):
        self.runtime, self.on = runtime, False
        self.data_file = DataFile(path)
        self.data_file.restore(runtime)  # an empty file: nothing to load
        self.data_file.start(runtime)
        self.set(False)

    def set(self, on):
        self.on = on
        self.runtime.store.db.storage.listener = self.data_file if on else None

    def after_request(self, response):
        return self.data_file.commit_response(response) if self.on else response


def run(size, row):
    app = create_app()
    runtime = app.extensions["mockhub"]
    folder = tempfile.mkdtemp(prefix="mockhub-durability-")
    switch = Switch(runtime, os.path.join(folder, "state.log"))
    app.after_request(switch.after_request)
    url, stop = serve(app)
    org = Org(url, "durability", size, runtime.store)
    org.seed()
    times = {False: [], True: []}
    for n in range(REPEATS):
        for on in (False, True):
            switch.set(on)
            started = time.perf_counter()
            org.post(f"/v2/project/{org.pid}/cloud", {"assets": [{"data": f"https://d/{n}-{on}.png"}]})
            times[on].append((time.perf_counter() - started) * 1000)
    switch.set(False)
    stop()
    switch.data_file.close()
    without, with_log = statistics.median(times[False][1:]), statistics.median(times[True][1:])
    overhead = with_log - without
    label = f"{size // 1000}k"
    row(f"--data-file write overhead at {label} tasks (one-asset upload: {with_log:.2f} vs {without:.2f} ms, "
        f"median of {REPEATS - 1})", overhead, "≤ 2 ms", overhead <= 2, " ms")
    for name in os.listdir(folder):
        os.remove(os.path.join(folder, name))
    os.rmdir(folder)


def main():
    rows = []

    def row(figure, value, target, ok, unit=""):
        rows.append((figure, f"{value:.2f}{unit}", target, "ok" if ok else "MISSED"))

    run(100_000 if "--quick" in sys.argv else 1_000_000, row)
    for figure, value, target, verdict in rows:
        print(f"{figure}  {value}  (target {target})  {verdict}")


if __name__ == "__main__":
    main()
