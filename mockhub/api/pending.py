"""Routes of SDK operations mockhub does not emulate yet: each answers 501 naming the operation."""
from flask import Blueprint

from mockhub.errors import NotImplementedApi

bp = Blueprint("pending", __name__)

# (HTTP method, rule under /v2, SDK operation). An entry leaves this table when its operation is built.
PENDING = [
    ("POST", "/project/<project_id>/labelValidation", "update_label_validation"),
    ("POST", "/project/<project_id>/benchmark-tasks", "set_tasks_as_benchmark"),
    ("POST", "/project/<project_id>/assetBuilderTemplates", "create_asset_builder_template"),
    ("POST", "/project/<project_id>/instructions", "upload_instructions"),
    ("POST", "/project/<project_id>/chat", "upload_chat_assets"),
    ("GET", "/organization/<org_id>/users", "get_organization_members"),
    ("POST", "/organization/<org_id>/users", "update_organization_members_role"),
    ("DELETE", "/organization/<org_id>/users", "delete_organization_members"),
    ("GET", "/organization/<org_id>/invites", "get_organization_invites"),
    ("POST", "/organization/<org_id>/invites", "invite_members_to_org"),
    ("DELETE", "/organization/<org_id>/invites", "delete_organization_invites"),
    ("GET", "/storages", "get_storages"),
    ("POST", "/storages", "create_storage"),
    ("DELETE", "/storages/<storage_id>", "delete_storage"),
    ("GET", "/storages/<storage_id>/files", "list_storage_files"),
    ("GET", "/llms", "get_llms"),
    ("POST", "/llms", "create_llm"),
    ("DELETE", "/llms/<llm_id>", "delete_llm"),
    ("POST", "/notifications", "send_notification"),
    ("POST", "/file-explorer", "file_explorer"),
    ("POST", "/pluginLog", "_plugin_log"),
    ("POST", "/pluginResponse", "_plugin_response"),
]


def _pending_view(operation):
    def view(**_ignored):
        raise NotImplementedApi(operation)

    view.__name__ = f"pending_{operation}"
    return view


for _method, _rule, _operation in PENDING:
    # strict_slashes=False: the SDK posts to `/v2/storages/` and `/v2/llms/` with a trailing slash.
    bp.add_url_rule(_rule, endpoint=f"pending_{_operation}", view_func=_pending_view(_operation),
                    methods=[_method], strict_slashes=False)
