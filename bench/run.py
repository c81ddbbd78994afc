"""mockhub's benchmarks: every figure is a ratio of two things measured side by side in this run.

    python bench/run.py [--quick] [--scale-only]

The scale run (bench/scale.py) compares every SDK operation at 10k and 1M tasks (100k with --quick);
--scale-only runs just that.

Prints one table (figure, value, target, verdict). Nothing here is a test: times on a shared machine are
noise, ratios much less so. Record the numbers and the choices they led to in docs/performance.md.
"""
import gc
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import requests  # noqa: E402
from flask import Flask  # noqa: E402

import durability  # noqa: E402
import scale  # noqa: E402
from measure import big_project, median_latency_ms, rss_mb, serve, throughput, timed  # noqa: E402
from mockhub.app import create_app  # noqa: E402

OPTIONS = ("--quick", "--scale-only")
if "-h" in sys.argv or "--help" in sys.argv:
    print(__doc__.strip())
    raise SystemExit(0)
if any(arg not in OPTIONS for arg in sys.argv[1:]):
    raise SystemExit(f"bench/run.py: unknown option {next(a for a in sys.argv[1:] if a not in OPTIONS)} "
                     f"(options: {', '.join(OPTIONS)}, --help)")
QUICK = "--quick" in sys.argv
SMALL, LARGE = (1_000, 20_000) if QUICK else (1_000, 100_000)
rows = []


def row(figure, value, target=None, ok=None, unit=""):
    verdict = "" if ok is None else ("met" if ok else "NOT MET")
    rows.append((figure, f"{value:.2f}{unit}" if isinstance(value, float) else str(value), target or "", verdict))
    print(f"  {figure}: {rows[-1][1]} {verdict}", file=sys.stderr)


def bare_app(body):
    app = Flask("bare")
    app.json.sort_keys = False

    @app.get("/task")
    def task():
        return body

    return app


def task_route_ratio(stack):
    app = create_app()
    url, stop = serve(app, stack)
    key = {"apikey": "bench-key"}
    pid = requests.post(f"{url}/v2/project", json={"name": "b"}, headers=key, timeout=10).json()["data"]["project"]
    requests.post(f"{url}/v2/project/{pid['_id']}/cloud", json={"assets": [{"data": "https://b/1.png"}]},
                  headers=key, timeout=10)
    task = requests.get(f"{url}/v2/project/{pid['_id']}/tasks", headers=key, timeout=10).json()["data"]["tasks"][0]
    task_url = f"{url}/v2/task/{task['_id']}"
    body = requests.get(task_url, headers=key, timeout=10).json()
    mock_rps = throughput(task_url, key)
    stop()
    bare_url, bare_stop = serve(bare_app(body), stack)
    bare_rps = throughput(f"{bare_url}/task", {})
    bare_stop()
    return mock_rps, bare_rps


def listing_latencies(size):
    app = create_app()
    store = app.extensions["mockhub"].store
    before = rss_mb()
    started = time.perf_counter()
    pid = big_project(store, "bench-key", size)
    build = time.perf_counter() - started
    grown = rss_mb() - before
    url, stop = serve(app)
    key = {"apikey": "bench-key"}
    base = f"{url}/v2/project/{pid}/tasks?limit=100"
    batch = store.get_project(store.resolve_key("bench-key"), pid)["batches"][0]["_id"]
    last = size // 100
    queries = {"default": base, "by stage": base + '&filter={"stage":"Label"}',
               "by batch": base + f'&filter={{"batches":{{"$in":["{batch}"]}}}}', "deep page": f"{base}&page={last}"}
    latencies = {name: median_latency_ms(q, key) for name, q in queries.items()}
    stop()
    return latencies, build, grown


def upload_ratio():
    app = create_app()
    url, stop = serve(app)
    key = {"apikey": "bench-key"}

    def upload(count):
        pid = requests.post(f"{url}/v2/project", json={"name": str(count)}, headers=key, timeout=10)
        pid = pid.json()["data"]["project"]["_id"]
        assets = [{"data": f"https://b/{i}.png"} for i in range(count)]
        return timed(lambda: requests.post(f"{url}/v2/project/{pid}/cloud", json={"assets": assets}, headers=key,
                                           timeout=600))

    small, large = upload(1_000), upload(10_000)
    stop()
    return small, large


def isolation():
    app = create_app()
    url, stop = serve(app)
    session = requests.Session()
    key = {"apikey": "bench-key"}
    pid = session.post(f"{url}/v2/project", json={"name": "i"}, headers=key, timeout=10).json()["data"]["project"]
    session.post(f"{url}/v2/project/{pid['_id']}/cloud", json={"assets": [{"data": "https://b/1.png"}]},
                 headers=key, timeout=10)
    task = session.get(f"{url}/v2/project/{pid['_id']}/tasks", headers=key, timeout=10).json()["data"]["tasks"][0]
    round_trip = min(timed(session.get, f"{url}/v2/task/{task['_id']}") for _ in range(50))
    fresh = min(timed(lambda n=n: session.get(f"{url}/v2/listProjects", headers={"apikey": f"iso-{n}"}, timeout=10))
                for n in range(50))
    fixture = {"organizations": [{"name": "o", "users": [{"email": "a@b.test", "apiKey": "seeded", "role": "admin"}],
                                  "projects": [{"name": "p", "assets": [{"data": "https://b/1.png"}]}]}]}
    reseed = min(timed(lambda: session.post(f"{url}/_mockhub/seed?replace=true", json=fixture, timeout=10))
                 for _ in range(20))
    stop()
    return round_trip, fresh, reseed


def main():
    gc.set_threshold(50_000, 20, 100)  # as `mockhub serve` does
    if "--scale-only" not in sys.argv:
        small_figures()
    scale.run(100_000 if QUICK else 1_000_000, row)
    durability.run(100_000 if QUICK else 1_000_000, row)
    width = max(len(r[0]) for r in rows)
    print(f"\n{'figure'.ljust(width)}  {'value':>10}  {'target':<24}  verdict")
    for figure, value, target, verdict in rows:
        print(f"{figure.ljust(width)}  {value:>10}  {target:<24}  {verdict}")


def small_figures():
    print(f"mockhub benchmarks ({'quick' if QUICK else 'full'}: {SMALL:,} vs {LARGE:,} tasks)", file=sys.stderr)
    for stack in ("werkzeug", "waitress"):
        try:
            mock_rps, bare_rps = task_route_ratio(stack)
        except ImportError:
            row(f"GET /v2/task/{{id}} ÷ bare Flask route ({stack})", "waitress not installed")
            continue
        row(f"GET /v2/task/{{id}} ÷ bare Flask route, {stack} ({mock_rps:.0f} vs {bare_rps:.0f} req/s)",
            mock_rps / bare_rps, "≥ 0.7", mock_rps / bare_rps >= 0.7)
    small, small_build, _ = listing_latencies(SMALL)
    large, large_build, grown = listing_latencies(LARGE)
    for name in small:
        ratio = large[name] / small[name]
        row(f"get_tasks(limit=100) {name}: {LARGE:,} ÷ {SMALL:,} tasks ({large[name]:.1f} vs {small[name]:.1f} ms)",
            ratio, "≤ 2.0", ratio <= 2.0)
    row(f"building {LARGE:,} tasks in-process ÷ {SMALL:,}", large_build / small_build, f"≈ {LARGE // SMALL} (linear)")
    small_upload, large_upload = upload_ratio()
    row(f"upload_files_cloud 10k ÷ 1k assets ({large_upload:.2f} s vs {small_upload:.2f} s)",
        large_upload / small_upload, "≤ 12", large_upload / small_upload <= 12)
    round_trip, fresh, reseed = isolation()
    row(f"isolation by new key ÷ one get_task round trip ({fresh * 1000:.2f} vs {round_trip * 1000:.2f} ms)",
        fresh / round_trip, "report; < 5 ms absolute", fresh < 0.005)
    row(f"isolation by reset + seed of a small fixture ({reseed * 1000:.2f} ms)", reseed * 1000, "< 5 ms absolute",
        reseed < 0.005, " ms")
    row(f"memory per 100k tasks (RSS growth for {LARGE:,})", grown * 100_000 / LARGE, "report", None, " MiB")


if __name__ == "__main__":
    main()
