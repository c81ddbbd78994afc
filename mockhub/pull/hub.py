"""Reading a project from an Ango Hub through the public v2 endpoints the official SDK uses (never /_mockhub):
one session, one-line errors, and patience with the hub's rate limit."""
import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

RETRIES = 9            # answers of 429 or 5xx tried again before giving up (about two minutes)
MAX_WAIT = 60.0        # seconds one back-off waits at the most
WORKERS = 4            # requests in flight at once, for per-task reads


class PullError(Exception):
    """Why a pull cannot go on, in one line a user can act on; `status` is the hub's HTTP code, if any."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class Hub:
    """The v2 API of one hub, for one API key; methods are named after the SDK's."""

    def __init__(self, host, api_key, on_wait=None, timeout=120, page_size=100):
        self.host = host.rstrip("/")
        self.api_key = api_key
        self.on_wait = on_wait or (lambda seconds, why: None)
        self.timeout = timeout
        self.page_size = page_size
        self._local = threading.local()  # one session per thread: requests' sessions are not thread-safe
        self._count = itertools.count(1)
        self.requests = 0

    @property
    def session(self):
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    # --- one request ---------------------------------------------------------------------------------
    def _send(self, method, url, **kwargs):
        for attempt in range(RETRIES + 1):
            self.requests = next(self._count)
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except requests.ConnectionError:
                raise PullError(f"cannot connect to {self.host}: is the host right and the hub up?") from None
            except requests.Timeout:
                raise PullError(f"{self.host} did not answer within {self.timeout:.0f} s") from None
            if response.status_code != 429 and response.status_code < 500 or attempt == RETRIES:
                return response
            wait = self._backoff(response, attempt)
            why = "rate limited by the hub (429)" if response.status_code == 429 else \
                f"the hub answered {response.status_code}"
            self.on_wait(wait, why)
            time.sleep(wait)
        return response  # pragma: no cover (the loop always returns)

    @staticmethod
    def _backoff(response, attempt):
        try:
            told = float(response.headers.get("Retry-After", ""))
        except ValueError:
            told = None
        return min(MAX_WAIT, told if told is not None and told >= 0 else 0.25 * 2 ** attempt)

    def get(self, path, params=None):
        """GET a v2 path with the key and return its `data` object; raise PullError on any failure."""
        response = self._send("GET", self.host + path, params=params, headers={"apikey": self.api_key})
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or ("data" not in body and "message" not in body):
            raise PullError(f"{self.host} does not answer like an Ango Hub: GET {path} gave "
                            f"{response.status_code} {response.headers.get('Content-Type', 'with no type')}")
        if response.status_code == 401:
            raise PullError(f"{self.host} refused the API key (401: {body.get('message', 'unauthorized')})")
        if not response.ok:
            raise PullError(f"GET {path} failed: {response.status_code} {body.get('message', '')}".rstrip(),
                            response.status_code)
        return body.get("data") or {}

    # --- what a pull reads ---------------------------------------------------------------------------
    def get_project(self, project_id):
        try:
            return self.get(f"/v2/project/{project_id}")["project"]
        except PullError as exc:
            if exc.status in (400, 403, 404):
                raise PullError(f"no project {project_id} on {self.host} for this API key ({exc.status})") from None
            raise

    def pages(self, path, key, params=None, progress=None):
        """Yield every item of a paged list (`data.<key>`, `data.total`)."""
        page, seen = 1, 0
        while True:
            data = self.get(path, dict(params or {}, page=page, limit=self.page_size))
            items = data.get(key) or []
            if progress:
                progress(len(items), data.get("total"))
            yield from items
            seen += len(items)
            if not items or seen >= (data.get("total") or 0):
                return
            page += 1

    def get_assets(self, project_id, progress=None):
        return self.pages(f"/v2/project/{project_id}/assets", "assets", {"filters": "{}"}, progress)

    def get_tasks(self, project_id, progress=None):
        return self.pages(f"/v2/project/{project_id}/tasks", "tasks", {"includeAnswer": "true"}, progress)

    def get_issues(self, project_id):
        return self.get("/v2/issues", {"project": project_id}).get("issue") or []

    def get_organization_members(self, organization_id):
        """The organization's members, or [] where the key may not list them."""
        try:
            return list(self.pages(f"/v2/organization/{organization_id}/users", "users"))
        except PullError:
            return []

    def get_task_history(self, task_id):
        return self.get(f"/v2/task/{task_id}/history").get("taskHistory") or []

    def each(self, call, ids, step=lambda: None):
        """{id: call(id)} for every id, a few requests at a time (a rate-limited hub slows them all)."""
        def one(_id):
            result = call(_id)
            step()
            return _id, result

        with ThreadPoolExecutor(WORKERS) as pool:
            return dict(pool.map(one, ids))

    def download(self, url):
        """The bytes behind an asset URL (through getSignedUrl when the plain URL is refused), or None."""
        for attempt in ("plain", "signed"):
            try:
                response = self._send("GET", url)
            except PullError:
                return None
            if response.ok:
                return response.content
            if attempt == "plain" and response.status_code in (401, 403):
                signed = self.get("/v2/getSignedUrl", {"name": url}).get("signedUrl")
                if not signed or signed == url:
                    return None
                url = signed
        return None
