"""Another organization's get_task p99 while one organization exports N tasks, ÷ its idle p99 (target ≤ 3, #15),
for both ways an export is built: in a forked child (what projects of 20k tasks and more get on Linux) and in
the server's process (`MOCKHUB_EXPORT_FORK_FROM=never`, other platforms), taken in turns on one seed.

    python bench/export_isolation.py [--size 100000] [--rounds 2]

The N tasks are seeded in-process (the store's `upload_files_cloud`, not timed) to reach the export sooner than
the full scale run (`bench/run.py --scale-only`, which measures the same figure after seeding through /cloud).
Above 200k tasks take `flock /tmp/mockhub-bench.lock` around it.
"""
import argparse
import gc
import os
import resource
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import scale
from measure import rss_mb, serve

from mockhub.app import create_app
from mockhub.export import forked


def seeded(size):
    gc.set_threshold(50_000, 20, 100)  # as `mockhub serve` does
    app = create_app()
    store = app.extensions["mockhub"].store
    url, stop = serve(app)
    org = scale.Org(url, "isolation-exporter", 1, store)
    user = store.resolve_key("isolation-exporter")
    for start in range(0, size, scale.CHUNK):
        store.upload_files_cloud(user, org.pid, scale.assets(start, min(size, start + scale.CHUNK)))
    org.size = size
    gc.collect()
    return url, org, store, stop


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    url, org, store, stop = seeded(args.size)
    print(f"{args.size:,} tasks seeded, RSS {rss_mb():.0f} MiB, load average {os.getloadavg()[0]:.1f}")
    threshold = forked.MIN_TASKS
    for n in range(args.rounds):
        for way, min_tasks in (("in a child", 0), ("in-process", None)):
            forked.MIN_TASKS = min_tasks
            idle, busy, samples, took = scale.export_isolation(url, org, store)
            child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"  round {n + 1}, built {way}: get_task p99 {busy:.1f} vs idle {idle:.1f} ms = {busy / idle:.2f} "
                  f"(target ≤ 3, {'met' if busy / idle <= 3 else 'NOT MET'}); {samples} samples, export {took:.1f} s, "
                  f"load {os.getloadavg()[0]:.1f}, server RSS {rss_mb():.0f} MiB, largest child {child:.0f} MiB")
    forked.MIN_TASKS = threshold
    stop()


if __name__ == "__main__":
    main()
