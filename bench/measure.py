"""Measurement helpers for bench/run.py: servers on free ports, timed request loops, RSS, big projects."""
import json
import resource
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from mockhub.query.pagination import Page


def rss_mb():
    """Resident memory of this process now, in MiB (Linux /proc)."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 2 ** 20


def serve(app, stack="werkzeug"):
    """Serve `app` on a free loopback port with the given WSGI stack; return (url, stop)."""
    if stack == "waitress":
        from waitress.server import create_server

        server = create_server(app, host="127.0.0.1", port=0, threads=8)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        return f"http://127.0.0.1:{server.effective_port}", server.close
    from mockhub.server import LiveServer

    live = LiveServer(app).start()
    return live.url, live.stop


def throughput(url, headers, seconds=2.0, workers=4):
    """Requests per second that `workers` keep-alive clients get from GET `url` in `seconds`."""
    deadline = time.perf_counter() + seconds

    def client(_):
        session, count = requests.Session(), 0
        while time.perf_counter() < deadline:
            response = session.get(url, headers=headers, timeout=10)
            assert response.status_code == 200, response.text[:200]
            count += 1
        return count

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        total = sum(pool.map(client, range(workers)))
    return total / (time.perf_counter() - started)


def median_latency_ms(url, headers, repeats=25):
    """Median wall time of one GET, in milliseconds (after one warm-up request)."""
    session = requests.Session()
    session.get(url, headers=headers, timeout=30)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = session.get(url, headers=headers, timeout=30)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text[:200]
    return statistics.median(times)


def big_project(store, key, tasks, batch_every=10, chunk=2000):
    """Fill a project with `tasks` assets (every `batch_every`-th in batch 'tagged'); return its id."""
    user = store.resolve_key(key)
    project_id = store.create_project(user, f"bench {tasks}")["_id"]
    store.create_batch(user, project_id, name="tagged")
    for start in range(0, tasks, chunk):
        items = [{"data": f"https://bench/{i}.png", "externalId": f"{i}.png",
                  **({"batches": ["tagged"]} if i % batch_every == 0 else {})}
                 for i in range(start, min(tasks, start + chunk))]
        store.upload_files_cloud(user, project_id, items)
    assert store.get_tasks(user, project_id, Page(1, 1))[1] == tasks
    return project_id


def timed(function, *args):
    """Seconds one call takes."""
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def json_size(obj):
    return len(json.dumps(obj, separators=(",", ":")))
