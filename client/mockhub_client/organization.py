"""The organization-level and project-extra operations of the v2 API, under the SDK's method names."""
from __future__ import annotations

import json
import os
from typing import Any

from mockhub_client.types import JSON


class OrganizationCalls:
    """Mixed into AngoClient (it provides `request`)."""

    # --- organization members and invites ----------------------------------------------------------
    def get_organization_members(self, organization_id: str, page: int = 1, limit: int = 10,
                                 search: str | None = None) -> JSON:
        params = {"page": page, "limit": limit, **({"search": search} if search else {})}
        return self.request("GET", f"/v2/organization/{organization_id}/users", params=params)

    def update_organization_members_role(self, organization_id: str, role_updates: list[JSON]) -> JSON:
        """`role_updates`: [{"email", "organizationRole"}]."""
        return self.request("POST", f"/v2/organization/{organization_id}/users", {"users": role_updates})

    def delete_organization_members(self, organization_id: str, member_emails: list[str]) -> JSON:
        return self.request("DELETE", f"/v2/organization/{organization_id}/users", {"users": member_emails})

    def get_organization_invites(self, organization_id: str) -> JSON:
        return self.request("GET", f"/v2/organization/{organization_id}/invites", params={"status": "pending"})

    def invite_members_to_org(self, organization_id: str, to: list[str], organization_role: str,
                              project_assignments: list[JSON] | None = None) -> JSON:
        payload = {"to": to, "organizationRole": organization_role}
        if project_assignments:
            payload["projectAssignments"] = project_assignments
        return self.request("POST", f"/v2/organization/{organization_id}/invites", payload)

    def delete_organization_invites(self, organization_id: str, invite_emails: list[str]) -> JSON:
        return self.request("DELETE", f"/v2/organization/{organization_id}/invites", {"invites": invite_emails})

    def send_notification(self, receivers: list[str], message: str, title: str | None = None,
                          clickable_link: str | None = None) -> JSON:
        payload = {"receivers": receivers, "message": message}
        payload.update({k: v for k, v in (("title", title), ("clickableLink", clickable_link)) if v is not None})
        return self.request("POST", "/v2/notifications", payload)

    # --- storages and LLMs ------------------------------------------------------------------------
    def get_storages(self, storage_id: str | None = None) -> JSON:
        return self.request("GET", "/v2/storages", params={"_id": storage_id} if storage_id else None)

    def create_storage(self, storage: JSON) -> JSON:
        """`storage`: {name, provider, publicKey, privateKey, region, credentials}."""
        return self.request("POST", "/v2/storages/", storage)

    def delete_storage(self, storage_id: str) -> JSON:
        return self.request("DELETE", f"/v2/storages/{storage_id}")

    def list_storage_files(self, storage_id: str, bucket_name: str, path: str = "",
                           get_signed_urls: bool = True) -> JSON:
        params = {"bucketName": bucket_name, "path": path, "getSignedUrls": str(get_signed_urls).lower()}
        return self.request("GET", f"/v2/storages/{storage_id}/files", params=params)

    def file_explorer(self, bucket: str, storage_id: str, options: JSON | None = None) -> JSON:
        return self.request("POST", "/v2/file-explorer", {**(options or {}), "bucket": bucket, "storageId": storage_id})

    def get_llms(self, llm_id: str | None = None) -> JSON:
        return self.request("GET", "/v2/llms", params={"_id": llm_id} if llm_id else None)

    def create_llm(self, llm: JSON) -> JSON:
        """`llm`: {name, provider, model, isStreamable, configuration: {apiKey, baseUrl?}}."""
        return self.request("POST", "/v2/llms/", llm)

    def delete_llm(self, llm_id: str) -> JSON:
        return self.request("DELETE", f"/v2/llms/{llm_id}")

    # --- project extras ---------------------------------------------------------------------------
    def update_benchmark_settings(self, project_id: str, benchmark_enabled: bool, benchmark_ratio: float | None = None,
                                  benchmark_cutoff: float | None = None) -> JSON:
        payload = {"benchmarkEnabled": benchmark_enabled}
        payload.update({k: v for k, v in (("benchmarkRatio", benchmark_ratio), ("benchmarkCutoff", benchmark_cutoff))
                        if v is not None})
        return self.request("POST", f"/v2/project/{project_id}", payload)

    def set_tasks_as_benchmark(self, project_id: str, task_ids: list[str], is_benchmark: bool = True) -> JSON:
        return self.request("POST", f"/v2/project/{project_id}/benchmark-tasks",
                            {"tasks": task_ids, "isBenchmark": is_benchmark})

    def update_label_validation(self, project_id: str, **settings: Any) -> JSON:
        """Keyword names as sent: customValidationEnabled, validationFunction, externalValidation."""
        return self.request("POST", f"/v2/project/{project_id}/labelValidation", settings)

    def get_asset_builder_templates(self, project_id: str) -> list[JSON]:
        return self.get_project(project_id)["project"]["assetBuilderTemplates"]

    def create_asset_builder_template(self, project_id: str, template: JSON) -> JSON:
        return self.request("POST", f"/v2/project/{project_id}/assetBuilderTemplates", template)

    def upload_instructions(self, project_id: str, file_path: str | os.PathLike) -> JSON:
        with open(file_path, "rb") as handle:
            files = {"file": (os.path.basename(file_path), handle)}
            return self.request("POST", f"/v2/project/{project_id}/instructions", files=files)

    def upload_chat_assets(self, project_id: str, number_of_assets: int = 0,
                           conversation_json: str | os.PathLike | None = None, llm_id: str | None = None,
                           priority: int = 0) -> JSON:
        form = {"projectId": project_id, "priority": priority, "numberOfConversations": str(number_of_assets),
                "namingStrategy": json.dumps({"type": "random"})}
        if llm_id:
            form["llmConfig"] = json.dumps({"id": llm_id})
        if not conversation_json:
            return self.request("POST", f"/v2/project/{project_id}/chat", form=form)
        with open(conversation_json, "rb") as handle:
            return self.request("POST", f"/v2/project/{project_id}/chat", form=form, files={"file": handle})

    def rerun_webhook(self, project_id: str, webhook_stage_id: str) -> JSON:
        return self.request("POST", f"/v2/project/{project_id}/rerun-webhook", {"stageId": webhook_stage_id})
