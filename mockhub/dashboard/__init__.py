"""The read-only web dashboard at `/`: projects, the live workflow, tasks, the journal, webhook deliveries and
plugins."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__, template_folder="templates", static_folder="static",
               static_url_path="/dashboard-static")

from mockhub.dashboard import pages, plugin_pages, project_pages  # noqa: E402,F401  (routes register on import)
