"""The app factory: one runtime (store, clock, ids) per app, the blueprints, and the error handler."""
from flask import Blueprint, Flask

from mockhub.clock import Clock
from mockhub.errors import register_error_handlers
from mockhub.ids import IdGenerator
from mockhub.jsonio import ApiJSONProvider
from mockhub.store import Store

DEFAULTS = {
    "STRICT_AUTH": False,        # accept only keys known from fixtures
    "SEED": None,                # make ids and random draws repeat across runs
    "MAX_PAGE_LIMIT": 1000,      # the documented maximum page size
    "MAX_CONTENT_LENGTH": 256 * 1024 * 1024,  # request bodies above this get 413
    "FIXTURES": [],              # fixture documents (already parsed) to seed at start
    "WEBHOOK_TIMEOUT": 3.0,      # seconds a Webhook stage's receiver gets to answer
}


class Runtime:
    """Everything stateful an app owns; `reset` builds the store again (moto's reset, per app)."""

    def __init__(self, config):
        self.config = config
        self.clock = Clock()
        self.ids = IdGenerator(config["SEED"], self.clock)
        self.store = Store(self.ids, self.clock, strict_auth=config["STRICT_AUTH"])

    def reset(self):
        self.ids = IdGenerator(self.config["SEED"], self.clock)
        self.store = Store(self.ids, self.clock, strict_auth=self.config["STRICT_AUTH"])


def _v2_blueprint():
    from mockhub.api import assets, batches, export, files, issues, metrics, pending, projects, tasks, workflow
    from mockhub.api.auth import authenticate, send_webhooks

    v2 = Blueprint("v2", __name__, url_prefix="/v2")
    v2.before_request(authenticate)
    v2.after_request(send_webhooks)
    for child in (projects.bp, assets.bp, batches.bp, tasks.bp, workflow.bp, issues.bp, export.bp, files.v2,
                  pending.bp, metrics.bp):
        v2.register_blueprint(child)
    return v2


def create_app(config=None):
    """Build a mockhub app; `config` overrides DEFAULTS (tests pass their own)."""
    from mockhub.api import files
    from mockhub.control import health
    from mockhub.seed import seed

    app = Flask("mockhub")
    app.json = ApiJSONProvider(app)
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    runtime = Runtime(app.config)
    app.extensions["mockhub"] = runtime
    register_error_handlers(app)
    app.register_blueprint(_v2_blueprint())
    app.register_blueprint(files.files, url_prefix="/files")
    app.register_blueprint(health.bp, url_prefix="/_mockhub")
    for fixture in app.config["FIXTURES"]:
        seed(runtime.store, fixture)
    return app
