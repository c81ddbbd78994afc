"""mockhub for tests outside pytest fixtures (unittest, scripts, notebooks) and the handle both entry points give.

    with MockHub() as hub:                  # a server on a free port, and a handle with a fresh key
        hub.sdk().create_project("Demo")
        hub.assert_requested("POST", "/v2/project")

`MockHub` also works as a decorator (`@MockHub()`) and with `start()`/`stop()`; `hub.handle()` gives another
handle (a fresh key, so a fresh organization) on the same server, as the pytest fixture `mockhub` does per test.
"""
import functools
import os
import uuid

from mockhub_client import AngoClient


def _keys(fixture):
    return [[u["apiKey"] for u in org.get("users", ()) if u.get("apiKey")] for org in fixture.get("organizations", ())]


class MockHubHandle:
    """One test's view of a mockhub server: its own API key (a fresh organization) and that organization's
    controls (faults, rate limit, clock, journal, inboxes), which no other key sees."""

    def __init__(self, url, api_key=None, control_key=None):
        self.url = url.rstrip("/")
        self.api_key = api_key or f"mockhub-test-{uuid.uuid4().hex[:16]}"
        self.client = AngoClient(self.api_key, self.url)
        self.control_key = control_key if control_key is not None else os.environ.get("MOCKHUB_CONTROL_KEY", "")
        self._seeded_keys, self._faults, self._clock_touched = [], [], False

    def use_key(self, api_key):
        """Act as `api_key` from now on (a key a seeded fixture names)."""
        self.api_key = api_key
        self.client = AngoClient(api_key, self.url)

    def sdk(self, api_key=None):
        """The official SDK for this server (with this handle's key unless another is given)."""
        from imerit_ango.sdk import SDK

        return SDK(api_key or self.api_key, host=self.url)

    def seed(self, fixture, replace=False):
        """Seed a fixture (a dict, or a path to a JSON file); its organizations are dropped on `close`. With
        `replace`, organizations its keys already have are replaced (loaded or not, it ends up seeded once)."""
        if not isinstance(fixture, dict):
            from mockhub.seed import read_fixture

            fixture = read_fixture(str(fixture))
        keys = _keys(fixture)
        if replace and len(keys) == 1 and keys[0] and "snapshot" not in fixture:
            created = AngoClient(keys[0][0], self.url).seed(fixture, replace=True, scope=None)  # its own org
        else:
            created = AngoClient(self.control_key, self.url).seed(fixture, replace=replace, scope="server")
        self._seeded_keys += [key for org in keys for key in org]
        return created

    def fault(self, **rule):
        """Add a fault rule for this handle's organization (see docs/testing.md); removed on `close`."""
        created = self.client.add_fault(rule)
        self._faults.append(created["id"])
        return created

    def set_rate_limit(self, per_minute=100, enabled=True):
        """Turn this organization's rate limit on or off."""
        return self.client.set_rate_limit(per_minute, enabled)

    def freeze_clock(self, at=None):
        self._clock_touched = True
        return self.client.freeze_clock(at)

    def set_clock(self, at):
        self._clock_touched = True
        return self.client.set_clock(at)

    def advance_clock(self, seconds):
        self._clock_touched = True
        return self.client.advance_clock(seconds)

    def unfreeze_clock(self):
        return self.client.unfreeze_clock()

    def journal(self, **filters):
        """This organization's requests, oldest first (filtered on the server, one round trip)."""
        return self.client.journal(**filters)

    def requests(self, method=None, path=None, status=None):
        """This organization's requests that match (path: a shell-style pattern), newest last; one round trip."""
        return self.client.requests(method, path, status)

    def assert_requested(self, method, path, times=None, body_contains=None):
        """Assert the request was made (`times` times, if given); the failure lists the closest requests made."""
        return self.client.assert_requested(method, path, times, body_contains)

    def organization(self):
        return self.client.get_organization_id()

    def inbox_url(self, name):
        """Where a webhook (which carries no key) lands in this organization's inbox `name`."""
        return self.client.inbox_url(name)

    def inbox(self, name):
        return self.client.inbox(name)

    def reset(self):
        """Drop this handle's organization (the key gets a fresh one on its next call)."""
        self.client.reset(missing_ok=True)

    def close(self):
        """Undo what this handle set up: its fault rules, its clock, the organizations it seeded."""
        for rule_id in self._faults:
            self.client.delete_fault(rule_id)
        if self._clock_touched:
            self.client.unfreeze_clock()
        for key in self._seeded_keys:
            self.client.reset(api_key=key, missing_ok=True)
        self._seeded_keys, self._faults, self._clock_touched = [], [], False


class MockHub(MockHubHandle):
    """A mockhub server of its own on a free port (in this process), with a handle on it.

    :param config: app config overrides (see mockhub.app.DEFAULTS), e.g. {"SEED": 7}.
    """

    def __init__(self, config=None, host="127.0.0.1"):
        self._config, self._host, self.server = dict(config or {}), host, None
        self.control_key = self._config.get("CONTROL_KEY", "")

    def start(self):
        """Start the server; return self (a handle with a fresh key)."""
        from mockhub.app import create_app
        from mockhub.server import LiveServer

        self.server = LiveServer(create_app(self._config), host=self._host).start()
        MockHubHandle.__init__(self, self.server.url, control_key=self.control_key)
        return self

    def handle(self, api_key=None):
        """Another handle on this server: a fresh key (so a fresh organization) unless `api_key` is given."""
        return MockHubHandle(self.url, api_key, self.control_key)

    def stop(self):
        """Stop the server (everything it held is gone)."""
        if self.server is not None:
            self.server.stop()
            self.server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def __call__(self, function):
        """Use as a decorator: the server runs for each call of `function` (reach it through this object)."""
        @functools.wraps(function)
        def run(*args, **kwargs):
            with self:
                return function(*args, **kwargs)

        return run
