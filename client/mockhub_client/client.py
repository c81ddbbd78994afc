"""AngoClient: thin, typed-error wrappers over the v2 endpoints (names follow imerit-ango's SDK)."""
from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import requests

from mockhub_client.control import ControlPlane
from mockhub_client.organization import OrganizationCalls
from mockhub_client.plugins import PluginCalls
from mockhub_client.types import JSON, Params


def read_export(zip_bytes: bytes) -> list[JSON]:
    """Parse an export zip's first member: a JSON array, or NDJSON (one record per line)."""
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        content = archive.read(archive.namelist()[0]).decode("utf-8")
    stripped = content.lstrip()
    if stripped.startswith("["):
        return json.loads(content)
    return [json.loads(line) for line in content.splitlines() if line.strip()]


def _not_json(response: requests.Response) -> str:
    """What to say of an error answer that is not JSON (an HTML page of some other server, a proxy's text)."""
    kind = (response.headers.get("Content-Type") or "no content type").split(";")[0]
    text = response.text.strip()
    first = f": {text.splitlines()[0][:120]}" if kind.startswith("text/plain") and text else ""
    return f"HTTP {response.status_code} ({kind}, not the API's JSON){first}"


class ApiError(Exception):
    """A non-2xx answer: `status` is the HTTP code, `message` the server's message, `body` the parsed body."""

    def __init__(self, status: int, message: str | None, body: Any = None) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message
        self.body = body


class AngoClient(OrganizationCalls, PluginCalls, ControlPlane):
    """Call an Ango Hub v2 API (mockhub or the real service) with an API key; `ControlPlane` adds mockhub's
    `/_mockhub` calls, which a real host does not have."""

    def __init__(self, api_key: str, host: str = "http://127.0.0.1:8080", timeout: float = 30) -> None:
        self.api_key = api_key
        self.host = host.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()

    def request(self, method: str, path: str, payload: Any = None, params: Params = None, auth: bool = True,
                form: JSON | None = None, files: dict[str, Any] | None = None, timeout: float | None = None) -> Any:
        """Send one request (JSON, or a form with optional files) and return the parsed `data` object;
        raise ApiError on any non-2xx answer."""
        headers = {"apikey": self.api_key} if auth else {}
        body = {"data": form, "files": files} if form is not None or files is not None else {"json": payload}
        response = self.session.request(method, self.host + path, params=params, headers=headers,
                                        timeout=timeout or self.timeout, **body)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not response.ok:
            message = body.get("message") if isinstance(body, dict) else _not_json(response)
            raise ApiError(response.status_code, message, body)
        return body.get("data") if isinstance(body, dict) and "data" in body else body

    # --- projects -----------------------------------------------------------------------------------
    def list_projects(self, page: int = 1, limit: int = 10) -> JSON:
        return self.request("GET", "/v2/listProjects", params={"page": page, "limit": limit})

    def create_project(self, name: str, description: str = "", project_type: str | None = None) -> JSON:
        payload = {"name": name, "description": description}
        if project_type:
            payload["type"] = project_type
        return self.request("POST", "/v2/project", payload)

    def get_project(self, project_id: str) -> JSON:
        return self.request("GET", f"/v2/project/{project_id}")

    def update_project(self, project_id: str, changes: JSON) -> JSON:
        return self.request("POST", f"/v2/project/{project_id}", changes)

    def create_label_set(self, project_id: str, category_schema: JSON) -> JSON:
        return self.update_project(project_id, {"categorySchema": category_schema})

    def update_workflow_stages(self, project_id: str, stages: list[JSON]) -> JSON:
        return self.update_project(project_id, {"stages": stages})

    def clone_project(self, project_id: str, **options: Any) -> JSON:
        return self.request("POST", f"/v2/project/{project_id}/clone", options)

    def delete_project(self, project_id: str) -> JSON:
        return self.request("DELETE", f"/v2/project/{project_id}")

    def purge_project(self, project_id: str, confirm_name: str) -> JSON:
        return self.request("POST", f"/v2/project/{project_id}/purge", {"confirmName": confirm_name})

    def add_members_to_project(self, project_id: str, members: list[str], role: str) -> JSON:
        return self.request("POST", f"/v2/project/{project_id}/assigned", {"assignees": members, "role": role})

    # --- batches and assets -------------------------------------------------------------------------
    def get_batches(self, project_id: str) -> list[JSON]:
        return self.get_project(project_id)["project"]["batches"]

    def create_batch(self, project_id: str, batch_name: str) -> JSON:
        return self.request("POST", f"/v2/batches/{project_id}", {"name": batch_name})

    def assign_batches(self, project_id: str, asset_ids: list[str], batches: list[str]) -> JSON:
        return self.request("POST", "/v2/assignBatches",
                            {"assets": asset_ids, "batches": batches, "projectId": project_id})

    def upload_files_cloud(self, project_id: str, assets: list[JSON], batches: list[str] | None = None,
                           priority: int = 0) -> JSON:
        params = {"batches": json.dumps(batches)} if batches else None
        return self.request("POST", f"/v2/project/{project_id}/cloud",
                            {"assets": assets, "uploadLocal": None, "priority": priority}, params=params)

    def get_assets(self, project_id: str, page: int = 1, limit: int = 10, filters: JSON | None = None) -> JSON:
        params = {"page": page, "limit": limit, "filters": json.dumps(filters or {})}
        return self.request("GET", f"/v2/project/{project_id}/assets", params=params)

    def delete_assets(self, project_id: str, asset_ids: list[str]) -> JSON:
        return self.request("DELETE", f"/v2/project/{project_id}/assets", {"project": project_id, "assets": asset_ids})

    def create_attachment(self, project_id: str, attachments: list[JSON]) -> JSON:
        return self.request("POST", "/v2/attachments", {"project": project_id, "attachments": attachments})

    # --- tasks --------------------------------------------------------------------------------------
    def get_tasks(self, project_id: str, page: int = 1, limit: int = 10, include_answer: bool = False,
                  task_filter: JSON | None = None, sort: str | None = None, fields: str | None = None) -> JSON:
        params = {"page": page, "limit": limit, "includeAnswer": str(bool(include_answer)).lower()}
        if task_filter:
            params["filter"] = json.dumps(task_filter)
        if sort:
            params["sort"] = sort
        if fields:
            params["fields"] = fields
        return self.request("GET", f"/v2/project/{project_id}/tasks", params=params)

    def get_task(self, task_id: str, include_answer: bool = True) -> JSON:
        return self.request("GET", f"/v2/task/{task_id}", params={"includeAnswer": str(include_answer).lower()})

    def get_task_history(self, task_history_id: str | None = None, task_id: str | None = None) -> JSON:
        if task_history_id:
            return self.request("GET", f"/v2/taskHistory/{task_history_id}")
        return self.request("GET", f"/v2/task/{task_id}/history")

    def assign_task(self, project_id: str, task_ids: list[str], stage_filter: str, email: str) -> JSON:
        return self.request("POST", "/v2/task/assign",
                            {"project": project_id, "tasks": task_ids, "user": email, "stage": stage_filter})

    def update_tasks_priority(self, project_id: str, priority: int, filters: JSON | None = None) -> JSON:
        return self.request("POST", f"/v2/project/{project_id}/updatePriority",
                            {"filters": filters or {}, "priority": priority})

    def get_task_history_record(self, task_history_id: str) -> JSON:
        return self.request("GET", f"/v2/taskHistory/{task_history_id}")

    # --- workflow -------------------------------------------------------------------------------------
    def annotate_task(self, task_id: str, answer: JSON, send_to_next_stage: bool = False,
                      brush_data_url: str | None = None, medical_brush_data_url: str | None = None) -> JSON:
        params = {"nextStage": str(bool(send_to_next_stage)).lower(), "isPlugin": "false"}
        payload = {"answer": answer, "brushDataUrl": brush_data_url, "medicalBrushDataUrl": medical_brush_data_url,
                   "duration": 0}
        return self.request("POST", f"/v2/annotate/{task_id}", payload, params=params)

    def review_task(self, task_id: str, review_status: str, pct_details: JSON | None = None) -> JSON:
        payload = {"reviewStatus": review_status}
        if pct_details is not None:
            payload["pctDetails"] = pct_details
        return self.request("POST", f"/v2/review/{task_id}", payload)

    def requeue_tasks(self, project_id: str, to_stage_id: str, filters: JSON | None = None,
                      options: JSON | None = None) -> JSON:
        return self.request("POST", f"/v2/project/{project_id}/requeueTasks",
                            {"toStageId": to_stage_id, "filters": filters or {}, "options": options or {}})

    def import_labels(self, project_id: str, labels: list[JSON]) -> JSON:
        return self.request("POST", "/v2/import/labels", {"project": project_id, "jsonContent": labels})

    # --- issues, metrics, export ----------------------------------------------------------------------
    def create_issue(self, task_id: str, content: str, position: Any = None, **extra: Any) -> JSON:
        payload = {"content": content, "labelTask": str(task_id), **extra}
        if position is not None:
            payload["position"] = str(position)
        return self.request("POST", "/v2/issues", payload)

    def get_issues(self, project_id: str, **filters: Any) -> JSON:
        return self.request("GET", "/v2/issues", params={"project": project_id, **filters})

    def update_issue(self, issue_id: str, **changes: Any) -> JSON:
        return self.request("POST", f"/v2/issues/{issue_id}", changes)

    def add_comment_to_issue(self, issue_id: str, content: str, content_mentions: list[str] | None = None) -> JSON:
        payload = {"content": content}
        if content_mentions:
            payload["contentMentions"] = content_mentions
        return self.request("POST", f"/v2/issues/{issue_id}/comment", payload)

    def delete_issue(self, project_id: str, issue_id: str) -> JSON:
        return self.request("DELETE", f"/v2/issues/{issue_id}", params={"project": project_id})

    def get_metrics(self, project_id: str, metric: str) -> JSON:
        return self.request("GET", f"/v2/{project_id}/overview/{metric}")

    def get_project_performance(self, project_id: str, interval: str | None = None,
                                batches: list[str] | None = None) -> JSON:
        payload = {key: value for key, value in (("interval", interval), ("batches", batches)) if value}
        return self.request("POST", f"/v2/performance/{project_id}", payload)

    def export(self, project_id: str, **options: Any) -> list[JSON]:
        """Ask for an export and return the parsed records (a list; NDJSON is parsed line by line)."""
        params = {"project": project_id, "format": options.pop("format", "json"),
                  "type": options.pop("type", "task"), "stage": json.dumps(options.pop("stage", ["Complete"]))}
        params.update({k: json.dumps(v) if isinstance(v, (list, dict)) else v for k, v in options.items()})
        path = self.request("GET", "/v2/export", params=params)["exportPath"]
        return read_export(self.session.get(path, timeout=self.timeout).content)
