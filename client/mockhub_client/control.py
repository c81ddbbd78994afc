"""mockhub's control plane (`/_mockhub/...`): health, reset, seed, snapshot, journal and request verification,
faults, clock, inbox. Every call acts for the client's key's organization, unless it takes `scope="server"`
(then the key must be the server's control key, if it has one)."""
import difflib
import fnmatch
from typing import Any

NEAR_MISSES = 5


def _params(**values: Any) -> dict:
    return {key: value for key, value in values.items() if value is not None}


def describe(entry: dict) -> str:
    """One journal entry as a line: `GET /v2/listProjects -> 200`."""
    query = f"?{entry['query']}" if entry.get("query") else ""
    return f"{entry['method']} {entry['path']}{query} -> {entry['status']}"


def closeness(entry: dict, method: str | None, path: str | None) -> float:
    """How like `method path` a journal entry is: the method, the path segments that match, then spelling."""
    score = 1.0 if method and entry["method"] == method.upper() else 0.0
    if path:
        wanted, got = path.strip("/").split("/"), entry["path"].strip("/").split("/")
        same = sum(1 for w, g in zip(wanted, got) if fnmatch.fnmatchcase(g, w))
        score += 2 * same / max(len(wanted), len(got)) + difflib.SequenceMatcher(None, path, entry["path"]).ratio() / 2
    return score


def near_misses(entries: list, method: str | None, path: str | None, limit: int = NEAR_MISSES) -> list:
    """The requests most like `method path`, best first."""
    return sorted(entries, key=lambda e: -closeness(e, method, path))[:limit]


class ControlPlane:
    """Mixed into AngoClient; every call here needs a mockhub server (a real Ango Hub has none of them)."""

    def _control(self, method: str, path: str, payload: Any = None, params: dict | None = None,
                 api_key: str | None = None) -> Any:
        if api_key is not None and api_key != self.api_key:
            return type(self)(api_key, self.host, self.timeout)._control(method, path, payload, params)
        return self.request(method, f"/_mockhub{path}", payload, params=params)

    def health(self) -> dict:
        return self.request("GET", "/_mockhub/health", auth=False)

    def whoami(self) -> dict:
        """The user and organization this client's key resolves to."""
        return self._control("GET", "/whoami")

    def get_organization_id(self) -> str:
        return self.whoami()["user"]["organization"]

    def reset(self, api_key: str | None = None, scope: str | None = None, missing_ok: bool = False) -> Any:
        """Reset this key's organization (or `api_key`'s), or everything with `scope="server"`."""
        from mockhub_client.client import ApiError

        try:
            return self._control("POST", "/reset", _params(scope=scope), api_key=api_key)
        except ApiError as exc:
            if missing_ok and exc.status == 404:
                return None
            raise

    def seed(self, fixture: dict, replace: bool = False, scope: str | None = "server") -> dict:
        """Seed a fixture (new organizations with their keys: a server action). With `replace` the
        organizations its keys belong to are replaced in the same write; `scope=None` with `replace` replaces
        only this key's own organization (the fixture must be that one organization)."""
        params = _params(replace="true" if replace else None, scope=scope)
        return self._control("POST", "/seed", fixture, params=params or None)

    def accept_invite(self, email: str, api_key: str | None = None, name: str | None = None) -> dict:
        """Accept a pending invite of this key's organization (the person becomes a member, with `api_key`)."""
        payload = _params(email=email, apiKey=api_key, name=name)
        return self._control("POST", "/invites/accept", payload)["user"]

    def snapshot(self, scope: str | None = None) -> dict:
        """This organization's state as a snapshot document (every organization's with `scope="server"`)."""
        return self._control("GET", "/snapshot", params=_params(scope=scope) or None)

    # --- the journal and request verification -----------------------------------------------------------
    def journal(self, **filters: Any) -> list:
        """This organization's journaled requests (oldest first), filtered on the server: `method`, `path` (a
        shell-style pattern), `status`, `operation`, `body_contains`, `limit`; `scope="server"`: everyone's."""
        if "body_contains" in filters:
            filters["bodyContains"] = filters.pop("body_contains")
        return self._control("GET", "/journal", params=_params(**filters))["requests"]

    def requests(self, method: str | None = None, path: str | None = None, status: int | None = None,
                 body_contains: str | None = None) -> list:
        """The requests this organization made (newest last) that match, in one round trip."""
        return self.journal(method=method, path=path, status=status, body_contains=body_contains)

    def assert_requested(self, method: str | None, path: str | None, times: int | None = None,
                         body_contains: str | None = None) -> list:
        """Assert that `method path` (a shell-style pattern) was requested (exactly `times` times, if given);
        on failure the message lists the closest requests that were made. Return the matching requests."""
        found = self.requests(method, path, body_contains=body_contains)
        if (times is None and found) or (times is not None and len(found) == times):
            return found
        wanted = f"{(method or '*').upper()} {path or '*'}" + (f" with body containing {body_contains!r}"
                                                               if body_contains else "")
        expected = f"{times} time(s)" if times is not None else "at least once"
        lines = [f"expected {wanted} {expected}, found {len(found)}"]
        lines += [f"  matched: {describe(e)}" for e in found[-NEAR_MISSES:]]
        others = self.journal()
        misses = near_misses([e for e in others if e not in found], method, path)
        lines += ["closest requests made:"] + [f"  {describe(e)}" for e in misses] if misses else \
            ["no other requests were made by this organization"]
        raise AssertionError("\n".join(lines))

    def clear_journal(self, scope: str | None = None) -> dict:
        return self._control("DELETE", "/journal", params=_params(scope=scope) or None)

    # --- faults -------------------------------------------------------------------------------------------------
    def add_fault(self, rule: dict) -> dict:
        return self._control("POST", "/faults", rule)["fault"]

    def faults(self) -> dict:
        return self._control("GET", "/faults")

    def delete_fault(self, rule_id: str) -> dict:
        return self._control("DELETE", f"/faults/{rule_id}")

    def clear_faults(self) -> dict:
        return self._control("DELETE", "/faults")

    def set_rate_limit(self, per_minute: int = 100, enabled: bool = True) -> dict:
        return self._control("POST", "/faults/rate-limit", {"enabled": enabled, "perMinute": per_minute})

    # --- the organization's clock -------------------------------------------------------------------------------
    def clock(self) -> dict:
        return self._control("GET", "/clock")["clock"]

    def freeze_clock(self, at: str | None = None) -> dict:
        return self._control("POST", "/clock/freeze", {"at": at} if at else {})["clock"]

    def set_clock(self, at: str) -> dict:
        return self._control("POST", "/clock/set", {"at": at})["clock"]

    def advance_clock(self, seconds: float) -> dict:
        return self._control("POST", "/clock/advance", {"seconds": seconds})["clock"]

    def unfreeze_clock(self) -> dict:
        return self._control("POST", "/clock/unfreeze", {})["clock"]

    # --- inboxes, deliveries, notifications, coverage ----------------------------------------------------------
    def inbox(self, name: str) -> list:
        return self._control("GET", f"/inbox/{name}")["messages"]

    def inbox_url(self, name: str) -> str:
        """The URL where a webhook (no key needed) lands in this organization's inbox `name`."""
        return self._control("GET", f"/inbox/{name}")["url"]

    def clear_inbox(self, name: str) -> dict:
        return self._control("DELETE", f"/inbox/{name}")

    def webhook_deliveries(self, project_id: str | None = None) -> list:
        return self._control("GET", "/webhooks/deliveries", params=_params(project=project_id) or None)[
            "deliveries"]

    def notifications(self) -> list:
        """Notifications this organization sent with send_notification (mockhub keeps them for tests)."""
        return self._control("GET", "/notifications")["notifications"]

    def coverage(self) -> list:
        return self._control("GET", "/coverage")["coverage"]
