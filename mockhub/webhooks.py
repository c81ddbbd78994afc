"""Webhook delivery: POST the queued payloads, signed, with a short timeout, and log every outcome.

A failed delivery is logged and dropped: the task has already moved on (it is never held back).
"""
import hashlib
import hmac
import logging
import time

import requests

from mockhub.clock import acting_for

log = logging.getLogger("mockhub.webhooks")


def signature(secret, body):
    """X-Hub-Signature: hex HMAC-SHA1 of the raw body, keyed by the secret (no `sha1=` prefix)."""
    return hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


def deliver(entry, timeout, now_iso):
    """Send one queued delivery; return its log record."""
    headers = {"Content-Type": "application/json", "User-Agent": "mockhub-webhook"}
    if entry.get("secret"):
        headers["X-Hub-Signature"] = signature(entry["secret"], entry["body"])
    if entry.get("token"):
        headers["Authorization"] = f"Bearer {entry['token']}"
    record = {key: entry.get(key) for key in ("url", "projectId", "organization", "stageId", "taskId", "externalId")}
    record["event"] = entry.get("event", "stage")
    record["at"] = now_iso
    started = time.perf_counter()
    try:
        response = requests.post(entry["url"], data=entry["body"], headers=headers, timeout=timeout)
        record.update(status=response.status_code, ok=response.ok, error=None)
    except requests.RequestException as exc:
        record.update(status=None, ok=False, error=f"{type(exc).__name__}: {exc}"[:300])
    record["durationMs"] = round((time.perf_counter() - started) * 1000, 1)
    if not record["ok"]:
        log.warning("webhook to %s failed: %s", entry["url"], record["error"] or record["status"],
                    extra={"projectId": entry["projectId"]})  # lets a listener keep only its own projects
    return record


def flush(store, timeout):
    """Send every delivery the store has queued, outside its lock."""
    for entry in store.take_outbox():
        with acting_for(entry.get("organization")):  # stamped in the organization's own time
            store.record_delivery(deliver(entry, timeout, store.clock.now_iso()))
