"""mockhub's plugin control plane (`/_mockhub/plugins`, `/_mockhub/plugin-sessions`): register plugins, run
them, read their sessions and download what an Export plugin produced."""
from __future__ import annotations

from typing import Any

from mockhub_client.types import JSON


class PluginCalls:
    """Mixed into AngoClient; every call acts for the organization of the client's key (mockhub only)."""

    def _wait_timeout(self, seconds: float | None) -> float:
        return max(self.timeout, (seconds or 0) + 30)

    def create_plugin(self, name: str, plugin_type: str = "Export", plugin_id: str | None = None,
                      secret: str | None = None) -> JSON:
        """Register a plugin (`plugin_type`: Export, Model, BatchModel, FileExplorer, Markdown, Input); a given
        id and secret are kept, so scripts with hard-coded credentials work. Returns `{_id, secret, ...}`."""
        payload = {"name": name, "type": plugin_type}
        payload.update({key: value for key, value in (("id", plugin_id), ("secret", secret)) if value})
        return self.request("POST", "/_mockhub/plugins", payload)["plugin"]

    def list_plugins(self) -> list[JSON]:
        return self.request("GET", "/_mockhub/plugins")["plugins"]

    def get_plugin(self, plugin_id: str, wait_live: float | None = None) -> JSON:
        """The plugin with `live`, its connections and rejected attempts (after up to `wait_live` s to go live)."""
        params = {"waitLive": wait_live} if wait_live else None
        return self.request("GET", f"/_mockhub/plugins/{plugin_id}", params=params,
                            timeout=self._wait_timeout(wait_live))["plugin"]

    def delete_plugin(self, plugin_id: str) -> JSON:
        return self.request("DELETE", f"/_mockhub/plugins/{plugin_id}")

    def run_plugin(self, plugin_id: str, project_id: str, wait: float | None = None, **fields: Any) -> JSON:
        """Start a run (`taskId`, `stage`, `batches`, `configJSON`, `timeout`) and return its session; with
        `wait`, once it has ended or `wait` seconds have passed."""
        payload = {"projectId": project_id, **fields}
        if wait:
            payload["wait"] = wait
        return self.request("POST", f"/_mockhub/plugins/{plugin_id}/runs", payload,
                            timeout=self._wait_timeout(wait))["session"]

    def list_plugin_sessions(self, plugin: str | None = None, project: str | None = None,
                             status: str | None = None) -> list[JSON]:
        params = {key: value for key, value in (("plugin", plugin), ("project", project), ("status", status))
                  if value}
        return self.request("GET", "/_mockhub/plugin-sessions", params=params)["sessions"]

    def get_plugin_session(self, session_id: str, wait: float | None = None) -> JSON:
        """One session (after up to `wait` seconds for it to end)."""
        params = {"wait": wait} if wait else None
        return self.request("GET", f"/_mockhub/plugin-sessions/{session_id}", params=params,
                            timeout=self._wait_timeout(wait))["session"]

    def download_plugin_export(self, session: JSON | str) -> bytes:
        """The bytes an Export plugin's session produced (`session`: the session or its id)."""
        from mockhub_client.client import ApiError

        session_id = session["_id"] if isinstance(session, dict) else session
        response = self.session.get(f"{self.host}/_mockhub/plugin-sessions/{session_id}/download",
                                    headers={"apikey": self.api_key}, timeout=self.timeout)
        if not response.ok:
            try:
                message = response.json().get("message")
            except ValueError:
                message = response.text[:500]
            raise ApiError(response.status_code, message, None)
        return response.content

    def rerun_plugin_stage(self, project_id: str, stage_id: str) -> JSON:
        """The UI's Re-Run of a Plugin stage: a job for every task waiting there."""
        return self.request("POST", f"/_mockhub/projects/{project_id}/stages/{stage_id}/rerun")["rerun"]
